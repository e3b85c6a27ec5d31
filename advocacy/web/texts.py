"""Editing texts, constituents and the ZIP look-up.

A statement's Markdown is edited below its front matter, which is kept byte for
byte (its comments too). A save is checked first (characters, Markdown, template
syntax, in the letters' own sandboxed environment), refused when the file changed
on disk since the page loaded, and written atomically. Constituents are uploaded,
planned with the campaign's own matching, shown, and only then put in place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from advocacy import load, output_folder
from advocacy.compose import markdown, templating
from advocacy.errors import AdvocacyError, Place
from advocacy.planning import plan_campaign
from advocacy.recipients.constituents import load_senders
from advocacy.recipients.lookup import lookup as lookup_zip
from advocacy.validate.campaign import validate_campaign
from advocacy.web import uploads
from advocacy.web.campaigns import campaign_file, project_of
from advocacy.web.pages import page, problems_of, shown_path
from advocacy.web.security import read_form


def statement_names(folder: Path) -> list[str]:
    """List statement names, translations (NAME.fr) included."""
    return sorted(path.name.removesuffix(".md") for path in folder.glob("*.md")
                  if path.is_file())


def split_front(text: str) -> tuple[str, str]:
    """Split a statement into its front matter block (kept as it is) and its body."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "".join(lines[:index + 1]), "".join(lines[index + 1:])
    return "", text


def check_body(path: Path, body: str, front: str, templates: Sequence[Path]) -> Markup:
    """Check a statement body as a letter would use it; return its Markdown as HTML."""
    line = front.count("\n") + 1
    found = load.CONTROL.search(body)
    if found:
        raise AdvocacyError.at(Place(path, line), load.control_message(found[0]))
    try:
        templating.make_environment(templates).parse(body)
    except jinja2.TemplateSyntaxError as error:
        raise AdvocacyError.at(Place(path, line + (error.lineno or 1) - 1),
                               f"template error: {error.message}") from None
    try:
        return Markup(markdown.to_html(body))
    except markdown.MarkdownError as error:
        raise AdvocacyError.at(Place(path, line + (error.line or 0)), str(error)) from None


async def statements_page(request: Request) -> Response:
    """List the statements to edit."""
    return page(request, "statements.html",
                statements=statement_names(project_of(request).folder("statement")))


def _statement(request: Request) -> tuple[str, Path, bytes]:
    path = project_of(request).find("statement", request.path_params["name"])
    raw = load.read_bytes(path, load.MAX_MARKDOWN_BYTES, project_of(request).root)
    return path.name.removesuffix(".md"), path, raw


async def statement_page(request: Request) -> Response:
    """Show a statement's text in a form, with the version it was loaded at."""
    name, path, raw = _statement(request)
    front, body = split_front(load.decode_utf8(path, raw).replace("\r\n", "\n"))
    return _statement_form(request, name, path, raw, front, body, None, "")


def _statement_form(request: Request, name: str, path: Path, raw: bytes, front: str,
                    body: str, preview: Markup | None, message: str,
                    status: int = 200, **refused: Any) -> Response:
    """Show the statement's form; a refused one keeps the page's 'loaded', with problems."""
    return page(request, "statement.html", status, name=name,
                file=shown_path(path, project_of(request).root), front=front, body=body,
                preview=preview, message=message or request.query_params.get("done", ""),
                **{"loaded": hashlib.sha256(raw).hexdigest(), "problems": [], **refused})


