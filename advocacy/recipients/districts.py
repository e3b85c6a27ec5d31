"""ZIP code to congressional district, from the crosswalk in recipients/us-zip-districts.csv."""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from advocacy import load
from advocacy.errors import AdvocacyError, Place, shorten
from advocacy.usa import TERRITORIES

FILE_NAME = "us-zip-districts.csv"
Seat = tuple[str, int]  # (state, district); district 0 is at-large


@dataclass(frozen=True)
class Crosswalk:
    """Which House seats each ZIP code (ZCTA) lies in."""

    by_zip: dict[str, tuple[Seat, ...]]
    seats: frozenset[Seat]
    by_zip_and_state: dict[tuple[str, str], tuple[Seat, ...]]
    single: dict[str, Seat]  # state -> its one seat, for at-large states and territories

    @classmethod
    def load(cls, path: Path, root: Path | None = None) -> Crosswalk:
        """Read the crosswalk; lines starting with '#' are comments.

        ``root``: the project folder the file must stay in (see files.open_checked).
        """
        by_zip: dict[str, list[Seat]] = defaultdict(list)
        if not os.path.lexists(path):
            raise AdvocacyError.at(Place(path), "the ZIP crosswalk is missing; create it with "
                                   "'advocacy recipients import'")
        text = load.read_text(path, load.MAX_CSV_BYTES, root)
        try:
            rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
            header = next(rows, None)
            if header != ["zip", "state", "district"]:
                raise AdvocacyError.at(Place(path), "expected the columns zip,state,district;"
                                       " re-create it with 'advocacy recipients import'")
            for zip_code, state, district in rows:
                if not (district.isascii() and district.isdigit() and len(district) <= 3):
                    raise ValueError(f"'{shorten(district)}' is not a district number")
                by_zip[zip_code].append((state, int(district)))
        except (ValueError, csv.Error) as error:
            raise AdvocacyError.at(Place(path), f"not a valid crosswalk: {error}") from None
        seats = {seat for found in by_zip.values() for seat in found}
        # Guam, the Virgin Islands, American Samoa and the Northern Mariana Islands are
        # not in the crosswalk, but each has one at-large seat.
        seats |= {(state, 0) for state in TERRITORIES}
        by_zip_and_state: dict[tuple[str, str], list[Seat]] = defaultdict(list)
        for zip_code, found in by_zip.items():
            for seat in found:
                by_zip_and_state[(zip_code, seat[0])].append(seat)
        per_state: dict[str, list[Seat]] = defaultdict(list)
        for seat in seats:
            per_state[seat[0]].append(seat)
        return cls(
            {z: tuple(sorted(s)) for z, s in by_zip.items()}, frozenset(seats),
            {key: tuple(sorted(s)) for key, s in by_zip_and_state.items()},
            {state: found[0] for state, found in per_state.items() if len(found) == 1},
        )

    def seats_of(self, zip_code: str) -> tuple[Seat, ...]:
        """Return the seats a ZIP code lies in (several when it is split), or ()."""
        return self.by_zip.get(zip_code[:5], ())

    def seats_in_state(self, zip_code: str, state: str) -> tuple[Seat, ...]:
        """Return the seats of one state a ZIP code lies in."""
        return self.by_zip_and_state.get((zip_code[:5], state), ())

    def single_seat(self, state: str) -> Seat | None:
        """Return the only seat of an at-large state or territory, else None."""
        return self.single.get(state)


def seat_name(seat: Seat) -> str:
    """Write a seat as 'MA-7', or 'AK-AL' for an at-large seat."""
    return f"{seat[0]}-{seat[1] if seat[1] else 'AL'}"
