"""Edit a signatory list file and keep it as a person wrote it.

The file is parsed with ruamel.yaml, a round-trip YAML library: it knows where
every entry starts and ends and writes new entries and values in YAML's own
syntax. Entries are added and removed as whole lines, so every other line
(comments, blank lines, quoting, order) stays byte for byte; a changed value is
written back through ruamel's round trip. ruamel's own insert and delete are not
used for that: they move the comments around an entry to its neighbours.

An edit names its entry by name or acronym (find_entry), and a new name that
is already on the list, or looks like a name that is, is stopped
(refuse_lookalikes). Every edit is checked before it is written: the new text must read back (with
the same safe loader generation uses) as exactly the intended list, and pass
the list's rules; lines outside the edited entries must not have changed. The
write is atomic (output_folder.write_atomic), so an interrupted edit leaves the old
file whole.
"""

from __future__ import annotations

import bisect
import difflib
import io
import itertools
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from advocacy import load, output_folder
from advocacy.errors import AdvocacyError, Place, display_path
from advocacy.models import Signatory
from advocacy.signatories import lists, names, review

# Keys of a new entry, in the order they are written.
FIELDS = ("name", "short", "country", "kind", "title", "organisation", "contact", "signature")
_ITEM_PREFIX = re.compile(r"^\s*-\s+$")  # what precedes an entry on its first line: "  - "


@dataclass
class ListFile:
    """A signatory list opened for editing: its text, where each entry is, and its meaning."""

    path: Path
    root: Path
    raw: bytes  # as read: a write checks nobody changed the file in between
    text: str  # with "\n" line ends and no byte-order mark
    crlf: bool
    bom: bool
    signatories: lists.Signatories
    spans: list[tuple[int, int]]  # first and last line (0-based) of each entry
    prefixes: list[str]  # what precedes each entry on its first line, e.g. "  - "
    flow: list[bool]  # entry written as {name: ..., short: ...}

    @property
    def entries(self) -> list[Signatory]:
        """Return the entries, in file order."""
        return list(self.signatories.model.signatories)

    @property
    def data(self) -> dict[str, Any]:
        """Return the file's data as the safe loader reads it."""
        document = self.signatories.document
        assert document is not None
        return dict(document.data)

    def place(self, index: int) -> Place:
        """Return the place of an entry."""
        document = self.signatories.document
        assert document is not None
        return document.place(("signatories", index))

    @property
    def lines_editable(self) -> bool:
        """Tell whether every entry stands on lines of its own (a block list)."""
        return all(_ITEM_PREFIX.match(prefix) for prefix in self.prefixes)


@dataclass
class Change:
    """An edit ready to be written: the new text, checked, and the list it reads as."""

    listfile: ListFile
    text: str
    signatories: lists.Signatories

    def diff(self) -> str:
        """Return the change as a unified diff of the file (for --dry-run)."""
        name = display_path(self.listfile.path)
        lines = difflib.unified_diff(self.listfile.text.splitlines(keepends=True),
                                     self.text.splitlines(keepends=True), name, name, n=1)
        return "".join(lines)

    def line_of(self, index: int) -> int:
        """Return the line of an entry in the new text."""
        document = self.signatories.document
        assert document is not None
        return document.place(("signatories", index)).line or 0

    def write(self) -> None:
        """Write the new text atomically, unless the file changed since it was read."""
        source = self.listfile
        if load.read_bytes(source.path, load.MAX_YAML_BYTES) != source.raw:
            raise AdvocacyError.at(Place(source.path), "the file changed while it was being "
                                   "edited; nothing was written. Run the command again.")
        text = self.text.replace("\n", "\r\n") if source.crlf else self.text
        data = ("\ufeff" if source.bom else "") + text
        output_folder.write_atomic(source.path, data.encode("utf-8"))


