"""`advocacy recipients ...`: import and update the public data, look up a ZIP code."""

from __future__ import annotations

from pathlib import Path

import click

from advocacy import shipped
from advocacy.cli.console import say, tell, with_progress
from advocacy.recipients.lookup import lookup as lookup_zip
from advocacy.recipients.upstream import download
from advocacy.recipients.upstream.importer import FileChanges, default_source, import_recipients
from advocacy.recipients.upstream.update import update as upstream_update

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
@click.option("--github-api", default=download.GITHUB_API, show_default=True,
              envvar="ADVOCACY_GITHUB_API", metavar="URL",
              help="Where to ask which commit each repository is at (a mirror, or a test "
              "server). Also read from ADVOCACY_GITHUB_API.")
@click.option("--github-raw", default=download.GITHUB_RAW, show_default=True,
              envvar="ADVOCACY_GITHUB_RAW", metavar="URL",
              help="Where to download the files from. Also read from ADVOCACY_GITHUB_RAW.")
@PROJECT
def update(github_api: str, github_raw: str, project: Path) -> None:
    """Download the current public data into data/, check it, then import it."""
    servers = download.Servers(github_api.rstrip("/"), github_raw.rstrip("/"))
    updated = with_progress("downloading", lambda progress: upstream_update(
        project, servers, tell, progress))
    for item in updated.downloaded:
        say(f"data/{item.name}: {item.size:,} bytes, {item.commit.date}, commit "
            f"{item.commit.sha[:12]}, sha256 {item.sha256[:16]}")
    for name in updated.kept:
        say(f"data/{name}: kept as it was (not downloaded)")
    report(updated.changes)


@recipients.command()
@click.argument("zip_code", metavar="ZIP")
@click.option("--state", default=None, help="Two-letter state, to settle a ZIP that crosses "
              "a state line.")
@PROJECT
def lookup(zip_code: str, state: str | None, project: Path) -> None:
    """Print who represents a ZIP code, or the candidates when it is ambiguous."""
    for line in lookup_zip(zip_code, state, project / "recipients"):
        say(line)
