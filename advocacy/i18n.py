"""What changes with a letter's language: words the template prints, salutations, fonts.

Adding a language means adding its entries here (and translations of the
campaign texts and statements, see README "Languages"). The Khmer wording
should be reviewed by a native speaker before a real mailing.
"""

from __future__ import annotations

# Words the template and the DOCX footer print.
WORDS: dict[str, dict[str, str]] = {
    "en": {"subject": "Subject:", "page": "Page", "of": "of", "colon": ":"},
    "fr": {"subject": "Objet :", "page": "Page", "of": "sur", "colon": "\u00a0:"},
    "km": {"subject": "កម្មវត្ថុ៖", "page": "ទំព័រ", "of": "នៃ", "colon": "៖"},
}

# How each kind of recipient is greeted. {last} is the family name; a key ending in
# ":F" or ":M" is used for a recipient of that gender (languages with gendered titles).
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
    },
}

# Word's name for each language, and the font Word and LibreOffice use for a complex
# script (Khmer): python-docx's font.name only reaches the Latin slots.
WORD_LANGUAGES = {"en": "en-US", "fr": "fr-FR", "km": "km-KH"}
COMPLEX_SCRIPT_FONTS = {"km": "Noto Serif Khmer"}


def base_language(language: str) -> str:
    """Return 'fr' for 'fr-CH' or 'fr_CH'."""
    return language.replace("_", "-").split("-")[0]


def words(language: str) -> dict[str, str]:
    """Return the template's words in a language (English where none are known)."""
    return WORDS.get(base_language(language), WORDS["en"])


def salutation_rule(language: str, kind: str, gender: str | None) -> str:
    """Return the salutation pattern for a kind of recipient in a language."""
    rules = SALUTATIONS.get(base_language(language), SALUTATIONS["en"])
    return rules.get(f"{kind}:{gender}") or rules[kind]
