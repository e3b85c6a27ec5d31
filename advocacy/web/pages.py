"""Rendering a page: the package's own templates, the browser's language, the CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from advocacy.errors import AdvocacyError, Problem, display_path
from advocacy.web.words import language_of, words_for

HERE = Path(__file__).parent
_PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                            autoescape=True, undefined=jinja2.StrictUndefined)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the browser's language, with the CSRF token for its forms."""
    language = language_of(request.headers.get("accept-language", ""))
    html = _PAGES.get_template(template).render(
        t=words_for(language), lang=language, csrf=request.app.state.csrf, request=request,
        **context)
    return HTMLResponse(html, status)


def problems_of(error: AdvocacyError, request: Request) -> list[dict[str, str]]:
    """List an error's problems as the page shows them: where, and what (with what to do)."""
    root = request.app.state.project.root
    found: list[Problem] = error.problems
    if not found:
        return [{"place": "", "message": str(error).replace(f"{root}/", "")}]
    return [{"place": _place(problem, root), "message": problem.message} for problem in found]


def _place(problem: Problem, root: Path) -> str:
    text = str(problem.place).replace(f"{root}/", "")
    return f"{text}: {problem.field}" if problem.field else text


def shown_path(path: Path, root: Path) -> str:
    """Show a project file relative to the project folder."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return display_path(path)
