"""What a signatory list means: the rules it must follow and the form in which it prints.

Used by validation (the rules), composition (the printed form), the manifest
(which entries a campaign's letters carried) and the ``advocacy signatories``
commands. The rules here are the ones that stop a letter; the softer warnings
(near duplicates, clashing acronyms) are in ``signatory_review.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from advocacy import addressing, files, i18n
from advocacy import images as image_checks
from advocacy.errors import AdvocacyError, Problem
from advocacy.load import Document, load_mapping
from advocacy.load.typed import parse_model
from advocacy.manifest import ListEntry, RecordedSignatory
from advocacy.models import Signatory, SignatoryList
from advocacy.signatories import names

IMAGE_TYPES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
KIND_HEADINGS = {"organisation": "Organizations", "person": "Individuals"}
OTHER = "other"  # the group of entries without a country
OTHER_HEADING = "Other"


@cache
def _territories() -> dict[str, str]:
    """Return every two-letter country code with its English name (loaded on first use)."""
    return {code: str(name) for code, name in Locale("en").territories.items()
            if len(code) == 2 and code != "ZZ"}  # ZZ: "Unknown Region"


@dataclass(frozen=True)
class SignatoryEntry:
    """One entry as printed."""

    text: str  # "Name (SHORT)", or "Name, Title, Organisation" for people
    signature: str | None  # file URI of the signature image printed above the name
    name: str = ""  # the name alone (the signature image's alternative text names it)

    def __str__(self) -> str:
        """Print as the text, so templates written for plain-text entries still work."""
        return self.text


@dataclass(frozen=True)
class SignatoryGroup:
    """Entries printed under one heading (a country, or organisations / individuals)."""

    heading: str | None  # None when the list is not grouped
    entries: list[SignatoryEntry]


@dataclass(frozen=True)
class SignatoryView:
    """A signatory list as printed."""

    heading: str | None
    numbered: bool
    groups: list[SignatoryGroup]  # one group without a heading when the list is not grouped
    colon: str = ":"  # after the heading: in the heading's language, not always the letter's

    @property
    def entries(self) -> list[SignatoryEntry]:
        """Return every entry, in printed order."""
        return [entry for group in self.groups for entry in group.entries]


# --- The rules ------------------------------------------------------------------------------


def check_list(document: Document, model: SignatoryList, root: Path) -> list[Problem]:
    """Return what stops a list from printing: duplicates, unknown countries, bad images."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, signatory in enumerate(model.signatories):
        place = document.place(("signatories", index))
        key = names.same_name_key(signatory.name)
        if key in seen:
            first = seen[key]
            problems.append(Problem(
                place, f"'{signatory.name}' is listed twice (also entry {first + 1}, line "
                f"{document.place(('signatories', first)).line}); remove one", "signatories"))
        seen.setdefault(key, index)
        if signatory.country is not None and not is_country(signatory.country):
            problems.append(Problem(
                document.place(("signatories", index, "country")),
                f"unknown country code '{signatory.country}'; use a two-letter code such as "
                "KH or US", "signatories.country"))
        if signatory.signature is not None:
            problem = _check_image(document.path, root, signatory.signature)
            if problem:
                problems.append(Problem(document.place(("signatories", index, "signature")),
                                        problem, "signatories.signature"))
    problems += _check_groups(document, model)
    return problems


def is_country(code: str) -> bool:
    """Tell whether a text is a two-letter country code (ISO 3166), in any case."""
    return len(code) == 2 and code.isalpha() and code.upper() in _territories()


def country_code(text: str) -> str | None:
    """Return the code of a country written as a code or as its English name, else None."""
    if is_country(text):
        return text.upper()
    wanted = names.comparison_key(text)
    for code, name in _territories().items():
        if names.comparison_key(name) == wanted:
            return str(code)
    return None


def _check_groups(document: Document, model: SignatoryList) -> list[Problem]:
    if not model.groups:
        return []
    if model.group_by is None:
        return [Problem(document.place(("groups",)), "headings given but the list is not "
                        "grouped; add 'group_by: country' or 'group_by: kind'", "groups")]
    allowed = KIND_HEADINGS if model.group_by == "kind" else None
    problems = []
    for key in model.groups:
        if allowed is not None and key not in allowed:
            message = f"unknown group '{key}'; with group_by: kind use organisation or person"
        elif allowed is None and key != OTHER and not is_country(key):
            message = (f"unknown group '{key}'; with group_by: country use two-letter country "
                       f"codes, or '{OTHER}' for entries without a country")
        else:
            continue
        problems.append(Problem(document.place(("groups", key)), message, "groups"))
    return problems


def signature_path(list_path: Path, signature: str) -> Path:
    """Return the signature image an entry names: relative to the list file's folder."""
    return Path(os.path.realpath(list_path.parent / signature))


