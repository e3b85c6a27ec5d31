"""The build cache: keep the letters of the last run whose inputs have not changed.

Each letter's input hash covers what makes its files: the code that writes them
(a fingerprint of this package's source and of the libraries that lay letters
out), the output settings, the campaign file, every template file, the
statements, signatory lists and images it uses, and the letter's own recipient
and sender. The previous manifest records those hashes and each file's sha256; a
letter is kept only when both still match the files on disk. Changing one
sender's row rewrites that sender's letters; changing the statement, or
upgrading the tool, rewrites them all.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from advocacy import files, manifest
from advocacy.build.fingerprint import code_fingerprint
from advocacy.errors import AdvocacyError
from advocacy.manifest import LetterEntry, Manifest, PrintEntry
from advocacy.planning import Letter
from advocacy.validate.campaign import Inputs


def input_hashes(inputs: Inputs, letters: list[Letter], settings: dict[str, Any]) -> dict[str, str]:
    """Return each letter's input hash, keyed by its file stem."""
    shared = _shared_digest(inputs, settings)
    hashes = {}
    for letter in letters:
        digest = shared.copy()
        digest.update(json.dumps(_letter_data(letter), sort_keys=True, default=str).encode())
        hashes[letter.stem] = digest.hexdigest()
    return hashes


def shared_hash(inputs: Inputs, settings: dict[str, Any]) -> str:
    """Return the hash of what every letter of a campaign is made from (code, files, settings)."""
    return str(_shared_digest(inputs, settings).hexdigest())


def _shared_digest(inputs: Inputs, settings: dict[str, Any]) -> Any:
    shared = hashlib.sha256(json.dumps({"code": code_fingerprint(), **settings}, sort_keys=True,
                                       default=str).encode())
    root = inputs.project.root
    for name, path in _shared_files(inputs):
        shared.update(name.encode())
        shared.update(bytes.fromhex(files.sha256_checked(path, root)))
    return shared


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
        "date": letter.date.isoformat() if letter.date else None,
        "address_block": letter.address.lines, "salutation": letter.salutation,
        "role": letter.role,
    }


def previous_manifest(folder: Path) -> Manifest | None:
    """Read the manifest of the last run into a folder, if there is one this release reads.

    Without one (a first run, a damaged or foreign file, one from a newer release)
    nothing is kept: every letter is written anew. Read through the checked opener,
    like every file of the earlier output: output/ may have come with the project.
    """
    if not os.path.lexists(folder / manifest.FILE_NAME):
        return None
    try:
        return manifest.read(folder)
    except AdvocacyError:
        return None


def reusable(previous: Manifest | None, folder: Path, hashes: dict[str, str],
             formats: tuple[str, ...]) -> dict[str, LetterEntry]:
    """Return the previous run's letters that can be kept as they are, by stem."""
    if previous is None:
        return {}
    kept = {}
    for entry in previous.letters:
        if hashes.get(entry.letter) != entry.input_hash:
            continue  # no longer planned, or its inputs changed
        if tuple(file.format for file in entry.files) != formats:
            continue
        if _intact(folder, [(file.name, file.sha256) for file in entry.files]):
            kept[entry.letter] = entry
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


def reusable_print(previous: Manifest | None, folder: Path,
                   input_hash: str) -> tuple[PrintEntry, ...] | None:
    """Return the previous print bundle's files when nothing they show has changed."""
    if previous is None or not previous.printed or previous.print_hash != input_hash:
        return None
    if not _intact(folder, [(file.name, file.sha256) for file in previous.printed]):
        return None
    return previous.printed
