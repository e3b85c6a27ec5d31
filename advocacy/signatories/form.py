"""Read a sign-up form export (CSV) and sort its rows: new, already listed, or near duplicates.

Google Forms, Excel and LibreOffice write the CSV (load.load_csv reads every
variant); the organiser maps the columns with options, or the usual column
names are recognised. Nothing here writes: the command shows the sorting and
adds the new rows only when told to.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from advocacy import load
from advocacy.errors import AdvocacyError, Place, Problem, display_path
from advocacy.models import Signatory
from advocacy.signatories import lists, names, review

# Column names recognised for each field, after simplify(): Google Forms uses the
# question as the column name, so the usual questions are here too.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "your_name", "signatory", "signatory_name",
             "organisation_name", "organization_name", "name_of_organisation",
             "name_of_organization", "name_of_your_organisation", "name_of_your_organization",
             "organisation", "organization", "group_name"),
    "short": ("short", "acronym", "abbreviation", "short_name", "organisation_acronym",
              "organization_acronym", "acronym_of_your_organisation",
              "acronym_of_your_organization"),
    "country": ("country", "country_code", "country_of_residence"),
    "contact": ("contact", "contact_email", "email", "email_address", "e_mail",
                "e_mail_address", "contact_person"),
    "title": ("title", "job_title", "position", "role"),
    "organisation": ("organisation", "organization", "affiliation"),
}
FIELDS = tuple(COLUMNS)


def simplify(header: str) -> str:
    """Reduce a column name to lowercase words: 'Acronym (if any)' becomes 'acronym'."""
    header = re.sub(r"\([^)]*\)", " ", header)
    return "_".join(re.findall(r"[^\W_]+", header.casefold()))


@dataclass(frozen=True)
class Row:
    """One row of the form, as a would-be entry."""

    line: int
    fields: dict[str, str]

    @property
    def name(self) -> str:
        """Return the name."""
        return self.fields["name"]

    @property
    def short(self) -> str | None:
        """Return the acronym, if any."""
        return self.fields.get("short")


@dataclass
class Sorting:
    """The rows of a form, sorted by what importing would do with them."""

    path: Path
    columns: dict[str, str]  # field -> column name as written in the file
    ignored: list[str]
    new: list[Row] = field(default_factory=list)
    present: list[tuple[Row, int, str]] = field(default_factory=list)  # entry index, note
    repeated: list[tuple[Row, int]] = field(default_factory=list)  # line of the first row
    # looks like: entry index (None: an earlier row), described, and why
    near: list[tuple[Row, int | None, str, list[str]]] = field(default_factory=list)


def read_form(path: Path, mapping: Mapping[str, str | None]) -> tuple[list[Row], dict[str, str],
                                                                     list[str]]:
    """Read a form's rows; return them, the columns used and the columns ignored."""
    table = load.load_csv(path)
    headers = dict(zip(table.columns, table.headers, strict=True))
    columns = _choose_columns(table, headers, mapping)
    problems: list[Problem] = []
    rows = []
    for record in table.rows:
        fields: dict[str, str] = {}
        for name, column in columns.items():
            value = " ".join(record.values.get(column, "").split())
            if name == "short":
                value = value.strip("()[] ")
            if name == "country" and value:
                code = lists.country_code(value)
                if code is None:
                    problems.append(Problem(Place(path, record.line), f"country '{value}' is "
                                            "not a country name or two-letter code; correct "
                                            "it or leave it empty"))
                value = code or value
            if value:
                fields[name] = value
        if "name" not in fields:
            problems.append(Problem(Place(path, record.line), f"no name in column "
                                    f"'{headers[columns['name']]}'; fill it in or delete the "
                                    "row"))
        rows.append(Row(record.line, fields))
    if problems:
        raise AdvocacyError.collect(problems)
    used = {headers[column] for column in columns.values()}
    ignored = [headers[column] for column in table.columns if headers[column] not in used]
    return rows, {name: headers[column] for name, column in columns.items()}, ignored


