"""The organiser's pages: a signatory list as it prints, its edits, and importing a form.

Edits go through advocacy.signatories.actions, as the command line's do: the file
keeps its comments and order, and each change is checked before it is written.
An imported form is reviewed first (to add / already there / near duplicates) and
added only when the organiser confirms; the upload waits in memory until then.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from advocacy import manifest
from advocacy.errors import AdvocacyError
from advocacy.signatories import actions, edit, review
from advocacy.signatories import form as signatory_import
from advocacy.signatories import lists as signatory_lists
from advocacy.web import uploads
from advocacy.web.campaigns import output_of, project_of
from advocacy.web.pages import page, shown_path
from advocacy.web.security import read_form
from advocacy.web.words import language_of, words_for

MAX_WAITING = 20  # uploads kept for confirmation; older ones are dropped
NO_COLUMNS: dict[str, str | None] = {name: None for name in signatory_import.FIELDS}


def list_file(request: Request) -> tuple[str, Path]:
    """Return the list the URL names, found through the project's name lookup."""
    name = request.path_params["name"]
    path = project_of(request).find("signatories", name)
    return path.name.removesuffix(".yaml").removesuffix(".yml"), path


def _field(form: FormData, key: str) -> str:
    value = form.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _typed(key: str) -> str:
    return f"the '{key}' field"


async def lists_page(request: Request) -> Response:
    """List the project's signatory lists."""
    return page(request, "lists.html", lists=project_of(request).names("signatories"))


async def list_page(request: Request) -> Response:
    """Show a list as it will print, with forms to add, remove, rename and import."""
    name, path = list_file(request)
    root = project_of(request).root
    model = signatory_lists.require_signatories(path, root).model
    language = language_of(request.headers.get("accept-language", ""))
    view = signatory_lists.printed(model, path, language)
    entries = [(entry.name, review.shown(entry)) for entry in model.signatories]
    return page(request, "list.html", name=name, file=shown_path(path, root), view=view,
                entries=entries, diffs=_diffs(request, path, list(model.signatories)),
                message=_done_message(request, words_for(language)))


def _diffs(request: Request, path: Path, now: list[Any]) -> list[dict[str, Any]]:
    """Compare the list with what each generated campaign's letters carried."""
    project = project_of(request)
    relative = shown_path(path, project.root)
    found = []
    for campaign in project.names("campaign"):
        folder = output_of(project, campaign)
        try:
            written = manifest.read(folder) if (folder / manifest.FILE_NAME).is_file() else None
        except AdvocacyError:
            continue
        carried = next((entry for entry in written.signatories if entry.path == relative),
                       None) if written else None
        if carried is not None:
            differences = review.compare(list(carried.entries), now)
            found.append({"campaign": campaign,
                          "left": [review.shown(e) for e in differences.only_first],
                          "joined": [review.shown(e) for e in differences.only_second],
                          "renamed": [f"{review.shown(a)} → {review.shown(b)}"
                                      for a, b, _ in differences.renamed]})
    return found


def _done(name: str, done: str, what: str = "", n: int = 0) -> Response:
    """Go back to the list, saying what was done in the page's language (a key, not text)."""
    from urllib.parse import urlencode
    query = urlencode({"done": done, "what": what, "n": n})
    return RedirectResponse(f"/signatories/{name}?{query}", 303)


def _done_message(request: Request, words: dict[str, str]) -> str:
    """Say what a change did, in the page's language; an unknown key says nothing."""
    said = words.get(f"done_{request.query_params.get('done', '')}")
    if said is None:
        return ""
    return said.format(what=request.query_params.get("what", ""),
                       n=request.query_params.get("n", ""))


async def add(request: Request) -> Response:
    """Add one entry, in its alphabetical place."""
    form = await read_form(request)
    name, path = list_file(request)
    listfile = edit.open_list(path, project_of(request).root)
    values = {key: _field(form, key) for key in ("name", "short")}
    country = _field(form, "country")
    if country:
        code = signatory_lists.country_code(country)
        if code is None:
            raise AdvocacyError(f"'{country}' is not a country name or two-letter code")
        values["country"] = code
    values = {key: value for key, value in values.items() if value}
    change, index, new = actions.add(listfile, values, name, bool(form.get("force")), _typed)
    change.write()
    return _done(name, "added", review.shown(new), index + 1)


