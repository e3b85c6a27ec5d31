"""One email per letter: the campaign's ``message:`` for its recipient, the letter attached.

The subject and text are rendered in the letters' sandbox (compose/), from a
``MessageContext`` of plain data. The text is Markdown, made into an HTML part and,
from that same HTML, a plain-text part (plain_text.py). Every header value is
checked first (addresses.py); the message made is then read back, and sent only
if its headers are exactly those intended.
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
import html
import types
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from advocacy import files
from advocacy.compose.composer import Composer
from advocacy.compose.context import MessageContext
from advocacy.compose.templating import MarkdownText
from advocacy.delivery.addresses import header_problem, split_mailbox
from advocacy.delivery.plain_text import invisible_breaks_removed, to_text
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.manifest import FileEntry, LetterEntry
from advocacy.models import Message
from advocacy.planning import Letter
from advocacy.validate.campaign import Inputs

MB = 1024 * 1024
MAX_MESSAGE_BYTES = 20 * MB  # what most providers accept (some 25 or 35 MB, some 10)
MEDIA_TYPES = {"pdf": ("application", "pdf"),
               "docx": ("application",
                        "vnd.openxmlformats-officedocument.wordprocessingml.document")}


@dataclass(frozen=True)
class Draft:
    """One letter's email, checked and composed; its attachments are read when it is sent."""

    letter: Letter
    entry: LetterEntry
    address: str
    subject: str
    text: str
    html: str
    files: tuple[FileEntry, ...]  # the PDF first

    @property
    def sha256(self) -> str:
        """Return the hash that names this version of the letter: its PDF's."""
        return self.files[0].sha256

    @property
    def size(self) -> int:
        """Estimate the message's size: attachments grow by a third in base64."""
        return sum(file.size for file in self.files) * 4 // 3 + 2 * len(self.html) + 10_000


class AttachmentChanged(AdvocacyError):
    """A letter's file is not the one the manifest lists (edited or replaced by hand)."""


