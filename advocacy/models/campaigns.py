"""A campaign: its texts, enclosures, print settings, email message and recipients."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, PlainValidator

from advocacy.formats import Format
from advocacy.models.base import (
    EmailAddress,
    Model,
    TextList,
    as_list,
    letter_date,
    mapping_as_list,
)
from advocacy.models.recipients import RecipientSource

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
    cc: Annotated[list[EmailAddress], BeforeValidator(as_list)] = Field(
        [], description="Copies to the organisation (seen by the recipient).")
    bcc: Annotated[list[EmailAddress], BeforeValidator(as_list)] = Field(
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
    date: Annotated[datetime.date | Literal["none"] | None, PlainValidator(letter_date)] = \
        Field(None, description="Letter date; omitted: today; 'none': no date is printed.")
    language: str = Field("en", description="Language of the letters (en, fr, km).")
    template: str = Field("letter", description="Name of a template in templates/.")
    recipients: Annotated[list[RecipientSource], BeforeValidator(mapping_as_list)] = Field(
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
