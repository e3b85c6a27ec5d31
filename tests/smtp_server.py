"""A real SMTP server for the delivery tests: aiosmtpd on 127.0.0.1, plain, STARTTLS or SSL, with
faults on demand, and a self-signed certificate made in the test (cryptography)."""

from __future__ import annotations

import datetime
import email
import email.policy
import hashlib
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "campaigns@example.org", "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Make a certificate for 127.0.0.1 and its key; return their files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
            ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class Received:
    """A message as the server got it."""

    sender: str
    recipients: list[str]
    data: bytes
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def letter(self) -> str:
        return str(self.message["X-Advocacy-Letter"])


@dataclass
class Handler:
    """Accept messages, or answer as a fault asks: fault(command, count) -> reply or None."""

    received: list[Received] = field(default_factory=list)
    fault: Callable[[str, int, Any], str | None] = lambda command, count, server: None
    counts: dict[str, int] = field(default_factory=dict)

    def _fault(self, command: str, server: Any) -> str | None:
        self.counts[command] = self.counts.get(command, 0) + 1
        return self.fault(command, self.counts[command], server)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        reply = self._fault("MAIL", server)
        if reply:
            return reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        reply = self._fault(f"RCPT {address}", server)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # session.ssl is set after STARTTLS only; TLS from the start shows on the transport.
        tls = session.ssl is not None or \
            server.transport.get_extra_info("ssl_object") is not None
        message = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, tls)
        reply = self._fault("DATA", server)
        if reply and reply.startswith("keep "):  # the server took it, then the fault
            self.received.append(message)
            reply = reply.removeprefix("keep ")
        elif not reply:
            self.received.append(message)
            reply = "250 2.0.0 Ok: queued"
        return reply


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=good, handled=False)


def start(handler: Handler, tls: tuple[Path, Path] | None = None,
          implicit: bool = False) -> Controller:
    """Start a server on a free port of 127.0.0.1; given a cert, with a login required
    over STARTTLS, or (implicit) over TLS from the first byte, as on port 465."""
    options: dict[str, Any] = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        # aiosmtpd offers AUTH only after STARTTLS, unless told the connection is safe.
        options = {"ssl_context": context, "auth_require_tls": False} if implicit else \
            {"tls_context": context, "require_starttls": True}
        options |= {"authenticator": authenticate, "auth_required": True}
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


def attachment_hashes(message: EmailMessage) -> dict[str, str]:
    """Return each attachment's sha256, by file name."""
    return {str(part.get_filename()): hashlib.sha256(part.get_content()).hexdigest()
            for part in message.iter_attachments()}
