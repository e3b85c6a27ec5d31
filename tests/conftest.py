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

from advocacy import api  # noqa: E402
from tests.helpers import REPO, copy_project, docx_to_pdf, source_hashes  # noqa: E402

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
