"""Stage 3, plan: expand a validated campaign into independent letter jobs.

A ``Letter`` holds everything that differs between letters (recipient, sender,
salutation, address block, paper, file name). Letters are plain values, so any
executor can render them anywhere.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from advocacy import addressing
from advocacy.errors import AdvocacyError, Problem
from advocacy.models import Recipient, Selector, Sender
from advocacy.validate import Inputs, source_key

MAX_STEM = 80


@dataclass(frozen=True)
class Letter:
    """One letter to write: who to, from whom, and how it is addressed."""

    stem: str  # file name without extension, unique within the campaign (case-insensitively)
    recipient: Recipient
    sender: Sender | None
    language: str
    paper: str  # "letter" (US) or "a4"
    date: datetime.date
    address_block: tuple[str, ...]
    salutation: str
    notes: tuple[str, ...] = ()  # what needs a person's attention, e.g. "address missing"


@dataclass
class Plan:
    """The letters of one campaign, in order, ready to compose and write."""

    inputs: Inputs
    letters: list[Letter] = field(default_factory=list)

    @property
    def name(self) -> str:
        """Return the campaign's name (its file name without .yaml)."""
        return self.inputs.name


def plan_campaign(inputs: Inputs, today: datetime.date | None = None) -> Plan:
    """Select each source's recipients and make one letter per recipient."""
    campaign = inputs.campaign
    date = campaign.date or today or datetime.date.today()
    plan = Plan(inputs)
    problems: list[Problem] = []
    chosen: dict[tuple[str, str], Recipient] = {}
    for index, source in enumerate(campaign.recipients):
        records = inputs.recipients[source.source]
        matched = [r for r in records.records if selects(source.where, r)]
        if not matched:
            problems.append(Problem(
                inputs.document.place(source_key(inputs.document, index, "where")),
                f"selects no one of the {len(records.records)} records in "
                f"recipients/{records.path.name}; check the selectors",
                "recipients.where",
            ))
        for record in matched:
            chosen.setdefault((source.source, record.id), record)
    if problems:
        raise AdvocacyError.collect(problems)
    stems = StemAllocator()
    for record in chosen.values():
        plan.letters.append(make_letter(record, campaign.sender, campaign.language, date, stems))
    return plan


def make_letter(
    recipient: Recipient, sender: Sender | None, campaign_language: str,
    date: datetime.date, stems: StemAllocator, stem_prefix: str = "",
) -> Letter:
    """Build the letter job for one recipient (and sender, in constituent campaigns)."""
    language = recipient.language or campaign_language
    notes = []
    if not addressing.has_postal_address(recipient):
        notes.append("address missing")
    return Letter(
        stem=stems.allocate(f"{stem_prefix}{recipient.name}-{recipient.id}"),
        recipient=recipient,
        sender=sender,
        language=language,
        paper="letter" if recipient.country == "US" else "a4",
        date=date,
        address_block=tuple(addressing.address_block(recipient)),
        salutation=addressing.salutation(recipient, language),
        notes=tuple(notes),
    )


def selects(where: Selector, record: Recipient) -> bool:
    """Tell whether a record matches every selector given."""
    def among(value: str | None, allowed: list[str] | None) -> bool:
        if allowed is None:
            return True
        return value is not None and value.casefold() in {a.casefold() for a in allowed}

    if where.committee is not None and not set(where.committee) & set(record.committees):
        return False
    if where.district is not None and record.district not in where.district:
        return False
    return (
        among(record.id, where.id)
        and among(record.id, where.bioguide)
        and among(record.state, where.state)
        and among(record.chamber, list(where.chamber) if where.chamber else None)
        and among(record.party, where.party)
        and among(record.member_state or record.country, where.country)
        and among(record.kind, list(where.kind) if where.kind else None)
    )


class StemAllocator:
    """Make safe, unique file names: ASCII, no folders, unique even on case-insensitive disks."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def allocate(self, text: str) -> str:
        """Return a new file stem for a letter, derived from its text."""
        base = slug(text) or "letter"
        stem, number = base, 2
        while stem in self.used:
            stem = f"{base}-{number}"
            number += 1
        self.used.add(stem)
        return stem


def slug(text: str) -> str:
    """Turn any text into a lower-case ASCII file-name stem such as 'amy-klobuchar-k000367'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:MAX_STEM].strip("-")
