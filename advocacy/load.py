"""Stage 1, load: read YAML, CSV and Markdown from disk, remembering where each value was.

Every value read from YAML keeps its line and column, so later stages can say
``campaigns/x.yaml:12:3: recipients.where.state: ...``. Loading is safe
(no Python tags), strict (duplicate keys and non-mappings are errors) and
bounded (size, nesting and alias expansion are limited).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advocacy import files
from advocacy.errors import AdvocacyError, Place, Problem

# A campaign folder is shared by email: refuse inputs no person would write.
MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50
MAX_CELL = 100_000  # characters in one CSV cell: far more than any name or address
MAX_COLUMNS = 1_000  # a sign-up form or a spreadsheet export has tens
MAX_VALUES = 2_000_000  # stops "billion laughs" alias expansion long before memory runs out

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster

# Characters no letter prints, that XML (hence WeasyPrint and Word) or YAML refuses: controls
# other than tab and line breaks, lone surrogates, and the non-characters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

Key = tuple[str | int, ...]
# The scalars plain YAML writes (explicit !!str included); !!binary, !!python/... are refused.
SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                        for name in ("null", "bool", "int", "float", "str", "timestamp"))


@dataclass
class Document:
    """Data read from one YAML file, with the place of every key and list item."""

    path: Path
    data: Any
    marks: dict[Key, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0
    text_lines: dict[Key, int] = field(default_factory=dict)  # first line of each text value

    def text_line(self, key: Key) -> int:
        """Return the line where a text value's content starts (for template line numbers)."""
        return self.text_lines.get(key, self.place(key).line or 1) + self.line_offset

    def place(self, key: Key = ()) -> Place:
        """Return the place of the deepest known part of ``key`` in this file."""
        for end in range(len(key), -1, -1):
            mark = self.marks.get(tuple(key[:end]))
            if mark is not None:
                return Place(self.path, mark[0] + self.line_offset, mark[1])
        return Place(self.path)


def read_text(path: Path, limit: int, root: Path | None = None) -> str:
    """Read a UTF-8 text file (a leading BOM is dropped), refusing huge files."""
    raw = read_bytes(path, limit, root)
    return decode_utf8(path, raw)


def read_bytes(path: Path, limit: int, root: Path | None = None) -> bytes:
    """Read a file's bytes through the checked opener (files.py).

    The file must be inside root (if given) and a regular file; nothing past the
    limit is read.
    """
    return files.read_checked(path, limit, root)


def decode_utf8(path: Path, raw: bytes) -> str:
    """Decode UTF-8, naming the line of the first byte that is not UTF-8."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise AdvocacyError.at(
            Place(path, line, column),
            f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8",
        ) from None
    check_characters(path, text)
    return text


def check_characters(path: Path, text: str) -> None:
    """Refuse control characters in a file's text, naming the place of the first."""
    found = CONTROL.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - before.rfind("\n")
    raise AdvocacyError.at(Place(path, line, column), control_message(found[0]))


def control_message(character: str) -> str:
    """Say that a control character is not allowed, and what to do."""
    return (f"control character U+{ord(character):04X} is not allowed in a text; delete it "
            "(most editors do not show it)")