async def statement_save(request: Request) -> Response:
    """Preview or save a statement; refuse to overwrite a file changed since it was loaded."""
    form = await read_form(request)
    name, path, raw = _statement(request)
    text = load.decode_utf8(path, raw)
    front, _ = split_front(text.replace("\r\n", "\n"))
    body = _text(form, "body").replace("\r\n", "\n")
    try:
        if _text(form, "loaded") != hashlib.sha256(raw).hexdigest():
            raise AdvocacyError.at(Place(path), "the file changed on disk since this page "
                                   "was loaded; nothing was written. Copy your text, reload "
                                   "the page and make your change again")
        html = check_body(path, body, front, project_of(request).template_folders)
    except AdvocacyError as error:  # the form again, as typed, the problem above it
        return _statement_form(request, name, path, raw, front, body, None, "", 400,
                               loaded=_text(form, "loaded"),
                               problems=problems_of(error, request))
    if form.get("action") != "save":
        return _statement_form(request, name, path, raw, front, body, html, "")
    new = front + body
    if "\r\n" in text:
        new = new.replace("\n", "\r\n")
    output_folder.write_atomic(path, (("\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "")
                                      + new).encode())
    return RedirectResponse(f"/statements/{name}?done=saved", 303)


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


async def lookup_page(request: Request) -> Response:
    """Say who represents a ZIP code, as 'advocacy recipients lookup' does."""
    zip_code = request.query_params.get("zip", "").strip()
    state = request.query_params.get("state", "").strip() or None
    lines: list[str] = []
    problems = []
    if zip_code:
        try:
            lines = lookup_zip(zip_code, state, project_of(request).folder("recipients"))
        except AdvocacyError as error:
            problems = problems_of(error, request)
    return page(request, "lookup.html", 400 if problems else 200, zip=zip_code,
                state=state or "", lines=lines, problems=problems)


def _senders_file(request: Request) -> tuple[str, Path, Path]:
    name, path = campaign_file(request)
    inputs = validate_campaign(path)
    if not inputs.campaign.senders:
        raise AdvocacyError.at(Place(path), "this campaign has no senders: it is not a "
                               "constituent campaign")
    senders = inputs.project.find("recipients", inputs.campaign.senders)
    if senders.suffix != ".csv":
        raise AdvocacyError.at(Place(senders), "the senders file is YAML; edit it by hand")
    return name, path, senders


async def constituents_page(request: Request) -> Response:
    """Offer to upload a senders CSV for a constituent campaign."""
    name, _, senders = _senders_file(request)
    return page(request, "constituents.html", name=name,
                senders=shown_path(senders, project_of(request).root), plan=None)


async def constituents_review(request: Request) -> Response:
    """Plan the campaign with an uploaded senders file; show who gets which letters."""
    form = await read_form(request)
    name, path, senders = _senders_file(request)
    upload = await uploads.csv_upload(form)
    root = project_of(request).root
    inputs = validate_campaign(path)
    with uploads.parsed(root, upload) as copy:
        uploads.refuse_formulas(copy, upload.name)
        constituents = load_senders(copy, root)
    planned = plan_campaign(dataclasses.replace(inputs, senders=constituents))
    key = secrets.token_hex(16)
    request.app.state.uploads[key] = (senders, upload)
    rows = [(letter.sender.name if letter.sender else "", letter.recipient.name,
             "; ".join(note.issue for note in letter.notes)) for letter in planned.letters]
    return page(request, "constituents.html", name=name, senders=shown_path(senders, root),
                plan=rows, unwritten=planned.unwritten, upload=upload.name, key=key,
                count=len(constituents))


async def constituents_confirm(request: Request) -> Response:
    """Put a reviewed senders file in place of the campaign's, atomically."""
    form = await read_form(request)
    name, _, senders = _senders_file(request)
    key = form.get("upload")
    found = request.app.state.uploads.get(key) if isinstance(key, str) else None
    if found is None or found[0] != senders:
        raise AdvocacyError("this review is out of date; upload the file again")
    output_folder.write_atomic(senders, found[1].data)
    del request.app.state.uploads[key]
    return RedirectResponse(f"/campaigns/{name}", 303)


ROUTES = [
    Route("/statements", statements_page),
    Route("/statements/{name}", statement_page),
    Route("/statements/{name}", statement_save, methods=["POST"]),
    Route("/lookup", lookup_page),
    Route("/campaigns/{name}/constituents", constituents_page),
    Route("/campaigns/{name}/constituents", constituents_review, methods=["POST"]),
    Route("/campaigns/{name}/constituents/confirm", constituents_confirm, methods=["POST"]),
]
