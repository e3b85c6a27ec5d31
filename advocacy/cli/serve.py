"""The 'advocacy serve' command: the web app over a project folder, for this computer only."""

from __future__ import annotations

import socket
import webbrowser
from pathlib import Path

import click

from advocacy.cli.console import complain, say
from advocacy.errors import AdvocacyError

LOCAL = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.argument("project", metavar="[PROJECT_FOLDER]", default=".",
                type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than this computer's needs --allow-remote.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a --host other computers can reach (anyone with the link can edit "
              "the project).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def serve(project: Path, port: int | None, host: str, allow_remote: bool,
          no_browser: bool) -> None:
    """Open the project in a web page: preview, generate, edit lists and texts."""
    import uvicorn

    from advocacy.web.app import create_app
    from advocacy.web.security import new_token

    root = project.resolve()
    if not (root / "campaigns").is_dir():
        raise AdvocacyError(f"{project}: no campaigns/ folder here; give the project folder")
    if host not in LOCAL:
        if not allow_remote:
            raise AdvocacyError(f"--host {host} lets other computers reach the app; add "
                                "--allow-remote if that is what you want")
        complain(f"warning: listening on {host}: anyone who can reach this computer and has "
                 "the link can read and change the project")
    token = new_token()
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.bind((host, port or 0))
    listener.listen(128)  # connections wait from now on: the browser may open before the app
    chosen = listener.getsockname()[1]
    shown = "127.0.0.1" if host in LOCAL else host
    hosts = frozenset({"127.0.0.1", "localhost", "::1"} | ({host} if host not in LOCAL else set()))
    url = f"http://{shown}:{chosen}/?token={token}"
    say(f"advocacy serve: {root}\nOpen {url}\n(Ctrl-C to stop)")
    if not no_browser:
        webbrowser.open(url)
    server = uvicorn.Server(uvicorn.Config(create_app(root, token, hosts), log_level="warning"))
    server.run(sockets=[listener])
