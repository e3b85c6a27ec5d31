"""Random and mutated campaigns, recipients, senders and statements: the only outcomes are a
plan or the project's own error, every line of which starts with its place; never a traceback.

Deterministic (derandomize) and bounded, so the suite stays fast and gives the same inputs on
every machine; see the README's threat model for how many inputs this tries.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from advocacy import api, load
from advocacy.errors import AdvocacyError
from tests.helpers import REPO, copy_project

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PLACE = re.compile(r"(campaigns|statements|signatories|recipients|templates)/[^:]+(:\d+){0,2}: ")
SUMMARY = re.compile(r"\d+ problems found; nothing was written\.")


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the example project with smaller recipient files, as the working folder."""
    root = copy_project(tmp_path_factory.mktemp("fuzz"))
    house = load.load_mapping(REPO / "recipients/us-house.yaml").data["recipients"]
    kept = [record for record in house if record.get("state") in ("MN", "CA", "DC", "AK")]
    (root / "recipients/us-house.yaml").write_text(
        yaml.safe_dump({"recipients": kept}, allow_unicode=True), encoding="utf-8")
    lines = (REPO / "recipients/us-zip-districts.csv").read_text(encoding="utf-8").splitlines()
    (root / "recipients/us-zip-districts.csv").write_text("\n".join(
        line for line in lines if not line[:1].isdigit() or line.split(",")[1] in ("MN", "CA")
    ) + "\n", encoding="utf-8")
    before = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(before)


def only_our_errors(work: Callable[[], Any]) -> Any:
    """Run work; the project's own error is an allowed outcome, when every line is placed."""
    try:
        return work()
    except AdvocacyError as error:
        lines = str(error).splitlines()
        assert lines
        for line in lines:
            assert PLACE.match(line) or SUMMARY.fullmatch(line), line
        return None


def plan_and_check(campaign: str | bytes) -> None:
    """Write campaigns/fuzz.yaml, plan it, and compose its letters when there are few."""
    path = Path("campaigns/fuzz.yaml")
    if isinstance(campaign, str):
        campaign = campaign.encode("utf-8", "surrogatepass")
    path.write_bytes(campaign)
    plan = only_our_errors(lambda: api.plan(path))
    event("refused" if plan is None else "planned")
    if plan is not None and len(plan.letters) <= 12:
        event("composed" if only_our_errors(lambda: api.check(path)) else "not composed")


# --- Strategies --------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**20), TEXT, st.dates(),
                    st.floats(allow_nan=False))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)

NICE = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30)
SOURCES = ["us-senate", "us-house", "us-committees", "un-permanent-representatives",
           "un-missions-2021", "constituents-2021", "us-zip-districts", "nope", "../campaigns/x",
           "/etc/passwd", "us-senate.yaml", ""]
SELECTORS = {
    "state": st.sampled_from(["MN", "CA", "XX", "mn", "DC", "PR"]),
    "district": st.integers(-1, 60),
    "chamber": st.sampled_from(["senate", "house", "joint", "x"]),
    "party": st.sampled_from(["Democrat", "Republican", "Independent"]),
    "committee": st.sampled_from(["SSFR", "HSFA", "SSFR01", "nope"]),
    "bioguide": st.sampled_from(["K000367", "S001203", "O000173"]),
    "id": st.sampled_from(["K000367", "SSFR", "KH", "FR", "x"]),
    "kind": st.sampled_from(["senator", "representative", "committee", "permanent-mission", "?"]),
    "country": st.sampled_from(["KH", "FR", "US", "kh", "ZZ"]),
}
FRAGMENTS = ["Dear {{ recipient.name }},", "{{ vars.audience }}", "{{ sender.name }}", "{{",
             "}}", "{%", "%}", "{% if recipient.state %}", "{% endif %}", "{% for l in "
             "recipient.address %}{{ l }}{% endfor %}", "{{ recipient.nope }}", "{# x #}",
             "\n\n", "\n", "text ", "**bold**", "*", "[^1]", "\n\n[^1]: a note",
             "[link](http://e.org)", "<b>", "</p>", "&amp;", "\\", "`code`", "# Title",
             "> quote", "- item", "1. item", "![x](y.png)", "{{ recipient.__class__ }}",
             "{{ 'a' * 3 }}", "{{ 2 ** 70 }}", "{% include 'letter.css' %}", "{% raw %}",
             "{% endraw %}", "é", "\t", "\x0b"]
STATEMENTS = ["political-arrests-2021", "joint-statement-2021-03-23", "nope", "../x"]
LISTS = ["cambodian-diaspora-2021", "cambodian-civil-society-2021-03", "nope", "/etc/passwd"]
SELECTOR = st.sampled_from(sorted(SELECTORS)).flatmap(
    lambda key: st.one_of(SELECTORS[key], st.lists(SELECTORS[key], max_size=3))
    .map(lambda value: {key: value}))
SOURCE = st.fixed_dictionaries(
    {"from": st.one_of(st.sampled_from(SOURCES[:4]), st.sampled_from(SOURCES))},
    optional={"where": SELECTOR,
              "overrides": st.sampled_from(["un-missions-2021", "us-senate", "nope"])})


