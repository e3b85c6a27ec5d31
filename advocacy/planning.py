"""Stage 3, plan: expand a validated campaign into independent letter jobs.

A ``Letter`` holds everything that differs between letters (recipient, sender,
salutation, address block, paper, file name). Letters are plain values, so any
executor can render them anywhere. In a constituent campaign each sender is
matched to their own legislators; what cannot be matched is reported in
``Plan.attention``, never guessed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from anyascii import anyascii

from advocacy import addressing, i18n
from advocacy.addressing import Address
from advocacy.errors import AdvocacyError, Attention, Note, Place, Problem
from advocacy.models import Campaign, Recipient, Selector, Sender
from advocacy.recipients import bodies as un_bodies
from advocacy.recipients.bodies import Bodies
from advocacy.recipients.constituents import Delegation, match
from advocacy.recipients.upstream.un import VACANT_POST
from advocacy.validate.campaign import Inputs, source_key, validate_campaign

MAX_STEM = 80
# Names Windows keeps for devices, whatever the extension: output folders travel to Windows.
RESERVED_STEMS = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                            *(f"lpt{n}" for n in range(10))})

# A letter to a recipient without a postal address is written, and flagged with this note.
# What to do about the note a recipients file gives a record ('attention:').
RECORD_NOTE_ACTIONS = {
    VACANT_POST: "send it as it is, or name the acting head of mission (chargé d'affaires) "
                 "in an overrides file and generate again",
}
RECORD_NOTE_ACTION = "check this recipient before sending; an overrides file can correct it"
# A letter to one recipient; an open letter (one text to many readers); a copy of it, addressed.
Role = Literal["letter", "open-letter", "copy"]
OPEN_LETTER: Role = "open-letter"  # also the open letter's file stem (-LANG in translations)


@dataclass(frozen=True)
class Letter:
    """One letter to write: who to, from whom, and how it is addressed."""

    stem: str  # file name without extension, unique within the campaign (case-insensitively)
    recipient: Recipient
    sender: Sender | None  # printed at the top and under the signature
    language: str
    paper: str  # "letter" (US) or "a4"
    date: datetime.date | None  # None: the letter prints no date ('date: none')
    address: Address
    salutation: str
    notes: tuple[Note, ...] = ()  # what needs a person's attention, e.g. ADDRESS_MISSING
    from_constituent: bool = False  # the sender is a constituent writing to their legislator
    role: Role = "letter"


@dataclass
class Plan:
    """The letters of one campaign, in order, and what needs a person's attention."""

    inputs: Inputs
    letters: list[Letter] = field(default_factory=list)
    unwritten: list[Attention] = field(default_factory=list)  # letters that cannot be written
    remarks: list[Attention] = field(default_factory=list)  # e.g. a body's membership changed

    @property
    def name(self) -> str:
        """Return the campaign's name (its file name without .yaml)."""
        return self.inputs.name

    @property
    def attention(self) -> list[Attention]:
        """List everything a person should look at: notes on letters, then unwritten ones."""
        noted = [Attention(None, letter.recipient.name, note.issue, note.action, letter.stem)
                 for letter in self.letters for note in letter.notes]
        return self.remarks + noted + self.unwritten


