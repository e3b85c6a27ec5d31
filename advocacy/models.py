"""The data model: what a campaign, statement, signatory list and recipient may contain.

These pydantic models are the truth about the file formats. Unknown keys are
rejected (``extra="forbid"``) so a typo never silently drops a setting.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from advocacy.delivery.addresses import checked_address, checked_mailbox


def _as_list(value: Any) -> Any:
    """Accept one value where a list is expected: ``state: MN`` means ``state: [MN]``."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    return value


def _mapping_as_list(value: Any) -> Any:
    """Accept one mapping where a list of mappings is expected."""
    return [value] if isinstance(value, dict) else value


def _as_text(value: Any) -> Any:
    """Accept numbers where text is expected (a ZIP or district typed as 55401)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_DATE = TypeAdapter(datetime.date)


def _letter_date(value: Any) -> Any:
    """Read a letter's date: a date, or 'none' for a letter that prints no date."""
    if value is None or (isinstance(value, str) and value.strip().casefold() == "none"):
        return None if value is None else "none"
    try:
        return _DATE.validate_python(value)
    except ValidationError as error:  # the date's own error, so its message reads as usual
        detail = error.errors()[0]
        raise PydanticCustomError(detail["type"], detail["msg"]) from None


Text = Annotated[str, BeforeValidator(_as_text)]
TextList = Annotated[list[Text], BeforeValidator(_as_list)]
# Codes are compared as written ("US" decides the paper and the delivery order): 'us' is 'US'.
CountryCode = Annotated[str, AfterValidator(str.upper)]
Format = Literal["pdf", "docx"]
# A UN body and year, e.g. hrc-2023: compared in lower case.
BodyKeys = Annotated[list[Annotated[str, AfterValidator(str.lower)]], BeforeValidator(_as_list)]


# 'Name <address>' or an address (a campaign's from, cc ...), and a bare address (a record's).
EmailAddress = Annotated[str, AfterValidator(checked_mailbox)]
BareAddress = Annotated[str, AfterValidator(checked_address)]


class Model(BaseModel):
    """Base: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- Recipients ---------------------------------------------------------------------------------

RecipientKind = Literal[
    "senator", "representative", "delegate", "committee", "permanent-mission", "generic"
]
# Kinds that exist only in the United States: their records are in the US without saying so.
US_KINDS = frozenset({"senator", "representative", "delegate", "committee"})


class Member(Model):
    """A named person inside a recipient record: a committee's chair or ranking member."""

    name: str = Field(description="Full name as printed, e.g. 'Jim Risch'.")
    last_name: str = Field(description="Family name used in the salutation.")
    title: str = Field(description="Role as printed, e.g. 'Chairman' or 'Ranking Member'.")
    honorific: str = Field("The Honorable", description="Printed before the name.")


class Recipient(Model):
    """One addressee: a legislator, a committee, a permanent mission, or anyone else."""

    id: Text = Field(description="Unique, stable key (bioguide id, committee id, country code).")
    kind: RecipientKind = Field("generic", description="Decides the address and salutation rules.")
    honorific: str | None = Field(None, description="'The Honorable', 'H.E. Mr.', 'Dr.' ...")
    name: str = Field(min_length=1, description="Full name as printed in the address block.")
    last_name: str | None = Field(None, description="Family name used in the salutation.")
    title: str | None = Field(None, description="Role printed under the name.")
    organisation: str | None = Field(None, description="Office, chamber or mission name.")
    address: TextList = Field([], description="Street lines, without city and postal code.")
    city: str | None = None
    region: str | None = Field(None, description="Postal state or province, e.g. 'DC'.")
    postal_code: Text | None = None
    country: CountryCode | None = Field(
        None, description="Postal country: ISO 3166 two-letter code. Omitted: US for "
        "senators, representatives, delegates and committees, none for others (A4 paper).")
    member_state: str | None = Field(None, description="Country a mission represents (code).")
    state: str | None = Field(None, description="State a legislator represents, e.g. 'MN'.")
    district: int | None = Field(None, description="House district; 0 means at-large.")
    party: str | None = None
    chamber: Literal["senate", "house"] | None = None
    committees: TextList = Field([], description="Committee ids the person sits on.")
    chair: Member | None = Field(None, description="Committee chair (committee records).")
    ranking_member: Member | None = Field(None, description="Committee ranking member.")
    language: str | None = Field(None, description="Language of this recipient's letter.")
    gender: Literal["F", "M"] | None = Field(
        None, description="For salutations in languages with gendered titles (French)."
    )
    salutation: str | None = Field(None, description="Overrides the salutation rule.")
    address_block: TextList | None = Field(None, description="Overrides the address rule.")
    attention: str | None = Field(None, description="A note for the organiser (e.g. vacant).")
    email: BareAddress | None = Field(None, description="Where 'advocacy send' emails the letter; "
                              "never printed. The public data has none: add it in an "
                              "overrides file.")

    @model_validator(mode="before")
    @classmethod
    def _in_the_us(cls, data: Any) -> Any:
        """Place a record of Congress in the US when it names no country (the imported data)."""
        kind = data.get("kind") if isinstance(data, dict) else None
        if isinstance(kind, str) and kind in US_KINDS and data.get("country") is None:
            return {**data, "country": "US"}
        return data


