"""UN bodies by year: who is a member, who an observer (``recipients/un-bodies.yaml``).

``advocacy recipients import`` writes the file from ``data/un-bodies/`` (each list
with its sources and the date it was checked) and the list of UN member states.
A campaign selects missions with ``where: {member_of: hrc-2023}`` or
``{observer_of: hrc-2023}``: the observers of a body are the UN member states that
are not members that year, and the non-member observer states (Holy See, State of
Palestine). A record belongs to a state by its ``member_state`` (the state a
mission represents), never by its postal country.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from advocacy import load
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.typed import parse_model
from advocacy.models import CountryCode, Model, Recipient, Selector

FILE_NAME = "un-bodies.yaml"


class Body(Model):
    """One UN body in one year: its members, and where that list comes from."""

    name: str = Field(description="The body's name, e.g. 'Human Rights Council'.")
    year: int
    source: str = Field(description="The main source of the list (a URL).")
    sources: list[str] = Field([], description="Every source read for the list.")
    checked: datetime.date = Field(description="When the list was checked against them.")
    caveats: list[str] = Field([], description="What the sources could not confirm.")
    changes: list[str] = Field([], description="Changes of membership during the year.")
    members: list[CountryCode] = Field(description="Member states (ISO codes) on 1 January.")


class BodiesFile(Model):
    """The project's file of UN bodies."""

    un_member_states: list[CountryCode] = Field(description="The 193 UN member states.")
    observer_states: list[CountryCode] = Field(
        description="The UN's non-member observer states (Holy See, State of Palestine).")
    bodies: dict[str, Body] = Field(description="By key: body and year, e.g. hrc-2023.")


@dataclass(frozen=True)
class Bodies:
    """The UN bodies a campaign's selectors may name, read from the project."""

    path: Path
    model: BodiesFile

    @property
    def known(self) -> list[str]:
        """List the body keys the file holds, e.g. ['hrc-2021', ...]."""
        return sorted(self.model.bodies)

    def members(self, key: str) -> frozenset[str]:
        """Return the member states of a body in a year."""
        return frozenset(self.model.bodies[key].members)

    def observers(self, key: str) -> frozenset[str]:
        """Return its observer states: the other UN member states, and the observer states."""
        states = set(self.model.un_member_states) | set(self.model.observer_states)
        return frozenset(states - self.members(key))

    def selects(self, where: Selector, record: Recipient) -> bool:
        """Tell whether a record matches the selector's member_of and observer_of."""
        state = (record.member_state or "").upper()
        if where.member_of is not None and not any(
                state in self.members(key) for key in where.member_of):
            return False
        return where.observer_of is None or any(
            state in self.observers(key) for key in where.observer_of)


def load_bodies(recipients: Path, root: Path, place: Place) -> Bodies:
    """Read recipients/un-bodies.yaml; ``place`` is the selector that needs it (for messages)."""
    path = recipients / FILE_NAME
    if not path.exists() and not path.is_symlink():
        raise AdvocacyError.at(place, f"no recipients/{FILE_NAME}, which says who belongs to "
                               "which UN body; run 'advocacy recipients import' to write it")
    document = load.load_mapping(path, root=root)
    problems: list[Problem] = []
    model = parse_model(BodiesFile, document, problems)
    if model is None:
        raise AdvocacyError.collect(problems)
    return Bodies(path, model)


def unknown_bodies(bodies: Bodies, names: list[str]) -> list[str]:
    """Say which of the bodies a selector names the file does not hold."""
    known = ", ".join(bodies.known) or "none"
    return [f"unknown UN body '{key}'; recipients/{FILE_NAME} knows {known}"
            for key in dict.fromkeys(names) if key not in bodies.model.bodies]


def changes(bodies: Bodies, where: Selector) -> list[tuple[str, str]]:
    """Return (body key, change) for each membership change of the bodies a selector names."""
    named = dict.fromkeys([*(where.member_of or []), *(where.observer_of or [])])
    return [(key, change) for key in named if key in bodies.model.bodies
            for change in bodies.model.bodies[key].changes]