def plan_file(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign file and plan its letters (api.plan, and the full run)."""
    return plan_campaign(validate_campaign(campaign), copies=copies)


def plan_campaign(inputs: Inputs, today: datetime.date | None = None, *,
                  copies: bool = False) -> Plan:
    """Make one letter per selected recipient, or per constituent and legislator.

    An open letter is one letter per language, and with ``copies`` (or the campaign's
    ``copies: true``) a copy of it for each selected recipient.
    """
    campaign = inputs.campaign
    plan = Plan(inputs)
    date = None if campaign.date == "none" else campaign.date or today or datetime.date.today()
    letters = _LetterMaker(campaign, date)
    problems: list[Problem] = []
    selected: dict[tuple[str, str], Recipient] = {}
    for index, records in enumerate(inputs.sources):
        plan.remarks += _body_changes(inputs, index, inputs.bodies)
        matched = [(record, place)
                   for record, place in zip(records.records, records.places, strict=True)
                   if selects(records.source.where, record, inputs.bodies)]
        if not matched:
            problems.append(Problem(
                inputs.document.place(source_key(inputs.document, index, "where")),
                f"selects no one of the {len(records.records)} records in "
                f"recipients/{records.path.name}; check the selectors",
                "recipients.where",
            ))
        for record, place in matched:
            selected.setdefault((str(records.path), record.id), record)
            problems += _record_problems(record, place, campaign.language, campaign.languages)
    if problems:
        raise AdvocacyError.collect(problems)
    if campaign.open_letter:
        plan.letters = _open_letters(campaign, letters, list(selected.values()),
                                     copies or campaign.copies)
        return plan
    if inputs.senders is None:
        plan.letters = [letters.make(record, campaign.sender) for record in selected.values()]
        return plan
    assert inputs.crosswalk is not None
    delegation = Delegation(selected.values())
    chambers = tuple(campaign.chambers)
    for constituent in inputs.senders:
        recipients, notes = match(constituent, delegation, inputs.crosswalk, chambers)
        plan.unwritten += notes
        prefix = f"{slug(constituent.name)}-to-"
        sender = constituent.sender()
        plan.letters += [letters.make(record, sender, prefix, from_constituent=True)
                         for record in recipients]
    return plan


def _record_problems(record: Recipient, place: Place, default: str,
                     languages: list[str]) -> list[Problem]:
    """Check a selected record: its postal address, and that the campaign has its language."""
    problems = [Problem(place, f"recipient '{record.id}': {message}")
                for message in addressing.address_problems(record)]
    if (record.language or default) not in languages:
        problems.append(Problem(
            place, f"recipient '{record.id}' reads '{record.language}', and the campaign "
            f"has no texts in it: add a 'translations: {record.language}:' section to the "
            "campaign, or remove the record's language", "recipients.language"))
    return problems


def _open_letters(campaign: Campaign, letters: _LetterMaker, recipients: list[Recipient],
                  copies: bool) -> list[Letter]:
    """Make the open letter in each language, then a copy for each recipient if asked.

    The open letter has no address: printed, it takes its recipients' paper (US Letter
    when all are in the US, else A4). Every copy greets as the open letter does.
    """
    paper = "letter" if recipients and all(r.country == "US" for r in recipients) else "a4"
    made = []
    for language in campaign.languages:
        stem = OPEN_LETTER if language == campaign.language else f"{OPEN_LETTER}-{language}"
        reader = Recipient(id=stem, name=campaign.title, language=language)
        made.append(Letter(stem=letters.stems.allocate(stem), recipient=reader,
                           sender=campaign.sender, language=language, paper=paper,
                           date=letters.date, address=addressing.Address((), (), True),
                           salutation=letters.greeting(reader, language), role=OPEN_LETTER))
    if copies:
        made += [letters.make(record, campaign.sender, role="copy") for record in recipients]
    return made


def _body_changes(inputs: Inputs, index: int, bodies: Bodies | None) -> list[Attention]:
    """Say when a UN body a source selects by changed members during the year."""
    if bodies is None:
        return []
    where = inputs.campaign.recipients[index].where
    place = inputs.document.place(source_key(inputs.document, index, "where"))
    action = ("the list is the membership on 1 January; check who the letter should reach, "
              "and select records by id if needed")
    return [Attention(place, key, f"membership changed during the year: {change}", action)
            for key, change in un_bodies.changes(bodies, where)]


class _LetterMaker:
    """Make letters, working out each recipient's address and salutation only once."""

    def __init__(self, campaign: Campaign, date: datetime.date | None) -> None:
        self.campaign = campaign
        self.language = campaign.language
        self.date = date
        self.stems = StemAllocator()
        self.addressed: dict[int, tuple[str, str, Address, str, tuple[Note, ...]]] = {}

    def greeting(self, recipient: Recipient, language: str) -> str:
        """Return the salutation: the campaign's, an open letter's, or the recipient's own."""
        own = self.campaign.texts(language).salutation
        if own:
            return own
        if self.campaign.open_letter:  # its copies greet its many readers, as it does
            return i18n.salutation_rule(language, OPEN_LETTER, None)
        return addressing.salutation(recipient, language)

    def make(self, recipient: Recipient, sender: Sender | None, stem_prefix: str = "", *,
             from_constituent: bool = False, role: Role = "letter") -> Letter:
        known = self.addressed.get(id(recipient))
        if known is None:
            language = recipient.language or self.language
            address = addressing.address(recipient, language)
            found = [] if address.complete else [addressing.ADDRESS_MISSING]
            if recipient.attention:
                found.append(Note(recipient.attention, RECORD_NOTE_ACTIONS.get(
                    recipient.attention, RECORD_NOTE_ACTION)))
            known = (language, slug(f"{recipient.name}-{recipient.id}"), address,
                     self.greeting(recipient, language), tuple(found))
            self.addressed[id(recipient)] = known
        language, recipient_slug, address, salutation, notes = known
        return Letter(
            stem=self.stems.allocate(f"{stem_prefix}{recipient_slug}"),
            recipient=recipient,
            sender=sender,
            language=language,
            paper="letter" if recipient.country == "US" else "a4",
            date=self.date,
            address=address,
            salutation=salutation,
            notes=notes,
            from_constituent=from_constituent,
            role=role,
        )


def selects(where: Selector, record: Recipient, bodies: Bodies | None = None) -> bool:
    """Tell whether a record matches every selector given (UN bodies: ``bodies`` knows them)."""
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
        and (bodies.selects(where, record) if bodies is not None
             else where.member_of is None and where.observer_of is None)
    )


class StemAllocator:
    """Make unique file stems: unique even on case-insensitive disks, since stems are slugs."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def allocate(self, text: str) -> str:
        """Return a new file stem for a letter from already safe text (see slug)."""
        base = text[:MAX_STEM].strip("-") or "letter"
        if base in RESERVED_STEMS:
            base = f"{base}-letter"
        stem, number = base, 2
        while stem in self.used:
            stem = f"{base}-{number}"
            number += 1
        self.used.add(stem)
        return stem


def slug(text: str) -> str:
    """Turn any text into a lower-case ASCII file-name stem such as 'amy-klobuchar-k000367'.

    Other scripts are transliterated ('សុផល ជា' is 'sophl-cha', 'Søren Økland'
    'soren-okland'), so a name never vanishes from its file name.
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text))
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:MAX_STEM].strip("-")
