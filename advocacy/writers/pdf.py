"""The PDF writer: WeasyPrint lays out the letter's HTML with the template's CSS."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pydyf
import weasyprint
from weasyprint.draw import text as draw_text
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from advocacy import files, images
from advocacy.compose.templating import MAX_TEMPLATE_BYTES
from advocacy.errors import AdvocacyError, Place
from advocacy.writers import pdf_ua

# A one-page letter carries no "Page 1 of 1" footer.
_NO_PAGE_NUMBERS = "@page { @bottom-center { content: none !important; } }"  # beats the author CSS


class ResourceRefused(AdvocacyError):
    """A letter asked for a file or URL it may not use; the message names its template."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Let WeasyPrint read only files inside allowed folders; never the network.

    ``folders`` are the template folders, the project's first (Project.template_folders).

    ``source`` is the template the letters come from (default: the first folder):
    messages name it, and relative URLs are read from its folder, as WeasyPrint does.
    """

    def __init__(self, folders: list[Path], files: frozenset[Path] = frozenset(),
                 source: Path | None = None) -> None:
        super().__init__(fail_on_errors=True)
        self.folders = [Path(os.path.realpath(folder)) for folder in folders]
        self.files = frozenset(Path(os.path.realpath(file)) for file in files)
        self.source = source or folders[0]
        self.base = self.source.resolve().as_uri() + ("/" if self.source.is_dir() else "")
        self.refusal: ResourceRefused | None = None  # kept: WeasyPrint's SVG code hides errors
        self.checked: dict[bytes, str | None] = {}  # image digest -> what is wrong with it

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:  # noqa: D102
        if urlparse(url).scheme == "data":
            try:
                response = super().fetch(url, headers)
                data = response.read()
            except Exception as error:
                raise self.refused(url, f"cannot read it: {error}") from None
            if response.headers.get_content_maintype() == "image" or images.is_image("", data):
                self.check_image(url, "", data)
            return URLFetcherResponse(url, data, response.headers)
        return URLFetcherResponse(url, self.read(url))

    def read(self, url: str) -> bytes:
        """Return the bytes of an allowed local file (the DOCX writer reads images here too).

        Files are read through the checked opener (files.py: a regular file, never too
        big), and images are decoded first (images.py): WeasyPrint would leave out a
        damaged one without a word.
        """
        parsed = urlparse(urljoin(self.base, url))
        if parsed.scheme != "file":
            raise self.refused(url, "letters never fetch from the network; copy the file into "
                               "templates/ and use its name")
        path = self.overlaid(unquote(parsed.path))
        real = Path(os.path.realpath(path))
        allowed = real in self.files or any(real.is_relative_to(f) for f in self.folders)
        if not allowed:
            where = "outside" if real == Path(os.path.abspath(path)) else "a link to a file outside"
            raise self.refused(url, f"it is {where} templates/; letters may use only files in "
                               "the project's templates/ folder and signature images")
        try:
            data = files.read_checked(real, files.MAX_RESOURCE_BYTES)
        except AdvocacyError as error:
            reason = error.problems[0].message if error.problems else str(error)
            raise self.refused(url, f"it {reason.removeprefix('file ')}") from None
        if images.is_image(real.suffix, data):
            self.check_image(url, real.suffix, data)
        return data

    def overlaid(self, path: str) -> str:
        """Return the file a path names in the first folder that has one of that name.

        A letter names its stylesheet relative to its template ('letter.css'): the
        project's templates/letter.css when there is one, else the package's.
        """
        absolute = Path(os.path.abspath(path))
        for folder in self.folders:
            if absolute.is_relative_to(folder):
                relative = absolute.relative_to(folder)
                found = (other / relative for other in self.folders)
                return str(next((f for f in found if os.path.lexists(f)), absolute))
        return path

    def check_image(self, url: str, suffix: str, data: bytes) -> None:
        """Refuse an image that is damaged or too big, naming the template that asked for it."""
        key = hashlib.sha256(data).digest() + suffix.encode()
        if key not in self.checked:  # each image is decoded once, not once per letter
            self.checked[key] = images.problem(suffix, data)
        found = self.checked[key]
        if found is not None:
            raise self.refused(url, f"it {found}")

    def refused(self, url: str, reason: str) -> ResourceRefused:
        """Build the error for a URL that may not be fetched, placed at the template's line."""
        shown = url if len(url) <= 100 else f"{url[:100]}..."
        problem = AdvocacyError.at(Place(self.source, self.line_of(url)),
                                   f"refused to fetch '{shown}': {reason}")
        self.refusal = self.refusal or ResourceRefused(str(problem), problem.problems)
        return self.refusal

    def line_of(self, url: str) -> int | None:
        """Find the line of the template that names a URL, as written or relative to it.

        WeasyPrint passes URLs made absolute; one written in a file the template
        includes (a stylesheet) is not found, and the message names the template only.
        """
        if not self.source.is_file():
            return None
        try:
            text = files.read_checked(self.source, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
        except AdvocacyError:
            return None
        written = [url]
        parsed = urlparse(url)
        if parsed.scheme == "file":
            written.append(os.path.relpath(unquote(parsed.path), self.source.parent))
        found = [text.find(form) for form in written if form and form in text]
        return text.count("\n", 0, min(found)) + 1 if found else None

    def raise_refusal(self) -> None:
        """Raise the first refusal since the last call, even one WeasyPrint did not pass on."""
        refusal, self.refusal = self.refusal, None
        if refusal is not None:
            raise refusal


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()  # shared by every render of this process: fonts load once


@dataclass(frozen=True)
class LaidOut:
    """A letter laid out by WeasyPrint, ready to be written as PDF."""

    document: weasyprint.Document

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return len(self.document.pages)

    def pdf(self, variant: str | None = None) -> bytes:
        """Return the PDF bytes; same input, same bytes."""
        with fetching(self.document.url_fetcher):  # SVG images and attachments come now
            data = self.document.write_pdf(pdf_variant=variant, pdf_identifier=True)
        assert isinstance(data, bytes)
        if variant in pdf_ua.VARIANTS:
            data = pdf_ua.mark_artifacts(data)  # the "Page N of M" footer is not content
        return data


def lay_out(html: str, base: Path, fetcher: ProjectFetcher) -> LaidOut:
    """Lay out a letter: with 'Page N of M' when it takes more than one page."""
    document = lay_out_html(html, base, fetcher)
    if len(document.pages) == 1:
        document = lay_out_html(html, base, fetcher, [weasyprint.CSS(string=_NO_PAGE_NUMBERS)])
    return LaidOut(document)


def lay_out_html(html: str, base: Path, fetcher: ProjectFetcher,
                 styles: list[Any] | None = None) -> Any:
    """Lay out an HTML document with WeasyPrint, fetching only what the fetcher allows."""
    with fetching(fetcher):
        source = weasyprint.HTML(string=html, base_url=f"{base.resolve().as_uri()}/",
                                 url_fetcher=fetcher)
        return source.render(font_config=_font_config(), stylesheets=styles)


@contextlib.contextmanager
def fetching(fetcher: Any) -> Iterator[None]:
    """Stop at the first resource the fetcher refused, with its message.

    WeasyPrint stops at most refusals itself; in SVG images it draws nothing instead,
    so the fetcher's record of refusals is checked afterwards too.
    """
    try:
        yield
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        if isinstance(cause, AdvocacyError):
            raise cause from None
        raise AdvocacyError(f"cannot fetch a resource: {cause}") from None
    if isinstance(fetcher, ProjectFetcher):
        fetcher.raise_refusal()


# --- Extractable complex scripts -------------------------------------------------------------
#
# WeasyPrint maps each glyph to Unicode once, in the first context it meets it, so a
# Khmer glyph drawn before its consonant (a pre-base vowel) or inside a ligature
# extracts as the wrong text; no reader can undo that. Wrapping each text box that
# holds such a script in /Span <</ActualText (its text)>> gives readers that honour
# ActualText (poppler's pdftotext, pdf.js, Acrobat) the exact text; nothing drawn
# changes. WeasyPrint issue #2841 is the same defect with Arabic.

_COMPLEX_SCRIPTS = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")  # Khmer and Khmer symbols


def _install_actual_text() -> None:
    original = getattr(draw_text, "draw_first_line", None)
    if original is None or getattr(original, "actual_text", False):
        return  # another WeasyPrint; tests/test_languages.py notices the text is wrong

    def draw_first_line(stream: Any, textbox: Any, *args: Any) -> Any:
        text = textbox.text
        if not _COMPLEX_SCRIPTS.search(text):
            return original(stream, textbox, *args)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return original(stream, textbox, *args)
        finally:
            stream.end_marked_content()

    draw_first_line.actual_text = True  # type: ignore[attr-defined]
    draw_first_line.original = original  # type: ignore[attr-defined]  # for the tests
    draw_text.draw_first_line = draw_first_line


_install_actual_text()
pdf_ua.install_note_tags()
