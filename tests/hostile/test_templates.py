"""Hostile templates and texts: the Jinja sandbox holds, and templates come from templates/ only.

Campaign texts (body, statements) are Jinja rendered in the sandbox's Markdown overlay;
letter templates are files in templates/, which arrive with a shared folder like the rest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import ONE_LETTER, fails_with, pdf_text, succeeds

SANDBOX = "campaigns/x.yaml:5: template error: refused by the template sandbox: "
FIELDS = "; templates may use only the fields of LetterContext (advocacy/compose/context.py)"
UNDEFINED = "; check the spelling, or see LetterContext in advocacy/compose/context.py"


@pytest.mark.parametrize(("body", "message"), [
    ("{{ ''.__class__.__mro__ }}",
     f"{SANDBOX}access to attribute '__class__' of 'str' object is unsafe{FIELDS}"),
    ("{{ recipient.__init__.__globals__ }}",
     f"{SANDBOX}access to attribute '__init__' of 'Recipient' object is unsafe{FIELDS}"),
    ("{{ self._TemplateReference__context }}",
     f"{SANDBOX}access to attribute '_TemplateReference__context' of 'TemplateReference' "
     f"object is unsafe{FIELDS}"),
    ("{{ '{0.__class__}'.format(title) }}",
     f"{SANDBOX}access to attribute '__class__' of 'str' object is unsafe{FIELDS}"),
    ("{{ vars.__class__.__subclasses__() }}",
     f"{SANDBOX}access to attribute '__class__' of 'mappingproxy' object is unsafe{FIELDS}"),
    # No globals at all: not Jinja's cycler, joiner, namespace, lipsum, dict or range.
    ("{{ cycler.__init__.__globals__.os }}",
     f"{SANDBOX}access to attribute '__init__' of 'StrictUndefined' object is unsafe{FIELDS}"),
    ("{{ cycler }}", f"campaigns/x.yaml:5: template error: 'cycler' is undefined{UNDEFINED}"),
    ("{{ joiner() }}", f"campaigns/x.yaml:5: template error: 'joiner' is undefined{UNDEFINED}"),
    ("{{ range(10**9) | list }}",
     f"campaigns/x.yaml:5: template error: 'range' is undefined{UNDEFINED}"),
    ("{{ lipsum(10**6) }}",
     f"campaigns/x.yaml:5: template error: 'lipsum' is undefined{UNDEFINED}"),
    # Operators that would take all memory or time.
    ("{{ 10 ** 100000 }}", f"{SANDBOX}10 ** 100000 is too large a number"),
    ("{{ 'ab' * 10**9 }}",
     f"{SANDBOX}repeating 2 characters or items 1000000000 times makes more than 1,000,000"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
     "campaigns/x.yaml:5: template error: a macro or template calls itself without end; "
     "remove the loop"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
     "campaigns/x.yaml:5: template error: the template is nested too deeply; simplify it"),
    ("{% for x in 'a' %}" * 25 + "x" + "{% endfor %}" * 25,
     "campaigns/x.yaml:5: template error: the template is nested too deeply; simplify it"),
    ("{{ '\\\\x0b' }}",  # a Jinja escape: YAML reads it as backslash, x, 0, b
     "campaigns/x.yaml:5: template error: control character U+000B is not allowed in a text; "
     "delete it (most editors do not show it)"),
])
def test_sandbox_refuses_escapes_in_texts(project: Path, capsys: pytest.CaptureFixture[str],
                                          body: str, message: str) -> None:
    fails_with(capsys, message, ONE_LETTER + f"body: \"{body}\"\n")


@pytest.mark.parametrize(("include", "message"), [
    ("../campaigns/x.yaml", "'../campaigns/x.yaml' is not a template name: include or extend "
     "templates by their file name in templates/, without '..' or '/' at the start"),
    ("/etc/passwd", "'/etc/passwd' is not a template name: include or extend templates by "
     "their file name in templates/, without '..' or '/' at the start"),
    ("letter.css/../../recipients/us-senate.yaml", "'letter.css/../../recipients/us-senate.yaml' "
     "is not a template name: include or extend templates by their file name in templates/, "
     "without '..' or '/' at the start"),
    ("nowhere.html", "no template 'nowhere.html' in templates/"),
])
def test_includes_stay_in_templates(project: Path, capsys: pytest.CaptureFixture[str],
                                    include: str, message: str) -> None:
    fails_with(capsys, f"campaigns/x.yaml:5: template error: {message}",
               ONE_LETTER + f"body: '{{% include \"{include}\" %}}'\n")


def test_hostile_template_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/evil.html.j2").write_text(
        '{% extends "letter.html.j2" %}\n{% block sender %}\n'
        "{{ letterhead.__class__.__base__.__subclasses__() }}\n{% endblock %}\n",
        encoding="utf-8")
    fails_with(capsys, "templates/evil.html.j2:3: template error: refused by the template "
               "sandbox: access to attribute '__class__' of 'NoneType' object is unsafe"
               f"{FIELDS}", ONE_LETTER + "body: b\ntemplate: evil\n")


@pytest.mark.parametrize("statement", [
    '{% extends "../../etc/passwd" %}',
    '{% import "/etc/passwd" as x %}',
    '{% from "../signatories/cambodian-diaspora-2021.yaml" import x %}',
])
def test_template_cannot_extend_or_import_outside(project: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  statement: str) -> None:
    Path("templates/evil.html.j2").write_text(f"{statement}\n", encoding="utf-8")
    name = statement.split('"')[1]
    fails_with(capsys, f"templates/evil.html.j2:1: template error: '{name}' is not a template "
               "name: include or extend templates by their file name in templates/, without "
               "'..' or '/' at the start", ONE_LETTER + "body: b\ntemplate: evil\n")


def test_template_that_is_a_link_outside_the_project(project: Path, tmp_path_factory:
                                                     pytest.TempPathFactory,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.html.j2"
    outside.write_text("secret\n", encoding="utf-8")
    os.symlink(outside, "templates/evil.html.j2")
    fails_with(capsys, "campaigns/x.yaml:6:1: template: templates/evil.html.j2 is a link to a "
               "file outside the project; copy the file itself into templates/",
               ONE_LETTER + "body: b\ntemplate: evil\n")


def test_template_that_is_a_link_outside_templates(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../recipients/us-senate.yaml", "templates/evil.html.j2")
    fails_with(capsys, "templates/evil.html.j2: template error: 'evil.html.j2' is a link that "
               "leads outside templates/; copy the file itself into templates/",
               ONE_LETTER + "body: b\ntemplate: evil\n")


def test_included_link_leading_outside(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../recipients/us-senate.yaml", "templates/part.html")  # out of templates/
    fails_with(capsys, "campaigns/x.yaml:5: template error: 'part.html' is a link that leads "
               "outside templates/; copy the file itself into templates/",
               ONE_LETTER + "body: '{% include \"part.html\" %}'\n")
    # Out of the project: refused before anything is rendered, used or not.
    os.unlink("templates/part.html")
    os.symlink("/etc/passwd", "templates/part.html")
    fails_with(capsys, "templates/part.html: is a link to a file outside the project folder; "
               "copy the file itself into the project folder")


def test_template_including_itself(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/loop.html.j2").write_text('{% include "loop.html.j2" %}', encoding="utf-8")
    fails_with(capsys, "templates/loop.html.j2:1: template error: a macro or template calls "
               "itself without end; remove the loop", ONE_LETTER + "body: b\ntemplate: loop\n")


def test_statement_with_sandbox_escape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/evil.md").write_text("---\ntitle: T\n---\nHello\n\n"
                                          "{{ recipient.__class__.__mro__ }}\n",
                                          encoding="utf-8")
    fails_with(capsys, "statements/evil.md:6: template error: refused by the template sandbox: "
               f"access to attribute '__class__' of 'Recipient' object is unsafe{FIELDS}",
               ONE_LETTER + "body: b\nenclosures: [{statement: evil}]\n")


# --- Markdown: raw HTML is escaped, images and nested footnotes are refused ------------------


def test_raw_html_in_markdown_prints_as_text(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    succeeds(capsys, ONE_LETTER + "body: |\n  <script>alert(1)</script> <b>bold</b>\n\n"
             "  <img src=\"file:///etc/passwd\"> <style>p { color: red }</style>\n")
    text = pdf_text(Path("output/x/amy-klobuchar-k000367.pdf"))
    assert "<script>alert(1)</script> <b>bold</b>" in text
    assert '<img src="file:///etc/passwd"> <style>p { color: red }</style>' in text
    assert "root:" not in text


def test_values_cannot_inject_markdown_or_html(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/evil.yaml").write_text(
        "recipients:\n  - id: e1\n    name: '<b>Bold</b> ![x](/etc/passwd) [link](http://e.org)'\n"
        "    address: [1 Main St]\n    city: Springfield\n    region: IL\n"
        "    postal_code: '62701'\n    country: US\n", encoding="utf-8")
    succeeds(capsys, "title: t\ndate: 2021-03-23\nrecipients: {from: evil}\nformats: [pdf]\n"
             "body: 'Dear {{ recipient.name }}'\n")
    text = pdf_text(Path("output/x/b-bold-b-x-etc-passwd-link-http-e-org-e1.pdf"))
    assert "Dear <b>Bold</b> ![x](/etc/passwd) [link](http://e.org)" in text


@pytest.mark.parametrize("source", ["/etc/passwd", "http://example.org/x.png",
                                    "../campaigns/x.yaml"])
def test_images_in_markdown_are_refused(project: Path, capsys: pytest.CaptureFixture[str],
                                        source: str) -> None:
    fails_with(capsys, f"campaigns/x.yaml:8: images are not allowed in texts ('{source}'); "
               "remove it: letters print only signature images",
               ONE_LETTER + f"body: |\n  Hello\n\n  ![logo]({source})\n", command="check")


def test_nested_footnote_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/notes.md").write_text("---\ntitle: T\n---\nText.[^1]\n\n[^1]: See [^1].\n",
                                           encoding="utf-8")
    fails_with(capsys, "statements/notes.md:4: a footnote cites another footnote; footnotes "
               "cannot be nested, so write the text into the first one",
               ONE_LETTER + "body: {statement: notes}\n")