def load_yaml(path: Path, text: str | None = None, line_offset: int = 0,
              root: Path | None = None) -> Document:
    """Load one YAML document safely; an empty file is an empty mapping.

    ``root``: the project folder the file must stay in (see files.open_checked).
    """
    if text is None:
        text = read_text(path, MAX_YAML_BYTES, root)
    try:
        _check_depth(path, text, line_offset)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = Place(path, mark.line + 1 + line_offset, mark.column + 1) if mark else Place(path)
        problem = (error.problem or error.context or "not valid YAML").strip()
        raise AdvocacyError.at(place, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as error:  # without a place: its message's first line says what
        problem = str(error).splitlines()[0]
        raise AdvocacyError.at(Place(path), f"not valid YAML: {problem}") from None
    except RecursionError:
        raise AdvocacyError.at(Place(path), f"nested more than {MAX_DEPTH} levels deep") from None
    document = Document(path, {}, {(): (1, 1)}, line_offset)
    if node is not None:
        builder = _Builder(document)
        try:
            document.data = builder.build(node, (), 0)
        except AdvocacyError as error:
            raise AdvocacyError.collect(builder.tags + error.problems) from None
        if builder.tags:
            raise AdvocacyError.collect(builder.tags)
    return document


def _check_depth(path: Path, text: str, line_offset: int) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses in C and would crash.

    Newer libyaml releases stop at a nesting limit of their own, and may reach it
    before our walk reaches level MAX_DEPTH (the scanner reads flow collections
    ahead). So when the fast walk fails, the pure-Python parser, which has no such
    limit, walks again to find the level where our own limit is crossed; a real
    syntax error is then reported as before, by the library that found it.
    """
    try:
        _walk_depth(path, text, line_offset, _Loader)
    except yaml.YAMLError:
        if _Loader is not yaml.SafeLoader:
            with contextlib.suppress(yaml.YAMLError):
                _walk_depth(path, text, line_offset, yaml.SafeLoader)
        raise


def _walk_depth(path: Path, text: str, line_offset: int, loader: Any) -> None:
    """Raise the placed nesting error at the first collection deeper than MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                place = Place(path, mark.line + 1 + line_offset, mark.column + 1) if mark \
                    else Place(path)
                raise AdvocacyError.at(place, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_mapping(path: Path, text: str | None = None, line_offset: int = 0,
                 root: Path | None = None) -> Document:
    """Load a YAML file whose top level must be a mapping."""
    document = load_yaml(path, text, line_offset, root)
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__
        raise AdvocacyError.at(
            document.place(()),
            f"the top level must be a mapping of 'key: value' lines, not a {_kind_name(kind)}",
        )
    return document


def _kind_name(python_type: str) -> str:
    return {"list": "list", "str": "text", "int": "number", "float": "number"}.get(
        python_type, python_type
    )


class _Builder:
    """Turn a composed YAML node tree into Python values, recording positions."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used
        self.count = 0
        self.tags: list[Problem] = []  # every refused tag, so that all are reported at once

    def build(self, node: yaml.Node, key: Key, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self._error(node, "too many values; aliases (*name) expand to more than "
                              f"{MAX_VALUES:,} values")
        if depth > MAX_DEPTH:
            raise self._error(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._refuse_tag(node)
                return None
            items = []
            for index, item in enumerate(node.value):
                self._mark((*key, index), item)
                items.append(self.build(item, (*key, index), depth + 1))
            return items
        return self._scalar(node, key)

    def _mapping(self, node: yaml.MappingNode, key: Key, depth: int) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self._refuse_tag(node)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._error(key_node, "merge keys (<<) are not supported; write the keys out")
            refused = len(self.tags)
            name = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if len(self.tags) > refused:
                continue  # a tagged key: reported once, as a tag
            if name is None or isinstance(name, (list, dict)):
                raise self._error(key_node, "a key must be a plain word")
            name = str(name)
            if name in result:
                first = self.document.marks[(*key, name)]
                raise self._error(
                    key_node, f"duplicate key '{name}' (first at line {first[0]}); keep only one"
                )
            self._mark((*key, name), key_node)
            result[name] = self.build(value_node, (*key, name), depth + 1)
        return result

    def _scalar(self, node: yaml.Node, key: Key | None = None) -> Any:
        if key is not None and isinstance(node, yaml.ScalarNode):
            block = node.style in ("|", ">")
            self.document.text_lines[key] = node.start_mark.line + 1 + int(block)
        if node.tag == "tag:yaml.org,2002:value":  # a plain '=': PyYAML has no reader for it
            return node.value
        if node.tag not in SCALAR_TAGS:
            self._refuse_tag(node)
            return None
        try:
            value = self.constructor.construct_object(node)
        except yaml.constructor.ConstructorError:
            self._refuse_tag(node)
            return None
        except ValueError as error:
            if node.tag == "tag:yaml.org,2002:int":  # Python refuses ints of over 4,300 digits
                raise self._error(node, f"a number of {len(node.value):,} characters is too "
                                  "long; put it in quotes if it is a text") from None
            raise self._error(node, f"cannot read value: {error}") from None
        found = CONTROL.search(value) if isinstance(value, str) else None
        if found:  # written as an escape such as "\0" in double quotes
            raise self._error(node, control_message(found[0]))
        return value

    def _refuse_tag(self, node: yaml.Node) -> None:
        """Record a tag that is not plain YAML; reading goes on to find the others.

        The tagged value is read as None; load_yaml returns nothing while any tag is refused.
        """
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        error = self._error(node, f"tag {tag} is not allowed: only plain YAML is read; "
                            "remove the tag")
        self.tags.extend(error.problems)

    def _mark(self, key: Key, node: yaml.Node) -> None:
        self.document.marks[key] = (node.start_mark.line + 1, node.start_mark.column + 1)

    def _error(self, node: yaml.Node, message: str) -> AdvocacyError:
        mark = node.start_mark
        place = Place(
            self.document.path, mark.line + 1 + self.document.line_offset, mark.column + 1
        )
        return AdvocacyError.at(place, message)


# --- Markdown with YAML front matter ---------------------------------------------------------


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


# --- CSV as spreadsheet programs write it ------------------------------------------------------


@dataclass
class CsvRow:
    """One data row of a CSV file, keyed by normalised column name."""

    line: int
    values: dict[str, str]


@dataclass
class CsvTable:
    """A CSV file read into rows, with its normalised header."""

    path: Path
    columns: list[str]
    rows: list[CsvRow]
    encoding: str
    headers: list[str] = field(default_factory=list)  # the column names as written

    def place(self, line: int | None = None, column: str | None = None) -> Place:
        """Return the place of a row (the column is named in messages, not numbered)."""
        return Place(self.path, line)


def normalise_column(name: str) -> str:
    """Turn a header cell such as ' ZIP Code ' into 'zip_code'."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def load_csv(path: Path, root: Path | None = None) -> CsvTable:
    """Read a CSV as Excel, LibreOffice or Google Sheets export it.

    UTF-8 (with or without BOM) is tried first; files that are not UTF-8 are read
    as Windows-1252, which is what Excel writes on Windows.
    """
    raw = read_bytes(path, MAX_CSV_BYTES, root)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AdvocacyError.at(Place(path, 1), "the file is UTF-16 text (a spreadsheet's "
                               "'Unicode Text'); export it again as 'CSV UTF-8'")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise AdvocacyError.at(
                Place(path, line),
                "the file is neither UTF-8 nor Windows-1252 text; export it again as "
                "'CSV UTF-8'",
            ) from None
    check_characters(path, text)
    records = _csv_records(path, text)
    header = next(records, None)
    if header is None or not any(cell.strip() for cell in header[1]):
        raise AdvocacyError.at(Place(path, 1), "the file is empty; the first row must name the "
                               "columns")
    if len(header[1]) > MAX_COLUMNS:
        raise AdvocacyError.at(Place(path, 1), f"the header has {len(header[1]):,} columns; a "
                               f"file may have at most {MAX_COLUMNS:,}")
    columns = [normalise_column(cell) for cell in header[1]]
    seen: set[str] = set()  # a set, not list.index: a wide header is read in linear time
    for index, name in enumerate(columns):
        if not name:
            raise AdvocacyError.at(Place(path, 1), f"column {index + 1} has no name in the header")
        if name in seen:
            raise AdvocacyError.at(Place(path, 1), f"column '{name}' appears twice in the header")
        seen.add(name)
    rows = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheet programs leave blank rows at the end
        if len(cells) != len(columns):
            raise AdvocacyError.at(
                Place(path, line),
                f"this row has {len(cells)} cells but the header has {len(columns)} columns; "
                "check for a missing or extra comma",
            )
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        rows.append(CsvRow(line, values))
    return CsvTable(path, columns, rows, encoding, [cell.strip() for cell in header[1]])


# The csv module's own cell limit (131,072 characters by default) would stop a long cell
# with its message before ours: lift it (a whole file is bounded by MAX_CSV_BYTES anyway).
csv.field_size_limit(MAX_CSV_BYTES)


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) for each record, quoted newlines included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    previous_end = 0
    try:
        for cells in reader:
            longest = max(map(len, cells), default=0)
            if longest > MAX_CELL:
                raise AdvocacyError.at(
                    Place(path, previous_end + 1),
                    f"a cell holds {longest:,} characters; the limit is {MAX_CELL:,}. Check "
                    "for a quote (\") that is opened and never closed")
            yield previous_end + 1, cells
            previous_end = reader.line_num
    except csv.Error as error:
        raise AdvocacyError.at(
            Place(path, previous_end + 1),
            f"not valid CSV: {error}; check the quotes (\") in this row",
        ) from None


def _delimiter(text: str) -> str:
    """Return the header's separator: spreadsheets in many languages write ';' or a tab."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","
