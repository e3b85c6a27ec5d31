"""Templates see data, never objects: no code runs, no file is read or written from a text.

The attacks of issue 12 first (a recipient's pydantic methods unpickling a payload, a
constituent's place.path reading /etc/passwd and writing the campaign file), then the
rule behind the fix: every value a template can reach is plain data, and the only
callables are the short list in advocacy/sandbox.py.
"""

from __future__ import annotations

import datetime
import types
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Undefined
from markupsafe import Markup

from advocacy import api
from advocacy.compose import sandbox
from advocacy.compose.composer import Composer
from advocacy.compose.templating import MarkdownText, make_environment, template_context
from advocacy.models import PrintSettings
from advocacy.printing import delivery_sheet, envelopes
from advocacy.printing.order import Item, in_delivery_order
from tests.helpers import ONE_LETTER, REPO, fails_with, pdf_text, succeeds

# Unpickling this runs 'touch pwned' (protocol 0: a text a template can write).
PICKLE = "cos\\nsystem\\n(S'touch pwned'\\ntR."
PARSE_RAW = f"{{{{ recipient.parse_raw(\"{PICKLE}\", proto=\"pickle\", allow_pickle=True) }}}}"
UNDEFINED = "; check the spelling, or see LetterContext in advocacy/compose/context.py"
SENDERS = ("title: t\ndate: 2021-03-23\nrecipients: [{from: us-senate}]\nsenders: s\n"
           "chambers: [senate]\nformats: [pdf]\n")


def senders_file() -> None:
    Path("recipients/s.csv").write_text("Name,Street,City,State,ZIP\n"
                                        "Sophal Chea,100 Example Street,Minneapolis,MN,55407\n",
                                        encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "generate"])
def test_pickle_through_a_recipient_method_in_the_body(project: Path, command: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, f"campaigns/x.yaml:6: template error: recipient has no field "
               f"'parse_raw'{UNDEFINED}", ONE_LETTER + f"body: |\n  {PARSE_RAW}\n",
               command=command)
    assert not Path("pwned").exists()


def test_pickle_in_a_statement(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/evil.md").write_text(f"---\ntitle: T\n---\nHello\n\n{PARSE_RAW}\n",
                                          encoding="utf-8")
    fails_with(capsys, f"statements/evil.md:6: template error: recipient has no field "
               f"'parse_raw'{UNDEFINED}", ONE_LETTER + "body: {statement: evil}\n",
               command="check")
    assert not Path("pwned").exists()


