"""Every name a letter template may use: the template context, as template authors read it.

``Composer.context`` (composer.py) builds one ``LetterContext`` per letter;
``templating.plain`` hands it to Jinja as plain data (texts, numbers, tuples and
read-only records), never as the objects below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from advocacy.models import Letterhead, Recipient, Sender
from advocacy.signatories.lists import SignatoryView


@dataclass(frozen=True)
class EnclosureView:
    """A statement attached after the letter."""

    title: str | None
    date: str | None
    body: Markup
    signatories: SignatoryView | None
    contact: Markup | None


@dataclass(frozen=True)
class LetterContext:
    """Every name a letter template may use.

    A template gets these as plain data (templating.plain): a model or a view below is a
    read-only record of its fields (recipient.name, sender.address ...; see advocacy/models/),
    lists are tuples, and the only methods a template may call are those of texts and
    mappings in advocacy/compose/sandbox.py. Texts (the body, statements) may use recipient, sender,
    title, date and vars (the campaign's vars, as Markdown).
    """

    title: str  # the campaign's title
    subject: str | None
    language: str
    paper: str  # "letter" or "a4"
    date: str  # formatted in the letter's language: "March 23, 2021"; "" with 'date: none'
    letterhead: Letterhead | None
    sender: Sender | None  # name, address (lines), email, phone
    recipient: Recipient  # an open letter's own: its id 'open-letter' and the title as name
    address_block: list[str]  # empty in an open letter; a copy of one has its recipient's
    to: str | None  # an open letter's (and its copies') 'To:' line, rendered; else None
    salutation: str
    body: Markup
    closing: str
    signature: list[str]
    signatories: SignatoryView | None  # see advocacy/signatories/lists.py
    enclosures: list[EnclosureView]
    # "subject" (the campaign's subject_label if it has one), "to", "page", "of" in the
    # letter's language (advocacy/i18n.py)
    words: dict[str, str]


@dataclass(frozen=True)
class MessageContext:
    """Every name an email's subject and text may use (a campaign's ``message:``).

    As for letters, a template gets these as plain data (templating.plain). The
    subject is plain text (nothing is escaped; a line break in it is refused); the
    text is Markdown, with values escaped as in a letter's body.
    """

    recipient: Recipient
    sender: Sender | None
    title: str  # the campaign's title
    subject: str | None  # the letter's subject, in its language
    date: str  # the letter's date, in its language
    salutation: str  # the letter's: "Dear Senator Klobuchar:"
    letter: str  # the attached letter's file name, e.g. "amy-klobuchar-k000367.pdf"
    vars: Mapping[str, str]  # the campaign's vars (Markdown)
