"""Markdown files with an optional YAML front matter block (statements)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advocacy.errors import AdvocacyError, Place
from advocacy.load.text import MAX_MARKDOWN_BYTES, read_text
from advocacy.load.yaml_document import Document, load_mapping


@dataclass
class MarkdownFile:
    """A Markdown file: its front matter (as a Document) and its body text."""

    front: Document
    body: str
    body_line: int  # line number of the body's first line in the file


def load_markdown(path: Path, root: Path | None = None) -> MarkdownFile:
    """Read Markdown with an optional ``---``-fenced YAML front matter block."""
    text = read_text(path, MAX_MARKDOWN_BYTES, root)
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                front_text = "".join(lines[1:index])
                front = load_mapping(path, front_text, line_offset=1)
                return MarkdownFile(front, "".join(lines[index + 1 :]), index + 2)
        raise AdvocacyError.at(
            Place(path, 1, 1), "front matter starts with '---' but has no closing '---' line"
        )
    return MarkdownFile(Document(path, {}, {(): (1, 1)}), text, 1)
