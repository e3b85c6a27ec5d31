"""New campaigns, statements and signatory lists from the browser.

Each is written as a file a person can read and edit by hand later (YAML through
ruamel, block style; a statement as Markdown with front matter), validated in
memory by the same code generating uses before it is written, and created only
when no file of that name exists (never overwriting). Names are plain: small
letters, digits and dashes, so a name can never be a path.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.files import inside
from advocacy.models import RecipientSource, StatementFront
from advocacy.planning import selects
from advocacy.project import Project, UnknownName
from advocacy.recipients.records import records_of_source
from advocacy.signatories import lists
from advocacy.web.campaign_edit import checked
from advocacy.web.campaigns import project_of
from advocacy.web.pages import page, problems_of
from advocacy.web.security import read_form
from advocacy.web.texts import check_body, statement_names

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
KINDS = ("senator", "representative", "delegate", "committee", "permanent-mission", "generic")
SELECTORS = ("state", "kind", "chamber", "country")
GROUPS = ("state", "city", "mission")


def _value(form: FormData | Any, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def writable_folder(project: Project, folder: Path) -> None:
    """Refuse a kind's folder that is a link leading out of the project, or no folder.

    A missing folder is fine: create_exclusive makes it, inside the project.
    """
    shown = f"{folder.name}/"
    if not inside(folder, project.root):
        raise AdvocacyError.at(Place(folder), f"{shown} is a link to a folder outside the "
                               "project; make it a plain folder inside the project (nothing "
                               "was written)")
    if os.path.lexists(folder) and not folder.is_dir():
        raise AdvocacyError.at(Place(folder), f"{shown} is not a folder; rename or remove "
                               "that file (nothing was written)")


def new_file(project: Project, kind: str, name: str, suffix: str) -> Path:
    """Return the path of a new file of a kind; refuse a bad name or one already taken."""
    folder = project.folder(kind)
    writable_folder(project, folder)
    if not NAME.fullmatch(name):
        raise AdvocacyError.at(Place(folder), f"'{name}' cannot name a file: use small letters, "
                               "digits and dashes, starting with a letter or digit (for "
                               "example my-campaign-2024)")
    taken = [folder / f"{name}{s}" for s in (".yaml", ".yml", ".md", ".csv")
             if os.path.lexists(folder / f"{name}{s}")]
    if taken:
        raise AdvocacyError.at(Place(taken[0]), "this file already exists; choose another "
                               "name (nothing was written)")
    return folder / f"{name}{suffix}"


def create_exclusive(project: Project, path: Path, data: bytes) -> None:
    """Write a new file whole, never over one that appeared meanwhile (a link is atomic).

    Its folder is made if the project has none yet (a project without statements/).
    """
    path.parent.mkdir(exist_ok=True)
    writable_folder(project, path.parent)  # again: it may have been swapped for a link
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise AdvocacyError.at(Place(path), "this file already exists; choose another "
                                   "name (nothing was written)") from None
    finally:
        os.unlink(temporary)


def _dump(data: CommentedMap, header: str) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return header + out.getvalue()


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def recipients_source(form: FormData | Any) -> CommentedMap:
    """Return a campaign's 'recipients:' mapping from the form's source and selectors."""
    where = CommentedMap()
    for key in SELECTORS:
        values = [v.strip() for v in _value(form, key).split(",") if v.strip()]
        if values:
            where[key] = _flow(values)
    source = CommentedMap({"from": _value(form, "from")})
    if where:
        where.fa.set_flow_style()
        source["where"] = where
    return source


def count_selected(project: Project, source: CommentedMap) -> tuple[int, int]:
    """Count the records a source selects, with the library's own loading and matching."""
    problems: list[Problem] = []
    try:
        model = RecipientSource.model_validate(dict(source))
    except ValidationError as error:
        raise AdvocacyError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                      for e in error.errors())) from None
    records = records_of_source(project, model, Place(project.folder("recipients")), problems)
    if records is None:
        raise AdvocacyError.collect(problems)
    return sum(selects(model.where, r) for r in records.records), len(records.records)


