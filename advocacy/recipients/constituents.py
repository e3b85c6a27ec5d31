"""Constituents (a campaign's senders) and the legislators each of them writes to.

Every case the ZIP crosswalk cannot settle is reported, never guessed: the
letters that can be written are written, the rest become "needs attention"
items that say what to add (for example a district column).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advocacy import load
from advocacy.errors import AdvocacyError, Attention, Place, Problem, shorten
from advocacy.models import Recipient, Sender
from advocacy.recipients.districts import Crosswalk, Seat, seat_name
from advocacy.usa import ALL as STATES
from advocacy.usa import TERRITORIES

# Column names a spreadsheet may use for each field, after normalisation.
COLUMNS = {
    "name": ("name", "full_name", "your_name"),
    "street": ("street", "address", "street_address", "address_line_1"),
    "city": ("city", "town"),
    "state": ("state", "st"),
    "zip": ("zip", "zip_code", "zipcode", "postal_code"),
    "district": ("district", "congressional_district", "cd"),
    "email": ("email", "email_address", "e_mail"),
}
REQUIRED = ("name", "street", "city", "state", "zip")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
MAX_DISTRICT_DIGITS = 3  # the largest state has 52 districts


@dataclass(frozen=True)
class Constituent:
    """One row of a senders file: a person who signs letters to their own legislators."""

    place: Place  # the row of the senders file, for messages
    name: str
    street: str
    city: str
    state: str
    zip: str
    district: int | None = None
    email: str | None = None

    def sender(self) -> Sender:
        """Return the constituent as the sender of their letters (name, address lines, email)."""
        # A spreadsheet cell may hold a street on two lines (Alt+Enter): keep them as lines.
        streets = [line.strip() for line in self.street.splitlines() if line.strip()]
        return Sender(name=self.name, address=[*streets, f"{self.city}, {self.state} {self.zip}"],
                      email=self.email)


def load_senders(path: Path, root: Path | None = None) -> list[Constituent]:
    """Read a senders file (CSV as spreadsheets export it, or YAML); report every bad row.

    ``root``: the project folder the file must stay in (see files.open_checked).
    """
    rows: list[tuple[Place, dict[str, Any]]]
    if path.suffix == ".csv":
        table = load.load_csv(path, root)
        mapping = _column_mapping(table)
        if any(field != column for field, column in mapping.items()):
            rows = [(Place(path, row.line), {field: row.values.get(column, "")
                                             for field, column in mapping.items()})
                    for row in table.rows]
        else:  # the usual case: columns already named as the fields
            rows = [(Place(path, row.line), row.values) for row in table.rows]
    else:
        document = load.load_mapping(path, root=root)
        senders = document.data.get("senders")
        if not isinstance(senders, list):
            raise AdvocacyError.at(document.place(()), "expected a 'senders:' list of rows")
        rows = [(document.place(("senders", i)), row if isinstance(row, dict) else {})
                for i, row in enumerate(senders)]
    problems: list[Problem] = []
    constituents = [c for c in (_constituent(place, row, problems) for place, row in rows) if c]
    if problems:
        raise AdvocacyError.collect(problems)
    if not constituents:
        raise AdvocacyError.at(Place(path), "has no senders; add one row per constituent")
    return constituents


def _column_mapping(table: load.CsvTable) -> dict[str, str]:
    mapping = {}
    for field, names in COLUMNS.items():
        found = next((name for name in names if name in table.columns), None)
        if found:
            mapping[field] = found
        elif field in REQUIRED:
            raise AdvocacyError.at(Place(table.path, 1), f"missing column '{field}' (also "
                                   f"recognised: {', '.join(names[1:])})")
    return mapping


def _constituent(place: Place, row: dict[str, Any], problems: list[Problem]) -> Constituent | None:
    values = {key: value if type(value) is str else str(value).strip()
              for key, value in row.items() if value is not None}
    missing = [field for field in REQUIRED if not values.get(field)]
    if missing:
        problems.append(Problem(place, f"missing {', '.join(missing)}; every sender needs a "
                                "name, street, city, state and ZIP"))
        return None
    state = values["state"].upper()
    if state not in STATES:
        problems.append(Problem(place, f"unknown state '{values['state']}'; use a two-letter "
                                "code such as MN"))
        return None
    zip_code = values["zip"].zfill(5) if values["zip"].isdigit() else values["zip"]
    if not _ZIP.match(zip_code):
        problems.append(Problem(place, f"'{values['zip']}' is not a ZIP code (12345 or "
                                "12345-6789)"))
        return None
    district = None
    if values.get("district"):
        text = values["district"].upper().removeprefix(f"{state}-").removeprefix(state)
        if text in ("AL", "AT-LARGE", "0"):
            district = 0
        elif text.isascii() and text.isdigit() and len(text) <= MAX_DISTRICT_DIGITS:
            district = int(text)
        else:  # not '²' (a digit to isdigit, not to int), nor 5,000 digits (too long for int)
            what = "a district number" if text.isascii() and text.isdigit() else "a number"
            problems.append(Problem(place, f"district '{shorten(values['district'])}' is not "
                                    f"{what}"))
            return None
    name = " ".join(values["name"].split())  # a name is one line, even if a cell held two
    return Constituent(place, name, values["street"], values["city"], state,
                       zip_code, district, values.get("email") or None)


class Delegation:
    """The legislators of a campaign's recipient files, by state and by House seat."""

    def __init__(self, records: Iterable[Recipient]) -> None:
        self.senators: dict[str, list[Recipient]] = defaultdict(list)
        self.members: dict[Seat, Recipient] = {}
        for record in records:
            if record.kind == "senator" and record.state:
                self.senators[record.state].append(record)
            elif record.kind in ("representative", "delegate") and record.state:
                self.members[(record.state, record.district or 0)] = record