async def remove(request: Request) -> Response:
    """Remove one entry, found by name or acronym."""
    form = await read_form(request)
    name, path = list_file(request)
    listfile = edit.open_list(path, project_of(request).root)
    change, _, removed = actions.remove(listfile, _field(form, "entry"))
    change.write()
    return _done(name, "removed", str(removed))


async def rename(request: Request) -> Response:
    """Give an entry a new name, a new acronym, or both."""
    form = await read_form(request)
    name, path = list_file(request)
    listfile = edit.open_list(path, project_of(request).root)
    new, short = _field(form, "new"), form.get("short")
    change, _, what = actions.rename(listfile, _field(form, "old"), new or None,
                                     short if isinstance(short, str) and short else None,
                                     name, bool(form.get("force")), _typed)
    change.write()
    return _done(name, "renamed", what)


def _sorting(root: Path, path: Path, upload: uploads.Upload,
             listfile: edit.ListFile) -> tuple[signatory_import.Sorting, int]:
    with uploads.parsed(root, upload) as copy:
        uploads.refuse_formulas(copy, upload.name)
        rows, columns, ignored = signatory_import.read_form(copy, NO_COLUMNS)
    return signatory_import.sort_rows(Path(upload.name), rows, columns, ignored,
                                      listfile.entries), len(rows)


async def import_review(request: Request) -> Response:
    """Read an uploaded form and show what importing it would do; write nothing yet."""
    form = await read_form(request)
    name, path = list_file(request)
    root = project_of(request).root
    upload = await uploads.csv_upload(form)
    listfile = edit.open_list(path, root)
    sorting, count = _sorting(root, path, upload, listfile)
    waiting: dict[str, tuple[Path, uploads.Upload]] = request.app.state.uploads
    key = secrets.token_hex(16)
    waiting[key] = (path, upload)
    for old in list(waiting)[:-MAX_WAITING]:
        del waiting[old]
    entries = listfile.entries
    near = [{"row": review.shown(row), "line": row.line, "like": like,
             "reasons": "; ".join(reasons), "name": row.name,
             "old": (entries[index].short or entries[index].name) if index is not None else None}
            for row, index, like, reasons in sorting.near]
    return page(request, "import.html", name=name, upload=upload.name, rows=count, key=key,
                columns=sorting.columns, ignored=sorting.ignored,
                new=[(review.shown(row), row.line) for row in sorting.new],
                present=[(review.shown(row), row.line, index + 1, note)
                         for row, index, note in sorting.present],
                repeated=[(review.shown(row), row.line, first)
                          for row, first in sorting.repeated], near=near)


async def import_confirm(request: Request) -> Response:
    """Add the new rows of a reviewed form (sorted again: the list may have changed)."""
    form = await read_form(request)
    name, path = list_file(request)
    waiting = request.app.state.uploads
    key = form.get("upload")
    found = waiting.get(key) if isinstance(key, str) else None
    if found is None or found[0] != path:
        raise AdvocacyError("this review is out of date; upload the form again")
    root = project_of(request).root
    listfile = edit.open_list(path, root)
    sorting, _ = _sorting(root, path, found[1], listfile)
    change = actions.import_rows(listfile, sorting)
    if change is None:
        return _done(name, "nothing")
    change.write()
    del waiting[key]
    return _done(name, "imported", found[1].name, len(sorting.new))


ROUTES = [
    Route("/signatories", lists_page),
    Route("/signatories/{name}", list_page),
    Route("/signatories/{name}/add", add, methods=["POST"]),
    Route("/signatories/{name}/remove", remove, methods=["POST"]),
    Route("/signatories/{name}/rename", rename, methods=["POST"]),
    Route("/signatories/{name}/import", import_review, methods=["POST"]),
    Route("/signatories/{name}/import/confirm", import_confirm, methods=["POST"]),
]
