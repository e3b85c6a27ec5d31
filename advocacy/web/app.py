"""The app: its routes, its page templates, and how a user's mistake becomes a page.

Pages are Jinja templates of this package (trusted, autoescaped); everything from
the project is data shown escaped. Letters and statements are rendered only by the
library (advocacy.api, compose/), in its sandbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from advocacy.errors import AdvocacyError
from advocacy.project import Project, UnknownName
from advocacy.web import campaign_edit, campaigns, create, jobs, security, signatories, texts
from advocacy.web.pages import HERE, page, problems_of


def create_app(root: Path, token: str, hosts: frozenset[str] = frozenset({"127.0.0.1",
                                                                           "localhost"})) -> Any:
    """Build the app over one project folder; every request must carry the token."""
    routes = [*campaigns.ROUTES, *campaign_edit.ROUTES, *create.ROUTES, *signatories.ROUTES,
              *texts.ROUTES,
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, exception_handlers={
        AdvocacyError: _mistake, UnknownName: _unknown, security.Refused: _refused})
    app.state.project = Project(root.resolve())
    app.state.csrf = security.new_token()
    app.state.jobs = jobs.Jobs()
    app.state.uploads = {}  # uploads waiting for the organiser to confirm, by random key
    return security.Guard(app, token, hosts)


async def _mistake(request: Request, error: Exception) -> Response:
    assert isinstance(error, AdvocacyError)
    return page(request, "error.html", 400, problems=problems_of(error, request))


async def _unknown(request: Request, error: Exception) -> Response:
    return page(request, "error.html", 404, problems=[{"place": "", "message": str(error)}])


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, security.Refused)
    return security.refused(request, error.status, error.key)
