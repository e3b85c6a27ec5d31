"""Hostile input to advocacy send: forged headers, bad addresses, huge letters, a password
in a file. Each is refused clearly, and no message with a forged header ever leaves."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from advocacy import manifest
from tests import smtp_server
from tests.delivery_project import CAMPAIGN, NAME, copy, make
from tests.helpers import run_captured

OVERRIDES = "recipients/un-missions-2021.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("un"))


@pytest.fixture
def server(generated: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[smtp_server.Handler]:
    monkeypatch.chdir(copy(generated, tmp_path / "project"))
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler)
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ADVOCACY_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("ADVOCACY_SMTP_SECURITY", "none")
    yield handler
    controller.stop()


def edit(path: str, old: str, new: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    assert old in text
    Path(path).write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("value", ['"x@example.org\\r\\nBcc: spy@evil.example"',
                                   "not-an-address", '"a b@example.org"'])
def test_a_bad_email_address_is_refused_at_its_line(
        server: smtp_server.Handler, capsys: pytest.CaptureFixture[str], value: str) -> None:
    edit(OVERRIDES, "email: france@example.org", f"email: {value}")
    for command in ("check", "send"):
        code, _, err = run_captured(capsys, command, CAMPAIGN, "--yes")[:3] \
            if command == "send" else run_captured(capsys, command, CAMPAIGN)
        assert code == 1
        assert err.startswith(f"error: {OVERRIDES}:10:5: recipients: email: Value error, not "
                              "an email address: ")
    assert server.received == []


def test_a_line_break_in_a_name_never_forges_a_header(
        server: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    edit(OVERRIDES, "  - id: FR\n", '  - id: FR\n    name: "x\\r\\nBcc: spy@evil.example"\n')
    assert run_captured(capsys, "generate", CAMPAIGN)[0] == 0  # the letter itself may print
    code, _, err = run_captured(capsys, "send", CAMPAIGN, "--yes", "--per-minute", "6000")
    assert (code, err) == (1, f"error: {OVERRIDES}:10:5: recipient 'FR': name cannot go into "
                           "an email's To line: it contains a line break, which would end the "
                           "header line; remove it\n")
    code, _, err = run_captured(capsys, "send", CAMPAIGN, "--dry-run")
    assert code == 1 and not Path(f"output/{NAME}/outbox").exists()
    assert server.received == []


def test_a_line_break_in_the_subject_is_refused(
        server: smtp_server.Handler, capsys: pytest.CaptureFixture[str]) -> None:
    edit(CAMPAIGN, "  reply_to: contact@example.org\n",
         '  reply_to: contact@example.org\n  cc: "o@example.org\\nBcc: spy@evil.example"\n')
    code, _, err = run_captured(capsys, "check", CAMPAIGN)
    assert code == 1 and "message.cc: Value error, not an email address: it contains a " \
        "line break" in err
    edit(CAMPAIGN, '  cc: "o@example.org\\nBcc: spy@evil.example"\n', "")
    edit(CAMPAIGN, 'subject: "Politically', 'subject: "{{ vars.urged }}\\nBcc: x@evil.example '
         'Politically')
    assert run_captured(capsys, "generate", CAMPAIGN)[0] == 0
    code, _, err = run_captured(capsys, "send", CAMPAIGN, "--yes")
    assert code == 1 and "message.subject: letter chhea-keo-kh: the subject cannot be a " \
        "header: it contains a line break" in err
    assert server.received == []


def test_a_40_mb_letter_is_not_emailed(server: smtp_server.Handler,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A letter of 40 MB (as a campaign with big images could make): not sent, said why."""
    folder = Path("output") / NAME
    big = folder / "chhea-keo-kh.pdf"
    big.write_bytes(big.read_bytes() + b"%" * (40 * 1024 * 1024))
    data = json.loads((folder / manifest.FILE_NAME).read_text(encoding="utf-8"))
    for letter in data["letters"]:
        for file in letter["files"]:
            if file["name"] == big.name:
                file["sha256"] = hashlib.sha256(big.read_bytes()).hexdigest()
                file["bytes"] = big.stat().st_size
    (folder / manifest.FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run_captured(capsys, "send", CAMPAIGN, "--yes", "--per-minute", "6000")
    assert code == 0
    assert "    Chhea Keo (chhea-keo-kh): too large to email: about 53 MB with its " \
        "attachments, and an email may carry 20 MB; hand it over or post it" in out
    assert sorted(r.letter for r in server.received) == [
        "david-lametti-ca", "james-martin-larsen-au", "jerome-bonnafont-fr"]
    assert max(len(r.data) for r in server.received) < 1024 * 1024


def test_a_password_in_the_settings_file_is_refused(
        server: smtp_server.Handler, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVOCACY_SMTP_HOST")
    Path("smtp.yaml").write_text("host: 127.0.0.1\npassword: secret\n", encoding="utf-8")
    code, _, err = run_captured(capsys, "send", CAMPAIGN, "--yes")
    assert code == 1 and err.startswith("error: smtp.yaml:2:1: password: a password is never "
                                        "kept in a file; set ADVOCACY_SMTP_PASSWORD")
    assert server.received == []
