"""Review signatory lists: warnings about one list, and the differences between two.

A warning does not stop a letter (two organisations may truly share an
acronym); it asks a person to look. Differences compare two lists, or a list
with the one recorded in a campaign's manifest when its letters were generated.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from advocacy import load, manifest
from advocacy.errors import AdvocacyError, Place
from advocacy.manifest import ListEntry
from advocacy.models import SignatoryList
from advocacy.signatories import names


def shown(entry: names.Named) -> str:
    """Return an entry as people know it: 'Name (SHORT)'."""
    return f"{entry.name} ({entry.short})" if entry.short else entry.name


# --- One list -----------------------------------------------------------------------------


def case_advice(name: str, list_name: str, indent: str = "") -> list[str]:
    """Say how to write a name typed all in lower or upper case, with the command to do it."""
    problem = names.case_problem(name)
    if problem is None:
        return []
    better = names.proper_case(name)
    return [f"{indent}{problem}; if the organisation writes it {better}: advocacy signatories "
            f"rename {shlex.quote(list_name)} {shlex.quote(name)} {shlex.quote(better)}"]


def warnings(document: load.Document, model: SignatoryList, list_name: str) -> list[str]:
    """List near duplicates, clashing acronyms and names in capitals, each with its place."""
    found = []
    entries = model.signatories
    for index, entry in enumerate(entries):
        found += [f"{document.place(('signatories', index))}: {advice}"
                  for advice in case_advice(entry.name, list_name)]
    for second in range(len(entries)):
        for first in range(second):
            reasons = names.looks_alike(entries[first], entries[second])
            if not reasons:
                continue
            other = document.place(("signatories", first)).line
            if len(reasons) == 1 and reasons[0].startswith("same acronym"):
                message = (f"acronym clash: '{entries[second].short}' is also the acronym of "
                           f"entry {first + 1}, {entries[first].name} (line {other})")
            else:
                message = (f"near duplicate: {shown(entries[second])} looks like entry "
                           f"{first + 1}, {shown(entries[first])} (line {other}): "
                           f"{'; '.join(reasons)}")
            found.append(f"{document.place(('signatories', second))}: {message}")
    return found


# --- Two lists ----------------------------------------------------------------------------


@dataclass
class Differences:
    """What differs between an earlier and a later list."""

    only_first: list[names.Named] = field(default_factory=list)
    only_second: list[names.Named] = field(default_factory=list)
    renamed: list[tuple[names.Named, names.Named, list[str]]] = field(default_factory=list)
    new_acronym: list[tuple[names.Named, names.Named]] = field(default_factory=list)
    same: int = 0

    @property
    def none(self) -> bool:
        """Tell whether the lists hold the same entries."""
        return not (self.only_first or self.only_second or self.renamed or self.new_acronym)


def compare(first: Sequence[names.Named], second: Sequence[names.Named]) -> Differences:
    """Match the entries of two lists: same name, then renamed (alike), then the rest."""
    result = Differences()
    by_name = {names.same_name_key(entry.name): entry for entry in second}
    left: list[names.Named] = []
    matched: set[int] = set()
    for entry in first:
        other = by_name.get(names.same_name_key(entry.name))
        if other is None or id(other) in matched:
            left.append(entry)
            continue
        matched.add(id(other))
        if names.acronym_key(entry.short or "") != names.acronym_key(other.short or ""):
            result.new_acronym.append((entry, other))
        else:
            result.same += 1
    right = [entry for entry in second if id(entry) not in matched]
    # Renamed: the most alike pairs first, each entry used once. A name made longer is a
    # new name too, though 'add' takes it for another organisation unless they look alike.
    pairs = []
    for a in left:
        for b in right:
            reasons = names.looks_alike(a, b) or names.extends(a, b)
            if reasons:
                pairs.append((_score(a, b, reasons), id(a), id(b), a, b, reasons))
    pairs.sort(key=lambda pair: pair[0], reverse=True)
    used: set[int] = set()
    for _, id_a, id_b, a, b, reasons in pairs:
        if id_a not in used and id_b not in used:
            used |= {id_a, id_b}
            result.renamed.append((a, b, reasons))
    result.only_first = [entry for entry in left if id(entry) not in used]
    result.only_second = [entry for entry in right if id(entry) not in used]
    return result


def _score(a: names.Named, b: names.Named, reasons: list[str]) -> float:
    if names.comparison_key(a.name) == names.comparison_key(b.name):
        return 3.0
    return len(reasons) + names.similarity(a.name, b.name)


# --- Manifests ----------------------------------------------------------------------------


def read_manifest(path: Path) -> tuple[ListEntry, ...]:
    """Read the signatory lists recorded in a manifest.json written by 'generate'."""
    return manifest.read_file(path).signatories


def recorded_list(path: Path, lists: Sequence[ListEntry], name: str,
                  relative: str | None) -> ListEntry:
    """Pick the recorded list that matches a list file (by name, path, or the only one)."""
    for recorded in lists:
        if recorded.name == name or (relative and recorded.path == relative):
            return recorded
    if len(lists) == 1:
        return lists[0]
    used = ", ".join(recorded.name for recorded in lists) or "none"
    raise AdvocacyError.at(Place(path), f"the campaign did not use the list '{name}'; it used: "
                           f"{used}")
