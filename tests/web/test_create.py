"""New campaigns, statements and signatory lists from the web app, through Starlette's client.

A good form writes a readable file that generating accepts; each bad one gives the
CLI's placed message and writes nothing; a name is never a path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from advocacy import api
from tests.helpers import tree_hashes
from tests.web.conftest import csrf_of

GOOD = {"name": "mn-senators", "title": "To the senators of Minnesota", "from": "us-senate",
        "state": "MN", "kind": "senator", "body": "We ask you to act.\n\nThank you.",
        "signatories": "cambodian-diaspora-2021", "formats": ["pdf", "docx"],
        "group_by": "state"}


def _post(client: TestClient, action: str, data: dict[str, object]) -> object:
    return client.post(action, data={**data, "csrf": csrf_of(client.get(action).text)})


def test_the_count_is_the_library_selection(client: TestClient) -> None:
    counted = client.get("/new/count", params={"from": "us-senate", "state": "MN,WI"}).json()
    assert counted == {"selected": 4, "of": 100}
    assert client.get("/new/count", params={"from": "un-permanent-representatives",
                                            "country": "KH, FR"}).json()["selected"] == 2
    bad = client.get("/new/count", params={"from": "us-senate", "chamber": "upper"})
    assert bad.status_code == 400 and "where.chamber" in bad.json()["error"]
    away = client.get("/new/count", params={"from": "../../etc/passwd"})
    assert away.status_code == 400 and "is not a recipients name" in away.json()["error"]


def test_a_new_campaign_is_readable_yaml_that_generates(client: TestClient,
                                                        project: Path) -> None:
    response = _post(client, "/new/campaign", GOOD)
    assert response.url.path == "/campaigns/mn-senators"  # type: ignore[attr-defined]
    text = (project / "campaigns/mn-senators.yaml").read_text()
    assert "recipients:\n  from: us-senate\n  where: {state: [MN], kind: [senator]}\n" in text
    assert "body: |\n  We ask you to act.\n\n  Thank you.\n" in text
    assert "formats: [pdf, docx]\nprint:\n  group_by: state\n" in text
    planned = api.check(project / "campaigns/mn-senators.yaml")
    assert len(planned.letters) == 2
    assert {letter.recipient.state for letter in planned.letters} == {"MN"}


@pytest.mark.parametrize(("change", "message"), [
    ({"state": "ZZ"}, "campaigns/mn-senators.yaml:6:11: recipients.where.state"),
    ({"kind": "committee"}, "selects no one of the 100 records in recipients/us-senate.yaml"),
    ({"from": "nowhere"}, "no recipients &#39;nowhere&#39;"),
    ({"signatories": "nobody"}, "no signatories &#39;nobody&#39;"),
    ({"statement": "not-there"}, "no statement &#39;not-there&#39;"),
    ({"body": "{{ recipient.name "}, "campaigns/mn-senators.yaml"),
    ({"name": "../campaigns/evil"}, "cannot name a file"),
    ({"name": "Big Name"}, "cannot name a file"),
    ({"name": "cambodia-2021-committee"}, "already exists; choose another name"),
])
def test_a_bad_new_campaign_writes_nothing(client: TestClient, project: Path,
                                           change: dict[str, str], message: str) -> None:
    before = tree_hashes(project)
    response = _post(client, "/new/campaign", {**GOOD, **change})
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before


def test_a_new_statement_has_front_matter_and_is_used_by_a_campaign(client: TestClient,
                                                                    project: Path) -> None:
    response = _post(client, "/new/statement", {
        "name": "detentions-2024", "title": "On detentions", "language": "en",
        "signatories": "cambodian-civil-society-2021-03", "body": "We are *concerned*."})
    assert response.url.path == "/statements/detentions-2024"  # type: ignore[attr-defined]
    assert (project / "statements/detentions-2024.md").read_text() == (
        "---\ntitle: On detentions\nlanguage: en\nsignatories: cambodian-civil-society-2021-03"
        "\n---\nWe are *concerned*.\n")
    _post(client, "/new/campaign", {**GOOD, "body": "", "statement": "detentions-2024"})
    assert api.check(project / "campaigns/mn-senators.yaml").letters


@pytest.mark.parametrize(("change", "message"), [
    ({"body": ""}, "the statement has no text"),
    ({"body": "{% if %}"}, "statements/x.md:5</code></td><td>template error"),
    ({"body": "Bell \u0007 here"}, "control character"),
    ({"signatories": "nobody"}, "no signatories &#39;nobody&#39;"),
    ({"name": "../x"}, "cannot name a file"),
    ({"name": "political-arrests-2021"}, "already exists"),
])
def test_a_bad_new_statement_writes_nothing(client: TestClient, project: Path,
                                            change: dict[str, str], message: str) -> None:
    before = tree_hashes(project)
    response = _post(client, "/new/statement", {"name": "x", "title": "T", "body": "Text.",
                                                **change})
    assert response.status_code in (400, 404), response.text  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before


def test_a_new_list_prints_and_edits(client: TestClient, project: Path) -> None:
    response = _post(client, "/new/list", {"name": "friends-2024", "heading": "Friends",
                                           "entries": "Org A\r\nOrg B (OB)\r\n\r\n"})
    assert response.url.path == "/signatories/friends-2024"  # type: ignore[attr-defined]
    assert "<li>Org A</li>" in response.text  # type: ignore[attr-defined]
    text = (project / "signatories/friends-2024.yaml").read_text()
    assert "heading: Friends\nsignatories:\n  - {name: Org A}\n  - {name: Org B (OB)}\n" in text


@pytest.mark.parametrize(("change", "message"), [
    ({"entries": "Org A\nOrg A"}, "signatories/x.yaml:5:5: signatories"),
    ({"entries": "Org \u0007 A"}, "control character"),
    ({"name": "x/../../y"}, "cannot name a file"),
    ({"name": "cambodian-diaspora-2021"}, "already exists"),
])
def test_a_bad_new_list_writes_nothing(client: TestClient, project: Path,
                                       change: dict[str, str], message: str) -> None:
    before = tree_hashes(project)
    response = _post(client, "/new/list", {"name": "x", "heading": "H", "entries": "A", **change})
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before


@pytest.mark.parametrize(("action", "folder", "form", "made"), [
    ("/new/statement", "statements", {"name": "first", "title": "T", "body": "Text."},
     "statements/first.md"),
    ("/new/list", "signatories", {"name": "first", "heading": "H", "entries": "Org A"},
     "signatories/first.yaml"),
])
def test_a_missing_folder_is_made_inside_the_project(client: TestClient, project: Path,
                                                     action: str, folder: str,
                                                     form: dict[str, str], made: str) -> None:
    shutil.rmtree(project / folder)
    for path in (project / "campaigns").glob("*.yaml"):  # campaigns that named its files
        path.unlink()
    response = _post(client, action, form)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert (project / made).is_file() and not (project / made).is_symlink()
    assert [p.name for p in (project / folder).iterdir()] == [Path(made).name]


@pytest.mark.parametrize(("action", "folder", "form"), [
    ("/new/statement", "statements", {"name": "first", "title": "T", "body": "Text."}),
    ("/new/list", "signatories", {"name": "first", "heading": "H", "entries": "Org A"}),
    ("/new/campaign", "campaigns", {**GOOD, "name": "first"}),
])
@pytest.mark.parametrize("exists", [True, False])
def test_a_folder_linked_outside_the_project_is_refused(
        client: TestClient, project: Path, tmp_path: Path, action: str, folder: str,
        form: dict[str, str], exists: bool) -> None:
    away = tmp_path / "elsewhere"
    if exists:  # a link to a real folder elsewhere, holding the project's files
        shutil.copytree(project / folder, away)
    shutil.rmtree(project / folder)
    (project / folder).symlink_to(away, target_is_directory=True)
    before, outside = tree_hashes(project), tree_hashes(tmp_path, skip="project")
    response = _post(client, action, form)
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert f"{folder}/ is a link to a folder outside the project" in \
        response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before
    assert tree_hashes(tmp_path, skip="project") == outside
    assert exists or not away.exists()


def test_a_file_where_the_folder_should_be_is_named(client: TestClient, project: Path) -> None:
    shutil.rmtree(project / "signatories")
    (project / "signatories").write_text("not a folder\n")
    before = tree_hashes(project)
    response = _post(client, "/new/list", {"name": "first", "heading": "H", "entries": "A"})
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert "signatories/ is not a folder" in response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before


def test_the_new_campaign_form_speaks_french(client: TestClient) -> None:
    html = client.get("/new/campaign", headers={"accept-language": "fr"}).text
    assert '<label for="chamber">Chambre</label>' in html
    assert "Chamber" not in html and '<label for="title">Titre</label>' in html


def test_the_form_offers_only_recipient_sources(client: TestClient) -> None:
    html = client.get("/new/campaign").text
    select = html.split('<select id="from" name="from">')[1].split("</select>")[0]
    offered = [option.split(">")[1].split("<")[0] for option in select.split("<option")[1:]]
    # constituents-2021 is a senders CSV, us-zip-districts a ZIP table, un-missions-*
    # overrides files: none loads as recipient records, so none is offered.
    assert offered == ["un-geneva-missions", "un-permanent-representatives", "us-committees",
                       "us-house", "us-senate"]
    assert "<option selected>un-geneva-missions</option>" in select
    counted = client.get("/new/count", params={"from": offered[0]}).json()
    assert counted == {"selected": 195, "of": 195}


def test_a_refused_new_campaign_comes_back_as_typed(client: TestClient, project: Path) -> None:
    before = tree_hashes(project)
    typed = {**GOOD, "name": "Big Name", "title": "Stop the <arrests> & free them",
             "body": "First paragraph.\n\nSecond paragraph.", "from": "us-house",
             "closing": "Yours,", "formats": ["docx"]}
    response = _post(client, "/new/campaign", typed)
    html = response.text  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    message = html.index("&#39;Big Name&#39; cannot name a file")
    assert message < html.index('<form method="post" action="/new/campaign"')  # above the form
    assert 'value="Big Name"' in html
    assert 'value="Stop the &lt;arrests&gt; &amp; free them"' in html
    assert ">\nFirst paragraph.\n\nSecond paragraph.</textarea>" in html
    assert "<option selected>us-house</option>" in html and 'value="Yours,"' in html
    assert '<option selected>cambodian-diaspora-2021</option>' in html
    assert 'value="docx" checked' in html and 'value="pdf" checked' not in html
    assert tree_hashes(project) == before


@pytest.mark.parametrize(("action", "data", "shown", "message"), [
    ("/new/statement", {"name": "a-statement", "title": "T", "body": "Text {{ oops",
                        "signatories": "cambodian-diaspora-2021"},
     [">\nText {{ oops</textarea>", "<option selected>cambodian-diaspora-2021</option>"],
     "statements/a-statement.md"),
    ("/new/list", {"name": "cambodian-civil-society-2021-03", "heading": "Friends",
                   "entries": "Org A\nOrg B"},
     [">\nOrg A\nOrg B</textarea>", 'value="Friends"'], "already exists; choose another"),
])
def test_a_refused_statement_or_list_comes_back_as_typed(
        client: TestClient, project: Path, action: str, data: dict[str, str],
        shown: list[str], message: str) -> None:
    before = tree_hashes(project)
    response = _post(client, action, data)
    html = response.text  # type: ignore[attr-defined]
    assert response.status_code == 400, html  # type: ignore[attr-defined]
    assert message in html and 'role="alert"' in html
    for text in shown:
        assert text in html
    assert tree_hashes(project) == before
