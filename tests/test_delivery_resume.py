"""A send killed mid-run resumes without duplicates; the log survives generate; deliveries."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests import delivery_project, smtp_server
from tests.delivery_project import CAMPAIGN, LOG, NAME, pdf_hashes
from tests.helpers import run_captured

generated, project = delivery_project.generated, delivery_project.project


def sender(port: int) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "ADVOCACY_SMTP_HOST": "127.0.0.1",
                   "ADVOCACY_SMTP_PORT": str(port), "ADVOCACY_SMTP_SECURITY": "none"}
    return subprocess.Popen([sys.executable, "-m", "advocacy", "send", CAMPAIGN, "--yes",
                             "--per-minute", "6000"], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def lines() -> list[dict[str, object]]:
    data = LOG.read_bytes()
    assert data.endswith(b"\n"), "the log ends with a torn line"
    return [json.loads(line) for line in data.splitlines()]


@pytest.mark.parametrize("moment", ["RCPT", "DATA"])
def test_killed_send_resumes_and_sends_each_letter_once(project: Path, moment: str) -> None:
    """SIGKILL while the server handles the second message: before it has it (RCPT), or
    when it has it and has not replied (DATA, the worst moment)."""
    handler = smtp_server.Handler()
    process: list[subprocess.Popen[bytes]] = []
    seen = Counter[str]()

    def kill(command: str, count: int, server: object) -> str | None:
        seen[command.split()[0]] += 1
        if command.startswith(moment) and seen[moment] == 2:
            process[0].send_signal(signal.SIGKILL)
            process[0].wait()
            return "keep 250 too late" if moment == "DATA" else "451 too late"
        return None

    handler.fault = kill
    controller = smtp_server.start(handler)
    try:
        process.append(sender(controller.port))
        process[0].wait(timeout=120)
        assert process[0].returncode == -signal.SIGKILL
        before = len(handler.received)
        assert before == (2 if moment == "DATA" else 1)
        handler.fault = lambda command, count, server: None
        resumed = sender(controller.port)
        out, err = resumed.communicate(timeout=120)
    finally:
        controller.stop()
    assert sorted(Counter(r.letter for r in handler.received).values()) == [1, 1, 1, 1]
    assert b"Traceback" not in err
    results = [line["result"] for line in lines()]
    assert results.count("sent") == (3 if moment == "DATA" else 4)
    if moment == "DATA":  # arrived, but unconfirmed: reported, not sent again
        assert out.decode().startswith("  not sent this time: 2\n")  # one sent, one unsure
        assert "may have been sent" in out.decode()
        assert out.decode().endswith(f"output/{NAME}/: 2 sent, 0 failed, 0 unconfirmed\n")


def test_generate_keeps_the_log_and_changed_letters_are_not_resent(
        project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    handler = smtp_server.Handler()
    controller = smtp_server.start(handler)
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ADVOCACY_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("ADVOCACY_SMTP_SECURITY", "none")
    try:
        assert run_captured(capsys, "send", CAMPAIGN, "--yes", "--per-minute", "6000")[0] == 0
        log = LOG.read_bytes()
        sent_hashes = pdf_hashes()
        # Only the message changes: the letters are the same bytes, nothing is resent.
        campaign = Path(CAMPAIGN)
        text = campaign.read_text(encoding="utf-8")
        campaign.write_text(text.replace("    Respectfully,", "    With respect,"),
                            encoding="utf-8")
        assert run_captured(capsys, "generate", CAMPAIGN)[0] == 0
        assert pdf_hashes() == sent_hashes and LOG.read_bytes() == log
        code, out, _ = run_captured(capsys, "send", CAMPAIGN, "--yes")
        assert code == 0 and out.endswith("nothing to send\n") and len(handler.received) == 4
        # The letter's text changes: every letter is "changed since sent".
        campaign.write_text(text.replace("urged: Member States", "urged: Member States now"),
                            encoding="utf-8")
        assert run_captured(capsys, "generate", CAMPAIGN)[0] == 0
        assert LOG.read_bytes() == log, "generate changed the delivery log"
        assert set(pdf_hashes().values()).isdisjoint(sent_hashes.values())
        code, out, _ = run_captured(capsys, "status", CAMPAIGN)
        assert f"output/{NAME}/: 4 letters: 0 sent or delivered, 0 failed, 4 changed since " \
            "sent, 4 not yet\n" in out
        code, out, _ = run_captured(capsys, "send", CAMPAIGN, "--yes")
        assert "changed since sent (an earlier version went to cambodia@example.org" in out
        assert len(handler.received) == 4
        code, out, _ = run_captured(capsys, "send", CAMPAIGN, "--yes", "--resend-changed",
                                    "--per-minute", "6000")
        assert code == 0 and len(handler.received) == 8
    finally:
        controller.stop()
    assert LOG.read_bytes().startswith(log), "a line of the log was lost"


def test_torn_last_line_is_reported_and_the_next_line_starts_anew(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    LOG.write_bytes(b'{"channel": "email", "letter": "chhea-keo-kh", "res')
    code, out, err = run_captured(capsys, "delivered", CAMPAIGN, "chhea-keo-kh",
                                  "--received-by", "Reception desk", "--date", "2021-03-24")
    assert code == 0
    code, out, err = run_captured(capsys, "status", CAMPAIGN)
    assert err == (f"warning: output/.{NAME}.deliveries.jsonl: skipped line(s) 1: not a whole "
                   "record (cut short by a stopped run or a crash, or edited by hand)\n")
    assert "  chhea-keo-kh (Chhea Keo): delivered by Reception desk on 2021-03-24 (hand)\n" in out
    assert json.loads(LOG.read_bytes().splitlines()[1])["received_by"] == "Reception desk"


def test_delivery_sheet_is_filled_in_and_imported(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run_captured(capsys, "generate", CAMPAIGN, "--print")[0] == 0
    sheet = project / "output" / NAME / "print" / "delivery-sheet.csv"
    rows = sheet.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == ("number,letter,recipient,address,sender,pages,file,first_page,notes,"
                       "received_by,date,note")
    filled = project / "filled.csv"  # as a volunteer's spreadsheet saves it
    filled.write_text("\n".join([rows[0], rows[1][:-2] + "Mr. Sok,2021-03-24,front desk",
                                 rows[2]]) + "\n", encoding="utf-8")
    letter = rows[1].split(",")[1]
    code, out, _ = run_captured(capsys, "delivered", CAMPAIGN, "--from-sheet", str(filled))
    assert (code, out) == (0, f"output/.{NAME}.deliveries.jsonl: 1 deliveries recorded\n")
    code, out, _ = run_captured(capsys, "delivered", CAMPAIGN, "--from-sheet", str(filled))
    assert out.endswith("0 deliveries recorded (1 recorded before)\n")
    code, out, _ = run_captured(capsys, "status", CAMPAIGN, "--csv")
    row = next(line for line in out.splitlines() if line.startswith(letter))
    assert "by Mr. Sok on 2021-03-24 (hand)" in row
    filled.write_text(rows[0] + "\n" + rows[1][:-2].replace(letter, "nobody") + "x,24/03/2021,\n",
                      encoding="utf-8")
    code, _, err = run_captured(capsys, "delivered", CAMPAIGN, "--from-sheet", str(filled))
    assert (code, err) == (1, "error: filled.csv:2: no letter 'nobody' in this campaign; "
                           "'advocacy status' lists the campaign's letters\n"
                           "filled.csv:2: date '24/03/2021' is not a date written as "
                           "YYYY-MM-DD; format the column as text in the spreadsheet\n"
                           "2 problems found; nothing was written.\n")


def test_two_sends_cannot_run_at_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from advocacy import output_folder

    with output_folder.campaign_lock(project / "output" / NAME):
        code, _, err = run_captured(capsys, "send", CAMPAIGN, "--dry-run")
    assert (code, err) == (1, f"error: output/{NAME}: another run is writing into this folder; "
                           "wait for it to finish\n")

