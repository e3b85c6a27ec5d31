"""What every command prints with: results on standard output, messages on standard error."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def progress_console() -> Console:
    """Return the progress bar's console (rich loads only when a bar is shown).

    Messages use plain click.echo, so user text such as "[Name]" is never taken for
    markup and lines are never re-wrapped.
    """
    from rich.console import Console

    return Console(stderr=True)


def on_terminal() -> bool:
    """Tell whether standard error is a terminal (colours and progress bars only there)."""
    return sys.stderr.isatty()


def say(text: str) -> None:
    """Print a line of results to standard output."""
    click.echo(text)


def tell(text: str) -> None:
    """Print what a long step is doing to standard error (results stay on standard output)."""
    click.echo(text, err=True)


def complain(text: str) -> None:
    """Print a message to standard error (red on a terminal)."""
    click.secho(text, err=True, fg="red" if on_terminal() else None)


def with_progress(label: str, work: Callable[[Callable[[int, int], None]], Any]) -> Any:
    """Run work(report) with a progress bar that counts letters (on a terminal only)."""
    if not on_terminal():
        return work(lambda done, total: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=progress_console(), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return work(report)
