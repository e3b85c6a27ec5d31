"""The one factory for Jinja environments: sandboxed, strict, reading only templates/.

Two flavours come from the same factory: the HTML environment (autoescape on)
renders letter templates; its Markdown overlay (autoescape off) renders
statement and body text, where every inserted value is Markdown-escaped so a
recipient's name can never turn into formatting, links or HTML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from advocacy import markdown


class MarkdownText(str):
    """Markdown written by the campaign's author: inserted into texts without escaping."""

    __slots__ = ()


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def escape_markdown(value: Any) -> str:
    """Backslash-escape punctuation so a value prints literally in CommonMark."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


class TemplatesOnlyLoader(FileSystemLoader):
    """Load templates from one folder; refuse symlinks or names that lead outside it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder.resolve()

    def get_source(self, environment: Any, template: str) -> Any:  # noqa: D102
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        if not real.is_relative_to(self.folder):
            raise TemplateNotFound(f"{template} (it leads outside templates/)")
        return source, filename, uptodate


def markdown_filter(text: str) -> Markup:
    """Jinja filter: Markdown text to HTML (safe: raw HTML in the text is escaped)."""
    return Markup(markdown.to_html(str(text)))


def make_environment(templates: Path) -> SandboxedEnvironment:
    """Build the HTML environment for one project's templates folder."""
    env = SandboxedEnvironment(
        loader=TemplatesOnlyLoader(templates),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Only the names documented in compose.LetterContext and these filters exist.
    env.globals.clear()
    env.filters["markdown"] = markdown_filter
    return env


def markdown_overlay(env: SandboxedEnvironment) -> SandboxedEnvironment:
    """Return the environment for Markdown texts: no HTML escaping, Markdown escaping instead."""
    overlay = env.overlay(autoescape=False, finalize=escape_markdown)
    assert isinstance(overlay, SandboxedEnvironment)
    return overlay
