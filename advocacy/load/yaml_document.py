"""YAML read safely, strictly and boundedly, keeping the place of every value.

No Python tags, duplicate keys are errors, and size, nesting and alias expansion
are limited; every key and list item keeps its line and column.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.text import CONTROL, MAX_YAML_BYTES, control_message, read_text

MAX_DEPTH = 50
MAX_VALUES = 2_000_000  # stops "billion laughs" alias expansion long before memory runs out

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster

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