def _choose_columns(table: load.CsvTable, headers: Mapping[str, str],
                    mapping: Mapping[str, str | None]) -> dict[str, str]:
    """Pick the column of each field: given by an option, or recognised by its name."""
    chosen: dict[str, str] = {}
    for name, given in mapping.items():
        if given is None:
            continue
        wanted = {load.normalise_column(given), simplify(given)}
        column = next((c for c in table.columns if c in wanted or simplify(c) in wanted), None)
        if column is None:
            written = ", ".join(f"'{headers[c]}'" for c in table.columns)
            raise AdvocacyError.at(Place(table.path, 1), f"no column '{given}' in the header; "
                                   f"the columns are {written}")
        chosen[name] = column
    for name in FIELDS:
        if name in chosen:
            continue
        free = [c for c in table.columns if c not in chosen.values()]
        by_simple = {simplify(c): c for c in free}
        column = next((by_simple[a] for a in COLUMNS[name] if a in by_simple), None)
        if column is not None:
            chosen[name] = column
    if "name" not in chosen:
        written = ", ".join(f"'{headers[c]}'" for c in table.columns)
        raise AdvocacyError.at(Place(table.path, 1), "no column of names found; the columns "
                               f"are {written}. Say which one holds the names with "
                               "--name-column 'COLUMN'")
    if "organisation" in chosen and simplify(chosen["name"]) in COLUMNS["organisation"]:
        del chosen["organisation"]  # the organisations are the names themselves
    return chosen


def sort_rows(path: Path, rows: Sequence[Row], columns: dict[str, str], ignored: list[str],
              entries: Sequence[Signatory]) -> Sorting:
    """Sort rows into new, already on the list, repeated in the form, and near duplicates."""
    sorting = Sorting(path, columns, ignored)
    listed = {names.same_name_key(entry.name): index for index, entry in enumerate(entries)}
    for row in rows:
        key = names.same_name_key(row.name)
        if key in listed:
            entry = entries[listed[key]]
            notes = []
            if row.name != entry.name:
                notes.append(f"the list writes it {entry.name}")
            if row.short and names.acronym_key(row.short) != names.acronym_key(entry.short or ""):
                notes.append(f"the form gives the acronym {row.short}; the list keeps its own")
            note = "; ".join(notes)
            sorting.present.append((row, listed[key], note))
            continue
        earlier = next((r for r in sorting.new if names.same_name_key(r.name) == key), None)
        if earlier is not None:
            sorting.repeated.append((row, earlier.line))
            continue
        alike = _most_alike(row, entries, sorting.new)
        if alike is not None:
            sorting.near.append((row, *alike))
        else:
            sorting.new.append(row)
    return sorting


def _most_alike(row: Row, entries: Sequence[Signatory],
                new: Sequence[Row]) -> tuple[int | None, str, list[str]] | None:
    """Find the entry (or earlier new row) a row looks like, and say why."""
    for index, entry in enumerate(entries):
        reasons = names.looks_alike(entry, row)
        if reasons:
            return index, f"entry {index + 1}, {review.shown(entry)}", reasons
    for other in new:
        reasons = names.looks_alike(other, row)
        if reasons:
            return None, f"row {other.line}, {other.name}", reasons
    return None


def report(sorting: Sorting, entries: Sequence[Signatory], list_name: str,
           rows: int) -> list[str]:
    """Say what importing a form would do with each row, with the command for each doubt."""
    shown = review.shown
    columns = ", ".join(f"{name} = '{header}'" for name, header in sorting.columns.items())
    ignored = f"; ignored: {', '.join(repr(h) for h in sorting.ignored)}" if sorting.ignored \
        else ""
    counted = f"{rows} row" if rows == 1 else f"{rows} rows"
    report = [f"{display_path(sorting.path)}: {counted}; columns: {columns}{ignored}"]
    to_add = []
    for row in sorting.new:
        to_add.append(f"  + {shown(row)}  [row {row.line}]")
        to_add += review.case_advice(row.name, list_name, "      ")
    sections: list[tuple[str, int, list[str]]] = [  # title, rows, lines
        ("To add", len(sorting.new), to_add),
        ("Already on the list", len(sorting.present), [
            f"  = {shown(row)}  [row {row.line}, entry {index + 1}]"
            + (f"; {note}" if note else "") for row, index, note in sorting.present]),
        ("Repeated in the form", len(sorting.repeated),
         [f"  = {shown(row)}  [row {row.line}, as row {first}]"
          for row, first in sorting.repeated]),
    ]
    near = []
    for row, index, like, reasons in sorting.near:
        near.append(f"  ? {shown(row)}  [row {row.line}]")
        near.append(f"      looks like {like}: {'; '.join(reasons)}")
        if index is not None:
            old = entries[index].short or entries[index].name
            near.append(f"      same organisation, new name? advocacy signatories rename "
                        f"{shlex.quote(list_name)} {shlex.quote(old)} {shlex.quote(row.name)}")
        near.append(f"      another organisation? advocacy signatories add "
                    f"{shlex.quote(list_name)} {shlex.quote(row.name)} --force")
    sections.append(("Near duplicates, not added", len(sorting.near), near))
    for title, count, lines in sections:
        if lines:
            report.append(f"{title} ({count}):")
            report.extend(lines)
    return report
