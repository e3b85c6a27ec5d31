"""Constituent campaigns: each sender writes to their own legislators, matched by ZIP code."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from advocacy import api
from advocacy.errors import Place
from advocacy.recipients.constituents import Constituent, load_senders, match
from advocacy.recipients.districts import Crosswalk
from advocacy.recipients.lookup import load_delegation
from tests.helpers import REPO, copy_project, run

RECIPIENTS = REPO / "recipients"
CROSSWALK = Crosswalk.load(RECIPIENTS / "us-zip-districts.csv")
DELEGATION = load_delegation(RECIPIENTS)
BOTH = ("senate", "house")


def who(state: str, zip_code: str, district: int | None = None,
        chambers: tuple[str, ...] = BOTH) -> tuple[list[str], list[str]]:
    """Match a constituent; return the recipients' names and the attention issues."""
    person = Constituent(Place("test.csv", 2), "A. Constituent", "1 Example Street", "City",
                         state, zip_code, district)
    recipients, notes = match(person, DELEGATION, CROSSWALK, chambers)
    return [r.name for r in recipients], [n.issue for n in notes]


def single_seat_zip(state: str, district: int) -> str:
    """Return a ZIP of the crosswalk that lies wholly in one seat."""
    return next(z for z, seats in sorted(CROSSWALK.by_zip.items()) if seats == ((state, district),))


def test_a_zip_in_one_district() -> None:
    assert who("MN", "55407") == (["Amy Klobuchar", "Tina Smith", "Ilhan Omar"], [])
    assert who("MN", "55407-1234") == (["Amy Klobuchar", "Tina Smith", "Ilhan Omar"], [])


def test_known_zips_match_their_district_in_the_crosswalk() -> None:
    """For every 50th single-district ZIP, the House letter goes to that district's member."""
    checked = 0
    for zip_code, seats in sorted(CROSSWALK.by_zip.items())[::50]:
        if len(seats) != 1 or seats[0] not in DELEGATION.members:
            continue
        state, district = seats[0]
        names, issues = who(state, zip_code)
        assert names[-1] == DELEGATION.members[(state, district)].name, zip_code
        assert all("has no senators" in issue for issue in issues), issues  # DC and PR only
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(("state", "district"), [("CA", 14), ("FL", 20), ("GA", 13), ("TX", 23)])
def test_every_vacant_seat(state: str, district: int) -> None:
    names, issues = who(state, single_seat_zip(state, district))
    assert len(names) == 2  # the senators still get their letters
    assert issues == [f"the seat {state}-{district} is vacant (no member in the data); no House "
                      "letter written"]


@pytest.mark.parametrize("state", ["AK", "DE", "ND", "SD", "VT", "WY"])
def test_every_at_large_state(state: str) -> None:
    names, issues = who(state, single_seat_zip(state, 0))
    member = DELEGATION.members[(state, 0)]
    assert member.district == 0 and member.kind == "representative"
    assert names[-1] == member.name and len(names) == 3 and issues == []


@pytest.mark.parametrize(("state", "zip_code"), [
    ("DC", "20001"), ("PR", "00901"), ("GU", "96910"), ("VI", "00802"), ("AS", "96799"),
    ("MP", "96950"),
])
def test_dc_and_territories_write_to_their_delegate_only(state: str, zip_code: str) -> None:
    names, issues = who(state, zip_code)
    assert names == [DELEGATION.members[(state, 0)].name]
    assert issues == [f"{state} has no senators; only its non-voting member of the House gets "
                      "a letter"]


def test_a_zip_split_between_districts() -> None:
    names, issues = who("MA", "02138")
    assert names == ["Edward J. Markey", "Elizabeth Warren"]
    assert issues == ["ZIP 02138 spans the districts MA-5, MA-7; no House letter written"]
    assert who("MA", "02138", district=7)[0][-1] == "Ayanna Pressley"


def test_a_zip_crossing_a_state_line() -> None:
    assert CROSSWALK.seats_of("30165") == (("AL", 3), ("GA", 14))
    assert who("GA", "30165")[0] == ["Jon Ossoff", "Raphael G. Warnock", "Clay Fuller"]
    assert who("AL", "30165")[0] == ["Tommy Tuberville", "Katie Boyd Britt", "Mike Rogers"]


def test_a_state_that_contradicts_the_zip() -> None:
    assert who("MI", "55407") == ([], [
        "ZIP 55407 is in MN according to the crosswalk, not in MI; no letters written"])


