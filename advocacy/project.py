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

from advocacy import shipped

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
CONTROL_OR_SLASH = re.compile(r"[\x00-\x1f\x7f/]")

# kind -> (folder, file endings tried in order)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "campaign": ("campaigns", (".yaml", ".yml")),
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
        """Find the project of a campaign file: the folder above campaigns/.

        The folder is where the file is, not where it leads if it is a link: a link to
        a file outside is refused when it is read, never taken for another project.
        """
        folder = Path(os.path.realpath(os.path.dirname(os.path.abspath(campaign_path))))
        return cls(folder.parent if folder.name == "campaigns" else folder)

    @property
    def templates(self) -> Path:
        """Return the project's templates folder (which need not exist)."""
        return self.root / "templates"

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """Return where templates and page assets come from, the project's folder first.

        A file in the project's templates/ overrides the package's file of the same name.
        """
        return (self.templates, shipped.TEMPLATES)

    def template_files(self) -> list[Path]:
        """List every file in templates/ (links too, as they are), in a stable order.

        Links to folders are not followed: a template may use only what is in templates/.
        """
        found = []
        inside = os.path.realpath(self.templates)
        for folder, folders, names in os.walk(self.templates):
            found += [Path(folder, name) for name in names]
            # A link to a folder of templates/ is listed there; one leading elsewhere is
            # listed itself, to be refused.
            found += [Path(folder, name) for name in folders if os.path.islink(Path(folder, name))
                      and not Path(os.path.realpath(Path(folder, name))).is_relative_to(inside)]
            folders.sort()
        return sorted(found)

    def folder(self, kind: str) -> Path:
        """Return the folder that holds files of one kind."""
        return self.root / KINDS[kind][0]

    def folders(self, kind: str) -> tuple[Path, ...]:
        """Return the folders that hold files of one kind, the project's first."""
        if kind == "template":
            return self.template_folders
        return (self.folder(kind),)

    def find(self, kind: str, name: str) -> Path:
        """Return the file a name refers to, or raise UnknownName with a hint."""
        folder_name, endings = KINDS[kind]
        bare = name
        for ending in endings:
            bare = bare.removesuffix(ending)
        if not NAME_PATTERN.match(bare) or ".." in bare:
            raise UnknownName(
                f"'{name}' is not a {kind} name; use the file name in {folder_name}/ "
                "without folders (letters, digits, '.', '-', '_')"
            )
        for folder in self.folders(kind):
            for ending in endings:
                candidate = folder / f"{bare}{ending}"
                # Not is_file(): a named pipe or a device is found, then refused when read.
                if os.path.lexists(candidate) and not candidate.is_dir():
                    if folder == self.folder(kind) and not Path(
                            os.path.realpath(candidate)).is_relative_to(
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
        endings = KINDS[kind][1]
        found = []
        for folder in self.folders(kind):
            paths = sorted(folder.iterdir()) if folder.is_dir() else []
            found += [path.name.removesuffix(ending) for path in paths for ending in endings
                      if path.name.endswith(ending) and path.is_file()]
        found = list(dict.fromkeys(found))
        # NAME.fr is the French version of NAME, not a name of its own.
        return [name for name in found if name.rpartition(".")[0] not in found]


def campaign_name(campaign_path: Path) -> str:
    """Return a campaign's name (its file name without .yaml), which names its output folder.

    Raise UnknownName for a name that is no folder name: '..yaml' would be named '.',
    the output folder itself; '.x.staging.yaml' another campaign's staging folder.
    """
    name = campaign_path.name.removesuffix(".yaml").removesuffix(".yml")
    if not name[:1].isalnum() or "\\" in name or CONTROL_OR_SLASH.search(name):
        raise UnknownName(f"'{campaign_path.name}' gives the campaign no name for its output "
                          "folder; rename the file, starting with a letter or digit "
                          "(for example my-campaign.yaml)")
    return name
