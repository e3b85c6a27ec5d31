"""Read a campaign's recipient sources: a recipients file, optionally completed by overrides."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advocacy import load
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.typed import parse_model
from advocacy.models import Recipient, RecipientFile, RecipientSource
from advocacy.project import Project, UnknownName


@dataclass(frozen=True)
class RecipientRecords:
    """The records one campaign source draws from, overrides applied, with their places."""

    source: RecipientSource
    path: Path
    records: tuple[Recipient, ...]
    places: tuple[Place, ...]
    overrides: Path | None = None


def records_of_source(
    project: Project, source: RecipientSource, place: Place, problems: list[Problem]
) -> RecipientRecords | None:
    """Load a source's recipients file and apply its overrides file; record problems."""
    try:
        path = project.find("recipients", source.source)
        document = recipients_document(path, project.root)
    except UnknownName as error:
        problems.append(Problem(place, str(error), "recipients.from"))
        return None
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    model = parse_model(RecipientFile, document, problems)
    if model is None:
        return None
    records = list(model.recipients)
    places = [document.place(("recipients", i)) for i in range(len(records))]
    _check_unique_ids(records, places, problems)
    overrides_path = None
    if source.overrides:
        try:
            overrides_path = project.find("recipients", source.overrides)
            _apply_overrides(overrides_path, project.root, records, places, problems)
        except UnknownName as error:
            problems.append(Problem(place, str(error), "recipients.overrides"))
        except AdvocacyError as error:
            problems.extend(error.problems)
    return RecipientRecords(source, path, tuple(records), tuple(places), overrides_path)


def _check_unique_ids(records: list[Recipient], places: list[Place],
                      problems: list[Problem]) -> None:
    seen: set[str] = set()
    for record, place in zip(records, places, strict=True):
        if record.id in seen:
            problems.append(Problem(place, f"id '{record.id}' is used twice; ids must be "
                                    "unique", "recipients.id"))
        seen.add(record.id)


def _apply_overrides(path: Path, root: Path, records: list[Recipient], places: list[Place],
                     problems: list[Problem]) -> None:
    """Replace fields of records by those of the override entries with the same id."""
    document = load.load_mapping(path, root=root)
    entries = document.data.get("recipients")
    if not isinstance(entries, list):
        raise AdvocacyError.at(document.place(()), "expected a 'recipients:' list of entries, "
                               "each with the id of the record it changes")
    index = {record.id: i for i, record in enumerate(records)}
    known = list(Recipient.model_fields)
    for number, entry in enumerate(entries):
        place = document.place(("recipients", number))
        if not isinstance(entry, dict) or "id" not in entry:
            problems.append(Problem(place, "each entry needs the 'id' of the record it changes"))
            continue
        target = index.get(str(entry["id"]))
        if target is None:
            close = difflib.get_close_matches(str(entry["id"]), list(index), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(place, f"no record with id '{entry['id']}' to override"
                                    f"{hint}", "recipients.id"))
            continue
        unknown = [key for key in entry if key not in known]
        if unknown:
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(document.place(("recipients", number, unknown[0])),
                                    f"unknown key '{unknown[0]}'{hint}", "recipients"))
            continue
        merged = {**records[target].model_dump(exclude_none=True), **entry}
        try:
            records[target] = Recipient.model_validate(merged)
        except ValidationError as error:
            detail = error.errors()[0]
            problems.append(Problem(place, f"{'.'.join(map(str, detail['loc']))}: "
                                    f"{detail['msg']}", "recipients"))
            continue
        places[target] = place


def recipients_document(path: Path, root: Path | None = None) -> load.Document:
    """Read a recipients file; a CSV becomes the same shape as the YAML form.

    ``root``: the project folder the file must stay in (see files.open_checked).
    """
    if path.suffix != ".csv":
        return load.load_mapping(path, root=root)
    table = load.load_csv(path, root)
    rows: list[dict[str, Any]] = []
    document = load.Document(path, {"recipients": rows}, {(): (1, 1)})
    for index, row in enumerate(table.rows):
        record: dict[str, Any] = {}
        for column, value in row.values.items():
            if not value:
                continue
            if column in ("address", "committees", "address_block"):
                record[column] = [part.strip() for part in value.replace(";", "\n").splitlines()]
            else:
                record[column] = value
        rows.append(record)
        document.marks[("recipients", index)] = (row.line, 1)
        for column in record:
            document.marks[("recipients", index, column)] = (row.line, 1)
    return document
