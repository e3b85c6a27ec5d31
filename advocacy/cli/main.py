"""The ``advocacy`` command: its groups, and the one place a user's mistake becomes a message."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from advocacy import __version__
from advocacy.cli.console import complain
from advocacy.cli.delivery import delivered, send, status
from advocacy.cli.init import init
from advocacy.cli.letters import check, generate, plan
from advocacy.cli.recipients import recipients
from advocacy.cli.serve import serve
from advocacy.cli.signatories import signatories
from advocacy.errors import AdvocacyError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="advocacy")
def cli() -> None:
    """Turn advocacy campaigns written in YAML into personalised PDF and DOCX letters."""


for command in (init, generate, check, plan, send, delivered, status, signatories, recipients,
                serve):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; user mistakes print a message and exit 1, never a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="advocacy",
                 standalone_mode=False)
    except AdvocacyError as error:
        complain(f"error: {error}")
        sys.exit(1)
    except (click.exceptions.Abort, KeyboardInterrupt):
        complain("interrupted; earlier output is unchanged")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)