class RecipientFile(Model):
    """A recipients file: a list of records under ``recipients:``."""

    recipients: list[Recipient]


class Selector(Model):
    """Which records of a recipients file a campaign writes to; every key given must match."""

    id: TextList | None = Field(None, description="Record ids.")
    state: TextList | None = Field(None, description="Two-letter state codes.")
    district: Annotated[list[int], BeforeValidator(_as_list)] | None = Field(
        None, description="House districts (0: at-large)."
    )
    chamber: list[Literal["senate", "house"]] | None = Field(None, description="senate, house.")
    party: TextList | None = Field(None, description="Democrat, Republican, Independent.")
    committee: TextList | None = Field(None, description="Committee ids, e.g. SSFR.")
    bioguide: TextList | None = Field(None, description="Congress bioguide ids.")
    country: TextList | None = Field(
        None, description="Country codes: the country a mission represents, else the postal one."
    )
    kind: list[RecipientKind] | None = Field(None, description="Recipient kinds.")
    member_of: BodyKeys | None = Field(
        None, description="UN bodies by year, e.g. hrc-2023: missions of their member states "
        "(recipients/un-bodies.yaml).")
    observer_of: BodyKeys | None = Field(
        None, description="UN bodies by year: missions of the states that are not members but "
        "observers (the other UN member states and the non-member observer states).")


class RecipientSource(Model):
    """Where a campaign's recipients come from: a recipients file and a selector."""

    model_config = ConfigDict(populate_by_name=True)

    source: str = Field(alias="from", description="Name of a file in recipients/.")
    where: Selector = Field(default_factory=Selector, description="Optional selectors.")
    overrides: str | None = Field(
        None, description="A file in recipients/ whose records, matched by id, complete or "
        "correct these records (e.g. a mission's street address)."
    )


# --- Signatories --------------------------------------------------------------------------------


class Signatory(Model):
    """One organisation or person who signs a statement."""

    name: str = Field(min_length=1, description="Full name as printed.")
    short: str | None = Field(None, description="Acronym printed in brackets: 'ACC'.")
    country: str | None = Field(None, description="Country code, for grouping and records.")
    contact: str | None = Field(None, description="Contact line, kept for the organisers.")
    kind: Literal["organisation", "person"] | None = Field(
        None, description="'person' for an individual; an entry with a title or organisation "
        "is a person even without it."
    )
    title: str | None = Field(None, description="A person's title or role.")
    organisation: str | None = Field(None, description="A person's organisation.")
    signature: str | None = Field(None, description="Signature image, relative to the list.")

    @property
    def is_person(self) -> bool:
        """Tell whether the entry is an individual rather than an organisation."""
        if self.kind is not None:
            return self.kind == "person"
        return bool(self.title or self.organisation)


class SignatoryList(Model):
    """A list of signatories, printed under a heading after a letter or statement."""

    heading: str | None = Field(None, description="Printed above the list.")
    headings: dict[str, str] = Field(
        {}, description="The heading in other languages, by language code: {fr: ...}."
    )
    numbered: bool = Field(True, description="Number the entries (1., 2., ...).")
    sort: Literal["given", "alphabetical"] = Field(
        "given", description="Print in the order given, or sorted alphabetically by name."
    )
    group_by: Literal["country", "kind"] | None = Field(
        None, description="Print under one heading per country, or organisations then "
        "individuals."
    )
    groups: dict[str, str] = Field(
        {}, description="Group headings, in the order printed: country codes, 'other' (no "
        "country), 'organisation' or 'person' -> heading."
    )
    signatories: list[Signatory] = Field(description="The entries, in the order given.")


