"""Shared fixtures: the example campaigns generated once per test session, and a project
copy to work in."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

pytest.register_assert_rewrite("tests.helpers")  # show the messages that differ

from advocacy import api, planning  # noqa: E402
from tests.helpers import (  # noqa: E402
    FEW_CAMPAIGN,
    FEW_SENDERS,
    REPO,
    copy_project,
    docx_to_pdf,
    source_hashes,
)

EXAMPLES = sorted((REPO / "campaigns").glob("*.yaml"))


@contextlib.contextmanager
def shared_by_workers(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder that every pytest-xdist worker of this run shares, one worker at a time.

    The first worker makes what is in it; the others find it made (see the xdist docs,
    "Making session-scoped fixtures execute only once").
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    with FileLock(root / f"{name}.lock"):
        yield root / name


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, api.Result]:
    """Generate every example campaign once; check that no source file changed.

    Workers share the output: the first writes it, the others' runs keep every letter
    (the build cache), so they get the same results in seconds.
    """
    before = source_hashes()
    with shared_by_workers(tmp_path_factory, "examples") as output:
        results = {path.stem: api.generate(path, api.GenerateOptions(output_dir=output))
                   for path in EXAMPLES}
    assert source_hashes() == before, "generating letters modified a source file"
    return results


@pytest.fixture(scope="session")
def examples_via_libreoffice(
    examples: dict[str, api.Result], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Path]:
    """Open every example DOCX file in LibreOffice and save it as PDF: DOCX path -> PDF path.

    All letters of every campaign, in one LibreOffice run (about 90 s for 164 letters
    on two cores): tests/test_layout_parity.py compares each with its PDF.
    """
    files = [result.folder / f"{written.letter.stem}.docx"
             for result in examples.values() for written in result.letters]
    with shared_by_workers(tmp_path_factory, "libreoffice") as folder:
        return docx_to_pdf(files, folder)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project, as the working folder."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The constituent campaign with two senders, in a copy of the example project."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("recipients/few-senders.csv").write_text(FEW_SENDERS, encoding="utf-8")
    text = Path("campaigns/cambodia-2021-constituent.yaml").read_text(encoding="utf-8")
    FEW_CAMPAIGN.write_text(text.replace("senders: constituents-2021", "senders: few-senders"),
                        encoding="utf-8")
    return tmp_path


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the campaigns planned: the full way plans, the stamp does not."""
    planned: list[str] = []
    real = planning.plan_campaign

    def counting(*args: object, **kwargs: object) -> planning.Plan:
        planned.append("plan")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "plan_campaign", counting)
    return planned


