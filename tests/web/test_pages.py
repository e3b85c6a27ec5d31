"""The web app's pages and forms over a copy of the example project, through Starlette's client.

Each form is posted as the page's own form would be (with its CSRF token), and the
project files are read back: what the CLI would write, and nothing on a mistake.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from advocacy import manifest
from tests.helpers import CIVIL, pdf_text, tree_hashes
from tests.test_signatory_import import GOOGLE_FORM
from tests.web.conftest import csrf_of

UN = "cambodia-2021-un-missions"
CONSTITUENT = "cambodia-2021-constituent"
CIVIL_NAME = "cambodian-civil-society-2021-03"


def post(client: TestClient, page: str, action: str, data: dict[str, str],
         files: dict[str, tuple[str, bytes, str]] | None = None) -> object:
    csrf = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf": csrf}, files=files)


def test_campaigns_page_lists_every_campaign_with_its_counts(client: TestClient) -> None:
    html = client.get("/").text
    for name in ("cambodia-2021-committee", "cambodia-2021-congress", CONSTITUENT, UN,
                 "cambodia-2021-un-missions-fr"):
        assert f'href="/campaigns/{name}"' in html
    assert "Politically motivated arrests in Cambodia (UN permanent missions)" in html
    assert "never" in html  # nothing generated in a fresh copy


def test_campaign_page_shows_letters_and_no_problems(client: TestClient) -> None:
    html = client.get(f"/campaigns/{CONSTITUENT}").text
    assert "No problems" in html
    assert html.count('class="preview"') > 10
    assert "Letters that cannot be written" in html  # constituents the example cannot match
    assert 'data-attention="1"' in client.get(f"/campaigns/{UN}").text  # address missing


def test_campaign_page_shows_each_problem_with_its_place(client: TestClient,
                                                         project: Path) -> None:
    path = project / "campaigns" / f"{UN}.yaml"
    path.write_text(path.read_text().replace("signatories: cambodian-diaspora-2021",
                                             "signatories: nobody-signed"))
    response = client.get(f"/campaigns/{UN}")
    assert "campaigns/cambodia-2021-un-missions.yaml:" in response.text
    assert "no signatories &#39;nobody-signed&#39;" in response.text
    assert "disabled" in response.text  # no Generate button to press


def test_preview_is_a_pdf_of_the_letter(client: TestClient, tmp_path: Path) -> None:
    html = client.get(f"/campaigns/{UN}").text
    link = html.split('class="preview" href="')[1].split('"')[0]
    response = client.get(link)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline; filename=")
    assert "preview;dur=" in response.headers["server-timing"]
    (tmp_path / "p.pdf").write_bytes(response.content)
    assert "politically motivated arrests" in pdf_text(tmp_path / "p.pdf")


def test_generate_follows_progress_then_downloads(client: TestClient, project: Path) -> None:
    response = post(client, f"/campaigns/{UN}", f"/campaigns/{UN}/generate", {})
    assert response.status_code == 200  # followed to the campaign page  # type: ignore[attr-defined]
    events = client.get(f"/campaigns/{UN}/progress").text
    assert "event: finished" in events and '"ok": true' in events
    written = manifest.read(project / "output" / UN)
    letters = client.get(f"/campaigns/{UN}/download/letters.zip")
    assert letters.headers["content-type"] == "application/zip"
    assert letters.headers["content-disposition"] == \
        f'attachment; filename="{UN}-letters.zip"'
    names = set(zipfile.ZipFile(io.BytesIO(letters.content)).namelist())
    assert names == {file.name for letter in written.letters for file in letter.files}
    bundle = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{UN}/download/print.zip")
                                        .content))
    assert set(bundle.namelist()) == {entry.name for entry in written.printed}
    csv = client.get(f"/campaigns/{UN}/download/manifest.csv")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.content == (project / "output" / UN / "manifest.csv").read_bytes()
    assert client.get(f"/campaigns/{UN}/download/anything").status_code == 404
    assert "last generated" in client.get("/").text.lower()


def test_download_before_generating_says_what_to_do(client: TestClient) -> None:
    response = client.get(f"/campaigns/{UN}/download/letters.zip")
    assert response.status_code == 400
    assert "press Generate first" in response.text


def test_signatory_list_page_shows_it_as_printed(client: TestClient) -> None:
    html = client.get(f"/signatories/{CIVIL_NAME}").text
    assert "Cambodian Civil Society Organizations" in html
    assert "<li>Cambodia Border Institute (CBI)</li>" in html
    assert "<ol>" in html  # numbered: true


def test_add_rename_remove_keep_the_comments(client: TestClient, project: Path) -> None:
    path = project / CIVIL
    comments = [line for line in path.read_text().splitlines() if line.startswith("#")]
    page = f"/signatories/{CIVIL_NAME}"
    done = post(client, page, f"{page}/add", {"name": "Friends of Cambodia", "short": "FOC",
                                              "country": "Norway"})
    assert "added Friends of Cambodia (FOC)" in done.text  # type: ignore[attr-defined]
    assert "{name: Friends of Cambodia, short: FOC, country: 'NO'}" in path.read_text()
    post(client, page, f"{page}/rename", {"old": "FOC", "new": "Friends of Cambodia Norway"})
    assert "Friends of Cambodia Norway" in path.read_text()
    html = client.get(page).text  # the page's own choice, as the select sends it
    assert '<option value="Friends of Cambodia Norway">Friends of Cambodia Norway (FOC)' in html
    post(client, page, f"{page}/remove", {"entry": "Friends of Cambodia Norway"})
    assert "Friends of Cambodia" not in path.read_text()
    assert [line for line in path.read_text().splitlines() if line.startswith("#")] == comments


def test_a_lookalike_is_refused_with_the_way_out(client: TestClient, project: Path) -> None:
    before = tree_hashes(project)
    page = f"/signatories/{CIVIL_NAME}"
    response = post(client, page, f"{page}/add",
                    {"name": "Khmer Association of Hampton Roads Virginia"})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "looks like entry 10" in response.text  # type: ignore[attr-defined]
    assert tree_hashes(project) == before


def test_import_reviews_then_adds_on_confirmation(client: TestClient, project: Path) -> None:
    path = project / CIVIL
    before = path.read_bytes()
    page = f"/signatories/{CIVIL_NAME}"
    review = post(client, page, f"{page}/import", {},
                  {"file": ("form.csv", GOOGLE_FORM.encode(), "text/csv")})
    html = review.text  # type: ignore[attr-defined]
    assert "To add (3)" in html and "Already on the list (2)" in html
    assert "Repeated in the form (1)" in html and "Near duplicates, not added (4)" in html
    assert "Friends of Cambodia, Inc. (FOC)" in html
    assert path.read_bytes() == before  # nothing written before the organiser confirms
    key = html.split('name="upload" value="')[1].split('"')[0]
    done = client.post(f"{page}/import/confirm", data={"csrf": csrf_of(html), "upload": key})
    assert "added 3 entries from form.csv" in done.text
    text = path.read_text()
    assert "Friends of Cambodia, Inc." in text and "Cambodian Youth Network" in text
    assert text.startswith("# The 18 organisations that signed")
    again = client.post(f"{page}/import/confirm", data={"csrf": csrf_of(html), "upload": key})
    assert "out of date" in again.text


@pytest.mark.parametrize(("name", "data", "kind", "message"), [
    ("form.csv", b'Name,Email\n"=HYPERLINK(""http://x.example"",""click"")",a@example.org\n',
     "text/csv", "holds a formula"),
    ("form.csv", b"Name,Email\nGood Org,@SUM(1+1)\n", "text/csv", "holds a formula"),
    ("../../campaigns/x.csv", b"Name\nA\n", "text/csv", "not a plain CSV file name"),
    ("form.exe", b"MZ", "application/x-msdownload", "not a plain CSV file name"),
    ("form.csv", b"\x89PNG\r\n", "image/png", "not CSV"),
    ("form.csv", b"Email\nx@example.org\n", "text/csv", "no column of names found"),
])
def test_hostile_uploads_are_refused_and_change_nothing(
        client: TestClient, project: Path, name: str, data: bytes, kind: str,
        message: str) -> None:
    before = tree_hashes(project, skip="output")
    page = f"/signatories/{CIVIL_NAME}"
    response = post(client, page, f"{page}/import", {}, {"file": (name, data, kind)})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.text.replace("&#39;", "'")  # type: ignore[attr-defined]
    assert tree_hashes(project, skip="output") == before
    assert not list((project / "output" / ".web-uploads").glob("*"))


def test_statement_edit_previews_saves_and_refuses_stale_pages(client: TestClient,
                                                               project: Path) -> None:
    path = project / "statements" / "political-arrests-2021.md"
    page = client.get("/statements/political-arrests-2021").text
    form = {"csrf": csrf_of(page), "loaded": page.split('name="loaded" value="')[1][:64]}
    body = path.read_text().split("---\n", 2)[2].replace("We, the undersigned", "We, the signers")
    preview = client.post("/statements/political-arrests-2021",
                          data={**form, "body": body, "action": "preview"})
    assert "<p>We, the signers organizations" in preview.text
    assert "We, the signers" not in path.read_text()
    saved = client.post("/statements/political-arrests-2021",
                        data={**form, "body": body, "action": "save"})
    assert "Saved." in saved.text
    text = path.read_text()
    assert text.startswith("---\n# Shared text of two letters") and "We, the signers" in text
    stale = client.post("/statements/political-arrests-2021",
                        data={**form, "body": body + "more", "action": "save"})
    assert stale.status_code == 400 and "changed on disk" in stale.text
    assert path.read_text() == text


def test_a_statement_with_a_template_mistake_is_not_saved(client: TestClient,
                                                          project: Path) -> None:
    path = project / "statements" / "political-arrests-2021.md"
    before = path.read_bytes()
    page = client.get("/statements/political-arrests-2021").text
    response = client.post("/statements/political-arrests-2021", data={
        "csrf": csrf_of(page), "loaded": page.split('name="loaded" value="')[1][:64],
        "body": "Line one\n\n{{ vars.audience ", "action": "save"})
    assert response.status_code == 400
    assert "statements/political-arrests-2021.md:10" in response.text
    assert ">\nLine one\n\n{{ vars.audience </textarea>" in response.text  # as typed
    assert response.text.index(".md:10") < response.text.index('<form method="post"')
    assert path.read_bytes() == before


def test_lookup_says_who_represents_a_zip(client: TestClient) -> None:
    html = client.get("/lookup?zip=55407").text
    assert "ZIP 55407 (MN): district MN-5" in html and "Senator" in html
    wrong = client.get("/lookup?zip=5540")
    assert wrong.status_code == 400 and "is not a ZIP code" in wrong.text


def test_constituents_upload_is_planned_then_put_in_place(client: TestClient,
                                                          project: Path) -> None:
    senders = project / "recipients" / "constituents-2021.csv"
    upload = (b"Name,Street,City,State,ZIP\nSophal Chea,100 Example Street,Minneapolis,MN,"
              b"55407\nNo Where,1 Road,Nowhere,MN,00000\n")
    page = f"/campaigns/{CONSTITUENT}/constituents"
    review = post(client, page, page, {}, {"file": ("senders.csv", upload, "text/csv")})
    html = review.text  # type: ignore[attr-defined]
    assert "Sophal Chea" in html and "Ilhan Omar" in html
    assert "Letters that cannot be written" in html and "No Where" in html
    assert senders.read_bytes() != upload
    key = html.split('name="upload" value="')[1].split('"')[0]
    client.post(f"{page}/confirm", data={"csrf": csrf_of(html), "upload": key})
    assert senders.read_bytes() == upload


def test_pages_speak_french_when_the_browser_does(client: TestClient) -> None:
    html = client.get("/", headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"}).text
    assert '<html lang="fr">' in html and "Campagnes" in html
    assert "Campaigns</h1>" in client.get("/", headers={"accept-language": "de,en"}).text


def test_campaign_page_shows_what_became_of_each_letter(client: TestClient,
                                                        project: Path) -> None:
    """Sent, failed (why), delivered (to whom), changed since sent: as 'advocacy status' says."""
    from advocacy import api
    from advocacy.delivery import log as delivery_log
    from advocacy.delivery.handed import record_delivery

    campaign = project / "campaigns" / f"{UN}.yaml"
    output = project / "output"
    assert "Delivery" not in client.get(f"/campaigns/{UN}").text  # nothing generated yet
    api.generate(campaign, api.GenerateOptions(output_dir=output))
    letters = manifest.read(output / UN).letters
    record_delivery(campaign, letters[0].letter, "Ms Desk Officer", output_dir=output,
                    on=datetime.date(2021, 3, 24))
    sha = (letters[1].file("pdf") or letters[1].files[0]).sha256
    delivery_log.append(delivery_log.log_path(output / UN), [
        delivery_log.Record(time="2021-03-24T10:00:00+00:00", letter=letters[1].letter,
                            sha256=sha, channel="email", result="failed",
                            address="mission@example.org", response="550 no such mailbox"),
        delivery_log.Record(time="2021-03-24T10:00:00+00:00", letter=letters[2].letter,
                            sha256="0" * 64, channel="email", result="sent",
                            address="other@example.org")])
    html = client.get(f"/campaigns/{UN}").text
    rows = {row.split('"')[0]: row for row in html.split('<tr data-letter="')[1:]}
    assert set(rows) == {letter.letter for letter in letters}
    assert "by Ms Desk Officer on 2021-03-24 (hand)" in rows[letters[0].letter]
    assert "550 no such mailbox" in rows[letters[1].letter]
    assert "<strong>yes</strong>" in rows[letters[2].letter]  # an older version was sent
    assert "<strong>yes</strong>" not in rows[letters[0].letter]


COMMITTEE = "cambodia-2021-committee"


def _edit_form(client: TestClient, name: str) -> dict[str, str]:
    html = client.get(f"/campaigns/{name}/edit").text
    loaded = html.split('name="loaded" value="')[1].split('"')[0]
    return {"csrf": csrf_of(html), "loaded": loaded}


def test_editing_a_campaign_keeps_its_comments_and_order(client: TestClient, project: Path,
                                                         tmp_path: Path) -> None:
    path = project / "campaigns" / f"{COMMITTEE}.yaml"
    before = path.read_text()
    form = _edit_form(client, COMMITTEE)
    assert "fully endorses the “S.3081 Cambodia Democracy Act of 2019”" in \
        client.get(f"/campaigns/{COMMITTEE}/edit").text
    body = "The Cambodian-American community warmly endorses S.3081.\n\nThank you."
    done = client.post(f"/campaigns/{COMMITTEE}/edit", data={
        **form, "subject": "S.3081: an endorsement", "body": body, "closing": "With thanks,"})
    assert done.status_code == 200 and "Saved." in done.text
    after = path.read_text()
    keys = [line.split(":")[0] for line in after.splitlines() if line[:1].isalpha()]
    assert keys == ["title", "date", "template", "recipients", "subject", "body", "closing",
                    "signatories"]
    assert [line for line in after.splitlines() if line.startswith("#")] == \
        [line for line in before.splitlines() if line.startswith("#")]
    assert "body: |\n  The Cambodian-American community warmly endorses S.3081.\n\n  Thank " \
        "you.\n" in after
    assert "subject: 'S.3081: an endorsement'" in after and 'closing: "With thanks,"' in after
    assert before.split("body:")[0] in after  # everything above the body is as it was
    html = client.get(f"/campaigns/{COMMITTEE}").text
    link = html.split('class="preview" href="')[1].split('"')[0]
    (tmp_path / "p.pdf").write_bytes(client.get(link).content)
    text = pdf_text(tmp_path / "p.pdf")
    assert "warmly endorses S.3081" in text and "With thanks," in text


def test_editing_a_campaign_is_refused_when_the_file_changed(client: TestClient,
                                                             project: Path) -> None:
    path = project / "campaigns" / f"{COMMITTEE}.yaml"
    form = _edit_form(client, COMMITTEE)
    path.write_text(path.read_text() + "# someone else's edit\n")
    changed = path.read_bytes()
    response = client.post(f"/campaigns/{COMMITTEE}/edit", data={
        **form, "subject": "", "body": "Mine.", "closing": "Yours,"})
    assert response.status_code == 400
    assert "the file changed on disk since this page was loaded; nothing was written" \
        in response.text
    assert path.read_bytes() == changed


@pytest.mark.parametrize(("field", "value", "message"), [
    ("body", "Dear {{ recipient.name", "campaigns/cambodia-2021-committee.yaml"),
    ("closing", "Yours,\u0007", "control character"),
])
def test_a_bad_campaign_edit_is_refused_with_its_place(client: TestClient, project: Path,
                                                       field: str, value: str,
                                                       message: str) -> None:
    before = tree_hashes(project)
    data = {**_edit_form(client, COMMITTEE), "subject": "", "body": "Text.",
            "closing": "Yours,", field: value}
    for action in (f"/campaigns/{COMMITTEE}/edit", f"/campaigns/{COMMITTEE}/edit/preview"):
        response = client.post(action, data=data)
        assert response.status_code == 400, response.text
        assert message in response.text
    saved = client.post(f"/campaigns/{COMMITTEE}/edit", data=data)  # comes back as typed
    assert saved.text.index(message) < saved.text.index('<form method="post"')
    assert f">\n{data['body']}</textarea>" in saved.text
    assert f'name="loaded" value="{data["loaded"]}"' in saved.text
    assert tree_hashes(project) == before


def test_previewing_a_campaign_edit_writes_nothing(client: TestClient, project: Path,
                                                   tmp_path: Path) -> None:
    before = tree_hashes(project)
    response = client.post(f"/campaigns/{COMMITTEE}/edit/preview", data={
        **_edit_form(client, COMMITTEE), "subject": "", "closing": "Yours,",
        "body": "A previewed body, not saved."})
    assert response.headers["content-type"] == "application/pdf"
    (tmp_path / "p.pdf").write_bytes(response.content)
    assert "A previewed body, not saved." in pdf_text(tmp_path / "p.pdf")
    assert tree_hashes(project) == before


def test_a_preview_during_a_generate_waits_for_it(client: TestClient, project: Path,
                                                  tmp_path: Path) -> None:
    """Both lay out letters in this process (one chunk): never at the same time."""
    post(client, f"/campaigns/{COMMITTEE}", f"/campaigns/{COMMITTEE}/generate", {})
    job = client.app.app.state.jobs.get(COMMITTEE)  # type: ignore[attr-defined]
    html = client.get(f"/campaigns/{COMMITTEE}").text
    link = html.split('class="preview" href="')[1].split('"')[0]
    response = client.get(link)
    assert job.finished  # the preview waited for the generate to end
    assert job.error is None
    (tmp_path / "p.pdf").write_bytes(response.content)
    assert "S.3081" in pdf_text(tmp_path / "p.pdf")
    written = manifest.read(project / "output" / COMMITTEE)
    assert written.letters and all((project / "output" / COMMITTEE / f.name).is_file()
                                   for letter in written.letters for f in letter.files)