def test_a_zip_not_in_the_crosswalk() -> None:
    names, issues = who("MN", "55440")
    assert names == ["Amy Klobuchar", "Tina Smith"]
    assert issues == ["ZIP 55440 is not in the crosswalk (PO box or new ZIP); no House letter "
                      "written"]
    assert who("MN", "55440", district=5)[0][-1] == "Ilhan Omar"


def test_a_district_that_does_not_exist() -> None:
    assert who("MN", "55407", district=9)[1] == [
        "district MN-9 does not exist; no House letter written"]


def test_a_district_that_contradicts_the_zip() -> None:
    """55407 is only in MN-5: a row saying district 3 is not written to MN-3 unasked."""
    assert who("MN", "55407", district=3) == (["Amy Klobuchar", "Tina Smith"], [
        "district MN-3 contradicts ZIP 55407, which the crosswalk puts in MN-5; no House "
        "letter written"])
    assert who("MA", "02138", district=5)[1] == []  # one of the ZIP's districts: no doubt


def test_restricting_to_one_chamber() -> None:
    assert who("MN", "55407", chambers=("senate",)) == (["Amy Klobuchar", "Tina Smith"], [])
    assert who("MA", "02138", chambers=("senate",)) == (
        ["Edward J. Markey", "Elizabeth Warren"], [])
    assert who("DC", "20001", chambers=("house",)) == (["Eleanor Holmes Norton"], [])


# --- The senders file -------------------------------------------------------------------------


def test_the_example_senders_file() -> None:
    senders = load_senders(RECIPIENTS / "constituents-2021.csv")
    assert len(senders) == 56
    by_name = {s.name: s for s in senders}
    assert by_name["Kalyan Ros"].zip == "01854"  # a spreadsheet dropped the leading zero
    assert by_name["Narin Ros"].district == 8  # written "NJ-8"
    assert by_name["Sophal Chea"].sender().address == ["100 Example Street",
                                                          "Minneapolis, MN 55407"]


def test_senders_file_mistakes_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "senders.csv"
    path.write_text("Full Name,Address,City,State,Zip Code,District\n"
                    "Dara Kim,1 Example St,Saint Paul,MN,55104,\n"
                    "Bopha Sok,,Saint Paul,MN,55106,\n"
                    "Vanna Chhim,2 Example St,Long Beach,XX,90804,\n"
                    "Sokha Ly,3 Example St,Lowell,MA,ABCDE,\n"
                    "Rithy Keo,4 Example St,Falls Church,VA,22041,eight\n", encoding="utf-8")
    with pytest.raises(Exception) as error:
        load_senders(path)
    assert str(error.value) == (
        f"{path}:3: missing street; every sender needs a name, street, city, state and ZIP\n"
        f"{path}:4: unknown state 'XX'; use a two-letter code such as MN\n"
        f"{path}:5: 'ABCDE' is not a ZIP code (12345 or 12345-6789)\n"
        f"{path}:6: district 'eight' is not a number\n"
        "4 problems found; nothing was written.")


def test_senders_file_without_a_zip_column(tmp_path: Path) -> None:
    path = tmp_path / "senders.csv"
    path.write_text("name,street,city,state\nDara Kim,1 Example St,Saint Paul,MN\n",
                    encoding="utf-8")
    with pytest.raises(Exception, match=r"senders.csv:1: missing column 'zip' \(also "
                       r"recognised: zip_code, zipcode, postal_code\)"):
        load_senders(path)


def test_senders_as_yaml(tmp_path: Path) -> None:
    path = tmp_path / "senders.yaml"
    path.write_text("senders:\n  - {name: Dara Kim, street: 1 Example St, city: Saint Paul,\n"
                    "     state: MN, zip: 55104}\n", encoding="utf-8")
    assert load_senders(path)[0].zip == "55104"


# --- The example constituent campaign ---------------------------------------------------------