# --- Statements ---------------------------------------------------------------------------------


class StatementFront(Model):
    """The front matter of a statement file (``statements/NAME.md``)."""

    title: str | None = Field(None, description="Printed as the statement's heading.")
    date: datetime.date | None = Field(None, description="Printed above the title.")
    language: str = Field("en", description="Language of the text.")
    signatories: str | None = Field(None, description="Signatory list printed after the text.")
    contact: str | None = Field(None, description="Contact line printed after the signatories.")


# --- Campaigns ----------------------------------------------------------------------------------


class Sender(Model):
    """Who a letter is from: printed in the sender block and under the signature."""

    name: str
    address: TextList = Field([], description="Address lines under the name.")
    email: str | None = None
    phone: str | None = None


class Letterhead(Model):
    """An organisation's letterhead printed at the top of the first page."""

    name: str = Field(description="Organisation name, printed large.")
    lines: TextList = Field([], description="Smaller lines: address, web site, e-mail.")


class StatementRef(Model):
    """A statement used as text: attached as an enclosure, or as a letter's body."""

    statement: str = Field(description="Name of a file in statements/ (without .md).")
    signatories: str | None = Field(None, description="Overrides the statement's own list.")


class PrintSettings(Model):
    """The print bundle (``print:`` in a campaign, or ``generate --print``): see README."""

    group_by: Literal["state", "city", "mission"] | None = Field(
        None, description="Deliver the letters grouped by the recipient's state, city or "
        "mission (office), groups in alphabetical order; omitted: the campaign's order."
    )
    labels: bool = Field(False, description="Address labels (Avery 5160 on US Letter, L7163 "
                         "on A4) instead of envelopes.")
    envelope: Literal["dl", "c5"] = Field(
        "dl", description="Envelope for letters outside the US: DL (A4 folded in three) or "
        "C5 (A4 folded once). US letters always get a #10 envelope."
    )
    return_address: TextList | None = Field(
        None, description="Lines printed as the envelopes' return address; omitted: the "
        "campaign's sender, else its letterhead. A constituent's own address always wins."
    )


class Texts(Model):
    """A campaign's texts in another language (``translations: {fr: ...}``)."""

    subject: str | None = Field(None, description="As the campaign's subject.")
    subject_label: str | None = Field(None, description="As the campaign's subject_label.")
    to: str | None = Field(None, min_length=1,
                           description="As the campaign's to (an open letter needs it).")
    salutation: str | None = Field(None, description="As the campaign's salutation.")
    body: str | StatementRef = Field(description="Markdown text, or a statement to use.")
    vars: dict[str, str] = Field({}, description="Markdown snippets the texts may use.")
    closing: str = Field(description="The line after the body.")
    signature: TextList = Field([], description="Lines printed under the closing.")


class MessageTexts(Model):
    """The email's subject and text in another language (``message.translations``)."""

    subject: str = Field(min_length=1, description="As the message's subject.")
    body: str = Field(min_length=1, description="As the message's body.")


class Message(Model):
    """The email that carries each letter (``message:``, used by ``advocacy send``).

    Addresses are checked when the campaign is read (delivery/addresses.py); the texts
    are rendered in the letters' sandbox, the body as Markdown to a text and an HTML part.
    """

    model_config = ConfigDict(populate_by_name=True)

    sender: EmailAddress = Field(alias="from", description="'Name <address>' or an address: "
                                 "who the emails are from (the SMTP account must allow it).")
    reply_to: EmailAddress | None = Field(None, description="Where replies go, if not to from.")
    cc: Annotated[list[EmailAddress], BeforeValidator(_as_list)] = Field(
        [], description="Copies to the organisation (seen by the recipient).")
    bcc: Annotated[list[EmailAddress], BeforeValidator(_as_list)] = Field(
        [], description="Hidden copies to the organisation (never in the message's headers).")
    subject: str = Field(min_length=1, description="Jinja text, one line: '{{ subject }}'.")
    body: str = Field(min_length=1, description="Markdown + Jinja, as a letter's body.")
    attach: list[Format] = Field(["pdf"], description="Files attached: pdf, and docx if asked.")
    translations: dict[str, MessageTexts] = Field(
        {}, description="Subject and body for letters in other languages: {fr: {...}}.")

    def texts(self, language: str) -> MessageTexts:
        """Return the subject and body for a letter's language."""
        return self.translations.get(language) or MessageTexts(subject=self.subject,
                                                               body=self.body)


