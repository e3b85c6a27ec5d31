"""UN bodies as data: the Human Rights Council's members by year, its observers, the
Geneva missions, and the selectors member_of and observer_of (recipients/bodies.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from advocacy import addressing, api, shipped
from advocacy.models import Recipient
from advocacy.recipients.bodies import BodiesFile
from advocacy.recipients.upstream.importer import import_recipients
from tests.helpers import REPO, fails_with, run_captured
from tests.test_recipients import records

YEARS = range(2021, 2027)
DATA = shipped.DATA / "un-bodies"
KNOWN = "hrc-2021, hrc-2022, hrc-2023, hrc-2024, hrc-2025, hrc-2026"


def bodies() -> BodiesFile:
    text = (REPO / "recipients" / "un-bodies.yaml").read_text(encoding="utf-8")
    return BodiesFile.model_validate(yaml.safe_load(text))


def selected(project: Path, where: str, source: str = "un-geneva-missions") -> list[str]:
    """Plan a campaign with one selector; return the ids of the records it selects."""
    Path("campaigns/x.yaml").write_text(f"title: t\nbody: b\nrecipients: {{from: {source}, "
                                        f"where: {where}}}\n", encoding="utf-8")
    return [letter.recipient.id for letter in api.plan(project / "campaigns" / "x.yaml").letters]


# --- The data ----------------------------------------------------------------------------


def test_each_year_has_47_members_with_sources_and_a_date() -> None:
    for year in YEARS:
        data = yaml.safe_load((DATA / f"hrc-{year}.yaml").read_text(encoding="utf-8"))
        assert (data["body"], data["year"], data["count"]) == ("hrc", year, 47)
        assert len({member["country"] for member in data["members"]}) == 47
        assert data["source"].startswith(("https://", "http://"))
        assert data["source"] in data["sources"]
        assert str(data["checked"]) == "2026-11-30"
        assert data["caveats"], f"{year}: say what the sources could not confirm"
        groups = [member["group"] for member in data["members"]]
        assert {g: groups.count(g) for g in data["groups"]} == {
            "African": 13, "APG": 13, "EEG": 6, "GRULAC": 8, "WEOG": 7}
    model = bodies()
    assert sorted(model.bodies) == [f"hrc-{year}" for year in YEARS]
    assert all(len(body.members) == 47 for body in model.bodies.values())
    assert (len(model.un_member_states), model.observer_states) == (193, ["VA", "PS"])


def test_the_sources_say_what_they_could_not_confirm() -> None:
    model = bodies()
    assert "staging host" in " ".join(model.bodies["hrc-2023"].caveats)
    assert "america-times.com" in " ".join(model.bodies["hrc-2024"].caveats)
    assert "news agency" in " ".join(model.bodies["hrc-2025"].caveats)
    assert "news agencies" in " ".join(model.bodies["hrc-2026"].caveats)
    # 2022 is the membership on 1 January: the Russian Federation, replaced by Czechia.
    hrc_2022 = model.bodies["hrc-2022"]
    assert "RU" in hrc_2022.members and "CZ" not in hrc_2022.members
    assert [change[:10] for change in hrc_2022.changes] == ["2022-04-07", "2022-05-10"]


def test_2021_is_the_three_elected_cohorts() -> None:
    """Elected in 2018 (GA/12077), 2019 and 2020: spot checks against those sources."""
    members = set(bodies().bodies["hrc-2021"].members)
    assert {"AR", "AT", "BS", "CZ", "FJ", "TG"} <= members  # 2018, terms 2019-2021
    assert {"LY", "MH", "KR", "AM", "VE", "NL"} <= members  # 2019, terms 2020-2022
    assert {"BO", "CN", "CI", "CU", "RU", "UZ", "GB"} <= members  # 2020, terms 2021-2023
    assert not {"US", "SA", "CH"} & members  # the US returned in 2022; Saudi Arabia lost in 2020


# --- Selectors ---------------------------------------------------------------------------


def test_member_and_observer_selectors_each_year(project: Path) -> None:
    everyone = set(bodies().un_member_states) | {"VA", "PS"}
    for year in YEARS:
        members = selected(project, f"{{member_of: hrc-{year}}}")
        observers = selected(project, f"{{observer_of: hrc-{year}}}")
        assert (len(members), len(observers)) == (47, 148)
        assert set(members) | set(observers) == everyone
        assert not set(members) & set(observers)
    # The New York file has no Holy See or Palestine: 193 - 47 observers there.
    assert len(selected(project, "{observer_of: HRC-2021}", "un-permanent-representatives")) \
        == 146
    both = selected(project, "{member_of: [hrc-2021, hrc-2026]}")
    assert "RU" in both and "GB" in both and len(both) > 47


def test_member_of_is_the_state_a_record_represents(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A senator is in the US, a member in 2023, but represents no state: never selected."""
    fails_with(capsys, "campaigns/x.yaml:1:31: recipients.where: selects no one of the 100 "
               "records in recipients/us-senate.yaml; check the selectors",
               "recipients: {from: us-senate, where: {member_of: hrc-2023}}\ntitle: t\nbody: b\n",
               command="check")


