"""Read data/un-bodies/: the membership of UN bodies by year, and the UN's observer states.

Each file was transcribed from public sources, which it names with the date they
were checked. The import checks every file (its count, no state twice, every
state a UN member state) and writes them, with the UN member states of the New
York data, into the project's recipients/un-bodies.yaml (advocacy/recipients/bodies.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from pydantic import Field

from advocacy import load
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.typed import parse_model
from advocacy.models import CountryCode, Model
from advocacy.recipients.bodies import BodiesFile, Body

FOLDER = "un-bodies"
OBSERVERS = "observer-states.yaml"


class _Sourced(Model):
    """What every data file says of its origin."""

    source: str = Field(description="The main source (a URL).")
    sources: list[str] = Field([], description="Every source read.")
    checked: datetime.date = Field(description="When the sources were read.")
    notes: list[str] = Field([], description="How the list was read from them.")


class _State(Model):
    country: CountryCode
    name: str = Field(description="As the source writes it.")
    group: str | None = Field(None, description="The UN regional group.")
    term: str | None = Field(None, description="The term that covers the year, e.g. 2021-2023.")
    since: str | None = Field(None, description="An observer state's status since when.")


class ObserverStates(_Sourced):
    """data/un-bodies/observer-states.yaml."""

    states: list[_State]


class _Change(_State):
    date: datetime.date
    event: str
    source: str


class Membership(_Sourced):
    """data/un-bodies/BODY-YEAR.yaml: a body's members in a year."""

    body: str = Field(pattern=r"^[a-z][a-z0-9]*$")
    year: int
    name: str
    count: int
    groups: dict[str, int] = Field({}, description="Seats by regional group.")
    caveats: list[str] = Field([], description="What the sources could not confirm.")
    changes: list[_Change] = Field([], description="Changes of membership during the year.")
    members: list[_State]


def files(source: Path) -> list[Path]:
    """List the data files of the UN bodies folder (observer states first)."""
    folder = source / FOLDER
    bodies = sorted(path for path in folder.glob("*.yaml") if path.name != OBSERVERS)
    return [folder / OBSERVERS, *bodies]


def read(source: Path, un_member_states: list[str], root: Path | None = None
         ) -> tuple[BodiesFile, list[Record]]:
    """Read and check the folder; return the project file's model and the observer states.

    ``root``: the project folder the files must stay in (None: the package's or a folder
    the user named).
    """
    problems: list[Problem] = []
    observers_path, *body_paths = files(source)
    observers = _parse(ObserverStates, observers_path, problems, root)
    bodies: dict[str, Body] = {}
    for path in body_paths:
        membership = _parse(Membership, path, problems, root)
        if membership is not None:
            problems += _check(path, membership, set(un_member_states))
            bodies[f"{membership.body}-{membership.year}"] = _body(membership)
    if problems or observers is None:
        raise AdvocacyError.collect(problems)
    model = BodiesFile(un_member_states=un_member_states,
                       observer_states=[state.country for state in observers.states],
                       bodies=bodies)
    return model, [state.model_dump() for state in observers.states]


Record = dict[str, Any]


def _parse(model: type[Any], path: Path, problems: list[Problem], root: Path | None) -> Any:
    try:
        document = load.load_mapping(path, root=root)
    except AdvocacyError as error:
        problems += error.problems
        return None
    return parse_model(model, document, problems)


def _check(path: Path, membership: Membership, states: set[str]) -> list[Problem]:
    """Refuse a membership list that contradicts itself or names a state that is no member."""
    codes = [member.country for member in membership.members]
    problems = []
    if len(codes) != membership.count:
        problems.append(f"lists {len(codes)} members, and says 'count: {membership.count}'")
    problems += [f"{code} is listed twice" for code in sorted(set(codes))
                 if codes.count(code) > 1]
    problems += [f"{code} is not a UN member state" for code in codes if code not in states]
    seats = {group: [m.group for m in membership.members].count(group)
             for group in membership.groups}
    problems += [f"lists {seats[group]} members of the group {group}, and says {count}"
                 for group, count in membership.groups.items() if seats[group] != count]
    return [Problem(Place(path), message) for message in problems]


def _body(membership: Membership) -> Body:
    return Body(
        name=membership.name, year=membership.year, source=membership.source,
        sources=membership.sources, checked=membership.checked, caveats=membership.caveats,
        changes=[f"{change.date.isoformat()}: {change.name} ({change.country}) {change.event}"
                 for change in membership.changes],
        members=[member.country for member in membership.members],
    )