def test_example_campaign_writes_what_it_can_and_reports_the_rest(
    examples: dict[str, api.Result],
) -> None:
    result = examples["cambodia-2021-constituent"]
    senders = {w.letter.sender.name for w in result.letters if w.letter.sender}
    assert len(result.letters) == 143 and len(senders) == 55  # all but the contradictory row
    with (result.folder / "needs-attention.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 17
    first = rows[0]
    assert first == {"where": "recipients/constituents-2021.csv:23", "who": "Srey Leak Chhay",
                     "letter": "", "issue": "the seat GA-13 is vacant (no member in the data); "
                     "no House letter written",
                     "what_to_do": "write again when the seat is filled and the data imported"}
    issues = " ".join(row["issue"] for row in rows)
    for expected in ["spans the districts MA-5, MA-7", "not in MI", "55440 is not in the "
                     "crosswalk", "CA-14 is vacant", "FL-20 is vacant", "TX-23 is vacant",
                     "DC has no senators", "MP has no senators", "district MN-9 does not exist"]:
        assert expected in issues


def test_generate_prints_the_attention_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    senders = project / "recipients" / "few.csv"
    senders.write_text("name,street,city,state,zip\nRatana Vong,40 Sample Street,Cambridge,MA,"
                       "02138\n", encoding="utf-8")
    (project / "campaigns" / "few.yaml").write_text(
        "title: t\ndate: 2021-03-23\nbody: b\nrecipients: [{from: us-senate}, {from: us-house}]\n"
        "senders: few\nformats: [pdf]\n", encoding="utf-8")
    assert run("generate", "campaigns/few.yaml") == 0
    assert capsys.readouterr().out == (
        "output/few/: 2 letters\n"
        "  needs attention: 1\n"
        "    recipients/few.csv:2: Ratana Vong: ZIP 02138 spans the districts MA-5, MA-7; no "
        "House letter written; add a district column with this constituent's district\n"
        "  full list: output/few/needs-attention.csv\n")
    report = (project / "output" / "few" / "needs-attention.csv").read_text("utf-8-sig")
    assert list(csv.reader(io.StringIO(report)))[1][:2] == ["recipients/few.csv:2",
                                                            "Ratana Vong"]


# --- lookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    (["55407"], "ZIP 55407 (MN): district MN-5\n  Senator Amy Klobuchar (Democrat)\n"
     "  Senator Tina Smith (Democrat)\n  Representative Ilhan Omar (Democrat), MN-5\n"),
    (["02138"], "ZIP 02138 (MA) spans 2 districts: MA-5, MA-7; the full address decides which "
     "one\n  Senator Edward J. Markey (Democrat)\n  Senator Elizabeth Warren (Democrat)\n"
     "  Candidate: Representative Katherine M. Clark (Democrat), MA-5\n"
     "  Candidate: Representative Ayanna Pressley (Democrat), MA-7\n"),
    (["30165", "--state", "GA"], "ZIP 30165 (GA): district GA-14\n"
     "  Senator Jon Ossoff (Democrat)\n  Senator Raphael G. Warnock (Democrat)\n"
     "  Representative Clay Fuller (Republican), GA-14\n"),
    (["20001"], "ZIP 20001 (DC): district DC-AL\n  no senators (DC is not a state)\n"
     "  Delegate Eleanor Holmes Norton (Democrat), DC-AL\n"),
    (["96910", "--state", "GU"], "ZIP 96910 (GU): district GU-AL\n"
     "  no senators (GU is not a state)\n  Delegate James C. Moylan (Republican), GU-AL\n"),
    (["94541"], "ZIP 94541 (CA): district CA-14\n  Senator Adam B. Schiff (Democrat)\n"
     "  Senator Alex Padilla (Democrat)\n  CA-14: vacant seat\n"),
])
def test_lookup(args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    assert run("recipients", "lookup", *args) == 0
    assert capsys.readouterr().out == expected


def test_lookup_of_a_zip_crossing_a_state_line(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    assert run("recipients", "lookup", "30165") == 0
    output = capsys.readouterr().out
    assert output.startswith("ZIP 30165 crosses a state line (AL, GA); give --state to choose\n"
                             "ZIP 30165 (AL): district AL-3\n")
    assert "  Representative Clay Fuller (Republican), GA-14\n" in output


@pytest.mark.parametrize(("args", "expected"), [
    (["55440"], "ZIP 55440 is not in the crosswalk (PO box or new ZIP); give --state for an "
     "at-large state, or find the district from the full address"),
    (["55440", "--state", "MN"], "ZIP 55440 in MN is not in the crosswalk (PO box or new ZIP); "
     "give --state for an at-large state, or find the district from the full address"),
    (["20001", "--state", "MD"], "ZIP 20001 is in DC according to the crosswalk, not in MD; "
     "check the state and the ZIP, or leave out --state"),
    (["20001", "--state", "AK"], "ZIP 20001 is in DC according to the crosswalk, not in AK; "
     "check the state and the ZIP, or leave out --state"),
])
def test_lookup_that_finds_nobody_fails(args: list[str], expected: str,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    assert run("recipients", "lookup", *args) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"error: {expected}\n")


def test_lookup_of_a_bad_zip(monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    assert run("recipients", "lookup", "5540") == 1
    assert capsys.readouterr().err == ("error: '5540' is not a ZIP code; give five digits, "
                                       "e.g. 55407\n")

