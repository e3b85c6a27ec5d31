"""Interrupted runs: killed in the middle of a 100-letter batch, the output folder holds the
previous complete result (or none), never a mix; no worker outlives the run; a re-run works.

The generator runs as a real process (``python -m advocacy generate``) in a session of its
own, so that Ctrl-C can be sent as a terminal sends it: to the whole process group.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import copy_project, output_listing, tree_hashes

# The 100 senators, each letter with the joint statement attached: long enough to catch.
BATCH = ("title: t\ndate: 2021-03-23\nrecipients: {from: us-senate}\n"
         "enclosures: [{statement: joint-statement-2021-03-23}]\nformats: [pdf, docx]\n")
STAGING = Path("output/.big.staging")
# click ends the line the terminal echoed "^C" on, then the CLI says what happened.
INTERRUPTED = "\ninterrupted; earlier output is unchanged\n"


def generate() -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "advocacy", "generate", "--jobs", "2",
                             "campaigns/big.yaml"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def descendants(pid: int) -> list[int]:
    """List the processes started by a process, and theirs."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


def interrupt(sig: signal.Signals) -> tuple[subprocess.Popen[str], str, list[int]]:
    """Start the batch, wait until some letters are in the staging folder, send sig."""
    process = generate()
    deadline = time.monotonic() + 120
    while not (STAGING.is_dir() and any(p.suffix == ".pdf" for p in STAGING.iterdir())):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no letter was written in two minutes"
        time.sleep(0.01)
    workers = descendants(process.pid)
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)  # Ctrl-C: every process of the terminal gets it
    else:
        process.send_signal(sig)  # the parent alone, without warning
    _, err = process.communicate(timeout=60)
    return process, err, workers


def assert_no_orphans(workers: list[int]) -> None:
    assert workers, "the batch ran without worker processes"
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if running(pid)], "worker processes outlived the run"


def assert_complete(folder: Path) -> None:
    """Check that an output folder holds exactly the letters and files its manifest lists."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["letters"]) == 100
    listed = {"manifest.json", "manifest.csv"}
    for letter in manifest["letters"]:
        for file in letter["files"]:
            listed.add(file["name"])
            data = (folder / file["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == file["sha256"]
    assert {path.name for path in folder.iterdir()} == listed
    csv_rows = (folder / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == 101


def rerun_succeeds() -> None:
    process = generate()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert out == "output/big/: 100 letters\n"
    assert_complete(Path("output/big"))
    assert output_listing() == ["big"]


@pytest.fixture
def batch(project: Path) -> Path:
    Path("campaigns/big.yaml").write_text(BATCH + "body: 'Dear {{ recipient.name }}'\n",
                                          encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete output of the batch, made once: the earlier output of the tests below."""
    folder = copy_project(tmp_path_factory.mktemp("complete"))
    (folder / "campaigns/big.yaml").write_text(BATCH + "body: 'Dear {{ recipient.name }}'\n",
                                               encoding="utf-8")
    subprocess.run([sys.executable, "-m", "advocacy", "generate", "--jobs", "2",
                    "campaigns/big.yaml"], cwd=folder, check=True, capture_output=True)
    return folder / "output"


@pytest.fixture
def changed(batch: Path, complete: Path) -> dict[str, str]:
    """An earlier complete output, and a campaign changed since: every letter is rewritten."""
    shutil.copytree(complete, "output")
    assert_complete(Path("output/big"))
    Path("campaigns/big.yaml").write_text(BATCH + "body: 'Hello {{ recipient.name }}'\n",
                                          encoding="utf-8")
    return tree_hashes(Path("output"))


def test_ctrl_c_on_a_first_run(batch: Path) -> None:
    process, err, workers = interrupt(signal.SIGINT)
    assert (process.returncode, err) == (130, INTERRUPTED)
    assert_no_orphans(workers)
    assert not Path("output").exists(), "an interrupted first run left an output folder"
    rerun_succeeds()


def test_ctrl_c_keeps_the_previous_output(changed: dict[str, str]) -> None:
    process, err, workers = interrupt(signal.SIGINT)
    assert (process.returncode, err) == (130, INTERRUPTED)
    assert_no_orphans(workers)
    assert tree_hashes(Path("output")) == changed
    rerun_succeeds()


def test_kill_keeps_the_previous_output(changed: dict[str, str]) -> None:
    process, _, workers = interrupt(signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    # Killed outright, the run could not stop its workers: the kernel does (see executors.py).
    assert_no_orphans(workers)
    assert tree_hashes(Path("output/big")) == {k.removeprefix("big/"): v
                                            for k, v in changed.items() if k.startswith("big/")}
    assert STAGING.is_dir()  # what the killed run left; never part of output/big
    rerun_succeeds()
