"""The campaigner's pages: campaigns, one campaign, a letter's preview, generate, downloads.

A campaign is named in the URL by its file name in campaigns/ and found through the
project's own lookup (Project.find), which refuses anything but a plain name.
Downloads are read back from output/NAME/ as its manifest lists them.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
import zipfile
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from advocacy import files, manifest
from advocacy.delivery.status import Status, status
from advocacy.errors import AdvocacyError, Place
from advocacy.planning import Letter, Plan
from advocacy.project import Project
from advocacy.web.jobs import laid_out
from advocacy.web.pages import page, problems_of
from advocacy.web.security import read_form

MAX_DOWNLOAD = files.MAX_HASHED
DOWNLOADS = {"letters.zip": "application/zip", "print.zip": "application/zip",
             "manifest.csv": "text/csv; charset=utf-8",
             "needs-attention.csv": "text/csv; charset=utf-8"}


def project_of(request: Request) -> Project:
    """Return the project the app serves."""
    project: Project = request.app.state.project
    return project


def campaign_file(request: Request) -> tuple[str, Path]:
    """Return the campaign the URL names, found through the project's name lookup."""
    name = request.path_params["name"]
    path = project_of(request).find("campaign", name)
    return path.name.removesuffix(".yaml").removesuffix(".yml"), path


def output_of(project: Project, name: str) -> Path:
    """Return a campaign's output folder."""
    return project.root / "output" / name


def generated(project: Project, name: str) -> tuple[manifest.Manifest | None, str, bool]:
    """Read a campaign's last manifest: it, when it was written, and whether sources changed."""
    folder = output_of(project, name)
    if not (folder / manifest.FILE_NAME).is_file():
        return None, "", False
    try:
        written = manifest.read(folder)
    except AdvocacyError:
        return None, "", False
    when = datetime.fromtimestamp((folder / manifest.FILE_NAME).stat().st_mtime)
    return written, when.strftime("%Y-%m-%d %H:%M"), sources_changed(project, written)


def sources_changed(project: Project, written: manifest.Manifest) -> bool:
    """Tell whether any source the letters were made from differs from what it was."""
    for source in written.sources:
        try:
            if files.sha256_checked(project.root / source.path, project.root) != source.sha256:
                return True
        except (AdvocacyError, OSError):
            return True
    return False


def _summary(project: Project, name: str) -> dict[str, Any]:
    from advocacy import api

    row: dict[str, Any] = {"name": name, "title": name, "letters": None, "attention": None,
                           "problems": 0}
    try:
        planned = api.plan(project.find("campaign", name))
        row.update(title=planned.inputs.campaign.title, letters=len(planned.letters),
                   attention=len(planned.attention))
    except AdvocacyError as error:
        row["problems"] = len(error.problems) or 1
    written, row["when"], row["changed"] = generated(project, name)
    row["generated"] = written is not None
    return row


async def campaigns_page(request: Request) -> Response:
    """List every campaign with its letters, attention count and last generation."""
    project = project_of(request)
    rows = [await run_in_threadpool(_summary, project, name)
            for name in project.names("campaign")]
    return page(request, "campaigns.html", campaigns=rows)


def _letter_row(letter: Letter) -> dict[str, Any]:
    recipient = letter.recipient
    return {"stem": letter.stem, "recipient": recipient.name, "kind": recipient.kind,
            "state": recipient.state or recipient.member_state or recipient.country,
            "sender": letter.sender.name if letter.sender and letter.from_constituent else "",
            "notes": "; ".join(f"{note.issue}: {note.action}" for note in letter.notes)}


def _checked(path: Path) -> tuple[Plan | None, AdvocacyError | None]:
    from advocacy import api

    try:
        return api.check(path), None
    except AdvocacyError as error:
        try:
            return api.plan(path), error  # composing failed; the letters are still listed
        except AdvocacyError:
            return None, error


