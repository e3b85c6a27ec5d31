"""The web app's guards: the launch token, CSRF on every change, Host, sizes, names in URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from advocacy.web.app import create_app
from tests.helpers import tree_hashes
from tests.web.conftest import TOKEN, csrf_of

PAGES = ["/", "/campaigns/cambodia-2021-un-missions", "/signatories",
         "/signatories/cambodian-diaspora-2021", "/statements",
         "/statements/political-arrests-2021", "/lookup",
         "/campaigns/cambodia-2021-constituent/constituents",
         "/campaigns/cambodia-2021-committee/edit", "/new/campaign", "/new/statement",
         "/new/list"]
POSTS = ["/campaigns/cambodia-2021-un-missions/generate",
         "/signatories/cambodian-diaspora-2021/add",
         "/signatories/cambodian-diaspora-2021/remove",
         "/signatories/cambodian-diaspora-2021/rename",
         "/signatories/cambodian-diaspora-2021/import",
         "/signatories/cambodian-diaspora-2021/import/confirm",
         "/statements/political-arrests-2021",
         "/campaigns/cambodia-2021-constituent/constituents",
         "/campaigns/cambodia-2021-constituent/constituents/confirm",
         "/campaigns/cambodia-2021-committee/edit",
         "/campaigns/cambodia-2021-committee/edit/preview",
         "/new/campaign", "/new/statement", "/new/list"]


def test_every_route_is_covered_by_these_lists(client: TestClient) -> None:
    """A new route must be added here, so its guards are tested too."""
    app = client.app.app  # type: ignore[attr-defined]
    gets = {r.path for r in app.routes if getattr(r, "methods", None) and "GET" in r.methods}
    posts = {r.path for r in app.routes if getattr(r, "methods", None) and "POST" in r.methods}
    assert len(posts) == len(POSTS)
    assert len(gets) == len(PAGES) + 4  # + preview, progress, download, count: own tests


@pytest.mark.parametrize("path", [*PAGES, "/new/count?from=us-senate"])
def test_pages_need_the_token(project: Path, path: str) -> None:
    with TestClient(create_app(project, TOKEN), base_url="http://127.0.0.1") as stranger:
        refused = stranger.get(path)
        assert refused.status_code == 403
        assert "token" in refused.text
        stranger.cookies.set("advocacy_token", "wrong")
        assert stranger.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_pages_open_with_the_cookie(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_cookie_is_httponly_and_strict(project: Path) -> None:
    with TestClient(create_app(project, TOKEN), base_url="http://127.0.0.1") as browser:
        response = browser.get(f"/campaigns/cambodia-2021-un-missions?token={TOKEN}",
                               follow_redirects=False)
        assert response.headers["location"] == "/campaigns/cambodia-2021-un-missions"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and TOKEN.lower() in cookie


@pytest.mark.parametrize("path", POSTS)
def test_changes_need_the_csrf_token(client: TestClient, project: Path, path: str) -> None:
    before = tree_hashes(project)
    missing = client.post(path, data={"name": "Someone New"})
    wrong = client.post(path, data={"name": "Someone New", "csrf": "forged"})
    assert missing.status_code == 403 and wrong.status_code == 403
    assert "reload the page" in missing.text
    assert tree_hashes(project) == before


@pytest.mark.parametrize("path", POSTS[:2])
def test_changes_need_the_token_too(project: Path, path: str) -> None:
    with TestClient(create_app(project, TOKEN), base_url="http://127.0.0.1") as stranger:
        assert stranger.post(path, data={"csrf": "x"}).status_code == 403


def test_another_host_is_refused(project: Path) -> None:
    """A page elsewhere reaching the app through DNS rebinding sends its own Host."""
    with TestClient(create_app(project, TOKEN), base_url="http://attacker.example") as rebound:
        assert rebound.get(f"/?token={TOKEN}").status_code == 403


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "x%00y", "%2Fetc%2Fpasswd",
                                  "nothing-like-this"])
def test_names_in_urls_go_through_the_project_lookup(client: TestClient, name: str) -> None:
    assert client.get("/new/count", params={"from": name}).status_code == 400
    for path in (f"/campaigns/{name}", f"/signatories/{name}", f"/statements/{name}",
                 f"/campaigns/{name}/edit",
                 f"/campaigns/{name}/download/letters.zip"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text


def test_a_preview_names_only_a_planned_letter(client: TestClient) -> None:
    base = "/campaigns/cambodia-2021-un-missions/preview/"
    assert client.get(base + "..%2F..%2Fx.pdf").status_code == 404
    response = client.get(base + "nobody.pdf")
    assert response.status_code == 400
    assert "no letter named &#39;nobody&#39; in this campaign" in response.text


def test_a_too_large_body_is_refused_before_it_is_read(client: TestClient) -> None:
    page = client.get("/signatories/cambodian-diaspora-2021")
    big = b"Name\n" + b"x" * (6 * 1024 * 1024)
    response = client.post("/signatories/cambodian-diaspora-2021/import",
                           data={"csrf": csrf_of(page.text)},
                           files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 413


def test_serve_refuses_a_remote_host_without_the_flag(capsys: pytest.CaptureFixture[str],
                                                      project: Path) -> None:
    from tests.helpers import run
    assert run("serve", str(project), "--host", "0.0.0.0", "--no-browser") == 1
    assert "--allow-remote" in capsys.readouterr().err
