"""Markdown to HTML with markdown-it-py (CommonMark) and its footnote plugin.

Footnotes come out as ``<span class="footnote">text</span>`` at the place that
cites them, not as a list at the end: WeasyPrint floats such a span to the foot
of the page that cites it (CSS ``float: footnote``), and the DOCX writer turns it
into a real Word footnote. Raw HTML in Markdown is escaped, never passed through,
and images are refused: a letter's only images are signature images. Bare URLs
become links (linkify), whose text may break only where a reader expects it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import mdurl
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

MAX_NESTING = 20  # markdown-it's own limit (CommonMark preset): a list takes two levels


class MarkdownError(ValueError):
    """Markdown that a letter cannot print; the message says what to do."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # 0-based, in the text, when known


# A long URL breaks after '/' and the punctuation between its parts, never inside a word
# nor after a hyphen, where the line would end like a hyphenated word. U+200B (zero-width
# space) allows a break, U+2060 (word joiner) forbids one; WeasyPrint and LibreOffice
# draw neither and leave both out of the PDF's text, so the URL still reads and copies
# as written. (Word's non-breaking hyphen would not do: LibreOffice then breaks the URL
# inside a word rather than at an earlier U+200B.)
URL_BREAK = "\u200b"
NO_BREAK = "\u2060"
_URL_BREAKS = re.compile(r"([/?&=#+]+)(?=[^/?&=#+])|(-)(?=.)")


def breakable_url(url: str) -> str:
    """Return a URL's text with its line-break opportunities marked (see URL_BREAK)."""
    return _URL_BREAKS.sub(lambda m: f"{m[1]}{URL_BREAK}" if m[1] else f"-{NO_BREAK}", url)


class _Markdown(MarkdownIt):
    def normalizeLinkText(self, link: str) -> str:
        """Show a link's URL as written: '%20' stays '%20'; only non-ASCII is decoded."""
        parsed = mdurl.parse(link, slashes_denote_host=True)
        return str(mdurl.decode(mdurl.format(parsed), _ASCII))


_ASCII = "".join(map(chr, range(128)))  # percent escapes of these stay as written


@cache
def _parser() -> MarkdownIt:
    # markdown-it drops, without a word, what is nested deeper than maxNesting; parsed
    # with room to spare, such text is found (see _refuse_nesting) and refused instead.
    parser = _Markdown("commonmark", {"html": False, "typographer": False, "linkify": True,
                                      "maxNesting": 5 * MAX_NESTING})
    parser.enable("linkify")
    parser.use(footnote_plugin)
    parser.add_render_rule("footnote_ref", _render_footnote_ref)
    return parser


def to_html(text: str) -> str:
    """Convert Markdown text to HTML, with footnotes inline at their call."""
    parser = _parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(text, env)
    _refuse_nesting(tokens)
    body, notes = _split_footnotes(tokens)
    for token in body:
        _refuse(token.children or [], token.map[0] if token.map else None)
        _mark_url_breaks(token.children or [])
    for note_tokens in notes.values():
        _refuse(note_tokens, None, in_note=True)
        _mark_url_breaks(note_tokens)
    env["inline_footnotes"] = {
        note_id: parser.renderer.render(note_tokens, parser.options, env).strip()
        for note_id, note_tokens in notes.items()
    }
    return str(parser.renderer.render(body, parser.options, env))


def _refuse_nesting(tokens: list[Token]) -> None:
    """Refuse text nested deeper than letters print it (markdown-it's default would drop it)."""
    line = None
    for token in tokens:
        if token.map:
            line = token.map[0]
        if token.level >= MAX_NESTING and token.type != "inline":  # a block markdown-it drops
            raise MarkdownError("lists or quotes are nested too deeply here: a letter prints "
                                f"at most {MAX_NESTING // 2 - 1} lists, or {MAX_NESTING - 1} "
                                "quotes, one inside another; flatten the text", line)


def _refuse(inline: Iterable[Token], line: int | None, in_note: bool = False) -> None:
    """Refuse images (never fetched from a text) and footnotes inside footnotes."""
    for token in inline:
        if token.type == "image":
            raise MarkdownError(f"images are not allowed in texts ('{token.attrs['src']}'); "
                                "remove it: letters print only signature images", line)
        if in_note and token.type == "footnote_ref":
            raise MarkdownError("a footnote cites another footnote; footnotes cannot be "
                                "nested, so write the text into the first one", line)


def _mark_url_breaks(inline: list[Token]) -> None:
    """Mark where the text of each link written as a bare URL may break."""
    for link, text in itertools.pairwise(inline):
        if link.type == "link_open" and link.markup in ("linkify", "autolink") \
                and text.type == "text":
            text.content = breakable_url(text.content)


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Take the footnote block out of the token stream; return each note's inline tokens."""
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    inside_block = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside_block = True
        elif token.type == "footnote_block_close":
            inside_block = False
        elif token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif not inside_block:
            body.append(token)
        elif current is not None and token.type == "inline":
            # Keep only the text: a footnote's paragraphs are joined into one line.
            if current:
                current.append(Token("text", "", 0, content=" "))
            current.extend(token.children or [])
    return body, notes


def _render_footnote_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    note_id = tokens[idx].meta["id"]
    text = env["inline_footnotes"].get(note_id, "")
    return f'<span class="footnote">{text}</span>'
