"""Every user mistake gives a one-screen message that starts with its place, exits 1,
prints no traceback and writes nothing (an earlier good output stays as it was)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import fails_with, run, tree_hashes

GOOD_START = "title: t\nbody: b\nrecipients: {from: us-senate, where: {id: K000367}}\n"


def test_malformed_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:3:1: not valid YAML: did not find expected ',' or ']'",
               "title: a\nbody: [unclosed\n")


def test_duplicate_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys,
               "campaigns/x.yaml:3:1: duplicate key 'title' (first at line 1); keep only one",
               "title: a\nbody: b\ntitle: b\n")


def test_empty_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:1:1: title: 'title' is required\n"
               "campaigns/x.yaml:1:1: recipients: 'recipients' is required\n"
               "campaigns/x.yaml:1:1: body: 'body' is required\n"
               "3 problems found; nothing was written.", "")


def test_top_level_not_a_mapping(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:1:1: the top level must be a mapping "
               "of 'key: value' lines, not a list", "- a\n- b\n")


def test_unknown_key_with_hint(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys,
               "campaigns/x.yaml:4:1: subjet: unknown key 'subjet'; did you mean 'subject'?",
               GOOD_START + "subjet: x\n")


def test_unknown_nested_key_with_hint(project: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:6:5: recipients.where.stat: unknown key 'stat'; "
               "did you mean 'state'?",
               "title: t\nbody: b\nrecipients:\n  from: us-senate\n  where:\n"
               "    stat: MN\n")


def test_wrong_types(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:4:1: date: expected a date written as YYYY-MM-DD, got "
               "'yesterday'\n"
               "campaigns/x.yaml:5:16: formats: must be 'pdf' or 'docx', got 'odt'\n"
               "2 problems found; nothing was written.",
               GOOD_START + "date: yesterday\nformats: [pdf, odt]\n")


def test_missing_files_all_reported_together(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fails_with(
        capsys,
        "campaigns/x.yaml:2:8: body.statement: no statement 'nope' in statements/; available: "
        "joint-statement-2021-03-23, political-arrests-2021\n"
        "campaigns/x.yaml:3:14: recipients.from: no recipients 'us-sennate' in recipients/; "
        "did you mean 'us-senate'?\n"
        "campaigns/x.yaml:4:1: template: no template 'lettr' in templates/; did you mean "
        "'letter'?\n"
        "campaigns/x.yaml:5:1: signatories: no signatories 'nobody' in signatories/; "
        "available: cambodian-civil-society-2021-03, cambodian-diaspora-2021\n"
        "4 problems found; nothing was written.",
        "title: t\nbody: {statement: nope}\nrecipients: {from: us-sennate}\ntemplate: lettr\n"
        "signatories: nobody\n",
    )


def test_errors_in_several_files_reported_together(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("statements/bad.md").write_text("---\ntitel: A\n---\nText\n", encoding="utf-8")
    Path("signatories/bad.yaml").write_text("signatories:\n  - {short: X}\n", encoding="utf-8")
    fails_with(
        capsys,
        "signatories/bad.yaml:2:5: signatories.name: 'name' is required\n"
        "statements/bad.md:2:1: titel: unknown key 'titel'; did you mean 'title'?\n"
        "2 problems found; nothing was written.",
        "title: t\nbody: b\nrecipients: {from: us-senate}\nenclosures:\n  - statement: bad\n"
        "    signatories: bad\n",
    )


def test_unknown_state(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:3:39: recipients.where.state: unknown state 'XX'; use a "
               "two-letter code such as MN",
               "title: t\nbody: b\nrecipients: {from: us-senate, where: {state: XX}}\n")


def test_selector_matching_nobody(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:3:31: recipients.where: selects no one of the 100 "
               "records in recipients/us-senate.yaml; check the selectors",
               "title: t\nbody: b\nrecipients: {from: us-senate, where: {state: PR}}\n")


def test_undefined_variable_in_body(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:6: template error: recipient has no field 'nam'; "
               "check the spelling, or see LetterContext in advocacy/compose/context.py",
               "title: t\nrecipients: {from: us-senate, where: {state: MN}}\nbody: |\n"
               "  Dear friend,\n\n"
               "  Hello {{ recipient.nam }}\n")


def test_undefined_variable_in_template(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/broken.html.j2").write_text(
        '{% extends "letter.html.j2" %}\n{% block sender %}\n<p>{{ recipient.nickname }}</p>\n'
        "{% endblock %}\n", encoding="utf-8")
    fails_with(capsys, f"{Path('templates/broken.html.j2')}:3: template error: recipient has "
               "no field 'nickname'; check the spelling, or see LetterContext in "
               "advocacy/compose/context.py",
               GOOD_START + "template: broken\n")


def test_template_syntax_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/broken.html.j2").write_text("<p>\n{% if %}\n</p>\n", encoding="utf-8")
    fails_with(capsys, "templates/broken.html.j2:2: template error: Expected an expression, got "
               "'end of statement block'",
               GOOD_START + "template: broken\n", command="check")


def test_unknown_language(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:4:1: language: unknown language 'xx-klingon'; use a code "
               "such as en, fr or km",
               GOOD_START + "language: xx-klingon\n")


def test_missing_campaign_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "campaigns/nope.yaml") == 1
    assert capsys.readouterr().err == "error: campaigns/nope.yaml: file not found\n"


def test_failed_run_keeps_earlier_output(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    Path("campaigns/x.yaml").write_text(GOOD_START, encoding="utf-8")
    assert run("generate", "campaigns/x.yaml", "--format", "pdf") == 0
    before = tree_hashes(Path("output"))
    # One letter, manifest.json, manifest.csv, and the run stamp beside the folder.
    assert sorted(before) == [".x.stamp.json", "x/amy-klobuchar-k000367.pdf", "x/manifest.csv",
                              "x/manifest.json"]
    Path("campaigns/x.yaml").write_text(GOOD_START + "body2: x\n", encoding="utf-8")
    capsys.readouterr()
    assert run("generate", "campaigns/x.yaml") == 1
    assert "unknown key 'body2'" in capsys.readouterr().err
    assert tree_hashes(Path("output")) == before
