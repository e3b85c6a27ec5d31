"""Check an open letter's settings: its 'to:' line in every language, copies, no senders.

An open letter (a campaign with ``to:``) is one letter to many readers, written
once per language, and on request a copy for each selected recipient. Its 'To:'
line is Jinja like the other texts: a syntax error is reported here, at its line.
"""

from __future__ import annotations

import jinja2

from advocacy import load
from advocacy.errors import Place, Problem
from advocacy.models import Campaign

TO_NAMES = ("title", "date", "vars")  # what a 'to:' line may use: the same in every copy


def open_letter_problems(campaign: Campaign, document: load.Document,
                         env: jinja2.Environment) -> list[Problem]:
    """Say what is wrong with a campaign's open-letter settings; empty when nothing is."""
    problems = []
    if campaign.copies and not campaign.open_letter:
        problems.append(Problem(document.place(("copies",)), "copies are copies of an open "
                                "letter: add 'to:' (its 'To:' line) or remove 'copies:'",
                                "copies"))
    if campaign.open_letter and campaign.senders:
        problems.append(Problem(document.place(("to",)), "an open letter is one letter to many "
                                "readers, and a senders file writes a letter per constituent: "
                                "remove 'to:' or 'senders:'", "to"))
    for language, texts in campaign.translations.items():
        key = ("translations", language)
        if campaign.open_letter and texts.to is None:
            problems.append(Problem(document.place(key), f"'to' is required: an open letter "
                                    f"prints its 'To:' line in every language ({language} too)",
                                    "translations.to"))
        elif not campaign.open_letter and texts.to is not None:
            problems.append(Problem(document.place((*key, "to")), "only an open letter has a "
                                    "'To:' line: add 'to:' to the campaign itself too",
                                    "translations.to"))
    for where, text in _to_lines(campaign):
        try:
            env.parse(text)
        except jinja2.TemplateSyntaxError as error:  # placed as in the other texts
            line = document.text_line(where) + (error.lineno or 1) - 1
            problems.append(Problem(Place(document.path, line),
                                    f"template error: {error.message}"))
    return problems


def _to_lines(campaign: Campaign) -> list[tuple[tuple[str | int, ...], str]]:
    """Return every 'to:' text of the campaign with its data path."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if campaign.to is not None:
        found.append((("to",), campaign.to))
    found += [(("translations", language, "to"), texts.to)
              for language, texts in campaign.translations.items() if texts.to is not None]
    return found
