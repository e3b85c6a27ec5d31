"""Draw the print templates (envelopes, labels, delivery sheet) as PDF with WeasyPrint.

They are Jinja templates (the project's templates/ or the package's), rendered by the same
sandboxed environment as the letters; each gets a typed context (a dataclass).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from advocacy.compose.templating import make_environment, template_context
from advocacy.errors import AdvocacyError, Place, Problem

ENVELOPES = "envelopes.html.j2"
LABELS = "labels.html.j2"
DELIVERY_SHEET = "delivery-sheet.html.j2"


def check_templates(folders: Sequence[Path], names: list[str]) -> list[Problem]:
    """Parse the print templates a bundle needs, before anything is written."""
    env = make_environment(folders)
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateNotFound as error:
            problems.append(Problem(Place(folders[0] / name), f"template error: {error.message}"))
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else folders[0] / name
            problems.append(Problem(Place(path, error.lineno),
                                    f"template error: {error.message}"))
    return problems


class Renderer:
    """Render print templates to PDF; files are fetched from the template folders only."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self.env = make_environment(folders)

    def pdf(self, name: str, context: Any) -> tuple[bytes, int]:
        """Return the PDF of a template filled with a context dataclass, and its page count."""
        source = self.folders[0] / name
        try:
            template = self.env.get_template(name)
            source = Path(template.filename or source)
            html = template.render(template_context(context))
        except (jinja2.TemplateError, RecursionError) as error:
            raise AdvocacyError.at(Place(source), f"template error: {error}") from None
        from advocacy.writers import pdf  # WeasyPrint loads in seconds: only when printing

        fetcher = pdf.ProjectFetcher(self.folders, source=source)
        laid_out = pdf.lay_out(html, self.folders[0], fetcher)
        return laid_out.pdf(), laid_out.pages
