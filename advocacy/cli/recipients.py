"""`advocacy recipients ...`: import the public data, look up who represents a ZIP code."""

from __future__ import annotations

from pathlib import Path

import click

from advocacy import shipped
from advocacy.cli.console import say
from advocacy.recipients.lookup import lookup as lookup_zip
from advocacy.recipients.upstream.importer import FileChanges, default_source, import_recipients

PROJECT = click.option("--project", type=click.Path(path_type=Path, file_okay=False),
                       default=Path("."), show_default=True,
                       help="The project folder that holds recipients/.")


@click.group()
def recipients() -> None:
    """Import and look up real recipients (Congress, committees, UN missions)."""


@recipients.command("import")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with the upstream files named in sources.yaml [default: the "
              "project's data/ if it has one, else the public data shipped with advocacy].")
@PROJECT
def import_(source: Path | None, project: Path) -> None:
    """Write recipients/*.yaml and the ZIP crosswalk from the upstream data; show changes."""
    folder = source or default_source(project)
    # The project's data/ stays inside it (links out refused), as every project file does.
    root = project if source is None and not shipped.is_shipped(folder) else None
    report(import_recipients(folder, project / "recipients", root))


def report(changes: list[FileChanges]) -> None:
    """Print what an import changed, file by file."""
    for change in changes:
        status = "written" if change.written else "unchanged"
        say(f"recipients/{change.name}: {change.count} records, {status}")
        for name in change.joined if len(change.joined) < change.count else []:
            say(f"  joined: {name}")
        if change.joined and len(change.joined) == change.count:
            say(f"  all {change.count} records are new")
        for name in change.left:
            say(f"  left: {name}")
        for what in change.changed:
            say(f"  changed: {what}")


@recipients.command()
@click.argument("zip_code", metavar="ZIP")
@click.option("--state", default=None, help="Two-letter state, to settle a ZIP that crosses "
              "a state line.")
@PROJECT
def lookup(zip_code: str, state: str | None, project: Path) -> None:
    """Print who represents a ZIP code, or the candidates when it is ambiguous."""
    for line in lookup_zip(zip_code, state, project / "recipients"):
        say(line)
