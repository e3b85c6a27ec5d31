"""Advocacy letter generator: campaigns in YAML become personalised PDF and DOCX letters.

The library, as the command line and the web app use it::

    from pathlib import Path
    from advocacy import AdvocacyError, GenerateOptions, check, generate, plan

    planned = plan(Path("campaigns/x.yaml"))          # validate, list the letters
    checked = check(Path("campaigns/x.yaml"))         # ... and compose each, writing nothing
    result = generate(Path("campaigns/x.yaml"), GenerateOptions(formats=("pdf",)))

Every mistake in the user's files raises AdvocacyError, whose message names the
place. The names below are loaded on first use: importing ``advocacy`` alone does
not load WeasyPrint.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from typing import TYPE_CHECKING, Any

from advocacy.errors import AdvocacyError

if TYPE_CHECKING:
    from advocacy.api import (
        GenerateOptions,
        Result,
        WrittenLetter,
        check,
        generate,
        plan,
        preview,
    )
    from advocacy.planning import Letter, Plan

try:
    __version__ = importlib.metadata.version("advocacy")  # one version: pyproject.toml's
except importlib.metadata.PackageNotFoundError:  # run from a source tree never installed
    __version__ = "0+unknown"

_LAZY = {"GenerateOptions": "advocacy.api", "Result": "advocacy.api",
         "WrittenLetter": "advocacy.api", "check": "advocacy.api", "generate": "advocacy.api",
         "plan": "advocacy.api", "preview": "advocacy.api", "Letter": "advocacy.planning",
         "Plan": "advocacy.planning"}

__all__ = ["AdvocacyError", "GenerateOptions", "Letter", "Plan", "Result", "WrittenLetter",
           "__version__", "check", "generate", "plan", "preview"]


def __getattr__(name: str) -> Any:
    """Load the library's entry points when first asked for (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'advocacy' has no attribute '{name}'")
