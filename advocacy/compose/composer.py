"""Stage 4, compose: render each letter to one semantic HTML document.

That one document is the single source of both the PDF and the DOCX. The
template context has a type (``LetterContext`` in context.py): it lists every
name a template may use. Texts (the campaign body, statements) are Markdown with
Jinja: Jinja runs first with Markdown-escaped values, then Markdown becomes HTML.
"""

from __future__ import annotations

import functools
import re
import types
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from advocacy import i18n, load
from advocacy.compose import markdown
from advocacy.compose.context import EnclosureView, LetterContext
from advocacy.compose.templating import (
    MarkdownText,
    make_environment,
    markdown_overlay,
    template_context,
)
from advocacy.errors import AdvocacyError, Place
from advocacy.models import StatementRef
from advocacy.planning import Letter
from advocacy.signatories import lists as signatory_lists
from advocacy.signatories.lists import SignatoryView
from advocacy.validate.campaign import Inputs, Statement

# What a template's own code can get wrong with the values it is given: '1 + "a"', '1 / 0',
# '"a".index("b")', '"%d" % "a"', '{}["x"]'. Errors of this program are not among them: the
# sandbox lets templates call only text methods and their own macros.
TEMPLATE_MISTAKES = (TypeError, ValueError, LookupError, ArithmeticError)


class Composer:
    """Render the letters of one campaign to HTML."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.env = make_environment(inputs.project.template_folders)
        self.text_env = markdown_overlay(self.env)
        # Plain text, not HTML or Markdown: an email's subject, a 'To:' line (escaped later).
        self.plain_env = self.env.overlay(autoescape=False)
        # A text's source -> its template, per environment: compiled once, not per letter.
        self.compiled: dict[tuple[int, str], jinja2.Template] = {}
        self.to_lines: dict[str, str] = {}  # by language: the same in every copy

    def compose(self, letter: Letter) -> str:
        """Return the HTML document of one letter, in the letter's language."""
        path = self.inputs.template_for(letter.language)
        html = self.render(self.env.get_template(path.name), self.context(letter), Place(path))
        if not html.strip():  # else a blank page, without a word
            raise AdvocacyError.at(Place(path), "template error: the template writes nothing; "
                                   "write the letter in it (see templates/letter.html.j2)")
        return html

    def text_context(self, letter: Letter) -> dict[str, Any]:
        """Build the names a text (the body, a statement) may use, for one letter."""
        texts = self.inputs.campaign.texts(letter.language)
        return {
            "recipient": letter.recipient,
            "sender": letter.sender,
            "title": self.inputs.campaign.title,
            "date": format_date(letter.date, "long", locale=letter.language)
            if letter.date else "",
            "vars": types.MappingProxyType(
                {name: MarkdownText(value) for name, value in texts.vars.items()}),
        }

    def context(self, letter: Letter) -> LetterContext:
        """Build the template context of one letter."""
        campaign = self.inputs.campaign
        language = letter.language
        texts = campaign.texts(language)
        text_context = self.text_context(letter)
        if isinstance(texts.body, StatementRef):
            statement = self.inputs.statements[(texts.body.statement, language)]
            body = self.text(statement.body, text_context, _body_place(statement))
        else:
            key = ("body",) if language == campaign.language else ("translations", language,
                                                                    "body")
            line = self.inputs.document.text_line(key)
            body = self.text(texts.body, text_context, Place(self.inputs.path, line))
        words = i18n.words(language)
        if texts.subject_label:
            words = {**words, "subject": texts.subject_label}
        return LetterContext(
            title=campaign.title,
            subject=texts.subject,
            language=letter.language,
            paper=letter.paper,
            date=str(text_context["date"]),
            letterhead=campaign.letterhead,
            sender=letter.sender,
            recipient=letter.recipient,
            address_block=list(letter.address.lines),
            to=self.to_line(letter, text_context) if letter.role != "letter" else None,
            salutation=letter.salutation,
            body=body,
            closing=texts.closing,
            signature=list(texts.signature),
            signatories=self.signatories(campaign.signatories, language),
            enclosures=[self.enclosure(ref, letter, text_context) for ref in campaign.enclosures],
            words=words,
        )

    def to_line(self, letter: Letter, text_context: dict[str, Any]) -> str:
        """Render an open letter's 'To:' line: plain text that may use title, date and vars."""
        language = letter.language
        if language not in self.to_lines:
            texts = self.inputs.campaign.texts(language)
            assert texts.to is not None  # validated: an open letter has it in every language
            key = ("to",) if language == self.inputs.campaign.language else (
                "translations", language, "to")
            place = Place(self.inputs.path, self.inputs.document.text_line(key))
            names: dict[str, Any] = {name: str(text_context[name]) for name in ("title", "date")}
            names["vars"] = types.MappingProxyType(dict(texts.vars))
            self.to_lines[language] = self.plain_text(texts.to, names, place).strip()
        return self.to_lines[language]

    def enclosure(
        self, ref: StatementRef, letter: Letter, text_context: dict[str, Any]
    ) -> EnclosureView:
        """Build the view of one attached statement."""
        statement = self.inputs.statements[(ref.statement, letter.language)]
        front = statement.front
        contact = None
        if front.contact:
            contact = _markdown(front.contact, statement.front_place("contact"))
        return EnclosureView(
            title=front.title,
            date=format_date(front.date, "long", locale=letter.language) if front.date else None,
            body=self.text(statement.body, text_context, _body_place(statement)),
            signatories=self.signatories(ref.signatories or front.signatories, letter.language),
            contact=contact,
        )

    def signatories(self, name: str | None, language: str) -> SignatoryView | None:
        """Build the printed form of a signatory list."""
        if name is None:
            return None
        signatories = self.inputs.signatories[name]
        return signatory_lists.printed(signatories.model, signatories.path, language)

    def text(self, source: str, context: Any, place: Place) -> Markup:
        """Render a Markdown + Jinja text to HTML."""
        return _markdown(self.render(self._compile(self.text_env, source, place), context,
                                     place), place)

    def plain_text(self, source: str, context: Any, place: Place) -> str:
        """Render a Jinja text that is neither HTML nor Markdown (an email's subject)."""
        return self.render(self._compile(self.plain_env, source, place), context, place)

    def _compile(self, env: jinja2.Environment, source: str, place: Place) -> jinja2.Template:
        key = (id(env), source)
        template = self.compiled.get(key)
        if template is None:  # the same statement is in every letter
            try:
                template = self.compiled[key] = env.from_string(source)
            except jinja2.TemplateSyntaxError as error:
                raise _template_error(error, place) from None
        return template

    def render(self, template: jinja2.Template, context: Any, place: Place) -> str:
        """Render a template, turning template mistakes into errors that name the place."""
        names = template_context(context)  # outside the try: a mistake here is this program's
        try:
            text = template.render(names)
        except (jinja2.TemplateError, RecursionError, MemoryError, *TEMPLATE_MISTAKES) as error:
            raise _template_error(error, place) from None
        found = load.CONTROL.search(text)  # in a template file, or an escape such as "\x0b"
        if found:
            raise AdvocacyError.at(place, f"template error: {load.control_message(found[0])}")
        return text


