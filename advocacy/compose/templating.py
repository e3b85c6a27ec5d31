"""The one factory for Jinja environments, and the one way data enters a template.

Two flavours come from the same factory: the HTML environment (autoescape on)
renders letter templates; its Markdown overlay (autoescape off) renders
statement and body text, where every inserted value is Markdown-escaped so a
recipient's name can never turn into formatting, links or HTML. Both are the
sandbox of sandbox.py, read only templates/, and see only what ``plain`` makes:
texts, numbers, tuples and read-only records, never a model, a path or an object
with methods.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from pydantic import BaseModel

from advocacy import files, load
from advocacy.compose import markdown
from advocacy.compose.sandbox import Record, Sandbox, printable, record_type
from advocacy.compose.sandbox_filters import FILTERS

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024  # as a statement: a template is text a person wrote


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


class TemplatesOnlyLoader(BaseLoader):
    """Load templates from the project's templates/, then the package's; nothing else.

    A name is looked up in each folder in turn, so a project file overrides the
    package's file of the same name. A link or a name that leads outside its folder
    is refused. Each file is read through the checked opener (files.py): a named pipe,
    a device or a huge file in templates/ is refused, never waited on or read whole.
    """

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(folders)  # as the project names them, for messages

    def get_source(self, environment: Any, template: str) -> Any:  # noqa: D102
        if template.startswith("/") or "\\" in template or ".." in template.split("/"):
            raise TemplateNotFound(template, f"'{template}' is not a template name: include "
                                   "or extend templates by their file name in templates/, "
                                   "without '..' or '/' at the start")
        for folder in self.folders:
            path = Path(os.path.normpath(folder / template))
            if os.path.lexists(path) and not path.is_dir():
                return self._read(folder, path, template)
        raise TemplateNotFound(template, f"no template '{template}' in templates/")

    def _read(self, folder: Path, path: Path, template: str) -> Any:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(folder.resolve()):
            raise TemplateNotFound(template, f"'{template}' is a link that leads outside "
                                   "templates/; copy the file itself into templates/")
        source = load.decode_utf8(path, files.read_checked(path, MAX_TEMPLATE_BYTES))
        modified = os.stat(real).st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == modified
            except OSError:
                return False

        return source, str(path), uptodate


class _Environment(Sandbox):
    """The sandbox (sandbox.py), with a template error, not a crash, for deep nesting."""

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


def make_environment(folders: Sequence[Path]) -> SandboxedEnvironment:
    """Build the HTML environment for a project's template folders (Project.template_folders)."""
    env = _Environment(
        loader=TemplatesOnlyLoader(folders),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printable,
    )
    # Only the names documented in context.LetterContext, and the filters of sandbox_filters.
    env.filters = {**FILTERS, "markdown": markdown_filter}
    return env


def markdown_overlay(env: SandboxedEnvironment) -> SandboxedEnvironment:
    """Return the environment for Markdown texts: no HTML escaping, Markdown escaping instead."""
    overlay = env.overlay(autoescape=False, finalize=_markdown_value)
    assert isinstance(overlay, SandboxedEnvironment)
    return overlay


def _markdown_value(value: Any) -> str:
    return escape_markdown(printable(value))


# --- What templates see ------------------------------------------------------------------


def template_context(context: Any) -> dict[str, Any]:
    """Return the names a template sees, from a context dataclass or a mapping: plain data.

    The one way data enters a template (letters, texts, print templates): see plain.
    """
    if dataclasses.is_dataclass(context) and not isinstance(context, type):
        names = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    else:
        names = dict(context)
    return {name: plain(value) for name, value in names.items()}


def plain(value: Any) -> Any:
    """Return a value as template data: no object with methods, no path, nothing mutable.

    Texts stay texts (Markup and MarkdownText keep their kind), numbers stay numbers,
    dates become ISO texts, lists become tuples and mappings read-only mappings. A model
    or a dataclass becomes a Record named after its class, holding its fields (and the
    properties its class defines). Anything else is a mistake in this program, and raises
    TypeError.
    """
    if value is None or isinstance(value, (bool, int, float, Record)):
        return value
    if isinstance(value, str):
        return value if isinstance(value, (Markup, MarkdownText)) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    if isinstance(value, Mapping):
        return types.MappingProxyType({str(key): plain(item) for key, item in value.items()})
    if isinstance(value, BaseModel):
        fields = {name: plain(getattr(value, name)) for name in type(value).model_fields}
        return record_type(type(value).__name__)(fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attribute in vars(type(value)).items():
            if isinstance(attribute, property) and not name.startswith("_"):
                fields[name] = plain(getattr(value, name))
        text = str(value) if type(value).__str__ is not object.__str__ else None
        return record_type(type(value).__name__)(fields, text)
    raise TypeError(f"{type(value).__name__} is not template data; convert it in "
                    "templating.plain")
