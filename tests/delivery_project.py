"""The example UN campaign, generated once, with test addresses in its overrides file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from advocacy import api, manifest
from tests.helpers import copy_project

CAMPAIGN = "campaigns/cambodia-2021-un-missions.yaml"
NAME = "cambodia-2021-un-missions"
ADDRESSES = {"KH": "cambodia@example.org", "FR": "france@example.org",
             "CA": "canada@example.org", "AU": "australia@example.org"}
LOG = Path("output") / f".{NAME}.deliveries.jsonl"


def with_addresses(root: Path) -> None:
    """Add each mission's test address to the campaign's overrides file."""
    overrides = root / "recipients" / "un-missions-2021.yaml"
    text = overrides.read_text(encoding="utf-8").replace(
        '    postal_code: "10022"\n', f'    postal_code: "10022"\n    email: {ADDRESSES["KH"]}\n')
    text += "".join(f"  - id: {code}\n    email: {address}\n"
                    for code, address in ADDRESSES.items() if code != "KH")
    overrides.write_text(text, encoding="utf-8")


def make(root: Path) -> Path:
    copy_project(root)
    with_addresses(root)
    api.generate(root / CAMPAIGN, api.GenerateOptions(output_dir=root / "output"))
    return root


def copy(generated: Path, target: Path) -> Path:
    shutil.copytree(generated, target, symlinks=True)
    return target


def pdf_hashes(root: Path = Path(".")) -> dict[str, str]:
    """Return each letter's PDF sha256, from the manifest, by letter."""
    written = manifest.read(root / "output" / NAME)
    return {entry.letter: entry.file("pdf").sha256 for entry in written.letters}  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project generated once per test module (import this fixture to use it)."""
    return make(tmp_path_factory.mktemp("un"))


@pytest.fixture
def project(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the generated project to work in, with no SMTP setting from outside."""
    root = copy(generated, tmp_path / "project")
    monkeypatch.chdir(root)
    for name in list(os.environ):
        if name.startswith("ADVOCACY_SMTP_"):
            monkeypatch.delenv(name)
    return root
