"""Who represents a ZIP code: senators by state, the House member by district."""

from __future__ import annotations

from pathlib import Path

from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.typed import parse_model
from advocacy.models import Recipient, RecipientFile
from advocacy.recipients import districts
from advocacy.recipients.constituents import Delegation
from advocacy.recipients.records import recipients_document
from advocacy.usa import ALL as STATES
from advocacy.usa import TERRITORIES


def load_delegation(recipients: Path) -> Delegation:
    """Read the senate and house files a recipients folder holds."""
    records: list[Recipient] = []
    for name in ("us-senate.yaml", "us-house.yaml"):
        path = recipients / name
        if not path.is_file():
            raise AdvocacyError.at(Place(path), "missing; create it with 'advocacy recipients "
                                   "import'")
        problems: list[Problem] = []
        model = parse_model(RecipientFile, recipients_document(path), problems)
        if model is None:
            raise AdvocacyError.collect(problems)
        records += model.recipients
    return Delegation(records)


def lookup(zip_code: str, state: str | None, recipients: Path) -> list[str]:
    """Describe who represents a ZIP code, or the candidates when it is ambiguous.

    Finding nobody is an error (the command exits 1) that says why: the ZIP is not
    in the crosswalk, or it is, in another state than the one given.
    """
    if not (zip_code.isdigit() and len(zip_code) in (5, 9)):
        raise AdvocacyError(f"'{zip_code}' is not a ZIP code; give five digits, e.g. 55407")
    if state is not None and state.upper() not in STATES:
        raise AdvocacyError(f"unknown state '{state}'; use a two-letter code such as MN")
    crosswalk = districts.Crosswalk.load(recipients / districts.FILE_NAME)
    delegation = load_delegation(recipients)
    seats = everywhere = crosswalk.seats_of(zip_code)
    if state:
        seats = crosswalk.seats_in_state(zip_code, state.upper())
        if everywhere and not seats:
            found = ", ".join(sorted({seat[0] for seat in everywhere}))
            raise AdvocacyError(f"ZIP {zip_code[:5]} is in {found} according to the "
                                f"crosswalk, not in {state.upper()}; check the state and the "
                                "ZIP, or leave out --state")
        only = crosswalk.single_seat(state.upper())
        if not seats and only is not None:
            seats = (only,)  # an at-large state or territory: its one seat
    if not seats:
        where = f" in {state.upper()}" if state else ""
        raise AdvocacyError(f"ZIP {zip_code[:5]}{where} is not in the crosswalk (PO box or new "
                            "ZIP); give --state for an at-large state, or find the district "
                            "from the full address")
    lines = []
    states = sorted({seat[0] for seat in seats})
    if len(states) > 1:
        lines.append(f"ZIP {zip_code[:5]} crosses a state line ({', '.join(states)}); "
                     "give --state to choose")
    for current in states:
        in_state = [seat for seat in seats if seat[0] == current]
        names = ", ".join(districts.seat_name(seat) for seat in in_state)
        if len(in_state) > 1:
            lines.append(f"ZIP {zip_code[:5]} ({current}) spans {len(in_state)} districts: "
                         f"{names}; the full address decides which one")
        else:
            lines.append(f"ZIP {zip_code[:5]} ({current}): district {names}")
        if current in TERRITORIES:
            lines.append(f"  no senators ({current} is not a state)")
        for senator in delegation.senators.get(current, []):
            lines.append(f"  Senator {senator.name} ({senator.party})")
        for seat in in_state:
            member = delegation.members.get(seat)
            label = "Candidate: " if len(in_state) > 1 else ""
            if member is None:
                lines.append(f"  {label}{districts.seat_name(seat)}: vacant seat")
            else:
                title = "Representative" if member.kind == "representative" else member.title
                lines.append(f"  {label}{title} {member.name} ({member.party}), "
                             f"{districts.seat_name(seat)}")
    return lines