def open_list(path: Path, root: Path) -> ListFile:
    """Read a list for editing; a list with problems must be fixed first."""
    raw = load.read_bytes(path, load.MAX_YAML_BYTES)  # read once: checked and edited alike
    text = load.decode_utf8(path, raw)
    signatories = lists.require_signatories(path, root, text)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    try:
        root_node = _round_trip().compose(text)
    except YAMLError as error:  # the safe loader read it, so this is unexpected
        raise AdvocacyError.at(Place(path), f"cannot edit this file: {error}") from None
    items = _entry_nodes(root_node)
    lines = text.split("\n")
    spans = [(node.start_mark.line, _last_line(node)) for node in items]
    prefixes = [lines[node.start_mark.line][: node.start_mark.column] for node in items]
    flow = [bool(getattr(node, "flow_style", False)) for node in items]
    return ListFile(path, root, raw, text, crlf, raw.startswith(b"\xef\xbb\xbf"), signatories,
                    spans, prefixes, flow)


def _round_trip() -> YAML:
    """Return a round-trip YAML: comments, quotes and order are kept."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long entry
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{name: A}], not [name: A]
    return yaml


def load_round_trip(text: str) -> tuple[YAML, Any]:
    """Load a text's tree, with a YAML that writes it back with the text's own indentation."""
    yaml = _round_trip()
    tree, indent, sequence_offset = load_yaml_guess_indent(text, yaml=yaml)
    yaml.indent(mapping=_mapping_indent(text) or indent or 2, sequence=indent or 2,
                offset=sequence_offset or 0)
    return yaml, tree


def _mapping_indent(text: str) -> int | None:
    """Guess how far a nested mapping is indented, which may differ from a list's indent.

    ruamel guesses one indent for both; a file that indents "headings:" entries by 2
    and list items by 4 would otherwise have its mapping lines re-indented.
    """
    lines = text.split("\n")
    for line, following in itertools.pairwise(lines):
        stripped, inner = line.strip(), following.strip()
        if stripped.endswith(":") and not stripped.startswith(("#", "-")) and inner \
                and not inner.startswith(("-", "#")):
            step = (len(following) - len(inner)) - (len(line) - len(line.lstrip()))
            if step > 0:
                return step
    return None


def _entry_nodes(root: Node | None) -> list[Node]:
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "signatories":
                return list(value.value) if isinstance(value, SequenceNode) else []
    return []


def _last_line(node: Node) -> int:
    """Return the last line (0-based) an entry's own text is on."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        node = node.value[-1][1]  # a block mapping ends where its last value ends
    start, end = int(node.start_mark.line), int(node.end_mark.line)
    return end - 1 if node.end_mark.column == 0 and end > start else end


# --- Which entry -----------------------------------------------------------------------------


def find_entry(listfile: ListFile, text: str) -> int:
    """Find the one entry a name or an acronym refers to."""
    entries = listfile.entries
    hits = [i for i, e in enumerate(entries)
            if names.same_name_key(e.name) == names.same_name_key(text)]
    if not hits:
        hits = [i for i, e in enumerate(entries)
                if e.short and names.acronym_key(e.short) == names.acronym_key(text)]
    if len(hits) == 1:
        return hits[0]
    where = Place(listfile.path)
    if hits:
        found = "; ".join(f"{review.shown(entries[i])} (line {listfile.place(i).line})"
                          for i in hits)
        raise AdvocacyError.at(where, f"'{text}' is the acronym of {len(hits)} entries: "
                               f"{found}; give the full name")
    probe = names.Entry(text)
    wanted = names.comparison_key(text)
    close = [e for e in entries
             if names.looks_alike(e, probe) or names.similarity(e.name, text, at_least=0.75) >= 0.75
             or (len(wanted) > 3 and wanted in names.comparison_key(e.name))]
    hint = f"; did you mean {review.shown(close[0])}?" if close else ""
    raise AdvocacyError.at(where, f"no entry is named '{text}' or has it as acronym{hint}")


