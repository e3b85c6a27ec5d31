"""The text part of an email, from the HTML of its Markdown: both parts say the same.

Paragraphs and headings are separated by blank lines, list items start with '- '
or their number, quotes with '> ', a link is followed by its address when its text
is not the address itself, and a footnote is written in brackets where it is cited.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from advocacy.compose.markdown import NO_BREAK, URL_BREAK

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote",
                     "pre", "hr", "table"})


def invisible_breaks_removed(text: str) -> str:
    """Remove the marks that tell the letter where a URL may break (not for email)."""
    return text.replace(URL_BREAK, "").replace(NO_BREAK, "")


def to_text(html: str) -> str:
    """Turn the HTML of a Markdown text into plain text."""
    parser = _TextParser()
    parser.feed(invisible_breaks_removed(html))
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[int | None] = []  # None: a bullet list; a number: the next item's
        self.links: list[tuple[str, int]] = []  # href, where its text starts in out
        self.spans: list[bool] = []  # whether each open span is a footnote
        self.quotes = 0
        self.pre = 0
        self.breaks = 0  # line breaks owed before the next text
        self.line_start = True

    def _break(self, count: int) -> None:
        self.breaks = max(self.breaks, count)

    def _write(self, text: str) -> None:
        if self.breaks and self.out:
            self.out.append("\n" * self.breaks + "> " * self.quotes)
            self.line_start = True
        elif not self.out and self.quotes:  # a quote that opens the text
            self.out.append("> " * self.quotes)
        self.breaks = 0
        if self.line_start:
            text = text.lstrip(" ")
        if text:
            self.out.append(text)
            self.line_start = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in _BLOCKS and not (tag in ("ul", "ol") and self.lists):
            self._break(2)
        if tag == "blockquote":
            self.quotes += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "hr":
            self._write("----")
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            self.lists.append(int(found.get("start") or 1))
        elif tag == "li":
            self._break(1)
            number = self.lists[-1] if self.lists else None
            if self.lists and number is not None:
                self.lists[-1] = number + 1
            indent = "   " * max(len(self.lists) - 1, 0)
            self._write(indent + ("- " if number is None else f"{number}. "))
            self.out[-1] = indent + self.out[-1].lstrip(" ")  # keep a nested item's indent
        elif tag == "br":
            self._break(1)
        elif tag == "a":
            self.links.append((found.get("href") or "", len(self.out)))
        elif tag == "span":
            note = "footnote" in (found.get("class") or "").split()
            self.spans.append(note)
            if note:
                self._write(" [")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self.quotes = max(self.quotes - 1, 0)
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.out[start:]).strip()
            shown = href.removeprefix("mailto:")
            if href and text not in (href, shown) and f"http://{text}" != href:
                self._write(f" <{shown}>")
        elif tag == "span" and self.spans and self.spans.pop():
            self._write("]")
        if tag in _BLOCKS:
            self._break(2)

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._write(data.replace("\n", "\n" + "> " * self.quotes))
        elif data.strip(" \t\n\r\f") or not (self.line_start or self.breaks):
            # HTML's white space only: a no-break space (U+00A0, U+202F) is kept.
            self._write(re.sub(r"[ \t\n\r\f]+", " ", data))
