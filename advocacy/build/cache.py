"""The build cache: skip letters whose inputs have not changed since the last run.

Each letter's input hash covers what makes its files: the tool version, the
output settings, the campaign file, every template file, the statements,
signatory lists and images it uses, and the letter's own recipient and sender.
The previous manifest (output/CAMPAIGN/manifest.json) records those hashes and
each file's sha256; a letter is reused only when both still match the files on
disk. Changing one sender's row re-renders that sender's letters; changing the
statement re-renders all.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from advocacy import __version__, files, output_folder
from advocacy.errors import AdvocacyError
from advocacy.plan import Letter
from advocacy.printing.bundle import PrintedFile
from advocacy.validate.campaign import Inputs


def input_hashes(inputs: Inputs, letters: list[Letter], settings: dict[str, Any]) -> dict[str, str]:
    """Return each letter's input hash, keyed by its file stem."""
    shared = hashlib.sha256(json.dumps({"tool": __version__, **settings}, sort_keys=True,
                                       default=str).encode())
    root = inputs.project.root
    for name, path in _shared_files(inputs):
        shared.update(name.encode())
        shared.update(bytes.fromhex(files.sha256_checked(path, root)))
    hashes = {}
    for letter in letters:
        digest = shared.copy()
        digest.update(json.dumps(_letter_data(letter), sort_keys=True, default=str).encode())
        hashes[letter.stem] = digest.hexdigest()
    return hashes


def _shared_files(inputs: Inputs) -> list[tuple[str, Path]]:
    """List the files every letter depends on (not the recipients or senders files).

    Each is named relative to the project, so a moved project keeps its cache.
    """
    root = inputs.project.root.resolve()
    used = [inputs.path, *inputs.template_files]  # checked by validate: no link leads out
    used += [s.path for s in inputs.statements.values()]  # every language's version
    used += [s.path for s in inputs.signatories.values()]
    used += inputs.images()
    named = []
    for path in used:
        real = path.resolve()
        named.append((real.relative_to(root).as_posix() if real.is_relative_to(root)
                      else path.name, real))
    return named


def _letter_data(letter: Letter) -> dict[str, Any]:
    sender = letter.sender
    sender_data = None
    if sender is not None:
        sender_data = {"name": sender.name, "address": list(sender.address),
                       "email": sender.email, "phone": sender.phone}
    return {
        "stem": letter.stem, "recipient": letter.recipient.model_dump(mode="json"),
        "sender": sender_data, "language": letter.language, "paper": letter.paper,
        "date": letter.date.isoformat(), "address_block": letter.address.lines,
        "salutation": letter.salutation,
    }


def previous_manifest(folder: Path) -> dict[str, Any]:
    """Read the manifest of the last run into a folder; empty if there is none, or not ours.

    Read through the checked opener, like every file of the earlier output: output/ may
    have come with the project, holding links, pipes or huge files.
    """
    try:
        data = files.read_checked(folder / "manifest.json", output_folder.MAX_MANIFEST_BYTES,
                                  folder)
        manifest = json.loads(data)
    except (AdvocacyError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def reusable(previous: dict[str, Any], folder: Path, hashes: dict[str, str],
             formats: tuple[str, ...]) -> dict[str, Any]:
    """Return the previous manifest's entries that can be kept as they are, by stem."""
    entries = previous.get("letters")
    if not isinstance(entries, list):
        return {}  # no previous output, or not ours: render everything
    kept = {}
    for entry in entries:
        try:
            stem = entry["letter"]
            if stem not in hashes or hashes[stem] != entry.get("input_hash"):
                continue  # no longer planned, or its inputs changed
            files = entry["files"]
            if [f["format"] for f in files] != list(formats):
                continue
            if _intact(folder, [(f["name"], f["sha256"]) for f in files]):
                kept[stem] = entry
        except (KeyError, TypeError):
            continue
    return kept


def _intact(folder: Path, listed: list[tuple[str, str]]) -> bool:
    """Tell whether every (name, sha256) file is still in the folder, unchanged."""
    for name, sha256 in listed:
        path = folder / name
        try:
            # A link is never kept: it would be linked, as a link, into the new output.
            if os.path.islink(path) or files.sha256_checked(path, folder) != sha256:
                return False
        except (AdvocacyError, OSError, ValueError):  # ValueError: a name with a NUL
            return False
    return True


def print_hash(hashes: dict[str, str], settings: BaseModel) -> str:
    """Return the input hash of the print bundle: every letter's, in order, and its settings."""
    digest = hashlib.sha256(settings.model_dump_json().encode())
    for stem, letter_hash in hashes.items():
        digest.update(f"{stem}:{letter_hash}\n".encode())
    return digest.hexdigest()


def reusable_print(previous: dict[str, Any], folder: Path, input_hash: str,
                   staging: Path) -> list[PrintedFile] | None:
    """Link the previous print bundle into the new output when nothing it shows changed."""
    if previous.get("print_hash") != input_hash:
        return None
    try:
        files = [PrintedFile(f["name"], f["pages"], f["sha256"], f["bytes"])
                 for f in previous["print"]]
    except (KeyError, TypeError):
        return None
    if not _intact(folder, [(file.name, file.sha256) for file in files]):
        return None
    for file in files:
        (staging / file.name).parent.mkdir(parents=True, exist_ok=True)
        output_folder.link(folder / file.name, staging / file.name)
    return files
