"""Beyond Linux: the paths taken on macOS and Windows, forced here.

CI runs on Linux only, so each Linux-only call's portable fallback is exercised by
taking the Linux call away: no ``fcntl`` module (Windows has none), no atomic folder
exchange (renameat2 is Linux-only), no parent-death signal (prctl is Linux-only).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advocacy import output_folder
from tests.helpers import ONE_LETTER, output_listing, pdf_text, run

# Python with fcntl made impossible to import (as on Windows), then the CLI: each command
# (one per argument, words split on spaces) in the one process, its exit code printed after.
WITHOUT_FCNTL = """
import sys
sys.modules['fcntl'] = None
from advocacy.cli import main
for command in sys.argv[1:]:
    code = 0
    try:
        main(command.split())
    except SystemExit as end:
        code = end.code or 0
    print(f"exit {code}", flush=True)
"""


def test_commands_work_without_fcntl(project: Path) -> None:
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: Hello.\n", encoding="utf-8")
    commands = ["check campaigns/x.yaml", "plan campaigns/x.yaml",
                "signatories list cambodian-diaspora-2021", "recipients lookup 55407",
                "generate campaigns/x.yaml"]
    done = subprocess.run([sys.executable, "-c", WITHOUT_FCNTL, *commands], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "fcntl" not in done.stderr and "error:" not in done.stderr, done.stderr
    ends = [line for line in done.stdout.splitlines() if line.startswith("exit ")]
    assert ends == ["exit 0"] * len(commands), done.stdout
    assert "Representative Ilhan Omar" in done.stdout
    assert "Hello." in pdf_text(Path("output/x/amy-klobuchar-k000367.pdf"))
    assert output_listing() == ["x"], "a lock file or staging folder was left"


def test_reads_without_unix_open_flags(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no O_NONBLOCK, O_NOFOLLOW or O_NOCTTY: the checked opener reads without them."""
    for flag in ("O_NONBLOCK", "O_NOFOLLOW", "O_NOCTTY"):
        monkeypatch.delattr(os, flag)
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: Hello.\n", encoding="utf-8")
    assert run("generate", "campaigns/x.yaml") == 0
    assert "Hello." in pdf_text(Path("output/x/amy-klobuchar-k000367.pdf"))


def test_output_swap_without_atomic_exchange(project: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Where folders cannot be exchanged in one step, the old output is renamed away first."""
    monkeypatch.setattr(output_folder, "_exchange", lambda first, second: False)
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: First.\n", encoding="utf-8")
    assert run("generate", "campaigns/x.yaml") == 0
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: Second.\n", encoding="utf-8")
    assert run("generate", "campaigns/x.yaml") == 0
    text = pdf_text(Path("output/x/amy-klobuchar-k000367.pdf"))
    assert "Second." in text and "First." not in text
    assert output_listing() == ["x"], "the previous output was left behind"


# A worker as the pool starts it, with the Linux kernel's help taken away: it must notice
# that its parent died and end, instead of writing into a later run's folder.
ORPHAN = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", '''
import os, time
from advocacy.build import executors
executors.KERNEL_FOLLOWS_PARENT = False
executors._follow_parent(os.getppid())
print("following", flush=True)
time.sleep(60)
'''], stdout=subprocess.PIPE, text=True)
assert child.stdout.readline() == "following\\n"
print(child.pid, flush=True)
time.sleep(60)
"""


def test_worker_ends_with_its_parent_without_prctl() -> None:
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)  # killed outright: it cannot stop its worker itself
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.1)
    alive = _alive(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)  # leave no orphan behind, even when the test fails
    assert not alive, "the worker outlived its parent"


def _alive(pid: int) -> bool:
    """Tell whether a process still runs (a zombie waiting for its reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
