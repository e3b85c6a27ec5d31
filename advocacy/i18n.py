"""What changes with a letter's language: words the template prints, salutations, fonts.

Adding a language means adding its entries here (and translations of the
campaign texts and statements, see README "Languages"). The Khmer wording
should be reviewed by a native speaker before a real mailing.
"""

from __future__ import annotations

import re

# Words the template and the DOCX footer print.
WORDS: dict[str, dict[str, str]] = {
    "en": {"subject": "Subject:", "to": "To:", "page": "Page", "of": "of", "colon": ":",
           "signature_of": "Signature of"},
    "fr": {"subject": "Objet :", "to": "À\u00a0:", "page": "Page", "of": "sur",
           "colon": "\u00a0:", "signature_of": "Signature de"},
    "km": {"subject": "កម្មវត្ថុ៖", "to": "ជូនចំពោះ៖", "page": "ទំព័រ", "of": "នៃ", "colon": "៖",
           "signature_of": "ហត្ថលេខារបស់"},
}

# How each kind of recipient is greeted. {last} is the family name; a key ending in
# ":F" or ":M" is used for a recipient of that gender (languages with gendered titles).
# "open-letter" greets the many readers of an open letter (a campaign's 'to:').
SALUTATIONS: dict[str, dict[str, str]] = {
    "en": {
        "senator": "Dear Senator {last}:",
        "representative": "Dear Representative {last}:",
        "delegate": "Dear Delegate {last}:",
        "resident-commissioner": "Dear Resident Commissioner {last}:",
        "committee": "Dear {chair_title} {chair_last} and {ranking_title} {ranking_last}:",
        "committee-chair": "Dear {chair_title} {chair_last}:",
        "permanent-mission": "Excellency,",
        "generic": "Dear {name}:",
        "generic-unnamed": "Dear Sir or Madam:",
        "open-letter": "Excellencies,",
    },
    "fr": {
        "senator": "Madame la Sénatrice, Monsieur le Sénateur,",
        "senator:F": "Madame la Sénatrice,",
        "senator:M": "Monsieur le Sénateur,",
        "representative": "Madame la Représentante, Monsieur le Représentant,",
        "representative:F": "Madame la Représentante,",
        "representative:M": "Monsieur le Représentant,",
        "delegate": "Madame la Déléguée, Monsieur le Délégué,",
        "delegate:F": "Madame la Déléguée,",
        "delegate:M": "Monsieur le Délégué,",
        "resident-commissioner": "Madame, Monsieur,",
        "committee": "Mesdames, Messieurs,",
        "committee-chair": "Mesdames, Messieurs,",
        "permanent-mission": "Excellence,",
        "generic": "Madame, Monsieur,",
        "generic-unnamed": "Madame, Monsieur,",
        "open-letter": "Excellences,",
    },
    "km": {
        "senator": "សូមគោរពជូន សមាជិកព្រឹទ្ធសភា {name}",
        "representative": "សូមគោរពជូន តំណាងរាស្ត្រ {name}",
        "delegate": "សូមគោរពជូន តំណាងរាស្ត្រ {name}",
        "resident-commissioner": "សូមគោរពជូន តំណាងរាស្ត្រ {name}",
        "committee": "សូមគោរពជូន លោកប្រធាន និងសមាជិកគណៈកម្មាធិការ",
        "committee-chair": "សូមគោរពជូន លោកប្រធានគណៈកម្មាធិការ",
        "permanent-mission": "សូមគោរពជូន ឯកឧត្តម",
        "generic": "សូមគោរពជូន {name}",
        "generic-unnamed": "សូមគោរពជូន",
        "open-letter": "សូមគោរពជូន ឯកឧត្តម លោកជំទាវ",
    },
}

# Word's name for each language, and the font Word and LibreOffice use for a complex
# script (Khmer): python-docx's font.name only reaches the Latin slots.
WORD_LANGUAGES = {"en": "en-US", "fr": "fr-FR", "km": "km-KH"}
COMPLEX_SCRIPT_FONTS = {"km": "Noto Serif Khmer"}
# Khmer stacks vowels and subscript consonants above and below the line: its lines are
# taller (":lang(km)" in templates/letter.css; the DOCX styles use the same heights).
LINE_HEIGHTS = {"km": 1.7}

# Languages written in a script of their own, and the language of the Latin-script text
# (names, addresses, an untranslated heading) that letters in them contain.
SCRIPTS = {"km": re.compile("[\u1780-\u17ff\u19e0-\u19ff]")}
LATIN_TEXT = {"km": "en"}
_LETTER = re.compile(r"[^\W\d_]")


def base_language(language: str) -> str:
    """Return 'fr' for 'fr-CH' or 'fr_CH'."""
    return language.replace("_", "-").split("-")[0]


def line_height(language: str, default: float) -> float:
    """Return the line height (times the font size) of text in a language."""
    return LINE_HEIGHTS.get(base_language(language), default)


def text_language(text: str, language: str) -> str:
    """Return the language a text of a letter in 'language' is in, judged by its script.

    Khmer letters hold English names and addresses; text with no letters (digits,
    punctuation) is in the letter's language.
    """
    base = base_language(language)
    for script_language, pattern in SCRIPTS.items():
        if pattern.search(text):
            return script_language
    if base in SCRIPTS and _LETTER.search(text):
        return LATIN_TEXT.get(base, "en")
    return base


def by_language(text: str, language: str) -> list[tuple[str, str | None]]:
    """Split a text of a letter into pieces by language, judged by script.

    Only in a letter whose language has a script of its own (Khmer), so that its
    English names are not Khmer to a spell checker; elsewhere the text is one piece
    whose language is the letter's (None).
    """
    if base_language(language) not in SCRIPTS:
        return [(text, None)]
    pieces: list[list[str]] = []  # [language, text]
    for word in re.split(r"(?<= )", text):  # each word keeps its trailing space
        found = text_language(word, language)
        if pieces and (found == pieces[-1][0] or not _LETTER.search(word)):
            pieces[-1][1] += word  # digits and punctuation go with the text before them
        else:
            pieces.append([found, word])
    return [(piece, found) for found, piece in pieces]


def words(language: str) -> dict[str, str]:
    """Return the template's words in a language (English where none are known)."""
    return WORDS.get(base_language(language), WORDS["en"])


def salutation_rule(language: str, kind: str, gender: str | None) -> str:
    """Return the salutation pattern for a kind of recipient in a language."""
    rules = SALUTATIONS.get(base_language(language), SALUTATIONS["en"])
    return rules.get(f"{kind}:{gender}") or rules[kind]
