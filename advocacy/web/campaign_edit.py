"""Editing a campaign's subject, body and closing in the browser.

The file is changed through a ruamel.yaml round trip (as the signatory commands
do), so its comments, key order and quoting stay. The new text is validated in
memory (validate_campaign with the text, planned, one letter composed) before it
is written atomically, and a save is refused when the file changed on disk since
the page loaded. "Preview" makes the first letter of the new text as a PDF, into
the page's preview frame; nothing is written.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from advocacy import load, output_folder
from advocacy.compose.composer import Composer
from advocacy.errors import AdvocacyError, Place
from advocacy.planning import Plan, plan_campaign
from advocacy.signatories.edit import load_round_trip
from advocacy.validate.campaign import validate_campaign
from advocacy.web.campaigns import campaign_file, project_of
from advocacy.web.jobs import laid_out
from advocacy.web.pages import page, problems_of, shown_path
from advocacy.web.security import read_form

FIELDS = ("subject", "body", "closing")
STALE = ("the file changed on disk since this page was loaded; nothing was written. Copy "
         "your text, reload the page and make your change again")


def _read(path: Path, root: Path) -> tuple[bytes, str]:
    raw = load.read_bytes(path, load.MAX_YAML_BYTES, root)
    return raw, load.decode_utf8(path, raw).removeprefix("\ufeff")


def _current(text: str) -> dict[str, Any]:
    """Return the subject, body and closing as the file has them (body: text or None)."""
    _, tree = load_round_trip(text.replace("\r\n", "\n"))
    body = tree.get("body")
    return {"subject": str(tree.get("subject") or ""),
            "body": str(body) if isinstance(body, str) else None,
            "closing": str(tree.get("closing", "Sincerely,"))}


def edited(path: Path, text: str, form: FormData) -> str:
    """Return the file's text with the form's subject, body and closing, the rest kept."""
    yaml, tree = load_round_trip(text.replace("\r\n", "\n"))
    for key in FIELDS:
        value = form.get(key)
        if not isinstance(value, str) or (key == "body" and not isinstance(tree.get("body"),
                                                                           str)):
            continue  # a statement body is edited on the statement's own page
        value = value.replace("\r\n", "\n").strip("\n")
        found = load.CONTROL.search(value)
        if found:
            raise AdvocacyError.at(Place(path), f"{key}: {load.control_message(found[0])}")
        scalar = LiteralScalarString(value + "\n") if "\n" in value else value
        if key == "subject" and not value.strip():
            tree.pop("subject", None)
        elif key in tree or "body" not in tree:
            tree[key] = scalar
        else:  # a new subject goes where a person would put it: before the body
            tree.insert(list(tree).index("body"), key, scalar)
    out = io.StringIO()
    yaml.dump(tree, out)
    new = out.getvalue()
    return new.replace("\n", "\r\n") if "\r\n" in text else new


def checked(path: Path, text: str) -> Plan:
    """Validate a campaign's new text as generating would, and compose its first letter."""
    planned = plan_campaign(validate_campaign(path, text))
    if planned.letters:
        Composer(planned.inputs).compose(planned.letters[0])
    return planned


async def edit_page(request: Request) -> Response:
    """Show the campaign's subject, body and closing in a form."""
    name, path = campaign_file(request)
    raw, text = _read(path, project_of(request).root)
    return _form(request, name, path, hashlib.sha256(raw).hexdigest(), _current(text), [])


def _form(request: Request, name: str, path: Path, loaded: str, values: dict[str, Any],
          problems: list[dict[str, str]], status: int = 200) -> Response:
    return page(request, "campaign_edit.html", status, name=name,
                file=shown_path(path, project_of(request).root), loaded=loaded,
                values=values, problems=problems,
                message="" if problems else request.query_params.get("done", ""))


def _edit_of(request: Request, path: Path, form: FormData) -> str:
    """Return the campaign's new text; refuse a file that changed since the page loaded."""
    raw, text = _read(path, project_of(request).root)
    if form.get("loaded") != hashlib.sha256(raw).hexdigest():
        raise AdvocacyError.at(Place(path), STALE)
    return edited(path, text, form)


async def _new_text(request: Request) -> tuple[str, Path, str, FormData]:
    """Read the form; return the campaign's name, file, new text and the form."""
    form = await read_form(request)
    name, path = campaign_file(request)
    return name, path, _edit_of(request, path, form), form


async def edit_save(request: Request) -> Response:
    """Save the new texts: validated first, atomically, never over someone else's edit.

    A refused save shows the form again as typed, with the problem above it; its
    'loaded' stays the old one, so a stale page stays refused.
    """
    form = await read_form(request)
    name, path = campaign_file(request)
    try:
        new = _edit_of(request, path, form)
        await run_in_threadpool(checked, path, new)
        _edit_of(request, path, form)  # again: it may have changed meanwhile
        raw, _ = _read(path, project_of(request).root)
        bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
        output_folder.write_atomic(path, (bom + new).encode())
    except AdvocacyError as error:
        values: dict[str, str | None] = {
            key: value if isinstance(value := form.get(key), str) else ""
            for key in FIELDS}
        values["body"] = values["body"] if "body" in form else None  # a statement body
        return _form(request, name, path, str(form.get("loaded", "")), values,
                     problems_of(error, request), 400)
    return RedirectResponse(f"/campaigns/{name}/edit?done=saved", 303)


async def edit_preview(request: Request) -> Response:
    """Make the first letter of the new text, as a PDF for the preview frame; write nothing."""
    from advocacy import api

    _, path, new, _ = await _new_text(request)
    planned = await run_in_threadpool(checked, path, new)
    if not planned.letters:
        raise AdvocacyError.at(Place(path), "this campaign has no letters to preview")
    stem = planned.letters[0].stem
    data = await run_in_threadpool(laid_out, api.preview, planned, stem)
    return Response(data, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{stem}.pdf"'})


ROUTES = [
    Route("/campaigns/{name}/edit", edit_page),
    Route("/campaigns/{name}/edit", edit_save, methods=["POST"]),
    Route("/campaigns/{name}/edit/preview", edit_preview, methods=["POST"]),
]
