"""Talking to the SMTP server: connect, log in, hand over a message, read the reply.

Connections use STARTTLS or SSL with the certificate checked, unless security is
'none'. A reply in the 4xx range is temporary (try again later), 5xx permanent. The
message's text is handed over only after the server said it would take it (354),
and ``before_data`` is called just then: the caller records that the message may
now reach the server, so that a run stopped before the reply is known never sends
it a second time without being asked.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from advocacy.delivery.settings import SmtpSettings
from advocacy.errors import AdvocacyError


@dataclass(frozen=True)
class Reply:
    """What became of one try: sent, temporary (try again), failed, or unconfirmed."""

    result: Literal["sent", "temporary", "failed", "unconfirmed"]
    response: str
    lost: bool = False  # the server could not be reached at all


class ServerError(AdvocacyError):
    """The server cannot be reached or refuses the login: no letter can go."""


class Mailer:
    """One connection to the SMTP server, made again when the server closes it."""

    def __init__(self, settings: SmtpSettings, password: str | None) -> None:
        self.settings = settings
        self.password = password
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def server(self) -> str:
        """Name the server in messages: host:port."""
        return f"{self.settings.host}:{self.settings.server_port}"

    def open(self) -> None:
        """Connect and log in; raise ServerError saying what to check."""
        settings = self.settings
        context = ssl.create_default_context(
            cafile=str(settings.ca_file) if settings.ca_file else None)
        try:
            if settings.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.server_port,
                                                      timeout=settings.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(settings.host, settings.server_port,
                                    timeout=settings.timeout)
            self.smtp = smtp
            smtp.ehlo_or_helo_if_needed()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise ServerError(f"{self.server}: the server does not offer STARTTLS; "
                                      "use security: ssl (usually port 465)")
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, self.password or "")
        except ssl.SSLCertVerificationError as error:
            self.close()
            raise ServerError(f"{self.server}: the server's certificate cannot be trusted "
                              f"({error.verify_message}); if it is your organisation's own "
                              "server, name its certificate with ca_file") from None
        except ssl.SSLError as error:  # e.g. security: ssl on a port that starts in clear
            self.close()
            hint = "; if the server starts in clear (port 587 or 25), use security: " \
                "starttls" if settings.security == "ssl" else ""
            raise ServerError(f"{self.server}: no TLS connection ({error.reason or error})"
                              f"{hint}") from None
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            refused = _text(error.smtp_code, error.smtp_error)
            raise ServerError(f"{self.server}: login refused ({refused}); check the user "
                              "and the password") from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            if isinstance(error, ServerError):
                raise
            raise ServerError(f"{self.server}: cannot connect: {_reason(error)}; check host, "
                              "port and security") from None

    def close(self) -> None:
        """Say goodbye to the server, if it still listens."""
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            with contextlib.suppress(OSError):
                self.smtp.close()
        self.smtp = None

    def send(self, sender: str, recipients: list[str], data: bytes,
             before_data: Callable[[], None]) -> Reply:
        """Hand one message to the server; say what became of it."""
        try:
            if self.smtp is None:
                self.open()
        except ServerError as error:
            return Reply("temporary", str(error), lost=True)
        smtp = self.smtp
        assert smtp is not None
        try:
            limit = int(smtp.esmtp_features.get("size", "0") or 0)
            if limit and len(data) > limit:
                return Reply("failed", f"the server takes messages of at most "
                             f"{limit / 1024 / 1024:.1f} MB; this one is "
                             f"{len(data) / 1024 / 1024:.1f} MB: deliver it another way")
            options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
            refused = self._command(smtp, smtp.mail(sender, options))
            for recipient in recipients:
                refused = refused or self._command(smtp, smtp.rcpt(recipient), (250, 251))
            if refused is None:
                refused = self._command(smtp, smtp.docmd("DATA"), (354,))
        except (OSError, smtplib.SMTPException) as error:  # before the message: not sent
            self.close()
            return Reply("temporary", f"connection lost: {_reason(error)}")
        if refused is not None:
            return refused
        before_data()
        try:
            smtp.send(_dot_stuffed(data))
            code, text = smtp.getreply()
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            return Reply("unconfirmed", f"connection lost after the message was handed over, "
                         f"before the server confirmed it: {_reason(error)}")
        return Reply("sent", _text(code, text)) if code == 250 else self._refusal(smtp, code,
                                                                                  text)

    def _command(self, smtp: smtplib.SMTP, reply: tuple[int, bytes],
                 accepted: tuple[int, ...] = (250,)) -> Reply | None:
        code, text = reply
        return None if code in accepted else self._refusal(smtp, code, text)

    def _refusal(self, smtp: smtplib.SMTP, code: int, text: bytes) -> Reply:
        """Classify a refusal; start the next message afresh (RSET, or a new connection)."""
        if code == 421 or code < 0:  # the server is closing the connection
            self.close()
        else:
            try:
                smtp.rset()
            except (OSError, smtplib.SMTPException):
                self.close()
        return Reply("temporary" if 400 <= code < 500 or code < 0 else "failed",
                     _text(code, text))


def _dot_stuffed(data: bytes) -> bytes:
    """Write a message as SMTP's DATA wants it: leading dots doubled, ending with '.'."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _text(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(shown.split())}"


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return "no such host"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "no answer in time"
    return str(error) or type(error).__name__
