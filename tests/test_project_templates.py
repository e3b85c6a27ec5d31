"""A project's templates/ overrides the package's templates one file at a time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from advocacy import shipped
from advocacy.errors import AdvocacyError
from advocacy.project import Project
from advocacy.writers import pdf
from tests.helpers import pdf_text, run

COMMITTEE = "campaigns/cambodia-2021-committee.yaml"


def test_a_project_stylesheet_replaces_the_packages(project: Path) -> None:
    shutil.rmtree(project / "templates")
    (project / "templates").mkdir()
    css = (shipped.TEMPLATES / "letter.css").read_text("utf-8")
    (project / "templates" / "letter.css").write_text(
        css + 'body::before { content: "Printed with our own stylesheet"; }\n', "utf-8")
    assert run("generate", COMMITTEE) == 0
    folder = project / "output" / "cambodia-2021-committee"
    text = pdf_text(folder / "senate-committee-on-foreign-relations-ssfr.pdf")
    assert "Printed with our own stylesheet" in text
    assert "Dear Chairman Risch and Ranking Member Shaheen:" in text  # the package's letter
    sources = json.loads((folder / "manifest.json").read_text("utf-8"))["sources"]
    assert sources[1]["path"] == "advocacy/templates/letter.html.j2"


def test_without_templates_the_packages_are_used(project: Path) -> None:
    shutil.rmtree(project / "templates")
    assert Project(project).find("template", "letter") == shipped.TEMPLATES / "letter.html.j2"
    assert run("generate", COMMITTEE, "--print") == 0
    envelopes = project / "output" / "cambodia-2021-committee" / "print" / "envelopes.pdf"
    assert "Senate Committee on Foreign Relations" in pdf_text(envelopes)


def test_page_assets_come_from_the_project_first(project: Path) -> None:
    folders = list(Project(project).template_folders)
    fetcher = pdf.ProjectFetcher(folders, source=project / "templates" / "letter.html.j2")
    (project / "templates" / "print.css").unlink()
    assert fetcher.read("print.css") == (shipped.TEMPLATES / "print.css").read_bytes()
    (project / "templates" / "print.css").write_text("/* ours */\n")
    assert fetcher.read("print.css") == b"/* ours */\n"
    # A package template's own folder is read through the project's first, too.
    packaged = pdf.ProjectFetcher(folders, source=shipped.TEMPLATES / "letter.html.j2")
    assert packaged.read("print.css") == b"/* ours */\n"
    # The package's other files (its data) are not the templates: refused.
    with pytest.raises(AdvocacyError, match="it is outside templates/"):
        fetcher.read((shipped.DATA / "sources.yaml").as_uri())