class MessageMaker:
    """Compose and build the emails of one campaign."""

    def __init__(self, inputs: Inputs, message: Message, attach: tuple[str, ...]) -> None:
        self.inputs = inputs
        self.message = message
        self.attach = attach
        self.composer = Composer(inputs)
        self.places = {record.id: place for source in inputs.sources
                       for record, place in zip(source.records, source.places, strict=True)}

    def draft(self, letter: Letter, entry: LetterEntry, address: str,
              problems: list[Problem]) -> Draft | None:
        """Compose a letter's email; record what stops it from being sent in problems."""
        found = [entry.file(kind) for kind in self.attach]
        attached = tuple(file for file in found if file is not None)
        if entry.file("pdf") is None or len(attached) != len(self.attach):
            problems.append(Problem(Place(self.inputs.path), f"letter {letter.stem}: "
                                    f"output has no {' or '.join(self.attach)} file to attach; "
                                    "generate with --format pdf,docx", "message.attach"))
            return None
        name_problem = header_problem(letter.recipient.name)
        if name_problem:
            place = self.places.get(letter.recipient.id, Place(self.inputs.path))
            problems.append(Problem(place, f"recipient '{letter.recipient.id}': name cannot "
                                    f"go into an email's To line: {name_problem}"))
            return None
        texts = self.message.texts(letter.language)
        key = ("message",) if letter.language not in self.message.translations else \
            ("message", "translations", letter.language)
        document = self.inputs.document
        context = self.context(letter, attached[0].name)
        try:
            subject = self.composer.plain_text(texts.subject, context,
                                               document.place((*key, "subject")))
            body = self.composer.text(texts.body, context,
                                      Place(self.inputs.path, document.text_line((*key, "body"))))
        except AdvocacyError as error:
            problems.extend(error.problems)
            return None
        subject = " ".join(subject.split(" ")).strip()
        subject_problem = header_problem(subject) or ("" if subject else "it is empty")
        if subject_problem:
            problems.append(Problem(document.place((*key, "subject")), f"letter {letter.stem}: "
                                    f"the subject cannot be a header: {subject_problem}",
                                    "message.subject"))
            return None
        html_body = invisible_breaks_removed(str(body))
        return Draft(letter, entry, address, subject, to_text(html_body),
                     _html_document(subject, html_body, letter.language), attached)

    def context(self, letter: Letter, attachment: str) -> MessageContext:
        """Build the names a message's subject and text may use, for one letter."""
        text_context = self.composer.text_context(letter)
        texts = self.inputs.campaign.texts(letter.language)
        return MessageContext(
            recipient=letter.recipient, sender=letter.sender, title=self.inputs.campaign.title,
            subject=texts.subject, date=str(text_context["date"]),
            salutation=letter.salutation, letter=attachment,
            vars=types.MappingProxyType({k: MarkdownText(v) for k, v in texts.vars.items()}),
        )

    def envelope(self, draft: Draft) -> tuple[str, list[str]]:
        """Return the envelope's sender and every recipient (To, Cc and Bcc)."""
        copies = [split_mailbox(value)[1] for value in (*self.message.cc, *self.message.bcc)]
        return split_mailbox(self.message.sender)[1], [draft.address, *copies]

    def build(self, draft: Draft, folder: Path) -> bytes:
        """Make the message: headers, text and HTML parts, and the letter's files attached."""
        message = EmailMessage(policy=email.policy.SMTP)
        sender_name, sender = split_mailbox(self.message.sender)
        message["From"] = Address(sender_name, addr_spec=sender)
        message["To"] = Address(draft.letter.recipient.name, addr_spec=draft.address)
        if self.message.cc:
            message["Cc"] = [_address(value) for value in self.message.cc]
        if self.message.reply_to:
            message["Reply-To"] = _address(self.message.reply_to)
        message["Subject"] = draft.subject
        message["Date"] = email.utils.formatdate(localtime=True)
        message["Message-ID"] = email.utils.make_msgid(domain=sender.rpartition("@")[2])
        message["X-Advocacy-Letter"] = draft.letter.stem  # to find a message's letter
        message.set_content(draft.text)
        message.add_alternative(draft.html, subtype="html")
        for file in draft.files:
            data = files.read_checked(folder / file.name, MAX_MESSAGE_BYTES, folder,
                                      within="the output folder")
            if hashlib.sha256(data).hexdigest() != file.sha256:
                raise AttachmentChanged.at(Place(folder / file.name), "changed since it was "
                                           "generated (it is not the file the manifest lists); "
                                           "generate the campaign again")
            maintype, subtype = MEDIA_TYPES[file.format]
            message.add_attachment(data, maintype=maintype, subtype=subtype,
                                   filename=Path(file.name).name)
        data = message.as_bytes()
        _check_headers(data, draft, bool(self.message.cc), bool(self.message.reply_to))
        return data


def _address(value: str) -> Address:
    name, address = split_mailbox(value)
    return Address(name, addr_spec=address)


def _html_document(subject: str, body: str, language: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{html.escape(subject)}</title>\n</head>\n'
            f"<body>\n{body}</body>\n</html>\n")


def _check_headers(data: bytes, draft: Draft, cc: bool, reply_to: bool) -> None:
    """Read the message back: refuse it unless its headers are exactly the intended ones.

    The values were checked before; this guards against a value that a library would
    write differently (older Pythons wrote some line breaks in names unquoted).
    """
    parsed = BytesParser(policy=email.policy.default).parsebytes(data, headersonly=True)
    expected = {"from", "to", "subject", "date", "message-id", "x-advocacy-letter",
                "mime-version", "content-type"} | ({"cc"} if cc else set()) | \
        ({"reply-to"} if reply_to else set())
    names = [name.lower() for name in parsed]
    to = [address.addr_spec for address in parsed["To"].addresses] if "To" in parsed else []
    if sorted(names) != sorted(expected) or to != [draft.address]:
        raise AdvocacyError(f"letter {draft.letter.stem}: the email made for it does not have "
                            f"the intended headers ({', '.join(names)}); it was not sent")
