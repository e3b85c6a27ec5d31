"""The signatory edits as the command line and the web app make them: add, remove, rename, import.

Each returns a checked ``edit.Change`` that is not written yet, so the caller can
show it (--dry-run, a review page) before writing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pydantic import ValidationError

from advocacy import load
from advocacy.errors import AdvocacyError
from advocacy.models import Signatory
from advocacy.signatories import edit, review
from advocacy.signatories import form as signatory_import

Label = Callable[[str], str]  # names where a field's value came from, for messages


def new_entry(fields: Mapping[str, str | None], label: Label) -> Signatory:
    """Build an entry from values typed by a person, with the list file's own checks."""
    for key, value in fields.items():
        found = load.CONTROL.search(value) if value else None
        if found:  # said of where it was typed, not of the line it would have gone to
            raise AdvocacyError(f"{label(key)}: {load.control_message(found[0])}")
    try:
        return Signatory.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        detail = error.errors()[0]
        raise AdvocacyError(f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}") from None


def add(listfile: edit.ListFile, values: Mapping[str, str], list_name: str, force: bool,
        label: Label) -> tuple[edit.Change, int, Signatory]:
    """Add one entry in its place; refuse a name already there or (unless forced) alike."""
    new = new_entry(values, label)
    edit.refuse_lookalikes(listfile, new, list_name, force)
    [index] = edit.insertion_indexes(listfile.entries, [new.name])
    return edit.add(listfile, [(index, dict(values))]), index, new


def remove(listfile: edit.ListFile, entry: str) -> tuple[edit.Change, int, str]:
    """Remove the entry a name or acronym refers to; a list keeps at least one."""
    index = edit.find_entry(listfile, entry)
    if len(listfile.entries) == 1:
        raise AdvocacyError.at(listfile.place(index), "this is the only entry; a list needs at "
                               "least one. Add the next one first.")
    removed = review.shown(listfile.entries[index])
    return edit.remove(listfile, index), index, removed


def rename(listfile: edit.ListFile, old: str, new: str | None, short: str | None,
           list_name: str, force: bool, label: Label) -> tuple[edit.Change, int, str]:
    """Give an entry a new name, a new acronym ('' removes it), or both."""
    index = edit.find_entry(listfile, old)
    entry = listfile.entries[index]
    changes: dict[str, str | None] = {}
    if new is not None:
        changes["name"] = " ".join(new.split())
    if short is not None:
        changes["short"] = short.strip() or None
    renamed = new_entry({"name": changes.get("name") or entry.name,
                         "short": changes.get("short", entry.short)}, label)
    if review.shown(renamed) == review.shown(entry):
        raise AdvocacyError.at(listfile.place(index), f"the entry is already "
                               f"{review.shown(entry)}; nothing to change")
    edit.refuse_lookalikes(listfile, renamed, list_name, force, skip=index)
    what = f"{review.shown(entry)} to {review.shown(renamed)}"
    return edit.update(listfile, index, changes), index, what


def import_rows(listfile: edit.ListFile, sorting: signatory_import.Sorting) -> edit.Change | None:
    """Add a form's new rows, each in its place; None when there is nothing new."""
    if not sorting.new:
        return None
    indexes = edit.insertion_indexes(listfile.entries, [row.name for row in sorting.new])
    return edit.add(listfile, [(index, row.fields)
                               for index, row in zip(indexes, sorting.new, strict=True)])