def _markdown(text: str, place: Place) -> Markup:
    """Convert a Markdown text to HTML; what a letter cannot print is an error at its place."""
    try:
        return _html_of(text)
    except markdown.MarkdownError as error:
        if place.line is not None and error.line is not None:
            place = Place(place.path, place.line + error.line)
        raise AdvocacyError.at(place, str(error)) from None


@functools.lru_cache(maxsize=64)
def _html_of(text: str) -> Markup:
    """Convert Markdown once per text: a statement reads the same in every letter of a batch.

    Bounded: in a constituent campaign each body may differ, and memory must stay flat.
    """
    return Markup(markdown.to_html(text))


def _body_place(statement: Statement) -> Place:
    return Place(statement.path, statement.body_line)


def _template_error(error: BaseException, place: Place) -> AdvocacyError:
    """Name the template file and line of a Jinja error."""
    path, line = place.path, place.line
    template_line = getattr(error, "lineno", None)
    frame_file, frame_line = _template_frame(error)
    if frame_file and frame_file != "<template>":
        path, line = Path(frame_file), frame_line
    elif template_line or frame_line:
        line = (line or 1) + (template_line or frame_line or 1) - 1
    message = getattr(error, "message", None) or str(error)
    if isinstance(error, jinja2.UndefinedError):
        attribute = re.match(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message)
        if attribute:
            message = f"{attribute[1].lower()} has no field '{attribute[2]}'"
        message = (f"{message}; check the spelling, or see LetterContext in "
                   "advocacy/compose/context.py")
    elif isinstance(error, (jinja2.exceptions.SecurityError, OverflowError)):
        hint = ("; templates may use only the fields of LetterContext "
                "(advocacy/compose/context.py)")
        message = f"refused by the template sandbox: {message.rstrip('.')}" \
            f"{hint if message.endswith('unsafe.') else ''}"
    elif isinstance(error, RecursionError):
        message = "a macro or template calls itself without end; remove the loop"
    elif isinstance(error, MemoryError):
        message = "the template makes texts too big for this computer's memory; simplify it"
    elif isinstance(error, KeyError):  # its message is only the key
        message = f"no key {message} in the mapping"
    return AdvocacyError.at(Place(path, line), f"template error: {message}")


def _template_frame(error: BaseException) -> tuple[str | None, int | None]:
    """Find the innermost template frame in a traceback that Jinja rewrote."""
    found: tuple[str | None, int | None] = (None, None)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == "<template>" or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
