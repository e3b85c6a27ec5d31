"""Addresses anywhere: each destination country's postal format, and invalid addresses refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy import addressing, api
from advocacy.models import Recipient
from tests.helpers import copy_project, pdf_text, run, tree_hashes
from tests.test_recipients import records

# The Office of the UN High Commissioner for Human Rights (its published postal address).
OHCHR = Recipient(id="ohchr", name="Office of the United Nations High Commissioner for Human "
                  "Rights", address=["Palais des Nations"], city="Genève 10", postal_code="1211",
                  country="CH")
# A member of the 44th Parliament as listed in shared/data/ca_federal-legislators.json (stale
# data, used for the format only): "House of Commons\nOttawa, Ontario\nCanada\nK1A 0A6".
ABOULTAIF = Recipient(id="89156", name="Ziad Aboultaif", organisation="House of Commons",
                      city="Ottawa", region="Ontario", postal_code="K1A 0A6", country="CA")


def test_swiss_block() -> None:
    assert addressing.address_block(OHCHR) == [
        "Office of the United Nations High Commissioner for Human Rights", "Palais des Nations",
        "CH-1211 Genève 10", "SWITZERLAND"]
    assert addressing.address_problems(OHCHR) == []


def test_mission_in_geneva_puts_the_office_first() -> None:
    """Swiss Post's order: organisation, then person (the US order is the reverse)."""
    mission = Recipient(id="KH", kind="permanent-mission", honorific="H.E. Mr.", name="Chhea Keo",
                        title="Permanent Representative",
                        organisation="Permanent Mission of Cambodia to the United Nations",
                        address=["Palais des Nations"], city="Genève 10", postal_code="1211",
                        country="CH")
    assert addressing.address_block(mission) == [
        "Permanent Mission of Cambodia to the United Nations", "H.E. Mr. Chhea Keo",
        "Permanent Representative", "Palais des Nations", "CH-1211 Genève 10", "SWITZERLAND"]
    in_new_york = mission.model_copy(update={
        "address": ["327 East 58th Street"], "city": "New York", "region": "NY",
        "postal_code": "10022", "country": "US"})
    assert addressing.address_block(in_new_york) == [
        "H.E. Mr. Chhea Keo", "Permanent Representative",
        "Permanent Mission of Cambodia to the United Nations", "327 East 58th Street",
        "New York, NY 10022"]


def test_canadian_block_uses_the_province_code() -> None:
    assert addressing.address_block(ABOULTAIF) == [
        "Ziad Aboultaif", "House of Commons", "Ottawa ON K1A 0A6", "CANADA"]
    lower_case = ABOULTAIF.model_copy(update={"postal_code": "k1a 0a6", "region": "ON"})
    assert addressing.postal_lines(lower_case) == ["Ottawa ON K1A 0A6", "CANADA"]


def test_country_name_in_the_letters_language() -> None:
    assert addressing.postal_lines(OHCHR, "fr")[-1] == "SUISSE"
    assert addressing.postal_lines(ABOULTAIF, "fr")[-1] == "CANADA"


def test_no_postal_code_no_prefix() -> None:
    """A Geneva record without postal code prints its city, not 'CH- Genève'."""
    known = OHCHR.model_copy(update={"address": [], "postal_code": None, "city": "Genève"})
    assert addressing.postal_lines(known) == ["Genève", "SWITZERLAND"]
    assert not addressing.has_postal_address(known)
    assert addressing.address_problems(known) == []  # "address missing": a note, not an error


@pytest.mark.parametrize(("change", "problem"), [
    ({"postal_code": "12111"},
     "postal_code '12111' is not valid in Switzerland; it should look like 2544 or 1211"),
    ({"city": None}, "the address has no city; add 'city:' to the record"),
    ({"country": "XX"},
     "country 'XX' is not a country code; use a two-letter ISO 3166 code such as US, CH or CA"),
])
def test_invalid_swiss_address(change: dict[str, str | None], problem: str) -> None:
    assert addressing.address_problems(OHCHR.model_copy(update=change)) == [problem]


def test_invalid_us_and_canadian_addresses() -> None:
    mission = Recipient(id="KH", name="Permanent Mission of Cambodia to the United Nations",
                        address=["327 East 58th Street"], city="New York", region="NY",
                        postal_code="10022", country="US")
    assert addressing.address_problems(mission) == []
    assert addressing.address_problems(mission.model_copy(update={"postal_code": "20510"})) == [
        "postal_code '20510' does not belong to region 'NY'; check the postal_code and the "
        "region"]
    assert addressing.address_problems(mission.model_copy(update={"postal_code": "1002"})) == [
        "postal_code '1002' is not valid in United States; it should look like 95014 or "
        "22162-1010"]
    assert addressing.address_problems(ABOULTAIF.model_copy(update={"region": "Ontaria"})) == [
        "region 'Ontaria' is not a province of Canada; use its code or name, such as AB"]


