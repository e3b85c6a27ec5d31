"""End to end in a real browser: Debian's headless Chromium, driven by Playwright.

'advocacy serve' runs as a person would start it, over a copy of the example
project; the browser opens the address it prints (with its token) and uses the
pages with clicks and typing only. Screenshots of the main pages go to docs/.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from advocacy import manifest
from tests.helpers import CIVIL, REPO, pdf_text, run, tree_hashes
from tests.test_signatory_import import GOOGLE_FORM
from tests.web.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                "(scripts/system-packages.sh installs it)")
UN = "cambodia-2021-un-missions"
CIVIL_NAME = "cambodian-civil-society-2021-03"
DOCS = REPO / "docs"

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, Route, expect


def opened(browser: Browser, url: str, path: str = "/") -> Page:
    page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page.goto(url)  # the launch address: the token becomes a cookie
    if path != "/":
        page.goto(url.split("/?")[0] + path)
    return page


def test_campaigner_previews_generates_and_downloads(browser: Browser,
                                                     served: tuple[Path, str]) -> None:
    project, url = served
    page = opened(browser, url)
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
    page.screenshot(path=str(DOCS / "web-campaigns.png"), full_page=True)
    page.get_by_role("link", name="Politically motivated arrests in Cambodia (UN permanent "
                     "missions)").click()
    expect(page.get_by_text("No problems")).to_be_visible()
    page.get_by_label("Search").fill("lametti")  # the table filters as one types
    expect(page.locator("#shown")).to_have_text("1 / 4")
    started = time.perf_counter()
    with page.expect_response(re.compile(r"/preview/.*\.pdf$")) as shown:
        page.get_by_role("link", name="Preview: David Lametti").click()
    response = shown.value
    took = time.perf_counter() - started
    assert response.headers["content-type"] == "application/pdf"
    print(f"preview in the browser: {took:.2f} s ({response.headers['server-timing']})")
    page.get_by_label("Search").fill("")
    page.screenshot(path=str(DOCS / "web-campaign.png"), full_page=True)
    page.get_by_role("button", name="Generate all letters").click()
    expect(page.locator("#progress")).to_have_attribute("data-finished", "ok", timeout=120_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="All letters (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    written = manifest.read(project / "output" / UN)
    listed = {file.name for letter in written.letters for file in letter.files}
    assert {name for name in listed if name.endswith(".pdf")} and \
        {name for name in listed if name.endswith(".docx")}
    assert set(archive.namelist()) == listed
    for name in listed:
        assert archive.read(name) == (project / "output" / UN / name).read_bytes()


def test_organiser_imports_a_form_and_the_list_keeps_its_comments(
        browser: Browser, served: tuple[Path, str], tmp_path: Path) -> None:
    project, url = served
    path = project / CIVIL
    comments = [line for line in path.read_text().splitlines() if line.startswith("#")]
    page = opened(browser, url, f"/signatories/{CIVIL_NAME}")
    page.screenshot(path=str(DOCS / "web-signatories.png"), full_page=True)
    form = tmp_path / "form.csv"
    form.write_text(GOOGLE_FORM, encoding="utf-8", newline="")
    page.get_by_label("File").set_input_files(str(form))
    page.get_by_role("button", name="Upload and review").click()
    expect(page.get_by_role("heading", name="To add (3)")).to_be_visible()
    page.screenshot(path=str(DOCS / "web-import.png"), full_page=True)
    page.get_by_role("button", name="Add these entries (3)").click()
    expect(page.get_by_role("status")).to_contain_text("added 3 entries from form.csv")
    text = path.read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert "Cambodian Youth Network" in text
    expect(page.locator(".printed")).to_contain_text("Cambodian Youth Network (CYN)")


def test_a_saved_statement_edit_appears_in_the_next_preview(
        browser: Browser, served: tuple[Path, str], tmp_path: Path) -> None:
    project, url = served
    page = opened(browser, url, "/statements/political-arrests-2021")
    box = page.get_by_label("Text (Markdown)")
    box.fill(box.input_value().replace("We, the undersigned organizations",
                                       "We, the nineteen undersigned organizations"))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".markdown-preview")).to_contain_text("nineteen undersigned")
    page.screenshot(path=str(DOCS / "web-statement.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert "nineteen undersigned" in (project / "statements/political-arrests-2021.md") \
        .read_text()
    page.goto(url.split("/?")[0] + f"/campaigns/{UN}")
    link = page.get_by_role("link", name="Preview: David Lametti").get_attribute("href")
    pdf = page.request.get(url.split("/?")[0] + str(link))
    (tmp_path / "preview.pdf").write_bytes(pdf.body())
    assert "nineteen undersigned" in pdf_text(tmp_path / "preview.pdf")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("big.csv", None, "Too large"),  # 50 MB
    ("form.csv", b'Name,Email\n"=HYPERLINK(""http://evil.example"",""Click"")",a@b.org\n',
     "holds a formula"),
    ("../../campaigns/evil.csv", b"Name\nEvil Org\n", "not a plain CSV file name"),
])
def test_hostile_uploads_are_refused_cleanly(browser: Browser, served: tuple[Path, str],
                                             tmp_path: Path, name: str, data: bytes | None,
                                             message: str) -> None:
    project, url = served
    before = tree_hashes(project, skip="output")
    page = opened(browser, url, f"/signatories/{CIVIL_NAME}")
    upload = page.get_by_label("File")
    if data is None:  # Playwright passes a file this large by path only
        (tmp_path / name).write_bytes(b"Name\n" + b"A" * (50 * 1024 * 1024))
        upload.set_input_files(str(tmp_path / name))
    else:
        upload.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="Upload and review").click()
    expect(page.locator("body")).to_contain_text(message)
    assert tree_hashes(project, skip="output") == before
    assert not (project / "campaigns" / "evil.csv").exists()


def test_an_edited_campaign_body_keeps_the_comments_and_shows_in_the_next_preview(
        browser: Browser, served: tuple[Path, str], tmp_path: Path) -> None:
    project, url = served
    path = project / "campaigns" / "cambodia-2021-committee.yaml"
    comments = [line for line in path.read_text().splitlines() if line.startswith("#")]
    page = opened(browser, url, "/campaigns/cambodia-2021-committee")
    page.get_by_role("link", name="Edit the subject, body and closing").click()
    box = page.get_by_label("Body (Markdown)")
    box.fill(box.input_value().replace("fully endorses", "wholeheartedly endorses"))
    previews: list[bytes] = []

    def keep(route: Route) -> None:  # the PDF as the server sent it (Chromium's viewer
        answer = route.fetch()       # replaces the body Playwright would report)
        previews.append(answer.body())
        route.fulfill(response=answer)

    page.route(re.compile(r"/edit/preview$"), keep)
    page.get_by_role("button", name="Preview").click()
    deadline = time.monotonic() + 30
    while not previews and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    (tmp_path / "edit.pdf").write_bytes(previews[0])
    assert "wholeheartedly endorses" in pdf_text(tmp_path / "edit.pdf")
    assert "wholeheartedly" not in path.read_text()  # a preview writes nothing
    page.screenshot(path=str(DOCS / "web-campaign-edit.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    text = path.read_text()
    assert "wholeheartedly endorses" in text
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    page.goto(url.split("/?")[0] + "/campaigns/cambodia-2021-committee")
    link = page.locator("a.preview").first.get_attribute("href")
    pdf = page.request.get(url.split("/?")[0] + str(link))
    (tmp_path / "preview.pdf").write_bytes(pdf.body())
    assert "wholeheartedly endorses" in pdf_text(tmp_path / "preview.pdf")


def test_a_new_campaign_is_created_and_one_of_its_letters_previewed(
        browser: Browser, served: tuple[Path, str], tmp_path: Path) -> None:
    project, url = served
    page = opened(browser, url)
    page.get_by_role("link", name="New campaign").click()
    # only recipient sources are offered: the first one counts, with no senders CSV errors
    expect(page.locator("#count")).to_have_text("195 / 195 selected")
    page.get_by_label("File name").fill("mn-delegation")
    page.get_by_label("Title").fill("To the Minnesota delegation")
    page.get_by_label("Recipients file").select_option("us-senate")
    page.get_by_label("State (MN, CA, …)").fill("MN")
    expect(page.locator("#count")).to_have_text("2 / 100 selected")  # as one types
    page.get_by_label("Body text (Markdown)").fill("We ask you to speak for Kem Sokha.")
    page.get_by_label("Signatory list").select_option("cambodian-diaspora-2021")
    page.screenshot(path=str(DOCS / "web-new-campaign.png"), full_page=True)
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("No problems")).to_be_visible()
    assert "from: us-senate" in (project / "campaigns/mn-delegation.yaml").read_text()
    link = page.locator("a.preview").first.get_attribute("href")
    pdf = page.request.get(url.split("/?")[0] + str(link))
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "new.pdf").write_bytes(pdf.body())
    assert "speak for Kem Sokha" in pdf_text(tmp_path / "new.pdf")


def test_the_campaign_page_shows_a_hand_delivery(browser: Browser,
                                                 served: tuple[Path, str]) -> None:
    """Generate, record one hand delivery with 'advocacy delivered', see it in the table."""
    project, url = served
    campaign = project / "campaigns" / f"{UN}.yaml"
    output = str(project / "output")
    page = opened(browser, url, f"/campaigns/{UN}")
    page.get_by_role("button", name="Generate all letters").click()
    expect(page.locator("#progress")).to_have_attribute("data-finished", "ok", timeout=120_000)
    letter = manifest.read(project / "output" / UN).letters[0].letter
    assert run("delivered", str(campaign), letter, "--output", output,
               "--received-by", "Ms Desk Officer", "--date", "2021-03-24") == 0
    page.reload()
    row = page.locator(f'#delivery tr[data-letter="{letter}"]')
    expect(row).to_contain_text("by Ms Desk Officer on 2021-03-24 (hand)")
    expect(page.locator("#delivery tbody tr")).to_have_count(4)
    page.evaluate("window.scrollTo(0, 0)")  # the box is measured in the window, the clip
    box = page.locator("section", has=page.locator("#delivery")).bounding_box()  # in the page
    assert box is not None
    page.screenshot(path=str(DOCS / "web-status.png"), full_page=True, clip={
        "x": 0, "y": box["y"] - 16, "width": box["x"] + box["width"] + 16,
        "height": box["height"] + 32})  # the section, with the page's margin around it