async def count(request: Request) -> Response:
    """Say how many records the selectors choose (the new campaign form asks as one types)."""
    project = project_of(request)
    try:
        chosen, total = await run_in_threadpool(
            count_selected, project, recipients_source(request.query_params))
    except AdvocacyError as error:
        root = f"{project.root}/"
        return JSONResponse({"error": str(error).replace(root, "")}, 400)
    return JSONResponse({"selected": chosen, "of": total})


def campaign_text(form: FormData) -> str:
    """Return a new campaign's YAML, in the order a person reads it."""
    data = CommentedMap({"title": _value(form, "title"),
                         "language": _value(form, "language") or "en",
                         "recipients": recipients_source(form)})
    statement = _value(form, "statement")
    body = _value(form, "body").replace("\r\n", "\n")
    data["body"] = CommentedMap({"statement": statement}) if statement else \
        LiteralScalarString(body + "\n") if "\n" in body else body
    data["closing"] = _value(form, "closing") or "Sincerely,"
    if _value(form, "signatories"):
        data["signatories"] = _value(form, "signatories")
    formats: list[str] = [f for f in ("pdf", "docx") if f in form.getlist("formats")]
    data["formats"] = _flow(formats)
    if _value(form, "group_by"):
        data["print"] = CommentedMap({"group_by": _value(form, "group_by")})
    return _dump(data, "# Made with the web app ('advocacy serve'); edit it by hand as you "
                       "like.\n")


def recipient_sources(project: Project) -> list[str]:
    """Name the files that load as recipient records without a problem, as generating loads.

    A senders CSV, a ZIP-to-district table or an overrides file is in recipients/ too,
    but is no source of recipients: offering it would only show its errors.
    """
    good = []
    for name in project.names("recipients"):
        problems: list[Problem] = []
        source = RecipientSource.model_validate({"from": name})
        loaded = records_of_source(project, source, Place(project.folder("recipients")),
                                   problems)
        if loaded is not None and loaded.records and not problems:
            good.append(name)
    return good


class Typed(dict[str, Any]):
    """What a person typed in a form; a field not sent is empty (the pages are strict)."""

    def __missing__(self, key: str) -> str:
        return ""


def typed(form: FormData) -> Typed:
    """Return what a person typed in a form, to show it again with the problem."""
    values = Typed((key, value) for key, value in form.multi_items()
                   if isinstance(value, str) and key != "csrf")
    values["formats"] = form.getlist("formats")
    return values


def again(request: Request, error: Exception) -> list[dict[str, str]]:
    """List a refused form's problems, placed as the CLI places them."""
    if isinstance(error, AdvocacyError):
        return problems_of(error, request)
    return [{"place": "", "message": str(error)}]  # an unknown name says what to do


async def _campaign_page(request: Request, values: dict[str, Any],
                         problems: list[dict[str, str]], status: int = 200) -> Response:
    project = project_of(request)
    sources = await run_in_threadpool(recipient_sources, project)  # once per page load
    shown = Typed({"from": sources[0] if sources else "", "closing": "Sincerely,",
                   "formats": ["pdf", "docx"], **values})
    return page(request, "new_campaign.html", status, kinds=KINDS, groups=GROUPS,
                sources=sources, statements=statement_names(project.folder("statement")),
                lists=project.names("signatories"), values=shown, problems=problems)


async def campaign_form(request: Request) -> Response:
    """Offer a new campaign's form, with the project's recipients, statements and lists."""
    return await _campaign_page(request, {}, [])