def test_a_record_without_a_country() -> None:
    """No country: no country line and no postal format; an address needs one (README)."""
    jane = Recipient(id="jd", name="Jane Doe", title="Director",
                     organisation="Example Foundation")
    assert jane.country is None
    assert addressing.address_block(jane) == ["Jane Doe", "Director", "Example Foundation"]
    assert addressing.salutation(jane, "en") == "Dear Jane Doe:"
    assert addressing.address_problems(jane) == []
    assert not addressing.has_postal_address(jane)
    assert addressing.address_problems(jane.model_copy(update={"postal_code": "1211"})) == [
        "the record has an address but no country; add 'country:' (a two-letter code such "
        "as CH)"]
    # Records of Congress are in the US without saying so (the imported data does not).
    senator = Recipient.model_validate({"id": "x", "kind": "senator", "name": "A B"})
    assert senator.country == "US"


def test_imported_records_are_all_valid() -> None:
    """Every imported record passes: no street (committees) or no ZIP (missions) is allowed."""
    for name in ("us-senate", "us-house", "us-committees", "un-permanent-representatives",
                 "un-geneva-missions"):
        for record in records(f"{name}.yaml").values():
            assert addressing.address_problems(record) == [], record.id


GENEVA = ("recipients:\n  - id: ohchr\n    name: Office of the United Nations High Commissioner "
          "for Human Rights\n    address: [Palais des Nations]\n    city: Genève 10\n"
          "    postal_code: '{code}'\n    country: CH\n")
CAMPAIGN = "title: G\ndate: 2021-03-23\nbody: Text.\nrecipients: {from: geneva}\n"


def test_geneva_letter_prints_a_swiss_block(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "geneva.yaml").write_text(GENEVA.format(code="1211"), "utf-8")
    (project / "campaigns" / "geneva.yaml").write_text(CAMPAIGN, encoding="utf-8")
    result = api.generate(project / "campaigns" / "geneva.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "o", formats=["pdf"]))
    text = pdf_text(result.folder / f"{result.letters[0].letter.stem}.pdf", page=1)
    lines = [line.strip() for line in text.splitlines()]
    block = ["Office of the United Nations High Commissioner for Human Rights",
             "Palais des Nations", "CH-1211 Genève 10", "SWITZERLAND"]
    assert "\n".join(block) in "\n".join(lines)


def test_a_country_code_in_lower_case_is_the_same_country(tmp_path: Path) -> None:
    """'us' is the US: its letters go on US Letter paper with a domestic address block."""
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "dc.yaml").write_text(
        "recipients:\n  - id: office\n    name: Jane Doe\n    address: [100 Maryland Ave NE]\n"
        "    city: Washington\n    region: DC\n    postal_code: '20002'\n    country: us\n",
        encoding="utf-8")
    (project / "campaigns" / "dc.yaml").write_text(
        "title: t\ndate: 2021-03-23\nbody: Text.\nrecipients: {from: dc}\n", encoding="utf-8")
    [letter] = api.plan(project / "campaigns" / "dc.yaml").letters
    assert letter.paper == "letter"
    assert list(letter.address.lines) == ["Jane Doe", "100 Maryland Ave NE",
                                          "Washington, DC 20002"]


def test_invalid_address_is_an_error_naming_the_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "geneva.yaml").write_text(GENEVA.format(code="12111"), "utf-8")
    (project / "campaigns" / "geneva.yaml").write_text(CAMPAIGN, encoding="utf-8")
    monkeypatch.chdir(project)
    before = tree_hashes(project)
    for command in ("check", "generate"):
        assert run(command, "campaigns/geneva.yaml") == 1
        assert capsys.readouterr().err == (
            "error: recipients/geneva.yaml:2:5: recipient 'ohchr': postal_code '12111' is not "
            "valid in Switzerland; it should look like 2544 or 1211\n")
    assert tree_hashes(project) == before  # nothing written, not even output/


def test_overrides_are_checked_at_their_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A street without a postal code, added in an overrides file, is incomplete."""
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "un-missions-2021.yaml").write_text(
        "recipients:\n  - id: FR\n    address: [245 East 47th Street]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert run("check", "campaigns/cambodia-2021-un-missions.yaml") == 1
    assert capsys.readouterr().err == (
        "error: recipients/un-missions-2021.yaml:2:5: recipient 'FR': the address has no "
        "postal_code; add 'postal_code:' to the record\n")
