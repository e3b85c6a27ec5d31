"""Shared fixtures: the example campaigns generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy import pipeline
from tests.helpers import REPO, docx_to_pdf, source_hashes

EXAMPLES = sorted((REPO / "campaigns").glob("*.yaml"))


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pipeline.Result]:
    """Generate every example campaign once; check that no source file changed."""
    before = source_hashes()
    output = tmp_path_factory.mktemp("output")
    results = {path.stem: pipeline.generate(path, output_dir=output) for path in EXAMPLES}
    assert source_hashes() == before, "generating letters modified a source file"
    return results


@pytest.fixture(scope="session")
def examples_via_libreoffice(
    examples: dict[str, pipeline.Result], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Path]:
    """Open every example DOCX in LibreOffice and save it as PDF: DOCX path -> PDF path."""
    files = [result.folder / f.name for result in examples.values()
             for written in result.letters for f in written.files if f.format == "docx"]
    return docx_to_pdf(files, tmp_path_factory.mktemp("libreoffice"))
