"""The SMTP server ``advocacy send`` uses, and its password (never from a file).

Settings come from a file the project keeps out of git, or environment variables;
the password only from the environment or the system keyring.

    # smtp.yaml, beside campaigns/ (listed in .gitignore: it names an account)
    host: smtp.example.org
    port: 587              # default: 587 with starttls, 465 with ssl, 25 with none
    security: starttls     # starttls, ssl, or none (only without a login)
    user: campaigns@example.org

Each key may be given as an environment variable instead (ADVOCACY_SMTP_HOST,
ADVOCACY_SMTP_PORT, ADVOCACY_SMTP_SECURITY, ADVOCACY_SMTP_USER,
ADVOCACY_SMTP_CA_FILE ...), which wins over the file. The password is
ADVOCACY_SMTP_PASSWORD, or the keyring's entry for service "advocacy smtp HOST"
and the user (``keyring set "advocacy smtp smtp.example.org" campaigns@example.org``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advocacy import load
from advocacy.errors import AdvocacyError

FILE_NAME = "smtp.yaml"
ENV_PREFIX = "ADVOCACY_SMTP_"
PASSWORD_VARIABLE = "ADVOCACY_SMTP_PASSWORD"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SmtpSettings(BaseModel):
    """How to reach the SMTP server; a password is never one of these."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    host: str = Field(min_length=1, description="The server, e.g. smtp.example.org.")
    port: int | None = Field(None, ge=1, le=65535, description="Default: by security.")
    security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="STARTTLS (port 587), SSL from the start (465), or none.")
    user: str | None = Field(None, description="The account to log in as, if any.")
    ca_file: Path | None = Field(
        None, description="A certificate file to trust instead of the system's (a private "
        "server's own certificate).")
    timeout: float = Field(60, gt=0, description="Seconds to wait for the server.")
    retries: int = Field(3, ge=0, le=10, description="Tries again after a temporary error.")
    backoff: float = Field(30, ge=0, description="Seconds before the first retry; doubles.")

    @property
    def server_port(self) -> int:
        """Return the port, or the usual one for the security chosen."""
        return self.port or DEFAULT_PORTS[self.security]

    @property
    def keyring_service(self) -> str:
        """Return the keyring service the password is kept under."""
        return f"advocacy smtp {self.host}"


def load_settings(path: Path | None, project: Path,
                  environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """Read the settings: the file (if any) and the environment, which wins.

    ``path`` is a file named on the command line; None: smtp.yaml in the project,
    if there is one.
    """
    environ = os.environ if environ is None else environ
    given = path is not None
    path = path or project / FILE_NAME
    data: dict[str, Any] = {}
    sources: dict[str, str] = {}  # where each value came from, for messages
    if given or os.path.lexists(path):
        document = load.load_mapping(path, root=None if given else project)
        if "password" in document.data:
            raise AdvocacyError.at(document.place(("password",)), "password: a password is "
                                   f"never kept in a file; set {PASSWORD_VARIABLE}, or keep "
                                   "it in the system keyring (see README, 'Sending and "
                                   "tracking'), and remove this line")
        data = dict(document.data)
        sources = {key: str(document.place((key,))) for key in data}
        if isinstance(data.get("ca_file"), str):  # relative to the file that names it
            data["ca_file"] = path.parent / data["ca_file"]
    for name in SmtpSettings.model_fields:
        value = environ.get(ENV_PREFIX + name.upper())
        if value:
            data[name], sources[name] = value, ENV_PREFIX + name.upper()
    if "host" not in data:
        raise AdvocacyError(f"no SMTP server: write its host (and user) into {FILE_NAME} "
                            f"beside campaigns/, or set {ENV_PREFIX}HOST; see README, "
                            "'Sending and tracking'")
    try:
        settings = SmtpSettings.model_validate(data)
    except ValidationError as error:
        lines = []
        for detail in error.errors():
            key = str(detail["loc"][0]) if detail["loc"] else ""
            message = f"unknown key; known keys: {', '.join(SmtpSettings.model_fields)}" \
                if detail["type"] == "extra_forbidden" else detail["msg"]
            lines.append(f"{sources.get(key, path)}: {key}: {message}")
        raise AdvocacyError("\n".join(lines)) from None
    if settings.security == "none" and settings.user:
        raise AdvocacyError(f"{settings.host}: security 'none' with a user would send the "
                            "password unencrypted; use starttls or ssl")
    return settings


def password(settings: SmtpSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """Return the password: the environment's, else the keyring's; None without a user."""
    if not settings.user:
        return None
    environ = os.environ if environ is None else environ
    if environ.get(PASSWORD_VARIABLE):
        return environ[PASSWORD_VARIABLE]
    import keyring
    import keyring.errors

    try:
        found = keyring.get_password(settings.keyring_service, settings.user)
    except keyring.errors.KeyringError as error:
        raise AdvocacyError(f"the system keyring cannot be read ({error}); set "
                            f"{PASSWORD_VARIABLE} instead") from None
    if found is None:
        raise AdvocacyError(f"no password for {settings.user} on {settings.host}: set "
                            f"{PASSWORD_VARIABLE}, or store it once with: keyring set "
                            f"\"{settings.keyring_service}\" {settings.user}")
    return found
