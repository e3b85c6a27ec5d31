"""Every page in French when the browser asks for it: no English word of the pages left.

The English words listed are those the pages once carried as literal text (not from
words.py); each must now come in French, and its French must be there instead.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.test_signatory_import import GOOGLE_FORM
from tests.web.conftest import csrf_of

FR = {"accept-language": "fr"}
ENGLISH = ["Skip to content", "Front matter", "[row ", ", entry ", "as row", "looks like",
           "ignored:", ">Senate<", ">House<", "Something to fix", "Nothing was written",
           "added 3 entries", "Open the address", "This form is out of date"]
PAGES = ["/", "/campaigns/cambodia-2021-committee", "/campaigns/cambodia-2021-committee/edit",
         "/signatories", "/signatories/cambodian-civil-society-2021-03", "/statements",
         "/statements/political-arrests-2021", "/lookup?zip=55407", "/new/campaign",
         "/new/statement", "/new/list", "/campaigns/cambodia-2021-constituent/constituents"]


def _english_in(html: str) -> list[str]:
    return [word for word in ENGLISH if word in html]


def test_every_page_speaks_french(client: TestClient) -> None:
    for path in PAGES:
        response = client.get(path, headers=FR)
        assert response.status_code == 200, path
        assert '<html lang="fr">' in response.text and "Aller au contenu" in response.text
        assert _english_in(response.text) == [], path
    statement = client.get("/statements/political-arrests-2021", headers=FR).text
    assert "<summary>En-tête (métadonnées)</summary>" in statement
    new = client.get("/new/campaign", headers=FR).text
    assert '<option value="senate">Sénat</option>' in new


def test_the_import_review_and_its_result_speak_french(client: TestClient,
                                                       project: Path) -> None:
    page = "/signatories/cambodian-civil-society-2021-03"
    html = client.get(page, headers=FR).text
    review = client.post(f"{page}/import", headers=FR, data={"csrf": csrf_of(html)},
                         files={"file": ("form.csv", GOOGLE_FORM.encode(), "text/csv")}).text
    assert _english_in(review) == []
    assert "[ligne 2]" in review and "ressemble à" in review and ", entrée " in review
    assert "comme la ligne" in review and "lignes ·" in review
    key = review.split('name="upload" value="')[1].split('"')[0]
    done = client.post(f"{page}/import/confirm", headers=FR,
                       data={"csrf": csrf_of(review), "upload": key}).text
    assert "3 entrées ajoutées depuis form.csv" in done and _english_in(done) == []


def test_a_refused_form_and_a_refused_request_speak_french(client: TestClient) -> None:
    html = client.get("/new/list", headers=FR).text
    refused = client.post("/new/list", headers=FR, data={
        "csrf": csrf_of(html), "name": "Big Name", "heading": "H", "entries": "A"})
    assert refused.status_code == 400 and _english_in(refused.text) == []
    assert "À corriger" in refused.text and "Rien n’a été écrit" in refused.text
    stale = client.post("/new/list", headers=FR, data={"csrf": "old", "name": "x"})
    assert stale.status_code == 403 and "Ce formulaire est périmé" in stale.text
    client.cookies.clear()
    outside = client.get("/", headers=FR)
    assert outside.status_code == 403 and "Ouvrez l’adresse" in outside.text
