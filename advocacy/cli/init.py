"""`advocacy init`: make a campaign project in a folder."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from advocacy import shipped
from advocacy.cli.console import say, tell
from advocacy.new_project import InitOptions, create_project


@click.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--example", type=click.Choice(shipped.EXAMPLES), default=None,
              help="Copy a whole example project instead of one example campaign.")
@click.option("--templates", is_flag=True,
              help="Copy the letter and print templates into templates/, to change them. "
              "Without it the tool's own are used; a file in templates/ replaces the tool's "
              "file of the same name.")
@click.option("--into-existing", is_flag=True,
              help="Allow a folder that already holds files: add only the files it lacks "
              "(no file is ever overwritten).")
def init(folder: Path, example: str | None, templates: bool, into_existing: bool) -> None:
    """Make a campaign project in FOLDER (default: the current folder)."""
    created = create_project(folder, InitOptions(example, templates, into_existing), tell)
    say(f"{folder}: {len(created.written)} files written")
    for name in created.written:
        say(f"  {name}")
    if created.kept:
        say(f"Already there, kept as they are ({len(created.kept)}):")
        for name in created.kept:
            say(f"  {name}")
    campaigns = sorted(n for n in created.written + created.kept if n.startswith("campaigns/"))
    if campaigns:
        go = "" if folder == Path(".") else f"cd {shlex.quote(str(folder))} && "
        say(f"Next: {go}advocacy check {campaigns[0]}")
