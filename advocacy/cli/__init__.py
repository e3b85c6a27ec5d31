"""The command line: ``advocacy generate|check|plan``, ``signatories ...``, ``recipients ...``.

Every command calls the library (``advocacy.api`` and the packages behind it) and
only prints; ``main`` turns a user's mistake into a message and an exit code.
"""

from advocacy.cli.main import main

__all__ = ["main"]
