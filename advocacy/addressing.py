"""Address blocks and salutations: one rule per kind of recipient, overridable per record."""

from __future__ import annotations

from babel import Locale

from advocacy.models import Member, Recipient

# How each kind of recipient is greeted, per language. {last} is the family name.
SALUTATIONS: dict[str, dict[str, str]] = {
    "en": {
        "senator": "Dear Senator {last}:",
        "representative": "Dear Representative {last}:",
        "delegate": "Dear Delegate {last}:",
        "committee": "Dear {chair_title} {chair_last} and {ranking_title} {ranking_last}:",
        "committee-chair": "Dear {chair_title} {chair_last}:",
        "permanent-mission": "Excellency,",
        "generic": "Dear {name}:",
        "generic-unnamed": "Dear Sir or Madam:",
    },
}

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
    rules = SALUTATIONS.get(language.split("-")[0].split("_")[0], SALUTATIONS["en"])
    kind = recipient.kind
    last = recipient.last_name or recipient.name.split()[-1]
    if kind == "delegate" and recipient.title == "Resident Commissioner":
        return f"Dear Resident Commissioner {last}:"
    if kind == "committee":
        chair, ranking = recipient.chair, recipient.ranking_member
        if chair and ranking:
            return rules["committee"].format(
                chair_title=chair.title, chair_last=chair.last_name,
                ranking_title=ranking.title, ranking_last=ranking.last_name,
            )
        if chair:
            return rules["committee-chair"].format(
                chair_title=chair.title, chair_last=chair.last_name
            )
        return rules["generic-unnamed"]
    if kind == "generic" and not recipient.name:
        return rules["generic-unnamed"]
    return rules[kind].format(last=last, name=recipient.name)


def address_block(recipient: Recipient) -> list[str]:
    """Return the lines of the recipient's address block, top to bottom."""
    if recipient.address_block:
        return list(recipient.address_block)
    lines: list[str] = []
    if recipient.kind == "committee":
        lines += [_member_line(m) for m in (recipient.chair, recipient.ranking_member) if m]
        lines.append(recipient.name)
    else:
        lines.append(_with_honorific(recipient.honorific, recipient.name, recipient.kind))
        if recipient.title:
            lines.append(recipient.title)
    organisation = recipient.organisation or CHAMBERS.get(recipient.kind)
    if organisation:
        lines.append(organisation)
    lines += postal_lines(recipient)
    return lines


def has_postal_address(recipient: Recipient) -> bool:
    """Tell whether a record carries enough to post a letter: a city and a postal code.

    A street is not required: offices of Congress receive mail by ZIP alone.
    """
    return bool(recipient.address_block or (recipient.city and recipient.postal_code))


def postal_lines(recipient: Recipient) -> list[str]:
    """Return street, city and country lines in the destination country's order."""
    lines = list(recipient.address)
    if recipient.country == "US":
        city_line = ", ".join(part for part in (recipient.city, _state_zip(recipient)) if part)
        if city_line:
            lines.append(city_line)
        return lines
    city_line = " ".join(part for part in (recipient.postal_code, recipient.city) if part)
    if city_line:
        lines.append(city_line)
    if lines:
        lines.append(country_name(recipient.country).upper())
    return lines


def country_name(code: str, language: str = "en") -> str:
    """Return a country's name from its ISO code, e.g. 'CH' -> 'Switzerland'."""
    return str(Locale.parse(language).territories.get(code.upper(), code))


def _state_zip(recipient: Recipient) -> str:
    return " ".join(part for part in (recipient.region, recipient.postal_code) if part)


def _with_honorific(honorific: str | None, name: str, kind: str) -> str:
    if honorific is None and kind in CHAMBERS:
        honorific = "The Honorable"
    return f"{honorific} {name}" if honorific else name


def _member_line(member: Member) -> str:
    return f"{member.honorific} {member.name}, {member.title}"
