"""The public library API, as the README shows it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

import advocacy
from tests.helpers import REPO, copy_project


def test_the_readme_example_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### As a library"):]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    copy_project(tmp_path)
    run = subprocess.run([sys.executable, "-c", code[1]], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    lines = run.stdout.splitlines()
    assert lines[0] == "10 letters, 0 need attention"
    progress = [int(line.split(" / ")[0]) for line in lines[1:-1]]  # reported per batch
    assert progress[0] == 0 and progress[-1] == 10 and progress == sorted(progress)
    assert all(line.endswith(" / 10") for line in lines[1:-1])
    assert lines[-1] == f"{tmp_path / 'output/cambodia-2021-congress'} 10 letters written"
    assert (tmp_path / "output/cambodia-2021-congress/print/letters.pdf").is_file()


def test_importing_the_package_does_not_load_weasyprint() -> None:
    code = "import advocacy, sys; print('weasyprint' in sys.modules, advocacy.generate.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "generate"]


def test_options_are_typed() -> None:
    with pytest.raises(ValidationError, match="print_bundel"):
        advocacy.GenerateOptions(print_bundel=True)
    with pytest.raises(ValidationError, match="formats"):
        advocacy.GenerateOptions(formats=("odt",))  # type: ignore[arg-type]
    assert advocacy.GenerateOptions(jobs=2).formats is None  # None: the campaign's own


def test_a_mistake_is_an_advocacy_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("campaigns/x.yaml").write_text("title: [\n", encoding="utf-8")
    with pytest.raises(advocacy.AdvocacyError, match=r"^campaigns/x.yaml:2:1: not valid YAML"):
        advocacy.check(Path("campaigns/x.yaml"))
    assert not Path("output").exists()
