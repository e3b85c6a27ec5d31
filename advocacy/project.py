"""Where things live: a project folder holds campaigns/, statements/, signatories/ and so on.

A campaign names its parts by name (``template: letter``, ``statement:
joint-statement-2021-03-23``); this module turns a name into the file in the
folder of its kind, and refuses names that would reach outside that folder.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")

# kind -> (folder, file endings tried in order)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "template": ("templates", (".html.j2",)),
    "statement": ("statements", (".md",)),
    "signatories": ("signatories", (".yaml", ".yml")),
    "recipients": ("recipients", (".yaml", ".yml", ".csv")),
}


class UnknownName(ValueError):
    """A name that does not lead to a file; the message says what to do."""


@dataclass(frozen=True)
class Project:
    """A campaign project: the folder that holds campaigns/ and its sibling folders."""

    root: Path

    @classmethod
    def of_campaign(cls, campaign_path: Path) -> Project:
        """Find the project of a campaign file: the folder above campaigns/."""
        folder = campaign_path.resolve().parent
        return cls(folder.parent if folder.name == "campaigns" else folder)

    @property
    def templates(self) -> Path:
        """Return the templates folder; the only place templates and page assets come from."""
        return self.root / "templates"

    def folder(self, kind: str) -> Path:
        """Return the folder that holds files of one kind."""
        return self.root / KINDS[kind][0]

    def find(self, kind: str, name: str) -> Path:
        """Return the file a name refers to, or raise UnknownName with a hint."""
        folder_name, endings = KINDS[kind]
        folder = self.root / folder_name
        bare = name
        for ending in endings:
            bare = bare.removesuffix(ending)
        if not NAME_PATTERN.match(bare) or ".." in bare:
            raise UnknownName(
                f"'{name}' is not a {kind} name; use the file name in {folder_name}/ "
                "without folders (letters, digits, '.', '-', '_')"
            )
        for ending in endings:
            candidate = folder / f"{bare}{ending}"
            if candidate.is_file():
                if not Path(os.path.realpath(candidate)).is_relative_to(
                        os.path.realpath(self.root)):
                    raise UnknownName(
                        f"{folder_name}/{candidate.name} is a link to a file outside the "
                        f"project; copy the file itself into {folder_name}/"
                    )
                return candidate
        available = self.names(kind)
        hint = ""
        close = difflib.get_close_matches(bare, available, n=1)
        if close:
            hint = f"; did you mean '{close[0]}'?"
        elif available:
            hint = f"; available: {', '.join(available[:8])}"
        return_hint = f"no {kind} '{bare}' in {folder_name}/{hint}"
        raise UnknownName(return_hint)

    def names(self, kind: str) -> list[str]:
        """List the names of the files of one kind, for hints."""
        folder_name, endings = KINDS[kind]
        folder = self.root / folder_name
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            for ending in endings:
                if path.name.endswith(ending) and path.is_file():
                    found.append(path.name.removesuffix(ending))
        # NAME.fr is the French version of NAME, not a name of its own.
        return [name for name in found if name.rpartition(".")[0] not in found]