def match(
    constituent: Constituent, delegation: Delegation, crosswalk: Crosswalk,
    chambers: tuple[str, ...],
) -> tuple[list[Recipient], list[Attention]]:
    """Return the legislators a constituent writes to, and what needs a person's attention."""
    recipients: list[Recipient] = []
    notes: list[Attention] = []

    def attention(issue: str, action: str) -> None:
        notes.append(Attention(constituent.place, constituent.name, issue, action))

    state = constituent.state
    in_state = crosswalk.seats_in_state(constituent.zip, state)
    if not in_state and constituent.district is None and crosswalk.seats_of(constituent.zip):
        states = "/".join(sorted({s for s, _ in crosswalk.seats_of(constituent.zip)}))
        attention(f"ZIP {constituent.zip[:5]} is in {states} according to the crosswalk, "
                  f"not in {state}; no letters written",
                  "check the state and ZIP columns of this row")
        return recipients, notes
    if "senate" in chambers:
        if state in TERRITORIES:
            attention(f"{state} has no senators; only its non-voting member of the House "
                      "gets a letter", "nothing to do (no senators to write to)")
        else:
            recipients += delegation.senators.get(state, [])
    if "house" in chambers:
        seat = _seat(constituent, in_state, crosswalk, attention)
        if seat is not None:
            member = delegation.members.get(seat)
            if member is not None:
                recipients.append(member)
            else:
                attention(f"the seat {seat_name(seat)} is vacant (no member in the data); "
                          "no House letter written",
                          "write again when the seat is filled and the data imported")
    return recipients, notes


def _seat(constituent: Constituent, in_state: tuple[Seat, ...], crosswalk: Crosswalk,
          attention: Any) -> Seat | None:
    """Find the constituent's House seat, or report why it cannot be known."""
    state = constituent.state
    if constituent.district is not None:
        seat = (state, constituent.district)
        if seat not in crosswalk.seats:
            attention(f"district {seat_name(seat)} does not exist; no House letter written",
                      "correct the district column")
            return None
        if in_state and seat not in in_state:
            names = ", ".join(seat_name(seat) for seat in in_state)
            attention(f"district {seat_name(seat)} contradicts ZIP {constituent.zip[:5]}, which "
                      f"the crosswalk puts in {names}; no House letter written",
                      "check the district and ZIP columns of this row")
            return None
        return seat
    if len(in_state) == 1:
        return in_state[0]
    if in_state:
        names = ", ".join(seat_name(seat) for seat in in_state)
        attention(f"ZIP {constituent.zip[:5]} spans the districts {names}; no House letter "
                  "written", "add a district column with this constituent's district")
        return None
    only = crosswalk.single_seat(state)
    if only is not None:
        return only  # an at-large state or a territory: one seat, no guess involved
    attention(f"ZIP {constituent.zip[:5]} is not in the crosswalk (PO box or new ZIP); "
              "no House letter written", "add a district column with this constituent's "
              "district")
    return None
