"""The one factory for Jinja environments: sandboxed, strict, reading only templates/.

Two flavours come from the same factory: the HTML environment (autoescape on)
renders letter templates; its Markdown overlay (autoescape off) renders
statement and body text, where every inserted value is Markdown-escaped so a
recipient's name can never turn into formatting, links or HTML.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
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
        if template.startswith("/") or "\\" in template or ".." in template.split("/"):
            raise TemplateNotFound(template, f"'{template}' is not a template name: include "
                                   "or extend templates by their file name in templates/, "
                                   "without '..' or '/' at the start")
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except TemplateNotFound:
            raise TemplateNotFound(template, f"no template '{template}' in templates/") from None
        real = Path(os.path.realpath(filename))
        if not real.is_relative_to(self.folder):
            raise TemplateNotFound(template, f"'{template}' is a link that leads outside "
                                   "templates/; copy the file itself into templates/")
        return source, filename, uptodate


# What one operator may build: bigger results are a template trying to exhaust memory or time.
MAX_POWER_BITS = 10_000  # 2 ** 10_000 has over 3,000 digits
MAX_REPEAT = 1_000_000  # characters or items made by 'text' * n


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with limits on '*' and '**' and on how deeply a template nests."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and right > 0 and left.bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(f"{left} ** {right} is too large a number")
        if operator == "*" and isinstance(left, int) != isinstance(right, int):
            count, repeated = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(repeated, (str, list, tuple)) and len(repeated) * count > MAX_REPEAT:
                raise SecurityError(f"repeating {len(repeated)} characters or items {count} "
                                    f"times makes more than {MAX_REPEAT:,}")
        return super().call_binop(context, operator, left, right)

    def parse(self, source: str, name: str | None = None,
              filename: str | None = None) -> Any:
        with _nesting_limit(name, filename):
            return super().parse(source, name, filename)

    def compile(self, source: Any, name: str | None = None,
                filename: str | None = None, raw: Any = False, defer_init: bool = False) -> Any:
        with _nesting_limit(name, filename):
            return super().compile(source, name, filename, raw, defer_init)


@contextlib.contextmanager
def _nesting_limit(name: str | None, filename: str | None) -> Iterator[None]:
    """Turn the limits Python puts on nesting into a template error."""
    try:
        yield
    except TemplateSyntaxError:
        raise
    except (RecursionError, SyntaxError):  # SyntaxError: too many statically nested blocks
        raise TemplateSyntaxError("the template is nested too deeply; simplify it", 1, name,
                                  filename) from None


def markdown_filter(text: str) -> Markup:
    """Jinja filter: Markdown text to HTML (safe: raw HTML in the text is escaped)."""
    return Markup(markdown.to_html(str(text)))


def make_environment(templates: Path) -> SandboxedEnvironment:
    """Build the HTML environment for one project's templates folder."""
    env = _Sandbox(
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
