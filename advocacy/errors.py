"""The one exception the CLI catches: a user mistake, reported with its place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path | str) -> str:
    """Show a path relative to the working folder when it lies inside it."""
    text = os.fspath(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


def shorten(text: str, limit: int = 40) -> str:
    """Cut a value quoted in a message: a 5,000-digit 'district' is not shown whole."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


@dataclass(frozen=True)
class Place:
    """Where a problem is: a file, and a line and column when known (1-based)."""

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with its place and the field it concerns."""

    place: Place
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.place}: {self.field}" if self.field else str(self.place)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Note:
    """Something a person should know about a letter that was written: an issue, what to do."""

    issue: str  # e.g. "address missing"
    action: str  # what to do about it


@dataclass(frozen=True)
class Attention:
    """Something a person must look at: a letter not written, or written with a gap."""

    place: Place | None
    who: str
    issue: str
    action: str
    letter: str = ""  # the letter's file stem when it was written


class AdvocacyError(Exception):
    """A mistake in the user's input or environment; printed without a traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def at(cls, place: Place, message: str, field: str = "") -> AdvocacyError:
        """Build an error about one place."""
        problem = Problem(place, message, field)
        return cls(str(problem), [problem])

    @classmethod
    def collect(cls, problems: list[Problem]) -> AdvocacyError:
        """Build one error that reports every problem found, in file order."""
        # The same problem found twice (a template checked as a template and as a file).
        ordered = sorted(dict.fromkeys(problems), key=_problem_order)
        lines = [str(p) for p in ordered]
        if len(ordered) > 1:
            lines.append(f"{len(ordered)} problems found; nothing was written.")
        return cls("\n".join(lines), ordered)


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    place = problem.place
    return (os.fspath(place.path), place.line or 0, place.column or 0)
