"""Draw the print templates (envelopes, labels, delivery sheet) as PDF with WeasyPrint.

They are Jinja templates in the project's templates/ folder, rendered by the same
sandboxed environment as the letters; each gets a typed context (a dataclass).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from advocacy.compose.templating import make_environment, template_context
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.writers import pdf

ENVELOPES = "envelopes.html.j2"
LABELS = "labels.html.j2"
DELIVERY_SHEET = "delivery-sheet.html.j2"


def check_templates(templates: Path, names: list[str]) -> list[Problem]:
    """Parse the print templates a bundle needs, before anything is written."""
    env = make_environment(templates)
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(Place(templates / name), "template not found; the print "
                                    "bundle needs it (copy it from the advocacy project's "
                                    "templates/ folder)"))
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else templates / name
            problems.append(Problem(Place(path, error.lineno),
                                    f"template error: {error.message}"))
    return problems


class Renderer:
    """Render print templates to PDF; files are fetched from templates/ only."""

    def __init__(self, templates: Path) -> None:
        self.templates = templates
        self.env = make_environment(templates)

    def pdf(self, name: str, context: Any) -> tuple[bytes, int]:
        """Return the PDF of a template filled with a context dataclass, and its page count."""
        try:
            html = self.env.get_template(name).render(template_context(context))
        except (jinja2.TemplateError, RecursionError) as error:
            raise AdvocacyError.at(Place(self.templates / name),
                                   f"template error: {error}") from None
        fetcher = pdf.ProjectFetcher([self.templates], source=self.templates / name)
        laid_out = pdf.lay_out(html, self.templates, fetcher)
        return laid_out.pdf(), laid_out.pages
