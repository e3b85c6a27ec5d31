"""Compare signatory names, so one organisation written two ways is caught before it prints twice.

Sign-up forms bring the same organisation back with a letter more or less
("Hampton Road" / "Hampton Roads"), another case, an accent, a comma, or its
acronym typed as its name. ``looks_alike`` names what two entries have in
common, in words an organiser can act on.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

# Names this alike (after normalising) are flagged even when they differ in a word.
SIMILARITY = 0.9

# Words left out of an organisation's initials: "Khmer Association of Hampton Road
# Virginia" is KAHRV. English and French, the languages of the example lists.
_SMALL_WORDS = frozenset({
    "a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to",
    "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour",
})
# Scripts whose combining marks are accents ("é" is "e"); elsewhere a mark is a letter of
# its own kind: Khmer vowel signs tell សុខា (Sokha) from សុខី (Sokhi).
_ACCENTED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


class Named(Protocol):
    """Anything with a name and an optional acronym: a list entry or an imported row."""

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def short(self) -> str | None: ...  # noqa: D102


@dataclass(frozen=True)
class Entry:
    """A name and an optional acronym as someone typed them, to compare with a list's."""

    name: str
    short: str | None = None


@lru_cache(maxsize=65536)
def same_name_key(name: str) -> str:
    """Return the key under which two names count as the same: only case and spacing differ."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _spacing(text: str) -> str:
    return " ".join(text.split())


def _case(text: str) -> str:
    return text.casefold()


def _words(text: str) -> list[str]:
    """Split text into words: letters and digits, with the marks written on them."""
    words: list[str] = []
    current = ""
    for char in text:
        if char.isalnum() or (current and unicodedata.category(char).startswith("M")):
            current += char
        else:
            if current:
                words.append(current)
            current = ""
    return [*words, current] if current else words


def _accents(text: str) -> str:
    """Drop the accents of Latin, Greek and Cyrillic letters; keep other scripts' marks."""
    kept = []
    base = ""
    for char in unicodedata.normalize("NFKD", text):
        if not unicodedata.combining(char):
            base = char
        elif unicodedata.name(base, "").startswith(_ACCENTED_SCRIPTS):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _punctuation(text: str) -> str:
    return " ".join(_words(text.replace("&", " and ")))


def _plural(text: str) -> str:
    words = text.split(" ")
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)


# Each step of the normalisation, with how a person would describe the difference it hides.
_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("spacing", _spacing),
    ("case", _case),
    ("accents", _accents),
    ("punctuation", _punctuation),
    ("a plural 's'", _plural),
)


def _normalise(text: str, skip: str | None = None) -> str:
    for label, step in _STEPS:
        if label != skip:
            text = step(text)
    return text


@lru_cache(maxsize=65536)  # every name is compared with every other
def comparison_key(name: str) -> str:
    """Return a name without case, accents, punctuation, spacing or a plural 's'."""
    return _normalise(name)


def differences(first: str, second: str) -> list[str]:
    """List what differs between two names whose comparison keys are equal.

    A difference is one whose normalising step is needed for the names to compare equal.
    """
    found = [label for label, _ in _STEPS
             if _normalise(first, skip=label) != _normalise(second, skip=label)]
    return found or ["spacing"]


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """Return the initials of a name's significant words: 'Khmer Unity for Cambodia' is KUC."""
    words = _words(_accents(name))
    return "".join(w[0] for w in words if w.casefold() not in _SMALL_WORDS).upper()


@lru_cache(maxsize=65536)
def acronym_key(text: str) -> str:
    """Return an acronym without case or punctuation: 'CPPAC-MN' and 'cppac mn' compare equal."""
    return "".join(_words(_accents(text))).casefold()


def similarity(first: str, second: str, at_least: float = 0.0) -> float:
    """Return how alike two names are (0 to 1), ignoring case, accents, punctuation and order.

    Below ``at_least`` the answer is 0: cheap upper bounds (lengths, then letters;
    word order changes neither) settle most pairs without the full comparison.
    """
    a, b = comparison_key(first), comparison_key(second)
    plain = difflib.SequenceMatcher(None, a, b)
    if plain.real_quick_ratio() < at_least or plain.quick_ratio() < at_least:
        return 0.0
    ordered = difflib.SequenceMatcher(None, " ".join(sorted(a.split())),
                                      " ".join(sorted(b.split())))
    return max(plain.ratio(), ordered.ratio())


def looks_alike(first: Named, second: Named) -> list[str]:
    """Say why two different entries may be one organisation; empty when they do not."""
    reasons = []
    if comparison_key(first.name) == comparison_key(second.name):
        found = differences(first.name, second.name)
        reasons.append("the names differ only in " + _join(found))
    else:
        ratio = similarity(first.name, second.name, at_least=SIMILARITY)
        if ratio >= SIMILARITY:
            reasons.append(f"the names are {ratio:.0%} alike")
    if first.short and second.short and acronym_key(first.short) == acronym_key(second.short):
        reasons.append(f"same acronym {first.short}")
    for one, other in ((first, second), (second, first)):
        if one.short and acronym_key(other.name) == acronym_key(one.short):
            reasons.append(f"'{other.name}' is the acronym of '{one.name}'")
        elif len(other.name.split()) == 1 and len(acronym_key(other.name)) > 1 and \
                acronym_key(other.name) == acronym_key(initials(one.name)):
            reasons.append(f"'{other.name}' is the initials of '{one.name}'")
    return reasons


def extends(first: Named, second: Named) -> list[str]:
    """Say if one name is the other made longer ('ARTICLE 19: Global Campaign for ...').

    Not when their acronyms differ: CAHRAD and CAHRADLA are two organisations.
    """
    if first.short and second.short and acronym_key(first.short) != acronym_key(second.short):
        return []
    shorter, longer = sorted((comparison_key(first.name), comparison_key(second.name)), key=len)
    if shorter and longer.startswith(f"{shorter} "):
        return ["one name extends the other"]
    return []


def _join(words: list[str]) -> str:
    """Join words as a sentence does: 'case, accents and punctuation'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def sort_key(name: str) -> str:
    """Return the key names sort by: case and accents ignored, so 'Société' files under S."""
    return " ".join(_accents(name).casefold().split())


def case_problem(name: str) -> str | None:
    """Say if a name is written all in lower or all in upper case, as forms bring them.

    Acronyms aside: a name of one word ('KPNC') or a bracketed acronym ('(CCHR)') is
    fine in capitals.
    """
    words = [w for w in _words(_BRACKETS.sub(" ", name)) if any(c.isalpha() for c in w)]
    cased = [c for word in words for c in word if c.lower() != c.upper()]
    if not cased:
        return None  # digits, or a script without case (Khmer)
    if all(c.islower() for c in cased):
        return "written all in lower case"
    if all(c.isupper() for c in cased) and len(words) > 1:
        return "written all in upper case"
    return None


def proper_case(name: str) -> str:
    """Return a name as organisations usually write theirs: 'Human Rights Now (HRN)'."""
    first = True

    def word(match: re.Match[str]) -> str:
        nonlocal first
        text = match[0].lower()
        small = not first and text in _SMALL_WORDS
        first = False
        return text if small else text[0].upper() + text[1:]

    parts = _BRACKETS.split(name)
    return "".join(part.upper() if part.startswith("(") else _LETTERS.sub(word, part)
                   for part in parts)


_BRACKETS = re.compile(r"(\([^)]*\))")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # "people's" is one word