def _check_image(list_path: Path, root: Path, signature: str) -> str | None:
    """Read a signature image through the checked opener and decode it (advocacy/images.py)."""
    path = signature_path(list_path, signature)
    if not path.is_relative_to(Path(os.path.realpath(root))):
        return (f"'{signature}' is outside the project folder; put the image inside it, "
                "for example in signatories/signatures/")
    magic = IMAGE_TYPES.get(path.suffix.lower())
    if magic is None:
        return f"'{signature}' is not a PNG or JPEG file; save the signature as .png or .jpg"
    if not os.path.lexists(path):
        return f"no file '{signature}' next to the list; the path is relative to the list file"
    try:
        data = files.read_checked(path, image_checks.MAX_IMAGE_BYTES, root)
    except AdvocacyError as error:  # a pipe, a device, a folder, too big: say it of the entry
        return f"'{signature}' {error.problems[0].message if error.problems else error}"
    if not data.startswith(magic):
        return f"'{signature}' is not a {path.suffix.lstrip('.').upper()} image"
    found = image_checks.problem(path.suffix, data)
    return f"'{signature}' {found}" if found else None


def images(path: Path, model: SignatoryList) -> tuple[Path, ...]:
    """Return the signature images of a list, as real paths."""
    return tuple(signature_path(path, s.signature) for s in model.signatories if s.signature)


# --- The printed form -----------------------------------------------------------------------


def entry_text(signatory: Signatory) -> str:
    """Return an entry as printed: 'Name (SHORT)' or 'Name, Title, Organisation'."""
    if signatory.short:
        return f"{signatory.name} ({signatory.short})"
    parts = [signatory.name, signatory.title, signatory.organisation]
    return ", ".join(part for part in parts if part)


def printed(model: SignatoryList, path: Path, language: str = "en") -> SignatoryView:
    """Build the printed form of a list: sorted as set, grouped under headings as set."""
    entries = list(model.signatories)
    heading = model.headings.get(language, model.heading)
    if model.sort == "alphabetical":
        entries.sort(key=lambda s: names.sort_key(s.name))
    if model.group_by is None:
        return SignatoryView(heading, model.numbered, [_group(None, entries, path)],
                             _colon(heading, language))
    grouped: dict[str, list[Signatory]] = {}
    for signatory in entries:
        grouped.setdefault(group_key(model, signatory), []).append(signatory)
    headings = {key: model.groups.get(key) or _default_heading(key, language) for key in grouped}
    order = [key for key in model.groups if key in grouped]
    rest = [key for key in grouped if key not in order]
    if model.group_by == "kind":
        rest.sort(key=list(KIND_HEADINGS).index)
    else:
        if model.sort == "alphabetical":
            rest.sort(key=lambda key: names.sort_key(headings[key]))
        rest.sort(key=lambda key: key == OTHER)  # entries without a country come last
    groups = [_group(headings[key], grouped[key], path) for key in order + rest]
    return SignatoryView(heading, model.numbered, groups, _colon(heading, language))


def _colon(heading: str | None, language: str) -> str:
    """Return the colon that ends a heading: an English heading in a Khmer letter takes ':'."""
    return i18n.words(i18n.text_language(heading or "", language))["colon"]


def group_key(model: SignatoryList, signatory: Signatory) -> str:
    """Return the group an entry prints under: a country code, 'other', or its kind."""
    if model.group_by == "kind":
        return "person" if signatory.is_person else "organisation"
    return signatory.country.upper() if signatory.country else OTHER


def _default_heading(key: str, language: str) -> str:
    if key in KIND_HEADINGS:
        return KIND_HEADINGS[key]
    if key == OTHER:
        return OTHER_HEADING
    try:
        return addressing.country_name(key, language)
    except (UnknownLocaleError, ValueError):
        return _territories().get(key, key)


def _group(heading: str | None, entries: Iterable[Signatory], path: Path) -> SignatoryGroup:
    return SignatoryGroup(heading, [
        SignatoryEntry(entry_text(s),
                       signature_path(path, s.signature).as_uri() if s.signature else None,
                       s.name)
        for s in entries
    ])


# --- The manifest ---------------------------------------------------------------------------


def manifest_record(name: str, path: Path, model: SignatoryList, root: Path) -> ListEntry:
    """Describe the list a campaign used, so a later diff can say who joined or left.

    Contacts are left out: a manifest travels with the letters, contacts stay with
    the organisers.
    """
    return ListEntry(
        name=name,
        path=path.resolve().relative_to(root.resolve()).as_posix(),
        sha256=files.sha256_checked(path, root),
        entries=tuple(RecordedSignatory(name=s.name, short=s.short) for s in model.signatories),
    )


# --- Reading a list file ------------------------------------------------------------------


@dataclass(frozen=True)
class Signatories:
    """A signatory list file."""

    name: str
    path: Path
    model: SignatoryList
    images: tuple[Path, ...] = ()  # signature images, printed above names
    document: Document | None = None  # where each entry is, for messages


def require_signatories(path: Path, root: Path, text: str | None = None) -> Signatories:
    """Load and check one signatory list (or its text); raise all that stops it together."""
    problems: list[Problem] = []
    signatories = read_signatories(path, root, problems, text=text)
    if signatories is None:
        raise AdvocacyError.collect(problems)
    return signatories


def read_signatories(
    path: Path, root: Path, problems: list[Problem], name: str | None = None,
    text: str | None = None,
) -> Signatories | None:
    """Load and check one signatory list file (or its text), adding problems to problems."""
    try:
        document = load_mapping(path, text, root=root)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    model = parse_model(SignatoryList, document, problems)
    if model is None:
        return None
    found = check_list(document, model, root)
    problems.extend(found)
    if found:
        return None
    list_name = name or path.name.removesuffix(".yaml").removesuffix(".yml")
    return Signatories(list_name, path, model, images(path, model), document)
