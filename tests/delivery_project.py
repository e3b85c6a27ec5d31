"""The example UN campaign, generated once, with test addresses in its overrides file."""

from __future__ import annotations

import shutil
from pathlib import Path

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
