"""Markdown to HTML with markdown-it-py (CommonMark) and its footnote plugin.

Footnotes come out as ``<span class="footnote">text</span>`` at the place that
cites them, not as a list at the end: WeasyPrint floats such a span to the foot
of the page that cites it (CSS ``float: footnote``), and the DOCX writer turns it
into a real Word footnote. Raw HTML in Markdown is escaped, never passed through,
and images are refused: a letter's only images are signature images.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

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


@cache
def _parser() -> MarkdownIt:
    # markdown-it drops, without a word, what is nested deeper than maxNesting; parsed
    # with room to spare, such text is found (see _refuse_nesting) and refused instead.
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False,
                                       "maxNesting": 5 * MAX_NESTING})
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
    for note_tokens in notes.values():
        _refuse(note_tokens, None, in_note=True)
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
