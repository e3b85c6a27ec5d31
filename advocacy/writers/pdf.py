"""The PDF writer: WeasyPrint lays out the letter's HTML with the template's CSS."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pydyf
import weasyprint
from weasyprint.draw import text as draw_text
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from advocacy.errors import AdvocacyError

# A one-page letter carries no "Page 1 of 1" footer.
_NO_PAGE_NUMBERS = "@page { @bottom-center { content: none !important; } }"  # beats the author CSS


class ResourceRefused(ValueError):
    """A letter asked for a file or URL it may not use."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Let WeasyPrint read only files inside allowed folders; never the network."""

    def __init__(self, folders: list[Path], files: frozenset[Path] = frozenset()) -> None:
        super().__init__(fail_on_errors=True)
        self.folders = [Path(os.path.realpath(folder)) for folder in folders]
        self.files = frozenset(Path(os.path.realpath(file)) for file in files)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:  # noqa: D102
        if urlparse(url).scheme == "data":
            return super().fetch(url, headers)
        return URLFetcherResponse(url, self.read(url))

    def read(self, url: str) -> bytes:
        """Return the bytes of an allowed local file (the DOCX writer reads images here too)."""
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ResourceRefused(f"'{url}' is not a local file; letters never fetch from the "
                                  "network")
        real = Path(os.path.realpath(unquote(parsed.path)))
        allowed = real in self.files or any(real.is_relative_to(f) for f in self.folders)
        if not allowed:
            raise ResourceRefused(f"'{url}' is outside templates/; letters may only use files "
                                  "from the project's templates/ folder and signature images")
        try:
            return real.read_bytes()
        except OSError as error:
            raise ResourceRefused(f"'{url}' cannot be read: {error.strerror}") from None


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
        data = self.document.write_pdf(pdf_variant=variant, pdf_identifier=True)
        assert isinstance(data, bytes)
        return data


def lay_out(html: str, base: Path, fetcher: ProjectFetcher) -> LaidOut:
    """Lay out a letter: with 'Page N of M' when it takes more than one page."""
    document = render(html, base, fetcher)
    if len(document.pages) == 1:
        document = render(html, base, fetcher, [weasyprint.CSS(string=_NO_PAGE_NUMBERS)])
    return LaidOut(document)


def render(html: str, base: Path, fetcher: ProjectFetcher, styles: list[Any] | None = None) -> Any:
    """Lay out an HTML document with WeasyPrint, fetching only what the fetcher allows."""
    try:
        source = weasyprint.HTML(string=html, base_url=f"{base.resolve().as_uri()}/",
                                 url_fetcher=fetcher)
        return source.render(font_config=_font_config(), stylesheets=styles)
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise AdvocacyError(f"{base}: refused to fetch a resource: {cause}") from None


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