async def campaign_page(request: Request) -> Response:
    """Show a campaign: its problems, its letters, previews, generating and downloads."""
    name, path = campaign_file(request)
    planned, error = await run_in_threadpool(_checked, path)
    project = project_of(request)
    written, when, changed = generated(project, name)
    letters = [_letter_row(letter) for letter in planned.letters] if planned else []
    unwritten = planned.unwritten if planned else []
    job = request.app.state.jobs.get(name)
    delivery = await run_in_threadpool(_delivery, path, project) if written else None
    if isinstance(delivery, AdvocacyError):
        problems = problems_of(delivery, request)
        delivery = Status(output_of(project, name), output_of(project, name),
                          warning="; ".join(p["message"] for p in problems))
    return page(request, "campaign.html", name=name, delivery=delivery,
                title=planned.inputs.campaign.title if planned else name,
                problems=problems_of(error, request) if error else [], letters=letters,
                unwritten=unwritten, written=written, when=when, changed=changed,
                kinds=sorted({row["kind"] for row in letters}),
                states=sorted({row["state"] for row in letters if row["state"]}),
                running=job is not None and not job.finished,
                constituent=bool(planned and planned.inputs.campaign.senders))


def _delivery(path: Path, project: Project) -> Status | AdvocacyError:
    """Return what became of each letter, as 'advocacy status' says (or why it cannot say)."""
    try:
        return status(path, project.root / "output")
    except AdvocacyError as error:
        return error


async def preview(request: Request) -> Response:
    """Make one letter's PDF on demand, shown in the page (inline)."""
    from advocacy import api

    _, path = campaign_file(request)
    letter = request.path_params["letter"]
    started = time.perf_counter()
    data = await run_in_threadpool(laid_out, api.preview, path, letter)
    took = time.perf_counter() - started
    return Response(data, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{letter}.pdf"',
        "server-timing": f"preview;dur={took * 1000:.0f}"})


async def start_generating(request: Request) -> Response:
    """Start generating the campaign; the page follows it with server-sent events."""
    await read_form(request)
    name, path = campaign_file(request)
    request.app.state.jobs.start(name, path, project_of(request).root / "output")
    return RedirectResponse(f"/campaigns/{name}?generating=1#generate", 303)


async def progress(request: Request) -> Response:
    """Stream a job's progress: 'progress' events, then one 'finished' event."""
    name, _ = campaign_file(request)
    job = request.app.state.jobs.get(name)

    async def events() -> AsyncIterator[str]:
        last = None
        while job is not None and not job.finished:
            if (job.done, job.total) != last:
                last = (job.done, job.total)
                yield _event("progress", {"done": job.done, "total": job.total})
            await asyncio.sleep(0.2)
        problems = problems_of(job.error, request) if job and job.error else []
        yield _event("finished", {"ok": job is not None and job.error is None,
                                  "problems": problems})

    return StreamingResponse(events(), media_type="text/event-stream")


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


async def download(request: Request) -> Response:
    """Send a generated file: all letters or the print bundle as a ZIP, or a report."""
    name, _ = campaign_file(request)
    what = request.path_params["what"]
    if what not in DOWNLOADS:
        return page(request, "error.html", 404, problems=[
            {"place": "", "message": f"no download '{what}'; choose from the campaign page"}])
    folder = output_of(project_of(request), name)
    written = manifest.read(folder) if (folder / manifest.FILE_NAME).is_file() else None
    if written is None:
        raise AdvocacyError.at(Place(folder), "not generated yet; press Generate first")
    data = await run_in_threadpool(_download_data, folder, written, what)
    return Response(data, media_type=DOWNLOADS[what], headers={
        "content-disposition": f'attachment; filename="{name}-{what}"'})


def _download_data(folder: Path, written: manifest.Manifest, what: str) -> bytes:
    if what == "letters.zip":
        return _zip(folder, [file.name for letter in written.letters for file in letter.files])
    if what == "print.zip":
        if not written.printed:
            raise AdvocacyError.at(Place(folder), "this run wrote no print bundle")
        return _zip(folder, [entry.name for entry in written.printed])
    if not (folder / what).is_file():
        raise AdvocacyError.at(Place(folder / what), "this run wrote no such file (nothing "
                               "needed attention)")
    return files.read_checked(folder / what, MAX_DOWNLOAD, folder)


def _zip(folder: Path, names: list[str]) -> bytes:
    """Pack files of the output folder, read through the checked opener, into a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, files.read_checked(folder / name, MAX_DOWNLOAD, folder))
    return buffer.getvalue()


ROUTES = [
    Route("/", campaigns_page),
    Route("/campaigns/{name}", campaign_page),
    Route("/campaigns/{name}/preview/{letter}.pdf", preview),
    Route("/campaigns/{name}/generate", start_generating, methods=["POST"]),
    Route("/campaigns/{name}/progress", progress),
    Route("/campaigns/{name}/download/{what}", download),
]