@st.composite
def damaged(draw: st.DrawFn, plausible: st.SearchStrategy[dict[str, Any]],
            wild: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """Draw plausible data, then replace or delete up to two of its keys with wild values."""
    data = dict(draw(plausible))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(sorted(wild)))
        if key in data and draw(st.booleans()):
            del data[key]
        else:
            data[key] = draw(wild[key])
    return data


PLAUSIBLE_CAMPAIGN = st.fixed_dictionaries(
    {"title": NICE, "recipients": st.one_of(SOURCE, st.lists(SOURCE, min_size=1, max_size=3)),
     "body": st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
                       st.fixed_dictionaries({"statement": st.sampled_from(STATEMENTS)},
                                             optional={"signatories": st.sampled_from(LISTS)}))},
    optional={
        "date": st.dates(), "language": st.sampled_from(["en", "fr", "km", "xx", "en-US", ""]),
        "template": st.sampled_from(["letter", "envelopes", "nope", "../x", "letter.css"]),
        "sender": st.fixed_dictionaries({"name": NICE}, optional={
            "address": st.lists(NICE, max_size=3), "email": NICE}),
        "senders": st.sampled_from(["constituents-2021", "us-senate", "un-missions-2021", "x"]),
        "chambers": st.lists(st.sampled_from(["senate", "house", "x"]), max_size=3),
        "letterhead": st.fixed_dictionaries({"name": NICE}, optional={
            "lines": st.lists(NICE, max_size=2)}),
        "subject": NICE, "vars": st.dictionaries(st.sampled_from(["audience", "x"]), NICE),
        "closing": NICE, "signature": st.one_of(NICE, st.lists(NICE, max_size=3)),
        "signatories": st.sampled_from(LISTS),
        "enclosures": st.lists(st.fixed_dictionaries(
            {"statement": st.sampled_from(STATEMENTS)},
            optional={"signatories": st.sampled_from(LISTS)}), max_size=2),
        "formats": st.lists(st.sampled_from(["pdf", "docx", "odt"]), max_size=3),
        "pdf_variant": st.sampled_from(["pdf/a-3b", "pdf/ua-1", "pdf/x"]),
        "print": st.fixed_dictionaries({}, optional={
            "group_by": st.sampled_from(["state", "city", "mission", "x"]),
            "labels": st.booleans(), "envelope": st.sampled_from(["dl", "c5", "x"])}),
    })
WILD_CAMPAIGN = {key: VALUES for key in [
    "title", "recipients", "body", "date", "language", "template", "sender", "senders",
    "chambers", "letterhead", "subject", "vars", "closing", "signature", "signatories",
    "enclosures", "formats", "pdf_variant", "print", "extra key"]}
CAMPAIGN = damaged(PLAUSIBLE_CAMPAIGN, WILD_CAMPAIGN)


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """Take a real file and damage it as editors, spreadsheets and mail programs do."""
    data = bytearray(draw(st.sampled_from(originals)))
    snippets = [b":", b"- ", b"  ", b"\n", b"\t", b"{", b"}", b"[", b"]", b"&a ", b"*a", b"!!",
                b"'", b'"', b"#", b"|", b">", b"%", b"@", b"`", b",", b";", b"\r\n",
                b"\xef\xbb\xbf", b"\xe9", b"\xff\xfe", b"\x00", b"---\n", b"...\n", b"? ", b"<<: ",
                b"=", b"{{",
                b"}}", b"{%", b"\xe2\x80\x9c"]
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "bytes"]))
        if kind == "insert":
            data[where:where] = draw(st.sampled_from(snippets))
        elif kind == "delete":
            del data[where:where + draw(st.integers(1, 40))]
        elif kind == "replace":
            data[where:where + 1] = draw(st.sampled_from(snippets))
        elif kind == "duplicate":
            start = data.rfind(b"\n", 0, where) + 1
            end = data.find(b"\n", where)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
        else:
            data[where:where] = draw(st.binary(max_size=8))
    return bytes(data)


def originals(folder: str, pattern: str) -> list[bytes]:
    return [path.read_bytes() for path in sorted((REPO / folder).glob(pattern))
            if path.stat().st_size < 200_000]


# --- Properties --------------------------------------------------------------------------------


@FUZZ
@given(CAMPAIGN)
def test_random_campaigns(fuzz_project: Path, data: dict[str, Any]) -> None:
    plan_and_check(as_yaml(data))


@FUZZ
@given(mutated(originals("campaigns", "*.yaml")))
def test_mutated_campaigns(fuzz_project: Path, data: bytes) -> None:
    plan_and_check(data)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_campaign(fuzz_project: Path, text: str) -> None:
    plan_and_check(text)