def refuse_lookalikes(listfile: ListFile, new: Signatory, list_name: str,
                      force: bool, skip: int | None = None) -> None:
    """Stop a name that is already on the list, or (without --force) looks like one that is."""
    for index, entry in enumerate(listfile.entries):
        if index == skip:
            continue
        if names.same_name_key(entry.name) == names.same_name_key(new.name):
            raise AdvocacyError.at(listfile.place(index), f"{review.shown(entry)} is already "
                                   f"on the list as entry {index + 1}; nothing was written")
        reasons = names.looks_alike(entry, new)
        if reasons and not force:
            old = entry.short or entry.name
            raise AdvocacyError.at(
                listfile.place(index),
                f"{review.shown(new)} looks like entry {index + 1}, {review.shown(entry)}: "
                f"{'; '.join(reasons)}. Nothing was written. If it is another organisation, "
                "run again with --force; if it is the same one under a new name: advocacy "
                f"signatories rename {shlex.quote(list_name)} {shlex.quote(old)} "
                f"{shlex.quote(new.name)}")


# --- Edits ----------------------------------------------------------------------------------


def insertion_indexes(entries: Sequence[Signatory], new_names: Sequence[str]) -> list[int]:
    """Return where new entries go: in alphabetical place if the file is sorted, else last."""
    keys = [names.sort_key(entry.name) for entry in entries]
    if keys != sorted(keys):
        return [len(entries)] * len(new_names)
    return [bisect.bisect_right(keys, names.sort_key(name)) for name in new_names]


def add(listfile: ListFile, additions: Sequence[tuple[int, Mapping[str, str]]]) -> Change:
    """Insert new entries, each before the entry at its index (the length: at the end)."""
    additions = [(index, {k: v for k, v in fields.items() if v}) for index, fields in additions]
    expected = listfile.data
    items = list(expected["signatories"])
    for index, fields in sorted(additions, key=lambda a: a[0], reverse=True):
        items.insert(index, fields)
    expected["signatories"] = items
    if not listfile.entries or not listfile.lines_editable:
        return _by_tree(listfile, expected, _tree_add(additions))
    lines = listfile.text.split("\n")
    for index, fields in sorted(additions, key=lambda a: a[0], reverse=True):
        # A new entry follows the previous entry's own lines: comments and blank
        # lines after that entry belong to what comes next, and stay there.
        neighbour = max(index - 1, 0)
        at = listfile.spans[index - 1][1] + 1 if index else listfile.spans[0][0]
        lines[at:at] = _entry_lines(fields, listfile.flow[neighbour],
                                    listfile.prefixes[neighbour])
    return _checked(listfile, "\n".join(lines), expected, allowed=None)


def remove(listfile: ListFile, index: int) -> Change:
    """Remove one entry with its own lines (and its end-of-line comment), nothing else."""
    expected = listfile.data
    expected["signatories"] = [item for i, item in enumerate(expected["signatories"])
                               if i != index]
    if not listfile.lines_editable:
        return _by_tree(listfile, expected, lambda seq: seq.pop(index))
    first, last = listfile.spans[index]
    lines = listfile.text.split("\n")
    del lines[first:last + 1]
    return _checked(listfile, "\n".join(lines), expected, allowed=None)


def update(listfile: ListFile, index: int, changes: Mapping[str, str | None]) -> Change:
    """Change values of one entry (None removes a key) through ruamel's round trip."""
    expected = listfile.data
    entry = dict(expected["signatories"][index])
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    expected["signatories"] = [entry if i == index else item
                               for i, item in enumerate(expected["signatories"])]

    def edit(seq: CommentedSeq) -> None:
        item = seq[index]
        for key, value in changes.items():
            if value is None:
                item.pop(key, None)
            elif key in item:
                old = item[key]  # a quoted value stays quoted the same way
                item[key] = type(old)(value) if isinstance(old, ScalarString) else _scalar(value)
            else:
                item.insert(_key_position(item, key), key, _scalar(value))

    first, last = listfile.spans[index]
    return _by_tree(listfile, expected, edit, allowed=range(first, last + 1))