@pytest.mark.parametrize(("where", "message"), [
    ("{member_of: hrc-2020}", f"campaigns/x.yaml:3:48: recipients.where.member_of: unknown UN "
     f"body 'hrc-2020'; recipients/un-bodies.yaml knows {KNOWN}"),
    ("{member_of: hrc-2021, observer_of: [ohchr-2023, hrc-2027]}",
     "campaigns/x.yaml:3:69: recipients.where.observer_of: unknown UN body 'ohchr-2023'; "
     f"recipients/un-bodies.yaml knows {KNOWN}\n"
     "campaigns/x.yaml:3:69: recipients.where.observer_of: unknown UN body 'hrc-2027'; "
     f"recipients/un-bodies.yaml knows {KNOWN}\n2 problems found; nothing was written."),
])
def test_an_unknown_body_or_year_names_the_known_ones(
        project: Path, capsys: pytest.CaptureFixture[str], where: str, message: str) -> None:
    fails_with(capsys, message, f"title: t\nbody: b\nrecipients: {{from: un-geneva-missions, "
               f"where: {where}}}\n", command="check")


def test_without_the_bodies_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/un-bodies.yaml").unlink()
    fails_with(capsys, "campaigns/x.yaml:3:48: no recipients/un-bodies.yaml, which says who "
               "belongs to which UN body; run 'advocacy recipients import' to write it",
               "title: t\nbody: b\nrecipients: {from: un-geneva-missions, where: {member_of: "
               "hrc-2021}}\n", command="check")