RECIPIENT_FIELDS = {
    "id": st.one_of(TEXT, st.integers()), "kind": st.sampled_from(
        ["senator", "representative", "delegate", "committee", "permanent-mission", "generic",
         "x"]),
    "honorific": TEXT, "name": TEXT, "last_name": TEXT, "title": TEXT,
    "organisation": TEXT, "chamber": st.sampled_from(["senate", "house", "x"]),
    "state": st.sampled_from(["MN", "CA", "XX", ""]), "district": st.integers(-2, 99),
    "party": TEXT, "address": st.one_of(TEXT, st.lists(TEXT, max_size=3)), "city": TEXT,
    "region": st.sampled_from(["MN", "DC", "ON", "GE", "x", ""]),
    "postal_code": st.sampled_from(["55407", "20510", "1211", "K1A 0A6", "x", "", "00000"]),
    "country": st.sampled_from(["US", "CH", "CA", "FR", "KH", "XX", "us", ""]),
    "language": st.sampled_from(["en", "fr", "xx"]), "salutation": TEXT,
    "committees": st.lists(TEXT, max_size=2), "members": VALUES,
    "address_block": st.lists(TEXT, max_size=3), "attention": TEXT, "x": VALUES,
}
REAL_RECORDS = [record for name in ("us-senate", "us-committees", "un-permanent-representatives")
                for record in load.load_mapping(REPO / f"recipients/{name}.yaml")
                .data["recipients"][:8]]
RECORD = damaged(st.sampled_from(REAL_RECORDS), RECIPIENT_FIELDS)


@FUZZ
@given(st.lists(RECORD, max_size=4), st.booleans())
def test_random_recipients(fuzz_project: Path, records: list[dict[str, Any]],
                           as_csv: bool) -> None:
    for old in Path("recipients").glob("fuzz.*"):
        old.unlink()
    if as_csv:
        columns = list(dict.fromkeys(key for record in records for key in record)) or ["id"]
        stream = io.StringIO()
        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerows([[_cell(record.get(column)) for column in columns]
                          for record in records])
        Path("recipients/fuzz.csv").write_text(stream.getvalue(), encoding="utf-8",
                                               errors="surrogatepass")
    else:
        Path("recipients/fuzz.yaml").write_text(as_yaml({"recipients": records}),
                                                encoding="utf-8")
    plan_and_check("title: t\ndate: 2021-03-23\nrecipients: {from: fuzz}\n"
                   "body: 'Dear {{ recipient.name }}, {{ recipient.address }}'\n")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value))
    return "" if value is None else str(value)


SENDERS_CAMPAIGN = ("title: t\ndate: 2021-03-23\nrecipients: [{from: us-senate}, {from: us-house}]"
                    "\nsenders: fuzz\nbody: 'Dear {{ recipient.name }}, from {{ sender.name }}'\n")
HEADER = ["Name", "Street", "City", "State", "ZIP", "District"]
COLUMNS = {name: st.sampled_from(["Email", "Full Name", "Zip Code", "st", "cd", "", "x", "name",
                                  "Name"]) for name in HEADER}
REAL_ROWS = list(csv.reader(io.StringIO((REPO / "recipients/constituents-2021.csv")
                                        .read_text(encoding="utf-8-sig"))))[1:]
CELLS = {name: st.one_of(TEXT, st.sampled_from(
    ["55407", "55104", "90804", "20001", "00000", "5540", "55407-1234", "MN", "CA", "DC", "PR",
     "XX", "5", "AL", "MN-05", "0", "=1+1", '"', "a,b", "a\nb", ";", ""])) for name in HEADER}


@st.composite
def senders_file(draw: st.DrawFn) -> bytes:
    """A senders CSV as some spreadsheet program might write it, or fail to."""
    header = list(draw(damaged(st.just(dict(zip(HEADER, HEADER, strict=True))), COLUMNS))
                  .values())
    rows = [list(draw(damaged(st.sampled_from(REAL_ROWS).map(
        lambda row: dict(zip(HEADER, row, strict=True))), CELLS)).values())
        for _ in range(draw(st.integers(0, 5)))]
    if draw(st.booleans()):  # a ragged row
        rows.append(rows[-1][:-1] if rows else ["x"])
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return stream.getvalue().encode(encoding, errors="replace")


@FUZZ
@given(st.one_of(senders_file(), mutated(originals("recipients", "constituents-*.csv"))))
def test_random_senders(fuzz_project: Path, data: bytes) -> None:
    Path("recipients/fuzz.csv").write_bytes(data)
    plan_and_check(SENDERS_CAMPAIGN)


@FUZZ
@given(st.one_of(mutated(originals("statements", "*.md") + originals("signatories", "*.yaml")),
                 st.lists(st.sampled_from([*FRAGMENTS, "---\n", "title: T\n", "date: x\n"]),
                          max_size=15).map(lambda parts: "".join(parts).encode())))
def test_random_statements_and_lists(fuzz_project: Path, data: bytes) -> None:
    Path("statements/fuzz.md").write_bytes(data)
    Path("signatories/fuzz.yaml").write_bytes(data)
    plan_and_check("title: t\ndate: 2021-03-23\nrecipients: {from: us-senate, where: {id: "
                   "K000367}}\nbody: {statement: fuzz}\nsignatories: fuzz\n")
