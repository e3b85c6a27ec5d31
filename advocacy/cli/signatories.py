"""The 'advocacy signatories' commands: keep signatory lists up to date without editing YAML.

Each command is a thin layer over signatory_edit (writing), signatory_import
(sign-up forms) and signatory_review (warnings and differences). Editing
commands show what they did, or with --dry-run what they would do.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import click

from advocacy import files
from advocacy.cli.console import say
from advocacy.errors import AdvocacyError, Place, display_path
from advocacy.project import Project, UnknownName
from advocacy.signatories import actions, edit, names, review
from advocacy.signatories import form as signatory_import
from advocacy.signatories import lists as signatory_lists

LIST = click.argument("list_name", metavar="LIST")
PAST = {"add": "added", "remove": "removed", "rename": "renamed"}
DRY_RUN = click.option("--dry-run", is_flag=True, help="Print the change; write nothing.")
FORCE = click.option("--force", is_flag=True,
                     help="Go ahead even if the name looks like an entry already there.")


def count_entries(count: int) -> str:
    """Count entries in words: '1 entry', '18 entries'."""
    return f"{count} entry" if count == 1 else f"{count} entries"


@click.group("signatories")
def signatories() -> None:
    """Keep signatory lists up to date. LIST is a name in signatories/ or a path to a list."""


# --- Reading ------------------------------------------------------------------------------


@signatories.command("list")
@LIST
@click.option("--language", default="en", show_default=True,
              help="Language of country names in group headings.")
def list_command(list_name: str, language: str) -> None:
    """Show a list as it will print: numbered or not, sorted and grouped as set."""
    path, root = find_list(list_name)
    model = signatory_lists.require_signatories(path, root).model
    how = ["numbered" if model.numbered else "not numbered",
           "sorted alphabetically" if model.sort == "alphabetical" else "in the order given"]
    if model.group_by:
        how.append(f"grouped by {model.group_by}")
    say(f"{display_path(path)}: {count_entries(len(model.signatories))}, {', '.join(how)}")
    view = signatory_lists.printed(model, path, language)
    if view.heading:
        say(f"{view.heading}{view.colon}")
    for group in view.groups:
        if group.heading:
            say(group.heading)
        for number, entry in enumerate(group.entries, start=1):
            mark = f"{number:>3}. " if view.numbered else "     "
            image = ""
            if entry.signature:
                image = f"  [signature: {display_path(unquote(urlparse(entry.signature).path))}]"
            say(f"{mark}{entry.text}{image}")


@signatories.command()
@LIST
def check(list_name: str) -> None:
    """Check a list: what stops it from printing, and what to look at.

    Duplicates, empty names and unknown keys are errors; near duplicates and
    clashing acronyms are warnings.
    """
    path, root = find_list(list_name)
    signatories = signatory_lists.require_signatories(path, root)
    assert signatories.document is not None
    found = review.warnings(signatories.document, signatories.model, list_name)
    for warning in found:
        say(warning)
    count = len(signatories.model.signatories)
    if found:
        say(f"{display_path(path)}: {count_entries(count)}, {len(found)} to look at; the list can "
            "print as it is")
    else:
        say(f"{display_path(path)}: ok, {count_entries(count)}; no duplicates, near duplicates or "
            "clashing acronyms")


@signatories.command()
@click.argument("first", metavar="LIST_A")
@click.argument("second", metavar="LIST_B")
def diff(first: str, second: str) -> None:
    """Show who is only in one list and who changed name or acronym.

    Either list may be a campaign's output/CAMPAIGN/manifest.json: then it is the
    list its letters carried, and the difference says who joined or left since.
    """
    if first.endswith(".json") and not second.endswith(".json"):
        first, second = second, first  # the manifest is "then", the list is "now"
    now_label, now = _side(first, None)
    then_label, then = _side(second, first)
    manifest = second.endswith(".json") and not first.endswith(".json")
    if manifest:
        differences = review.compare(then, now)
        labels = (f"Left since {then_label}", f"Joined since {then_label}")
    else:
        differences = review.compare(now, then)
        labels = (f"Only in {now_label}", f"Only in {then_label}")
    if differences.none:
        say(f"No differences: the same {differences.same} entries.")
        return
    for label, entries, mark in ((labels[0], differences.only_first, "-"),
                                 (labels[1], differences.only_second, "+")):
        if entries:
            say(f"{label} ({len(entries)}):")
            for entry in entries:
                say(f"  {mark} {review.shown(entry)}")
    for label, pairs in (("Changed name", [(a, b) for a, b, _ in differences.renamed]),
                         ("Changed acronym", differences.new_acronym)):
        if pairs:
            say(f"{label} ({len(pairs)}):")
            for old, new in pairs:
                say(f"  ~ {review.shown(old)} -> {review.shown(new)}")
    say(f"{differences.same} unchanged." if manifest else f"{differences.same} in both.")


def _side(argument: str, other: str | None) -> tuple[str, list[names.Named]]:
    """Read one side of a diff: a list, or the list a manifest recorded."""
    if not argument.endswith(".json"):
        path, root = find_list(argument)
        read = signatory_lists.require_signatories(path, root)
        return display_path(path), list(read.model.signatories)
    path = Path(argument)
    lists = review.read_manifest(path)
    name, relative = "", None
    if other is not None:
        other_path, root = find_list(other)
        name = other_path.name.removesuffix(".yaml").removesuffix(".yml")
        relative = _relative(other_path, root)
    recorded = review.recorded_list(path, lists, name, relative)
    if other is not None:
        state = f"the letters carried another list, '{recorded.name}'"
        if recorded.name == name:
            same = recorded.sha256 == files.sha256_checked(other_path, root)
            state = "the list file is unchanged since" if same else "the list file has " \
                "changed since"
        say(f"{display_path(path)}: the letters carried {count_entries(len(recorded.entries))}; "
            f"{state}.")
    return f"{display_path(path.parent)}/ was generated", list(recorded.entries)


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


# --- Editing ------------------------------------------------------------------------------


@signatories.command()
@LIST
@click.argument("name")
@click.option("--short", metavar="ACR", help="Acronym, printed in brackets after the name.")
@click.option("--country", metavar="CC", help="Country: a two-letter code or English name.")
@click.option("--contact", help="Contact line, kept for the organisers (never printed).")
@click.option("--title", help="A person's title or role.")
@click.option("--organisation", help="A person's organisation.")
@click.option("--person", is_flag=True, help="The entry is an individual, not an organisation.")
@click.option("--signature", metavar="FILE", help="Signature image, relative to the list file.")
@FORCE
@DRY_RUN
def add(list_name: str, name: str, short: str | None, country: str | None,
        contact: str | None, title: str | None, organisation: str | None, person: bool,
        signature: str | None, force: bool, dry_run: bool) -> None:
    """Add one organisation or person to a list."""
    path, root = find_list(list_name)
    listfile = edit.open_list(path, root)
    fields = {"name": " ".join(name.split()), "short": short, "contact": contact,
              "title": title, "organisation": organisation, "signature": signature,
              "kind": "person" if person and not (title or organisation) else None}
    if country:
        fields["country"] = _country(country)
    values = {key: value.strip() for key, value in fields.items() if value}
    change, index, new = actions.add(listfile, values, list_name, force, _typed)
    finish(change, dry_run, "add", f"{review.shown(new)} as entry {index + 1}", index)


@signatories.command()
@LIST
@click.argument("entry", metavar="NAME-OR-ACRONYM")
@DRY_RUN
def remove(list_name: str, entry: str, dry_run: bool) -> None:
    """Remove one entry (it withdrew); comments and blank lines around it stay."""
    path, root = find_list(list_name)
    listfile = edit.open_list(path, root)
    change, index, removed = actions.remove(listfile, entry)
    finish(change, dry_run, "remove", f"{removed}, entry {index + 1}", None)


@signatories.command()
@LIST
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@click.option("--short", metavar="ACR", help="New acronym ('' removes it).")
@FORCE
@DRY_RUN
def rename(list_name: str, old: str, new: str | None, short: str | None, force: bool,
           dry_run: bool) -> None:
    """Give an entry (found by name or acronym) a NEW name, a new acronym, or both."""
    if new is None and short is None:
        raise click.UsageError("give the NEW name, or --short with the new acronym, or both")
    path, root = find_list(list_name)
    listfile = edit.open_list(path, root)
    change, index, what = actions.rename(listfile, old, new, short, list_name, force, _typed)
    finish(change, dry_run, "rename", what, index)


@signatories.command("import")
@LIST
@click.argument("form", metavar="FILE.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--name-column", metavar="COLUMN", help="Column holding the names.")
@click.option("--short-column", metavar="COLUMN", help="Column holding the acronyms.")
@click.option("--country-column", metavar="COLUMN", help="Column holding the countries.")
@click.option("--contact-column", metavar="COLUMN", help="Column holding the contacts.")
@click.option("--title-column", metavar="COLUMN", help="Column holding people's titles.")
@click.option("--organisation-column", metavar="COLUMN",
              help="Column holding people's organisations.")
@click.option("--yes", is_flag=True, help="Add the new entries without asking.")
@DRY_RUN
def import_command(list_name: str, form: Path, name_column: str | None,
                   short_column: str | None, country_column: str | None,
                   contact_column: str | None, title_column: str | None,
                   organisation_column: str | None, yes: bool, dry_run: bool) -> None:
    """Add the rows of a sign-up form export (CSV), showing first what is new.

    Rows already on the list, and near duplicates, are shown and not added.
    Columns are recognised by usual names (Name, Acronym, Country, Email), or
    named with the --...-column options.
    """
    path, root = find_list(list_name)
    listfile = edit.open_list(path, root)
    mapping = {"name": name_column, "short": short_column, "country": country_column,
               "contact": contact_column, "title": title_column,
               "organisation": organisation_column}
    rows, columns, ignored = signatory_import.read_form(form, mapping)
    sorting = signatory_import.sort_rows(form, rows, columns, ignored, listfile.entries)
    for line in signatory_import.report(sorting, listfile.entries, list_name, len(rows)):
        say(line)
    if not sorting.new:
        say("Nothing to add; nothing was written.")
        return
    change = actions.import_rows(listfile, sorting)
    assert change is not None
    count = len(sorting.new)
    if dry_run:
        show_dry_run(change)
        return
    if not yes:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        if not interactive or not click.confirm(f"Add {count_entries(count)} to "
                                                f"{display_path(path)}?", default=False):
            say(f"Nothing was written. Run again with --yes to add {count_entries(count)}.")
            return
    finish(change, False, "add", count_entries(count), None)


# --- Shared steps -------------------------------------------------------------------------


def find_list(argument: str) -> tuple[Path, Path]:
    """Return a list's file and its project folder, from a list name or a path."""
    candidate = Path(argument)
    if candidate.suffix in (".yaml", ".yml") and (len(candidate.parts) > 1
                                                   or candidate.is_file()):
        if not candidate.is_file():
            raise AdvocacyError.at(Place(candidate), "file not found")
        folder = candidate.resolve().parent
        return candidate, folder.parent if folder.name == "signatories" else folder
    project = Project(Path.cwd())
    try:
        return project.find("signatories", argument), project.root
    except UnknownName as error:
        raise AdvocacyError(str(error)) from None


def finish(change: edit.Change, dry_run: bool, verb: str, what: str,
           index: int | None) -> None:
    """Write a change (or show it, with --dry-run) and say what was done.

    ``verb`` is add, remove or rename; ``index`` the entry whose line to name, if any.
    """
    path = display_path(change.listfile.path)
    where = f"{path}:{change.line_of(index)}" if index is not None else path
    if dry_run:
        say(f"{where}: would {verb} {what}")
        show_dry_run(change)
        return
    change.write()
    count = "" if verb == "rename" else \
        f"; the list now has {count_entries(len(change.signatories.model.signatories))}"
    say(f"{where}: {PAST[verb]} {what}{count}.")


def show_dry_run(change: edit.Change) -> None:
    """Print the change as a diff, and that nothing was written."""
    say(change.diff().rstrip("\n"))
    say("Dry run: nothing was written.")


def _country(text: str) -> str:
    code = signatory_lists.country_code(text)
    if code is None:
        raise AdvocacyError(f"--country: '{text}' is not a country name or two-letter code")
    return code


def _typed(key: str) -> str:
    """Name where a value was typed, for messages: the NAME argument or an option."""
    return f"{'NAME' if key == 'name' else f'--{key}'} (on the command line)"
