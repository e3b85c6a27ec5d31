"""The ``advocacy`` command: its groups, and the one place a user's mistake becomes a message."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from advocacy import __version__
from advocacy.cli.console import complain
from advocacy.errors import AdvocacyError

# name -> "module:command", in the order --help lists them. A command's module is imported
# only when that command runs: `advocacy generate` does not wait for the web app to load.
COMMANDS = {
    "init": "advocacy.cli.init:init", "generate": "advocacy.cli.letters:generate",
    "check": "advocacy.cli.letters:check", "plan": "advocacy.cli.letters:plan",
    "send": "advocacy.cli.delivery:send", "delivered": "advocacy.cli.delivery:delivered",
    "status": "advocacy.cli.delivery:status",
    "signatories": "advocacy.cli.signatories:signatories",
    "recipients": "advocacy.cli.recipients:recipients", "serve": "advocacy.cli.serve:serve",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy loading)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List the commands' names without importing them."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a command's module and return the command (None: no such command)."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, name = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), name)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="advocacy")
def cli() -> None:
    """Turn advocacy campaigns written in YAML into personalised PDF and DOCX letters."""


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