def test_pickle_in_a_template(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/evil.html.j2").write_text(f"<p>\n{PARSE_RAW}\n</p>\n", encoding="utf-8")
    fails_with(capsys, f"templates/evil.html.j2:2: template error: recipient has no field "
               f"'parse_raw'{UNDEFINED}", ONE_LETTER + "body: b\ntemplate: evil\n",
               command="check")
    assert not Path("pwned").exists()


COMMITTEE = ONE_LETTER.replace("from: us-senate, where: {id: K000367}",
                               "from: us-committees, where: {id: SSFR}")


@pytest.mark.parametrize(("call", "message"), [
    ("recipient.parse_file('/etc/passwd')", "recipient has no field 'parse_file'"),  # a read
    ("recipient.model_validate_json('{}')", "recipient has no field 'model_validate_json'"),
    ("recipient.model_construct()", "recipient has no field 'model_construct'"),
    ("recipient.copy(update={})", "recipient has no field 'copy'"),
    ("recipient.__class__.parse_raw('{}')", "refused by the template sandbox: access to "
     "attribute '__class__' of 'Recipient' object is unsafe; templates may use only the "
     "fields of LetterContext (advocacy/compose/context.py)"),
    ("recipient.chair.parse_raw('{}')", "member has no field 'parse_raw'"),  # a nested model
])
def test_no_model_methods(project: Path, capsys: pytest.CaptureFixture[str], call: str,
                          message: str) -> None:
    hint = "" if "sandbox" in message else UNDEFINED
    fails_with(capsys, f"campaigns/x.yaml:6: template error: {message}{hint}",
               COMMITTEE + f"body: |\n  {{{{ {call} }}}}\n", command="check")


@pytest.mark.parametrize("call", [
    "sender.place.path.read_text()",  # put /etc/passwd into every letter
    "sender.place.path.write_text('x')",  # overwrote the campaign file
    "sender.place.path.parent.parent.joinpath('pwned').touch()",
])
def test_no_paths_in_a_constituent_campaign(project: Path, capsys: pytest.CaptureFixture[str],
                                            call: str) -> None:
    senders_file()
    fails_with(capsys, f"campaigns/x.yaml:8: template error: sender has no field "
               f"'place'{UNDEFINED}", SENDERS + f"body: |\n  {{{{ {call} }}}}\n",
               command="check")
    assert not Path("pwned").exists()


def test_no_paths_in_a_template(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    senders_file()
    Path("templates/evil.html.j2").write_text("<p>{{ sender.place.path.read_text() }}</p>\n",
                                              encoding="utf-8")
    fails_with(capsys, "templates/evil.html.j2:1: template error: sender has no field "
               f"'place'{UNDEFINED}", SENDERS + "body: b\ntemplate: evil\n")


SANDBOX = "campaigns/x.yaml:5: template error: refused by the template sandbox: "


@pytest.mark.parametrize(("body", "message"), [
    # Methods not on the list are refused where they are looked up.
    ("{{ '{x}'.format_map({}) }}", "calling str.format_map() is not allowed in templates "
     "(see TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ title.encode() }}", "calling str.encode() is not allowed in templates (see "
     "TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ vars.copy() }}", "calling mappingproxy.copy() is not allowed in templates (see "
     "TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ recipient.committees.index('x') }}", "calling tuple.index() is not allowed in "
     "templates (see TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ (1).to_bytes(2, 'big') }}", "calling int.to_bytes() is not allowed in templates (see "
     "TEXT_METHODS in advocacy/sandbox.py)"),
    # ... also when reached through a filter.
    ("{{ title | attr('format_map') }}", "calling str.format_map() is not allowed in "
     "templates (see TEXT_METHODS in advocacy/sandbox.py)"),
    # Texts that grow without bound: refused before they are made.
    ("{{ 'a'.ljust(10**9) }}", "ljust(1000000000) would add 999,999,999 characters; the limit "
     "is 1,000,000"),
    ("{{ 'a'.center(10**9) }}", "center(1000000000) would add 999,999,999 characters; the "
     "limit is 1,000,000"),
    ("{{ '%01000000000d' % 1 }}", "'%' formatting would add 1,000,000,000 characters; the "
     "limit is 1,000,000"),
])
def test_sandbox_refuses_methods_and_growth(project: Path, capsys: pytest.CaptureFixture[str],
                                            body: str, message: str) -> None:
    fails_with(capsys, SANDBOX + message, ONE_LETTER + f"body: \"{body}\"\n", command="check")


LIST = "; use one of its fields or items, or loop over it with {% for %}"


@pytest.mark.parametrize(("body", "message"), [
    # Other ways to grow a text, each refused before the text is made.
    ("{{ 'a'.zfill(10**9) }}", "zfill(1000000000) would add 999,999,999 characters; the limit "
     "is 1,000,000"),
    ("{{ ('\t'*1000).expandtabs(10**7) }}", "expandtabs(10000000) would add 10,000,000,000 "
     "characters; the limit is 1,000,000"),
    ("{{ 'x'.replace('', 'y'*1000000) }}", "replace() would add 2,000,000 characters; the "
     "limit is 1,000,000"),
    ("{{ ('y'*1000000).join(['a']*1000) }}", "join() would make 999,001,000 characters or "
     "items; the limit is 20,000,000"),
    ("{{ '{:>1000000000}'.format(1) }}", "the format '{:>1000000000}' would add more than "
     "1,000,000 characters"),
    ("{{ '{:{}}'.format(1, 10**9) }}", "the format '{:1000000000}' would add more than "
     "1,000,000 characters"),
    ("{{ '%*d' % (10**9, 1) }}", "'%' formatting would add 1,000,000,000 characters; the "
     "limit is 1,000,000"),
    ("{{ 'a' | indent(10**9) }}", "indent() would add 1,000,000,000 characters; the limit is "
     "1,000,000"),
    ("{{ 'a' | center(10**9) }}", "center(1000000000) would add 999,999,999 characters; the "
     "limit is 1,000,000"),
    ("{% set a = 'x'*1000000 %}{% set b = a~a~a~a~a~a~a~a~a~a %}{{ b~b~b }}",
     "joining texts with '~' would make 30,000,000 characters or items; the limit is "
     "20,000,000"),
    ("{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}"
     "{{ d(d(d(d(d(d(d(d(d(d(d(d(d(d(d('x'*1000))))))))))))))) }}",
     "the template writes more than 20,000,000 characters"),
    # A list of lists of lists prints as a text exponentially longer than it is.
    ("{{ [[1]*2]*2 }}", "repeating a list of lists or mappings is not allowed"),
    ("{% set a = [1, 2] %}{{ [a, a] }}", f"cannot print a list{LIST}"),
    ("{{ '{}'.format([1]) }}", f"cannot format a list{LIST}"),
    ("{{ [[1]] | join }}", f"cannot make text of a list{LIST}"),
    ("{{ recipient }}", f"cannot print recipient{LIST}"),
])
def test_other_ways_to_grow_a_text(project: Path, capsys: pytest.CaptureFixture[str], body: str,
                                   message: str) -> None:
    fails_with(capsys, "campaigns/x.yaml:6: template error: refused by the template sandbox: "
               f"{message}", ONE_LETTER + f"body: |\n  {body}\n", command="check")


@pytest.mark.parametrize(("body", "message"), [
    ("{{ 1/0 }}", "division by zero"),
    ("{{ 'a'.index('b') }}", "substring not found"),
    ("{{ 'a' + 1 }}", 'can only concatenate str (not "int") to str'),
    ("{{ '%d' % 'x' }}", "%d format: a real number is required, not str"),
])
def test_runtime_mistakes_are_placed(project: Path, capsys: pytest.CaptureFixture[str],
                                     body: str, message: str) -> None:
    fails_with(capsys, f"campaigns/x.yaml:6: template error: {message}",
               ONE_LETTER + f"body: |\n  {body}\n", command="check")


def test_format_map_with_a_bad_key_was_a_traceback(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "campaigns/x.yaml:5: template error: no key 'x' in the mapping",
               ONE_LETTER + "body: \"{{ '{x}'.format(y=1) }}\"\n", command="check")


# --- The rule: plain data, and only the listed callables -----------------------------------

PLAIN = (str, int, float, bool, type(None), tuple, types.MappingProxyType, sandbox.Record)


def walk(value: Any, where: str, env: Any, seen: dict[str, set[str]]) -> None:
    """Check a value and everything in it: plain data, callables only from the list."""
    assert isinstance(value, PLAIN), f"{where} is a {type(value).__name__}, not plain data"
    assert not isinstance(value, str) or type(value) in (str, Markup, MarkdownText), where
    for name in dir(value):
        if name.startswith("_") or not callable(getattr(value, name)):
            continue
        looked_up = env.getattr(value, name)
        if sandbox.may_call(value, name):
            seen.setdefault(type(value).__name__, set()).add(name)
            assert not isinstance(looked_up, Undefined), f"{where}.{name}"
        else:
            assert isinstance(looked_up, Undefined), f"{where}.{name}() is callable"
            with pytest.raises(sandbox.SecurityError):
                looked_up()
    items: list[tuple[str, Any]] = []
    if isinstance(value, tuple):
        items = [(f"{where}[{i}]", item) for i, item in enumerate(value)]
    elif isinstance(value, (types.MappingProxyType, sandbox.Record)):
        items = [(f"{where}.{key}", item) for key, item in value.items()]
    for inner_where, inner in items:
        walk(inner, inner_where, env, seen)


class Recorder:
    """A print renderer that keeps the context it is given instead of drawing it."""

    def __init__(self) -> None:
        self.contexts: list[dict[str, Any]] = []

    def pdf(self, name: str, context: Any) -> tuple[bytes, int]:
        self.contexts.append(template_context(context))
        return b"", 1


def test_templates_see_only_plain_data() -> None:
    seen: dict[str, set[str]] = {}
    for campaign in sorted((REPO / "campaigns").glob("*.yaml")):
        plan = api.plan(campaign)
        composer = Composer(plan.inputs)
        env = composer.env
        for letter in plan.letters[:4]:
            walk(tuple(template_context(composer.context(letter)).values()), campaign.stem,
                 env, seen)
            walk(tuple(template_context(composer.text_context(letter)).values()),
                 campaign.stem, env, seen)
        placed = in_delivery_order([Item(letter, 2) for letter in plan.letters[:4]], "state")
        recorder = Recorder()
        settings = PrintSettings()
        envelopes.envelopes_pdf(recorder, placed, envelopes.ENVELOPE_SIZES["us10"],  # type: ignore[arg-type]
                                plan.inputs.campaign, settings)
        envelopes.labels_pdf(recorder, placed, envelopes.LABEL_SHEETS["letter"],  # type: ignore[arg-type]
                             plan.inputs.campaign)
        locations = {p.number: delivery_sheet.Location("letters.pdf", 1, "envelopes.pdf")
                     for p in placed}
        delivery_sheet.delivery_sheet_pdf(recorder, placed, locations, ["letters.pdf"],  # type: ignore[arg-type]
                                    plan.inputs.campaign, "state")
        for context in recorder.contexts:
            walk(tuple(context.values()), f"{campaign.stem} print", env, seen)
    # What templates could call, all from the lists; the constituent campaign and the
    # committee (chair, ranking member) were among the campaigns walked.
    assert seen.keys() >= {"str", "Markup", "Recipient", "mappingproxy"}
    for kind, names in seen.items():
        allowed = sandbox.TEXT_METHODS if kind in ("str", "Markup", "MarkdownText") \
            else sandbox.MAPPING_METHODS
        assert names <= allowed, kind


def test_plain_refuses_what_it_does_not_know() -> None:
    from advocacy.compose.templating import plain

    assert plain(datetime.date(2021, 3, 23)) == "2021-03-23"
    assert plain([1, ["a"]]) == (1, ("a",))
    with pytest.raises(TypeError):
        plain(Path("/etc/passwd"))
    with pytest.raises(TypeError):
        plain(object())


def test_a_template_can_still_do_its_job(tmp_path: Path) -> None:
    # Macros, blocks, loops and the allowed methods and filters work as before.
    (tmp_path / "base.html.j2").write_text(
        "{% block b %}base{% endblock %}", encoding="utf-8")
    (tmp_path / "t.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block b %}{{ super() }}'
        "{% macro m(x) %}[{{ x }}{{ caller() if caller else '' }}]{% endmacro %}"
        "{% call m(1) %}c{% endcall %}"
        "{% for x in items %}{{ loop.cycle('a', 'b') }}{{ x.name | upper }}{% endfor %}"
        "{{ name.title().ljust(8, '.') }}{{ '%s-%03d' % (name, 7) }}{{ '{}!'.format(name) }}"
        "{{ items | map(attribute='name') | join(', ') }}{{ words.get('x', 'none') }}"
        "{{ 'a b'.split() | length }}{{ name | center(9) }}{% endblock %}", encoding="utf-8")
    env = make_environment([tmp_path])
    names = template_context({"items": [{"name": "ab"}, {"name": "cd"}], "name": "amy",
                              "words": {}})
    assert env.get_template("t.html.j2").render(names) == \
        "base[1c]aABbCDAmy.....amy-007amy!ab, cdnone2   amy   "


# --- An open letter's 'To:' line: the same sandbox, the same placed errors -----------------

OPEN = ONE_LETTER + "body: b\nto: "  # the 'to:' line is line 6


@pytest.mark.parametrize(("to", "message"), [
    ("{{ ''.__class__.__mro__ }}", "refused by the template sandbox: access to attribute "
     "'__class__' of 'str' object is unsafe; templates may use only the fields of "
     "LetterContext (advocacy/compose/context.py)"),
    ("{{ vars.__class__ }}", "refused by the template sandbox: access to attribute "
     "'__class__' of 'mappingproxy' object is unsafe; templates may use only the fields of "
     "LetterContext (advocacy/compose/context.py)"),
    ("{{ title.encode() }}", "refused by the template sandbox: calling str.encode() is not "
     "allowed in templates (see TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ vars.copy() }}", "refused by the template sandbox: calling mappingproxy.copy() is not "
     "allowed in templates (see TEXT_METHODS in advocacy/sandbox.py)"),
    ("{{ 'a'.ljust(10**9) }}", "refused by the template sandbox: ljust(1000000000) would add "
     "999,999,999 characters; the limit is 1,000,000"),
    # The line is the same in the open letter and every copy: it sees no recipient.
    (f"{PARSE_RAW}", f"'recipient' is undefined{UNDEFINED}"),
    ("{{ cycler.__init__.__globals__ }}", "refused by the template sandbox: access to "
     "attribute '__init__' of 'StrictUndefined' object is unsafe; templates may use only the "
     "fields of LetterContext (advocacy/compose/context.py)"),
    ("{{ joiner() }}", f"'joiner' is undefined{UNDEFINED}"),
    ("{{ range(10**9) | list }}", f"'range' is undefined{UNDEFINED}"),
    ("{% include '/etc/passwd' %}", "'/etc/passwd' is not a template name: include or extend "
     "templates by their file name in templates/, without '..' or '/' at the start"),
    ("{{ 1/0 }}", "division by zero"),
])
@pytest.mark.parametrize("command", ["check", "generate"])
def test_the_to_line_is_sandboxed(project: Path, capsys: pytest.CaptureFixture[str], to: str,
                                  message: str, command: str) -> None:
    fails_with(capsys, f"campaigns/x.yaml:6: template error: {message}",
               OPEN + '"' + to.replace('"', '\\"') + '"\n', command=command)
    assert not Path("pwned").exists()


def test_the_to_line_is_text_not_html(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Markup written in 'to:' or inserted from vars prints as written, in both formats."""
    import docx

    succeeds(capsys, ONE_LETTER.replace("[pdf]", "[pdf, docx]") + "body: b\nvars: {x: '<i>y</i>'}\n"
             "to: \"<b>All</b> & {{ vars.x }} [link](http://e.org)\"\n")
    [pdf] = Path("output/x").glob("*.pdf")
    line = "To: <b>All</b> & <i>y</i> [link](http://e.org)"
    assert line in pdf_text(pdf)
    assert line in [p.text for p in docx.Document(str(pdf.with_suffix(".docx"))).paragraphs]