def test_a_damaged_bodies_file_is_placed(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The project's copy is as untrusted as any project file."""
    text = Path("recipients/un-bodies.yaml").read_text(encoding="utf-8")
    Path("recipients/un-bodies.yaml").write_text(
        text.replace("observer_states: [VA, PS]", "observer_states: 5"), encoding="utf-8")
    line = text[:text.index("observer_states:")].count("\n") + 1
    fails_with(capsys, f"recipients/un-bodies.yaml:{line}:1: observer_states: expected a "
               "list, got 5", "title: t\nbody: b\nrecipients: {from: un-geneva-missions, "
               "where: {observer_of: hrc-2021}}\n", command="check")


def test_a_change_during_the_year_needs_attention(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    Path("campaigns/x.yaml").write_text(
        "title: t\nbody: b\nrecipients: {from: un-geneva-missions, where: {member_of: "
        "hrc-2022, id: [RU, CZ]}}\n", encoding="utf-8")
    code, out, _ = run_captured(capsys, "plan", "campaigns/x.yaml")
    assert code == 0
    assert out.splitlines()[1] == ("  The Permanent Representative | Excellency, | "
                                   "the-permanent-representative-ru.pdf, "
                                   "the-permanent-representative-ru.docx  [address missing]")
    assert ("    campaigns/x.yaml:3:40: hrc-2022: membership changed during the year: "
            "2022-04-07: Russian Federation (RU) resigned from the Council (membership "
            "suspended by GA the same day); the list is the membership on 1 January; check who "
            "the letter should reach, and select records by id if needed") in out.splitlines()


# --- Geneva missions ---------------------------------------------------------------------


def test_geneva_missions_are_addressed_as_missions_without_an_address() -> None:
    missions = records("un-geneva-missions.yaml")
    assert len(missions) == 195
    assert all(m.kind == "permanent-mission" and m.country == "CH" and m.city == "Genève"
               and not m.address and not m.postal_code for m in missions.values())
    france = missions["FR"]
    assert addressing.address_block(france) == [
        "Permanent Mission of France to the United Nations Office at Geneva",
        "The Permanent Representative", "Genève", "SWITZERLAND"]
    assert addressing.address_block(france, "fr")[-1] == "SUISSE"
    assert addressing.salutation(france, "en") == "Excellency,"
    assert addressing.salutation(france, "fr") == "Excellence,"
    assert not addressing.has_postal_address(france)  # flagged "address missing"
    assert missions["PS"].organisation == ("Permanent Observer Mission of the State of "
                                           "Palestine to the United Nations Office at Geneva")
    assert missions["PH"].organisation.startswith("Permanent Mission of the Philippines")


def test_an_overrides_file_completes_a_geneva_mission(project: Path) -> None:
    # A made-up address for the test: the data has none, and none is ever invented there.
    Path("recipients/geneva-2021.yaml").write_text(
        "recipients:\n  - id: FR\n    address: [Rue de l'Exemple 1]\n    postal_code: '1202'\n",
        encoding="utf-8")
    Path("campaigns/x.yaml").write_text(
        "title: t\nbody: b\nrecipients: {from: un-geneva-missions, where: {id: [FR, DE]}, "
        "overrides: geneva-2021}\n", encoding="utf-8")
    france, germany = api.plan(project / "campaigns" / "x.yaml").letters
    assert list(france.address.lines[-3:]) == ["Rue de l'Exemple 1", "CH-1202 Genève",
                                               "SWITZERLAND"]
    assert (france.notes, [n.issue for n in germany.notes]) == ((), ["address missing"])


# --- The import -----------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    (lambda text: text.replace("count: 47", "count: 48"),
     "lists 47 members, and says 'count: 48'"),
    (lambda text: text.replace("country: BF,", "country: CM,"), "CM is listed twice"),
    (lambda text: text.replace("country: BF,", "country: TW,"), "TW is not a UN member state"),
    (lambda text: text.replace("African: 13", "African: 12"),
     "lists 13 members of the group African, and says 12"),
])
def test_the_import_refuses_a_membership_that_contradicts_itself(
        tmp_path: Path, change: object, message: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(shipped.DATA, data)
    path = data / "un-bodies" / "hrc-2021.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(api.AdvocacyError) as error:
        import_recipients(data, tmp_path / "recipients")
    assert message in str(error.value)
    assert str(error.value).startswith(str(path))
    assert not (tmp_path / "recipients").exists()


def test_the_import_copies_the_observer_states(tmp_path: Path) -> None:
    import_recipients(shipped.DATA, tmp_path)
    geneva = yaml.safe_load((tmp_path / "un-geneva-missions.yaml").read_text(encoding="utf-8"))
    ids = [Recipient.model_validate(r).id for r in geneva["recipients"]]
    assert ids[-2:] == ["VA", "PS"] and len(ids) == len(set(ids)) == 195
    header = (tmp_path / "un-bodies.yaml").read_text(encoding="utf-8").split("\nun_member")[0]
    assert "un-bodies/hrc-2021.yaml (its sources and the date they were checked inside" in header