async def campaign_create(request: Request) -> Response:
    """Write campaigns/NAME.yaml, validated first; never over an existing file.

    A refused form comes back with what was typed and the problem above it.
    """
    form = await read_form(request)
    project = project_of(request)
    name = _value(form, "name")
    try:
        path = new_file(project, "campaign", name, ".yaml")
        text = campaign_text(form)
        await run_in_threadpool(checked, path, text)  # as a save of an edit is
        create_exclusive(project, path, text.encode())
    except (AdvocacyError, UnknownName) as error:
        return await _campaign_page(request, typed(form), again(request, error), 400)
    return RedirectResponse(f"/campaigns/{name}", 303)


async def statement_form(request: Request) -> Response:
    """Offer a new statement's form."""
    return page(request, "new_statement.html", values=Typed(), problems=[],
                lists=project_of(request).names("signatories"))


async def statement_create(request: Request) -> Response:
    """Write statements/NAME.md, checked first; a refused form comes back as typed."""
    form = await read_form(request)
    try:
        return _write_statement(project_of(request), form)
    except (AdvocacyError, UnknownName) as error:
        return page(request, "new_statement.html", 400, values=typed(form),
                    problems=again(request, error),
                    lists=project_of(request).names("signatories"))


def _write_statement(project: Project, form: FormData) -> Response:
    """Write statements/NAME.md with its front matter, checked first."""
    name = _value(form, "name")
    path = new_file(project, "statement", name, ".md")
    front = CommentedMap({"title": _value(form, "title")} if _value(form, "title") else {})
    front["language"] = _value(form, "language") or "en"
    if _value(form, "signatories"):
        front["signatories"] = _value(form, "signatories")
    try:
        StatementFront.model_validate(dict(front))
    except ValidationError as error:
        raise AdvocacyError.at(Place(path, 2), str(error.errors()[0]["msg"])) from None
    fenced = "---\n" + _dump(front, "") + "---\n"
    body = _value(form, "body").replace("\r\n", "\n") + "\n"
    if not body.strip():
        raise AdvocacyError.at(Place(path, fenced.count("\n") + 1), "the statement has no "
                               "text; write it in the box")
    check_body(path, body, fenced, project.template_folders)
    if front.get("signatories"):
        project.find("signatories", front["signatories"])
    create_exclusive(project, path, (fenced + body).encode())
    return RedirectResponse(f"/statements/{name}", 303)


async def list_form(request: Request) -> Response:
    """Offer a new signatory list's form."""
    return page(request, "new_list.html", values=Typed(), problems=[])


async def list_create(request: Request) -> Response:
    """Write signatories/NAME.yaml, checked first; a refused form comes back as typed."""
    form = await read_form(request)
    try:
        return _write_list(project_of(request), form)
    except (AdvocacyError, UnknownName) as error:
        return page(request, "new_list.html", 400, values=typed(form),
                    problems=again(request, error))


def _write_list(project: Project, form: FormData) -> Response:
    """Write signatories/NAME.yaml: a heading and one entry per line, checked first."""
    name = _value(form, "name")
    path = new_file(project, "signatories", name, ".yaml")
    data = CommentedMap()
    if _value(form, "heading"):
        data["heading"] = _value(form, "heading")
    entries = CommentedSeq()
    for line in _value(form, "entries").splitlines():
        if line.strip():
            entry = CommentedMap({"name": line.strip()})
            entry.fa.set_flow_style()
            entries.append(entry)
    data["signatories"] = entries
    text = _dump(data, "# Made with the web app ('advocacy serve'); the signatories "
                       "commands edit it.\n")
    lists.require_signatories(path, project.root, text)
    create_exclusive(project, path, text.encode())
    return RedirectResponse(f"/signatories/{name}", 303)


ROUTES = [
    Route("/new/campaign", campaign_form),
    Route("/new/campaign", campaign_create, methods=["POST"]),
    Route("/new/count", count),
    Route("/new/statement", statement_form),
    Route("/new/statement", statement_create, methods=["POST"]),
    Route("/new/list", list_form),
    Route("/new/list", list_create, methods=["POST"]),
]