class Campaign(Model):
    """A campaign file (``campaigns/NAME.yaml``): one letter per recipient."""

    title: str = Field(description="Name of the campaign, used in the manifest.")
    date: Annotated[datetime.date | Literal["none"] | None, PlainValidator(_letter_date)] = \
        Field(None, description="Letter date; omitted: today; 'none': no date is printed.")
    language: str = Field("en", description="Language of the letters (en, fr, km).")
    template: str = Field("letter", description="Name of a template in templates/.")
    recipients: Annotated[list[RecipientSource], BeforeValidator(_mapping_as_list)] = Field(
        description="Recipient files and selectors."
    )
    sender: Sender | None = Field(None, description="A sender for every letter.")
    senders: str | None = Field(
        None, description="A constituents file in recipients/ (CSV or YAML): each constituent "
        "writes to their own senators and representative."
    )
    chambers: list[Literal["senate", "house"]] = Field(
        ["senate", "house"], description="Which of a constituent's legislators get a letter."
    )
    letterhead: Letterhead | None = Field(None, description="Printed at the top of page 1.")
    subject: str | None = Field(None, description="Printed as 'Subject: ...'.")
    subject_label: str | None = Field(
        None, description="The label before the subject, e.g. 'RE:'; omitted: the language's "
        "own word ('Subject:', 'Objet :').")
    to: str | None = Field(
        None, min_length=1,
        description="Makes the campaign an open letter: one letter printing 'To: ' and "
        "this text (Jinja: title, date, vars) instead of an address block.")
    salutation: str | None = Field(
        None, description="The salutation of every letter, e.g. 'Excellencies,'; omitted: "
        "each recipient's (an open letter's: 'Excellencies,' in its language).")
    copies: bool = Field(
        False, description="In an open letter: also a copy for each selected recipient, "
        "addressed to it (for delivery and the print bundle).")
    body: str | StatementRef = Field(description="Markdown text, or a statement to use.")
    vars: dict[str, str] = Field({}, description="Markdown snippets the texts may use.")
    closing: str = Field("Sincerely,", description="The line after the body.")
    signature: TextList = Field([], description="Lines printed under the closing.")
    signatories: str | None = Field(None, description="Signatory list printed after the body.")
    enclosures: list[StatementRef] = Field([], description="Statements attached to the letter.")
    formats: list[Format] = Field(["pdf", "docx"], description="Files written per letter.")
    pdf_variant: Literal["pdf/a-3b", "pdf/ua-1"] | None = Field(
        None, description="Write the letter PDFs as archival PDF/A-3b or accessible PDF/UA-1 "
        "(WeasyPrint's own support); omitted: plain PDF."
    )
    print: PrintSettings | None = Field(
        None, description="Also write a print bundle into print/: letters, envelopes or "
        "labels, a delivery sheet."
    )
    translations: dict[str, Texts] = Field(
        {}, description="The texts in other languages, for recipients whose record names "
        "one: {fr: {subject, body, closing, ...}}."
    )
    message: Message | None = Field(
        None, description="The email that carries each letter (advocacy send): from, "
        "reply_to, cc, bcc, subject, body, attach."
    )

    @property
    def languages(self) -> list[str]:
        """List the languages the campaign can write in, its own first."""
        return [self.language, *(lang for lang in self.translations if lang != self.language)]

    def texts(self, language: str) -> Texts:
        """Return the campaign's texts in one of its languages."""
        if language in self.translations:
            return self.translations[language]
        return Texts(subject=self.subject, subject_label=self.subject_label, to=self.to,
                     salutation=self.salutation, body=self.body, vars=self.vars,
                     closing=self.closing, signature=self.signature)

    @property
    def open_letter(self) -> bool:
        """Tell whether the campaign is an open letter (it has a 'to:' line)."""
        return self.to is not None
