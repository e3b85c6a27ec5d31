"""Delivery order: the campaign's order, or grouped by the recipient's state, city or mission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advocacy import usa
from advocacy.addressing import CHAMBERS, country_name
from advocacy.models import Recipient
from advocacy.planning import Letter


@dataclass(frozen=True)
class Item:
    """A written letter as the bundle sees it: the job and its page count."""

    letter: Letter
    pages: int


@dataclass(frozen=True)
class Placed:
    """A letter in delivery order: its number (1, 2, ...) and its group's heading."""

    number: int
    item: Item
    group: str | None  # None in the campaign's order


def in_delivery_order(items: Sequence[Item], group_by: str | None) -> list[Placed]:
    """Order letters for delivery, numbered from 1.

    Groups come in alphabetical order. Within a group, letters to the same recipient
    stay together (a volunteer hands them over at once), recipients in the order
    they first appear in the campaign, and each recipient's letters in campaign order.
    """
    if group_by is None:
        return [Placed(number, item, None) for number, item in enumerate(items, start=1)]
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        first_seen.setdefault(_recipient_key(item.letter.recipient), index)
    sortable = []
    for item in items:
        key, label = _group(item.letter.recipient, group_by, item.letter.language)
        position = first_seen[_recipient_key(item.letter.recipient)]
        sortable.append(((key.casefold(), key, position), label, item))
    sortable.sort(key=lambda entry: entry[0])  # stable: equal keys keep the campaign's order
    return [Placed(number, item, label)
            for number, (_, label, item) in enumerate(sortable, start=1)]


def _recipient_key(recipient: Recipient) -> str:
    return f"{recipient.id}\0{recipient.name}\0{recipient.organisation}"


def _group(recipient: Recipient, group_by: str, language: str) -> tuple[str, str]:
    """Return a group's sort key and its heading."""
    if group_by == "state":
        state = recipient.state or (recipient.region if recipient.country == "US" else None)
        if state:
            name = usa.ALL.get(state.upper(), state)
            return name, f"{name} ({state.upper()})" if name != state else name
        country = country_name(recipient.country, language) if recipient.country else \
            "no country given"
        return country, country
    if group_by == "city":
        parts = [recipient.city or "no city given", recipient.region]
        if recipient.country not in ("US", None):
            parts.append(country_name(recipient.country, language))
        label = ", ".join(part for part in parts if part)
        return label, label
    office = recipient.organisation or CHAMBERS.get(recipient.kind, "")
    label = f"{recipient.name}, {office}" if office else recipient.name
    return f"{office}\0{recipient.name}", label
