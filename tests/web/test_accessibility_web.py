"""Accessibility of the main pages, measured in the real browser (headless Chromium).

For every main page: each visible field has an accessible name; at 200 % zoom the
page reflows with no sideways scrolling; text, links, buttons, table headers and
labels reach a WCAG contrast of 4.5:1 against the background they are drawn on;
Tab reaches the page's main button or link and shows where the focus is. Every
measure is computed by the page's own layout and styles, not read from the CSS.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import copy_project
from tests.test_signatory_import import GOOGLE_FORM
from tests.web.conftest import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                "(scripts/system-packages.sh installs it)")

# page -> (path, the main control Tab must reach); "import" is the review of an upload
PAGES = {
    "campaigns": ("/", "main a[href='/new/campaign']"),
    "campaign": ("/campaigns/cambodia-2021-un-missions",
                 "form[action$='/generate'] button[type=submit]"),
    "signatory list": ("/signatories/cambodian-civil-society-2021-03",
                       "form[action$='/add'] button[type=submit]"),
    "import": ("/signatories/cambodian-civil-society-2021-03",
               "form[action$='/import/confirm'] button[type=submit]"),
    "statement edit": ("/statements/political-arrests-2021", "button[value=save]"),
    "campaign edit": ("/campaigns/cambodia-2021-committee/edit",
                      "form[action$='/edit'] button:not([formaction])"),
    "new campaign": ("/new/campaign", "form#new-campaign button[type=submit]"),
    "ZIP look-up": ("/lookup?zip=55455", "form[action='/lookup'] button[type=submit]"),
}

# The accessible name of each visible field: its <label>s (for= or around it, without
# the text of the fields inside), aria-label, or the elements aria-labelledby names.
UNLABELLED = """() => {
  const own = (label) => {
    const copy = label.cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach((f) => f.remove());
    return copy.textContent.trim();
  };
  const named = (field) => [...field.labels].map(own).join(" ").trim()
    || (field.getAttribute("aria-label") || "").trim()
    || (field.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
         .map((id) => (document.getElementById(id)?.textContent || "").trim()).join(" ").trim();
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((f) => f.type !== "hidden" && f.getClientRects().length
                   && getComputedStyle(f).visibility !== "hidden")
    .filter((f) => !named(f)).map((f) => f.outerHTML.slice(0, 100));
}"""

# Colour helpers shared by the contrast and focus checks (WCAG 2.x relative luminance).
COLOURS = """
  const rgba = (text) => {
    const parts = (text.match(/rgba?\\(([^)]*)\\)/) || [null, ""])[1]
      .split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    if (parts.length < 3) throw new Error("cannot read the colour " + text);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const background = (element) => {  // the colour drawn behind it: ancestors composited
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
"""

# Every visible body text, link, button, table header, label (and legend, cell, list
# item and paragraph) whose text colour is under 4.5:1 against its background.
LOW_CONTRAST = """() => {""" + COLOURS + """
  const found = [];
  const kinds = "body, p, li, td, th, a, button, label, legend, summary, h1, h2, h3, small, "
    + "code, pre";
  for (const element of document.querySelectorAll(kinds)) {
    const hasText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!hasText || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    const back = background(element);
    const value = ratio(over(rgba(style.color), back), back);
    if (value < 4.5) {
      found.push(`${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 30)}":`
                 + ` ${style.color} on rgb(${back.map(Math.round)}) = ${value.toFixed(2)}:1`);
    }
  }
  return found;
}"""

# How the focused element shows its focus: an outline or a box shadow that it does not
# have unfocused, in a colour of at least 3:1 against what is around it.
FOCUS = """(element) => {""" + COLOURS + """
  const look = () => {
    const style = getComputedStyle(element);
    return {outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1
              ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : "",
            colour: style.outlineColor, shadow: style.boxShadow === "none" ? "" : style.boxShadow};
  };
  const visible = element.matches(":focus-visible");
  const focused = look();
  element.blur();
  const unfocused = look();
  element.focus();
  const around = background(element.parentElement);
  const shown = (focused.outline && focused.outline !== unfocused.outline)
    || (focused.shadow && focused.shadow !== unfocused.shadow);
  const contrast = focused.outline ? ratio(rgba(focused.colour), around) : null;
  return {visible, shown: Boolean(shown), focused, contrast};
}"""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module: these pages are only looked at (nothing is confirmed)."""
    project = copy_project(tmp_path_factory.mktemp("a11y") / "project")
    with serving(project) as address:
        yield address


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "form.csv"
    path.write_text(GOOGLE_FORM, encoding="utf-8", newline="")
    return path


def visit(browser: Any, url: str, name: str, form: Path) -> Any:
    """Open one main page (the import review after uploading a sign-up form).

    The window is 1280 px wide with 2 device pixels per CSS pixel, as a laptop at 200 %
    draws; narrowing it to 640 px later is then what that window shows at 200 % zoom.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=2)
    page.goto(url)  # the launch address: the token becomes a cookie
    page.goto(url.split("/?")[0] + PAGES[name][0])
    if name == "import":
        page.get_by_label("File").set_input_files(str(form))
        page.get_by_role("button", name="Upload and review").click()
        page.wait_for_selector(PAGES[name][1])
    return page


def sideways(page: Any) -> str:
    """Say how much wider than the window the page is, if it is."""
    width, client = page.evaluate("[document.documentElement.scrollWidth, "
                                  "document.documentElement.clientWidth]")
    return f"{width} px of content in a {client} px window" if width > client else ""


def tabbing(page: Any, selector: str) -> str:
    """Press Tab from the top until the control has the focus; say what is wrong, if anything."""
    target = page.locator(selector).first
    for _ in range(300):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            break
    else:
        return "Tab never reaches it"
    seen = target.evaluate(FOCUS)
    if not (seen["visible"] and seen["shown"]):
        return f"no visible focus: {seen}"
    if seen["contrast"] is not None and seen["contrast"] < 3:
        return f"the focus outline is faint: {seen}"
    return ""


def measured(page: Any, name: str) -> dict[str, Any]:
    """Measure one open page; return each measure that found something wrong."""
    found = {"unlabelled fields": page.evaluate(UNLABELLED),
             "low contrast": page.evaluate(LOW_CONTRAST)}
    page.set_viewport_size({"width": 640, "height": 450})  # 1280 px at 200 %
    found["sideways scrolling at 200 %"] = sideways(page)
    found["keyboard at 200 %"] = tabbing(page, PAGES[name][1])
    return {measure: what for measure, what in found.items() if what}


@pytest.mark.parametrize("name", PAGES)
def test_a_main_page_is_accessible(browser: Any, url: str, form: Path, name: str) -> None:
    page = visit(browser, url, name, form)
    try:
        assert measured(page, name) == {}
    finally:
        page.close()


def test_the_measures_find_a_broken_page(browser: Any, url: str, form: Path) -> None:
    """Break the new campaign page in the browser (not on disk): every measure must say so."""
    page = visit(browser, url, "new campaign", form)
    try:
        page.evaluate("""() => {
          document.querySelector("label[for=title]").remove();
          document.querySelector("main a, main label").style.color = "#999";
          document.getElementById("body").style.minWidth = "50rem";
          document.querySelector("form#new-campaign button").style.outline = "none";
        }""")
        found = measured(page, "new campaign")
        assert set(found) == {"unlabelled fields", "low contrast",
                              "sideways scrolling at 200 %", "keyboard at 200 %"}
        assert 'id="title"' in found["unlabelled fields"][0]
        assert "rgb(153, 153, 153) on rgb(255,255,255) = 2.85:1" in found["low contrast"][0]
        assert found["keyboard at 200 %"].startswith("no visible focus")
    finally:
        page.close()
