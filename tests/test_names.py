"""Near-duplicate matching of signatory names, on the names of the real lists."""

from __future__ import annotations

import pytest

from advocacy.signatories import names
from advocacy.signatories.names import Entry

HAMPTON = Entry("Khmer Association of Hampton Road Virginia", "KAHRV")


@pytest.mark.parametrize(("other", "reasons"), [
    (Entry("Khmer Association of Hampton Roads Virginia"),
     ["the names differ only in a plural 's'"]),
    (Entry("KHMER ASSOCIATION OF HAMPTON ROAD, VIRGINIA", "kahrv"),
     ["the names differ only in case and punctuation", "same acronym KAHRV"]),
    (Entry("Khmer Association of Hampton Rd Virginia"), ["the names are 98% alike"]),
    (Entry("KAHRV"), ["'KAHRV' is the acronym of 'Khmer Association of Hampton Road Virginia'"]),
    (Entry("Khmer Association of Virginia Hampton Road"), ["the names are 100% alike"]),
    (Entry("Cambodian Association of Victoria", "CAV"), []),
])
def test_looks_alike(other: Entry, reasons: list[str]) -> None:
    assert names.looks_alike(HAMPTON, other) == reasons


def test_accents_and_initials() -> None:
    assert names.looks_alike(Entry("Société Buddhiste Khmère"), Entry("Societe Buddhiste Khmere")) \
        == ["the names differ only in accents"]
    assert names.looks_alike(Entry("Khmer Unity for Cambodia"), Entry("KUC")) == [
        "'KUC' is the initials of 'Khmer Unity for Cambodia'"]
    assert names.initials("Cambodian Alliance for the Paris Peace Agreements on Cambodia") == \
        "CAPPAC"


def test_different_organisations_of_the_real_lists_are_not_alike() -> None:
    """The two CAHRAD organisations both signed in 2021: they must not be flagged."""
    cahrad = Entry("Cambodian Americans for Human Rights and Democracy", "CAHRAD")
    league = Entry("Cambodian Americans for Human Rights and Democracy League Activist",
                   "CAHRADLA")
    assert names.looks_alike(cahrad, league) == []
    assert 0.8 < names.similarity(cahrad.name, league.name) < names.SIMILARITY
    assert names.similarity(cahrad.name, league.name, at_least=names.SIMILARITY) == 0.0


def test_marks_count_in_scripts_without_accents() -> None:
    """Khmer vowel signs are combining marks, but letters: សុខា (Sokha) is not សុខី (Sokhi)."""
    assert names.comparison_key("សុខា") != names.comparison_key("សុខី")
    assert names.looks_alike(Entry("សមាគមសុខា"), Entry("សមាគមសុខី")) == []
    assert names.looks_alike(Entry("សមាគម សុខា"), Entry("សមាគម  សុខា")) == [
        "the names differ only in spacing"]
    assert names.looks_alike(Entry("Ελλάδα"), Entry("Ελλαδα")) == [
        "the names differ only in accents"]
