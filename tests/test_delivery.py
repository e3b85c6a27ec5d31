"""advocacy send: the example UN campaign emailed to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import delivery_project, smtp_server
from tests.delivery_project import ADDRESSES, CAMPAIGN, LOG, NAME, pdf_hashes
from tests.helpers import run_captured

generated, project = delivery_project.generated, delivery_project.project


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[smtp_server.Handler]:
    """A plain SMTP server, named by the environment as send reads it."""
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler)
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ADVOCACY_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("ADVOCACY_SMTP_SECURITY", "none")
    monkeypatch.setenv("ADVOCACY_SMTP_BACKOFF", "0.05")
    yield handler
    controller.stop()


generated, project = delivery_project.generated, delivery_project.project

def send(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_captured(capsys, "send", CAMPAIGN, "--per-minute", "6000", *args)


def log_lines() -> list[dict[str, object]]:
    return [json.loads(line) for line in LOG.read_text(encoding="utf-8").splitlines()]


def check_message(received: smtp_server.Received, hashes: dict[str, str]) -> None:
    """Check one received message: headers, text and HTML parts, the letter attached."""
    message = received.message
    letter = received.letter
    assert received.recipients == [message["To"].addresses[0].addr_spec]
    assert message["From"].addresses[0].addr_spec == "letters@example.org"
    assert str(message["Reply-To"]) == "contact@example.org"
    assert str(message["Subject"]).startswith(
        "Politically motivated arrests in Cambodia: a letter to the Permanent Mission of ")
    assert "Bcc" not in message
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().replace("\r\n", "\n").startswith(
        "Excellency,\n\nPlease find attached a letter")
    assert "<p>Excellency,</p>" in html.get_content()
    assert smtp_server.attachment_hashes(message) == {f"{letter}.pdf": hashes[letter]}


def test_dry_run_writes_each_message_and_sends_nothing(
        project: Path, handler: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = send(capsys, "--dry-run")
    assert code == 0
    assert out.endswith(f"output/{NAME}/outbox/: 4 messages written; nothing was sent "
                        "(dry run)\n")
    outbox = sorted((project / "output" / NAME / "outbox").iterdir())
    hashes = pdf_hashes()
    assert [path.name for path in outbox] == [f"{letter}.eml" for letter in sorted(hashes)]
    for path in outbox:
        data = path.read_bytes()
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        check_message(smtp_server.Received("letters@example.org",
                                           [parsed["To"].addresses[0].addr_spec], data, False),
                      hashes)
    assert handler.received == [] and not LOG.exists()


def test_send_delivers_each_letter_once(project: Path, handler: smtp_server.Handler,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = send(capsys, "--yes")
    assert (code, out) == (0, f"output/{NAME}/: 4 sent, 0 failed, 0 unconfirmed\n")
    hashes = pdf_hashes()
    assert sorted(r.letter for r in handler.received) == sorted(hashes)
    for received in handler.received:
        check_message(received, hashes)
    assert sorted(r.recipients[0] for r in handler.received) == sorted(ADDRESSES.values())
    assert [(line["result"], line["channel"]) for line in log_lines()] == \
        [("sending", "email"), ("sent", "email")] * 4
    assert all(line["sha256"] == hashes[str(line["letter"])] for line in log_lines())
    # Again: nothing is sent twice.
    code, out, _ = send(capsys, "--yes")
    assert code == 0 and out.endswith(f"output/{NAME}/: nothing to send\n")
    assert "already sent to cambodia@example.org on " in out
    assert len(handler.received) == 4


def test_starttls_login_and_cc_bcc(project: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = smtp_server.self_signed(tmp_path)
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler, tls=(cert, key))
    try:
        Path("smtp.yaml").write_text(
            f"host: 127.0.0.1\nport: {controller.port}\nsecurity: starttls\n"
            f"user: {smtp_server.USER}\nca_file: {cert}\n", encoding="utf-8")
        campaign = Path(CAMPAIGN)
        campaign.write_text(campaign.read_text(encoding="utf-8").replace(
            "  reply_to: contact@example.org\n",
            "  reply_to: contact@example.org\n  cc: office@example.org\n"
            "  bcc: [archive@example.org]\n"), encoding="utf-8")
        assert run_captured(capsys, "generate", CAMPAIGN)[0] == 0
        monkeypatch.setenv("ADVOCACY_SMTP_PASSWORD", "wrong")
        code, _, err = send(capsys, "--yes")
        assert code == 1 and "login refused (535 " in err and handler.received == []
        monkeypatch.setenv("ADVOCACY_SMTP_PASSWORD", smtp_server.PASSWORD)
        code, out, _ = send(capsys, "--yes")
        assert (code, out) == (0, f"output/{NAME}/: 4 sent, 0 failed, 0 unconfirmed\n")
    finally:
        controller.stop()
    hashes = pdf_hashes()
    assert len(handler.received) == 4 and all(r.tls for r in handler.received)
    for received in handler.received:
        message = received.message
        assert received.recipients[1:] == ["office@example.org", "archive@example.org"]
        assert str(message["Cc"]) == "office@example.org" and "Bcc" not in message
        assert b"archive@" not in received.data
        assert smtp_server.attachment_hashes(message) == \
            {f"{received.letter}.pdf": hashes[received.letter]}


def test_a_certificate_not_trusted_is_refused(project: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler, tls=smtp_server.self_signed(tmp_path))
    try:
        monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ADVOCACY_SMTP_PORT", str(controller.port))
        monkeypatch.setenv("ADVOCACY_SMTP_USER", smtp_server.USER)
        monkeypatch.setenv("ADVOCACY_SMTP_PASSWORD", smtp_server.PASSWORD)
        code, _, err = send(capsys, "--yes")
    finally:
        controller.stop()
    assert code == 1 and handler.received == []
    assert f"127.0.0.1:{controller.port}: the server's certificate cannot be trusted " in err


def test_temporary_error_is_retried_and_sent_once(
        project: Path, handler: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    handler.fault = lambda command, count, server: \
        "421 4.3.2 Try again later" if command == "DATA" and count == 2 else None
    code, out, _ = send(capsys, "--yes")
    assert (code, out) == (0, f"output/{NAME}/: 4 sent, 0 failed, 0 unconfirmed\n")
    assert sorted(Counter(r.letter for r in handler.received).values()) == [1, 1, 1, 1]
    results = [line["result"] for line in log_lines()]
    assert results.count("temporary") == 1 and results.count("sent") == 4
    temporary = next(line for line in log_lines() if line["result"] == "temporary")
    assert temporary["response"] == "421 4.3.2 Try again later"


def test_permanent_error_is_recorded_and_the_run_goes_on(
        project: Path, handler: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    handler.fault = lambda command, count, server: \
        "550 5.1.1 No such user" if command == "RCPT france@example.org" else None
    code, out, _ = send(capsys, "--yes")
    assert code == 1
    assert out == (f"output/{NAME}/: 3 sent, 1 failed, 0 unconfirmed\n"
                   "  jerome-bonnafont-fr: 550 5.1.1 No such user\n")
    assert sorted(r.letter for r in handler.received) == [
        "chhea-keo-kh", "david-lametti-ca", "james-martin-larsen-au"]
    code, out, _ = run_captured(capsys, "status", CAMPAIGN)
    assert "  jerome-bonnafont-fr (Jérôme Bonnafont): failed: 550 5.1.1 No such user\n" in out
    # The next run tries the failed letter again, and only it.
    handler.fault = lambda command, count, server: None
    code, out, _ = send(capsys, "--yes")
    assert (code, out.splitlines()[-1]) == (0, f"output/{NAME}/: 1 sent, 0 failed, 0 unconfirmed")
    assert Counter(r.letter for r in handler.received)["jerome-bonnafont-fr"] == 1
    assert len(handler.received) == 4


def test_connection_dropped_before_the_message_is_retried(
        project: Path, handler: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    def drop(command: str, count: int, server: object) -> None:
        if command == "MAIL" and count == 2:
            server.transport.close()  # type: ignore[attr-defined]

    handler.fault = drop  # type: ignore[assignment]
    code, out, _ = send(capsys, "--yes")
    assert (code, out) == (0, f"output/{NAME}/: 4 sent, 0 failed, 0 unconfirmed\n")
    assert sorted(Counter(r.letter for r in handler.received).values()) == [1, 1, 1, 1]
    assert [line["result"] for line in log_lines()].count("temporary") == 1


def test_connection_dropped_after_the_message_is_never_resent_unasked(
        project: Path, handler: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    """The server took the third message and closed the connection before replying: the
    message arrived, but the sender cannot know. It is reported, never sent again unasked."""
    def drop(command: str, count: int, server: object) -> None:
        if command == "DATA" and count == 3:
            server.transport.close()  # type: ignore[attr-defined]

    handler.fault = drop  # type: ignore[assignment]
    code, out, _ = send(capsys, "--yes")
    assert code == 1 and out.startswith(f"output/{NAME}/: 3 sent, 0 failed, 1 unconfirmed\n")
    assert "connection lost after the message was handed over, before the server " \
        "confirmed it" in out
    assert sorted(Counter(r.letter for r in handler.received).values()) == [1, 1, 1, 1]
    handler.fault = lambda command, count, server: None
    code, out, _ = send(capsys, "--yes")
    assert "may have been sent: check the account's sent mail, then send again with " \
        "--resend-unconfirmed" in out and len(handler.received) == 4
    code, out, _ = run_captured(capsys, "status", CAMPAIGN)
    assert "(no reply recorded): check the sent mail, then 'send --resend-unconfirmed'" in out
    # Asked for, it goes again (this server had it: the person asking checked first).
    code, out, _ = send(capsys, "--yes", "--resend-unconfirmed")
    assert code == 0 and len(handler.received) == 5
