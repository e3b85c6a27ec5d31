"""`advocacy recipients ...`: import the public data, look up who represents a ZIP code."""

from __future__ import annotations

from pathlib import Path

import click

from advocacy.cli.console import say
from advocacy.recipients.lookup import lookup as lookup_zip
from advocacy.recipients.upstream.importer import import_recipients

PROJECT = click.option("--project", type=click.Path(path_type=Path, file_okay=False),
                       default=Path("."), show_default=True,
                       help="The project folder that holds recipients/.")


@click.group()
def recipients() -> None:
    """Import and look up real recipients (Congress, committees, UN missions)."""


@recipients.command("import")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False),
              default=Path("data"), show_default=True,
              help="Folder with the upstream files (see data/README.md).")
@PROJECT
def import_(source: Path, project: Path) -> None:
    """Write recipients/*.yaml and the ZIP crosswalk from the upstream data; show changes."""
    for change in import_recipients(source, project / "recipients"):
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