def _key_position(item: CommentedMap, key: str) -> int:
    """Return where a new key goes among an entry's keys, following FIELDS."""
    rank = FIELDS.index(key)
    keys = list(item)
    return next((i for i, k in enumerate(keys) if k in FIELDS and FIELDS.index(k) > rank),
                len(keys))


def _tree_add(additions: Sequence[tuple[int, Mapping[str, str]]]) -> Any:
    def edit(seq: CommentedSeq) -> None:
        flow = bool(seq) and isinstance(seq[0], CommentedMap) and seq[0].fa.flow_style()
        for index, fields in sorted(additions, key=lambda a: a[0], reverse=True):
            seq.insert(index, _mapping(fields, flow))
    return edit


def _by_tree(listfile: ListFile, expected: dict[str, Any], edit: Any,
             allowed: range | None = None) -> Change:
    """Edit through ruamel's round trip: for a changed value, or a list written on one line."""
    yaml, tree = load_round_trip(listfile.text)
    if not isinstance(tree.get("signatories"), CommentedSeq):
        tree["signatories"] = CommentedSeq()
    edit(tree["signatories"])
    stream = io.StringIO()
    yaml.dump(tree, stream)
    if allowed is None:  # the whole list may change, but nothing before or after it
        spans = listfile.spans or [(0, len(listfile.text.split("\n")))]
        allowed = range(spans[0][0], spans[-1][1] + 1)
    return _checked(listfile, stream.getvalue(), expected, allowed)


def _entry_lines(fields: Mapping[str, str], flow: bool, prefix: str) -> list[str]:
    """Write one entry in the style of its neighbour: '  - {name: ..., short: ...}'."""
    stream = io.StringIO()
    _round_trip().dump(_mapping(fields, flow), stream)
    lines = stream.getvalue().rstrip("\n").split("\n")
    indent = " " * len(prefix)
    return [prefix + lines[0]] + [indent + line for line in lines[1:]]


def _mapping(fields: Mapping[str, str], flow: bool) -> CommentedMap:
    mapping = CommentedMap((key, _scalar(fields[key])) for key in FIELDS if fields.get(key))
    if flow:
        mapping.fa.set_flow_style()
    return mapping


def _scalar(value: str) -> str:
    """Quote a value that the safe loader would not read back as this text.

    ruamel writes YAML 1.2, where NO and yes are text; the loader that reads lists
    for letters follows YAML 1.1, where they are false and true (Norway's code is NO).
    """
    try:
        plain = pyyaml.safe_load(value)
    except pyyaml.YAMLError:
        plain = None
    return value if plain == value else SingleQuotedScalarString(value)


# --- Checks before writing ----------------------------------------------------------------


def _checked(listfile: ListFile, text: str, expected: dict[str, Any],
             allowed: range | None) -> Change:
    """Make sure the new text is exactly the intended list, and nothing else changed."""
    # e.g. the new entry repeats one already there
    signatories = lists.require_signatories(listfile.path, listfile.root, text)
    document = signatories.document
    assert document is not None
    if document.data != expected or (
        allowed is not None and not _only_changed(listfile.text, text, allowed)
    ):
        raise AdvocacyError.at(Place(listfile.path), "this file is written in a way the "
                               "editor cannot change safely; nothing was written. Edit it by "
                               "hand, one entry per line.")
    return Change(listfile, text, signatories)


def _only_changed(old: str, new: str, allowed: range) -> bool:
    """Tell whether the lines that differ between two texts all lie in the allowed range."""
    matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
    return all(tag == "equal" or (allowed.start <= first and last <= allowed.stop)
               for tag, first, last, _, _ in matcher.get_opcodes())

