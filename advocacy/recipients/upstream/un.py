"""Turn the UN Blue Book extract (Permanent Representatives in New York) into records."""

from __future__ import annotations

import re
from typing import Any

import pycountry

Record = dict[str, Any]

# The two UN names that neither pycountry nor the rewrites below recognise.
UN_NAME_CODES = {"Democratic Republic of the Congo": "CD", "Republic of Korea": "KR"}

# English puts "the" before these names: "Permanent Mission of the Philippines".
_ARTICLE_START = ("United ", "Republic ", "Democratic ", "Russian ", "Syrian ", "Lao ",
                  "Kingdom ", "Plurinational ", "Islamic ", "Federated ", "Bolivarian ")
_ARTICLE_END = (" Republic", " Islands", " Emirates")
_ARTICLE_NAMES = {"Philippines", "Comoros", "Maldives", "Seychelles", "Niger", "Sudan",
                  "Congo", "Gambia", "Bahamas", "Netherlands"}


def country_code(un_name: str) -> str:
    """Return the ISO 3166 code of a UN member state's name, e.g. 'Viet Nam' -> 'VN'."""
    if un_name in UN_NAME_CODES:
        return UN_NAME_CODES[un_name]
    for candidate in (un_name, un_name.removeprefix("The "), _uninverted(un_name)):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    raise ValueError(f"unknown UN member state name: {un_name!r}")


def state_name(un_name: str) -> str:
    """Return a name as it reads in a sentence: 'the Plurinational State of Bolivia'."""
    name = _uninverted(un_name).removeprefix("The ")
    if name.startswith(_ARTICLE_START) or name.endswith(_ARTICLE_END) or name in _ARTICLE_NAMES:
        return f"the {name}"
    return name


def _uninverted(un_name: str) -> str:
    """Turn 'Iran (Islamic Republic of)' into 'Islamic Republic of Iran'."""
    match = re.fullmatch(r"(.+) \((.+)\)", un_name)
    if not match:
        return un_name
    return f"{match[2]} {match[1]}"


def _gender(honorific: str) -> str | None:
    """Read 'H.E. Mr.' as M and 'H.E. Mrs.' or 'H.E. Ms.' as F (for gendered salutations)."""
    words = honorific.replace(".", " ").split()
    if "Mr" in words:
        return "M"
    if "Mrs" in words or "Ms" in words:
        return "F"
    return None


# The note on a mission whose head's post is vacant (its letter goes to the office).
VACANT_POST = ("the head of mission's post is vacant in the UN data, so the letter is "
               "addressed to the office")


def representatives(rows: list[dict[str, str]]) -> list[Record]:
    """Return one record per member state's mission, addressed to its head."""
    records = []
    for row in rows:
        code = country_code(row["country"])
        mission = f"Permanent Mission of {state_name(row['country'])} to the United Nations"
        record: Record = {"id": code, "kind": "permanent-mission", "member_state": code}
        if row["pr_post_vacant"] == "yes" or not row["last_name"]:
            record.update({
                "name": "The Permanent Representative",
                "attention": VACANT_POST,
            })
        else:
            first, last = row["first_name"], row["last_name"]
            family_first = row["name_order_first_last"] == "False"
            record.update({
                "honorific": row["title"] or None,
                "name": f"{last} {first}" if family_first else f"{first} {last}",
                "last_name": last,
                "title": row["function"],
                "gender": _gender(row["title"]),
            })
        record.update({"organisation": mission, "city": "New York", "region": "NY",
                       "country": "US"})
        records.append({key: value for key, value in record.items() if value is not None})
    return records


# --- Geneva ---------------------------------------------------------------------------------

# No public source of the Geneva missions' heads or street addresses was found (see
# data/README.md): each record names the office and its head's post, never a person.
GENEVA_OFFICE = "to the United Nations Office at Geneva"


def geneva_missions(member_states: list[str], observer_states: list[Record]) -> list[Record]:
    """Return one record per state's mission in Geneva: UN member states, then observer states.

    ``member_states`` are UN names as in the New York data; ``observer_states`` the
    entries of data/un-bodies/observer-states.yaml (country and name).
    """
    records = [_geneva_record(country_code(name), f"Permanent Mission of {state_name(name)}",
                              "Permanent Representative") for name in member_states]
    records += [_geneva_record(state["country"], "Permanent Observer Mission of "
                               f"{_observer_name(state['name'])}", "Permanent Observer")
                for state in observer_states]
    return records


def _geneva_record(code: str, mission: str, post: str) -> Record:
    return {"id": code, "kind": "permanent-mission", "member_state": code,
            "name": f"The {post}", "organisation": f"{mission} {GENEVA_OFFICE}",
            "city": "Genève", "country": "CH"}


def _observer_name(name: str) -> str:
    """'Holy See' reads 'the Holy See' in a sentence, as 'State of Palestine' does."""
    return f"the {name}"
