"""advocacy send: the password from a real keyring, SSL from the first byte, and no login
in clear (security: none), against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyrings.alt.file import PlaintextKeyring

from tests import delivery_project, smtp_server
from tests.delivery_project import CAMPAIGN, NAME, pdf_hashes
from tests.helpers import run_captured

generated, project = delivery_project.generated, delivery_project.project
SERVICE = "advocacy smtp 127.0.0.1"
ALL_SENT = f"output/{NAME}/: 4 sent, 0 failed, 0 unconfirmed\n"
# The SSL server offers a login without STARTTLS (it is TLS from the start); aiosmtpd warns.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def send(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run_captured(capsys, "send", CAMPAIGN, "--per-minute", "6000", "--yes")


def choose_keyring(monkeypatch: pytest.MonkeyPatch, backend: str, data: Path) -> None:
    """Select a keyring backend as a user would (keyring's PYTHON_KEYRING_BACKEND), its
    files under ``data`` (XDG_DATA_HOME), and make keyring read the setting again."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    keyring.core.init_backend()


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyrings.alt's file keyring, kept in tmp_path; yield the file it writes."""
    before = keyring.get_keyring()
    choose_keyring(monkeypatch, "keyrings.alt.file.PlaintextKeyring", tmp_path / "data")
    chosen = keyring.get_keyring()
    assert isinstance(chosen, PlaintextKeyring)
    assert Path(chosen.file_path).is_relative_to(tmp_path)
    yield Path(chosen.file_path)
    keyring.set_keyring(before)


@pytest.fixture
def starttls(project: Path, tmp_path: Path) -> Iterator[smtp_server.Handler]:
    """A STARTTLS server that wants a login, named in smtp.yaml without a password."""
    cert, key = smtp_server.self_signed(tmp_path)
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler, tls=(cert, key))
    Path("smtp.yaml").write_text(
        f"host: 127.0.0.1\nport: {controller.port}\nsecurity: starttls\n"
        f"user: {smtp_server.USER}\nca_file: {cert}\n", encoding="utf-8")
    yield handler
    controller.stop()


def test_password_from_the_keyring(file_keyring: Path, starttls: smtp_server.Handler,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert not file_keyring.exists()
    keyring.set_password(SERVICE, smtp_server.USER, smtp_server.PASSWORD)
    assert file_keyring.is_file()  # the password went to the keyring's own file
    assert send(capsys) == (0, ALL_SENT, "")
    assert len(starttls.received) == 4 and all(r.tls for r in starttls.received)
    assert sorted(r.letter for r in starttls.received) == sorted(pdf_hashes())


def test_a_wrong_password_in_the_keyring_is_refused(
        file_keyring: Path, starttls: smtp_server.Handler,
        capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_password(SERVICE, smtp_server.USER, "not it")
    code, _, err = send(capsys)
    assert code == 1 and "login refused (535 " in err and starttls.received == []


def test_no_password_says_how_to_set_one_and_that_way_works(
        file_keyring: Path, starttls: smtp_server.Handler,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = send(capsys)
    assert (code, out) == (1, "")
    advice = f'keyring set "{SERVICE}" {smtp_server.USER}'
    assert (f"no password for {smtp_server.USER} on 127.0.0.1: set ADVOCACY_SMTP_PASSWORD, "
            f"or store it once with: {advice}") in err
    assert starttls.received == [] and starttls.counts == {}
    # The command the message gives (keyring's own, the password on its input) works.
    subprocess.run([sys.executable, "-m", "keyring", "set", SERVICE, smtp_server.USER],
                   input=smtp_server.PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    assert send(capsys) == (0, ALL_SENT, "")
    assert len(starttls.received) == 4


def test_no_keyring_at_all_says_to_use_the_environment(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A machine without a keyring service (keyring's 'fail' backend, as on a server)."""
    before = keyring.get_keyring()
    try:
        choose_keyring(monkeypatch, "keyring.backends.fail.Keyring", tmp_path)
        monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ADVOCACY_SMTP_USER", smtp_server.USER)
        code, _, err = send(capsys)
    finally:
        keyring.set_keyring(before)
    assert code == 1
    assert "the system keyring cannot be read (" in err
    assert "); set ADVOCACY_SMTP_PASSWORD instead" in err


@pytest.fixture
def ssl_server(project: Path, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[smtp_server.Handler, Path]]:
    """A server speaking TLS from the first byte (port 465 style) that wants a login."""
    cert, key = smtp_server.self_signed(tmp_path)
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler, tls=(cert, key), implicit=True)
    for name, value in {"HOST": "127.0.0.1", "PORT": str(controller.port), "SECURITY": "ssl",
                        "USER": smtp_server.USER, "PASSWORD": smtp_server.PASSWORD}.items():
        monkeypatch.setenv(f"ADVOCACY_SMTP_{name}", value)
    yield handler, cert
    controller.stop()


def test_ssl_with_the_servers_certificate_trusted(
        ssl_server: tuple[smtp_server.Handler, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    handler, cert = ssl_server
    monkeypatch.setenv("ADVOCACY_SMTP_CA_FILE", str(cert))
    code, out, err = send(capsys)
    assert (code, out, err) == (0, ALL_SENT, "")
    assert len(handler.received) == 4 and all(r.tls for r in handler.received)


def test_ssl_with_a_certificate_not_trusted_is_refused(
        ssl_server: tuple[smtp_server.Handler, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    handler, _ = ssl_server
    code, out, err = send(capsys)
    assert (code, out) == (1, "") and handler.received == [] and handler.counts == {}
    assert ": the server's certificate cannot be trusted (self-signed certificate)" in err
    assert "if it is your organisation's own server, name its certificate with ca_file" in err


def test_ssl_on_a_server_that_starts_in_clear_says_to_use_starttls(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler)
    try:
        for name, value in {"HOST": "127.0.0.1", "PORT": str(controller.port),
                            "SECURITY": "ssl"}.items():
            monkeypatch.setenv(f"ADVOCACY_SMTP_{name}", value)
        code, out, err = send(capsys)
    finally:
        controller.stop()
    assert (code, out) == (1, "") and handler.received == []
    # The reason in brackets is OpenSSL's, and its words vary by version.
    assert err.startswith(f"error: 127.0.0.1:{controller.port}: no TLS connection (")
    assert err.endswith("); if the server starts in clear (port 587 or 25), use security: "
                        "starttls\n")


def test_no_security_with_a_user_refuses_to_log_in(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The password would cross the network in clear: nothing is sent, no connection."""
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler)
    try:
        Path("smtp.yaml").write_text(
            f"host: 127.0.0.1\nport: {controller.port}\nsecurity: none\n"
            f"user: {smtp_server.USER}\n", encoding="utf-8")
        monkeypatch.setenv("ADVOCACY_SMTP_PASSWORD", smtp_server.PASSWORD)
        code, out, err = send(capsys)
    finally:
        controller.stop()
    assert (code, out) == (1, "") and handler.received == [] and handler.counts == {}
    assert "127.0.0.1: security 'none' with a user would send the password unencrypted; " \
        "use starttls or ssl" in err
