"""The delivery commands: ``send``, ``delivered`` and ``status``, each a call of the library."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advocacy.cli.console import complain, say
from advocacy.errors import AdvocacyError, display_path

if TYPE_CHECKING:
    from advocacy.delivery.send import Skipped

CAMPAIGN = click.argument("campaign", type=click.Path(path_type=Path, dir_okay=False))
OUTPUT = click.option("--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
                      default=Path("output"), show_default=True,
                      help="Folder the letters were generated into.")
MAX_SHOWN = 15


@click.command()
@CAMPAIGN
@OUTPUT
@click.option("--dry-run", is_flag=True,
              help="Write each message as an .eml file into OUTPUT/CAMPAIGN/outbox/; send "
              "nothing.")
@click.option("--yes", is_flag=True, help="Send without asking first.")
@click.option("--per-minute", type=click.FloatRange(min=0, min_open=True), default=20,
              show_default=True, help="Send at most this many messages a minute.")
@click.option("--resend-changed", is_flag=True,
              help="Also send letters that changed since they were sent.")
@click.option("--resend-unconfirmed", is_flag=True,
              help="Also send letters whose sending was interrupted before the server "
              "replied (they may have arrived).")
@click.option("--docx", is_flag=True, help="Attach the DOCX as well as the PDF.")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="SMTP settings file (default: smtp.yaml beside campaigns/).")
def send(campaign: Path, output_dir: Path, dry_run: bool, yes: bool, per_minute: float,
         resend_changed: bool, resend_unconfirmed: bool, docx: bool,
         settings_file: Path | None) -> None:
    """Email each letter to its recipient, once; resume where a stopped run left off."""
    from advocacy.delivery import send as sending

    options = sending.SendOptions(output_dir=output_dir, dry_run=dry_run,
                                  resend_changed=resend_changed,
                                  resend_unconfirmed=resend_unconfirmed, per_minute=per_minute,
                                  docx=docx, settings=settings_file)

    def confirm(batch: sending.Batch) -> bool:
        _report_skipped(batch.skipped)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise AdvocacyError(f"{len(batch.drafts)} letters are ready to send; not on a "
                                "terminal to ask: run again with --yes to send them")
        return click.confirm(f"Send {len(batch.drafts)} emails through {batch.server}?",
                             default=False, err=True)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and done < total:
            click.echo(f"  sending {done + 1} of {total}", err=True)

    result = sending.send(campaign, options, confirm=confirm, on_progress=progress)
    if result.warning:
        complain(f"warning: {result.warning}")
    if result.outbox is not None:
        _report_skipped(result.skipped)
        say(f"{display_path(result.outbox)}/: {result.to_send} messages written; nothing was "
            "sent (dry run)")
        return
    if not result.to_send:
        _report_skipped(result.skipped)
        say(f"{display_path(result.folder)}/: nothing to send")
        return
    if result.cancelled:
        say("Nothing was sent.")
        return
    say(f"{display_path(result.folder)}/: {len(result.sent)} sent, {len(result.failed)} "
        f"failed, {len(result.unconfirmed)} unconfirmed")
    for letter, why in result.failed + result.unconfirmed:
        say(f"  {letter}: {why}")
    if result.failed or result.unconfirmed:
        sys.exit(1)


def _report_skipped(skipped: list[Skipped]) -> None:
    if not skipped:
        return
    say(f"  not sent this time: {len(skipped)}")
    for item in skipped[:MAX_SHOWN]:
        say(f"    {item.who} ({item.letter}): {item.reason}")
    if len(skipped) > MAX_SHOWN:
        say(f"    ... and {len(skipped) - MAX_SHOWN} more ('advocacy status' lists them all)")


@click.command()
@CAMPAIGN
@click.argument("letter", required=False)
@OUTPUT
@click.option("--received-by", default=None, metavar="NAME",
              help="Who took the letter (a name, or an office's).")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="When, as YYYY-MM-DD (default: today).")
@click.option("--note", default=None, help="Anything worth keeping (a room, a promise).")
@click.option("--post", is_flag=True, help="The letter was posted, not handed over.")
@click.option("--from-sheet", "sheet", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Record every row of a filled-in print/delivery-sheet.csv "
              "that names who received the letter.")
def delivered(campaign: Path, letter: str | None, output_dir: Path, received_by: str | None,
              day: datetime.datetime | None, note: str | None, post: bool,
              sheet: Path | None) -> None:
    """Record that a letter was handed over or posted, or import a filled-in delivery sheet."""
    from advocacy.delivery import handed

    if sheet is not None:
        if letter or received_by or day or note or post:
            raise AdvocacyError("--from-sheet takes its letters, names and dates from the "
                                "sheet: give no LETTER, --received-by, --date, --note or --post")
        result = handed.import_sheet(campaign, sheet, output_dir)
        already = f" ({len(result.already)} recorded before)" if result.already else ""
        say(f"{display_path(result.log)}: {len(result.records)} deliveries recorded{already}")
        return
    if not letter:
        raise AdvocacyError("name the LETTER delivered (its file name, as 'advocacy status' "
                            "lists them), or give --from-sheet FILE.csv")
    result = handed.record_delivery(campaign, letter, received_by,
                                    on=day.date() if day else None, note=note,
                                    method="post" if post else "hand", output_dir=output_dir)
    record = result.records[0]
    who = f"received by {record.received_by}" if record.received_by else "posted"
    say(f"{display_path(result.log)}: {record.letter} {who} on {record.date}")


@click.command()
@CAMPAIGN
@OUTPUT
@click.option("--csv", "as_csv", is_flag=True,
              help="Write a CSV for a spreadsheet program instead (redirect it to a file).")
def status(campaign: Path, output_dir: Path, as_csv: bool) -> None:
    """Show, per letter: written, sent, failed (why), delivered (to whom), what needs doing."""
    from advocacy.delivery import status as tracking

    result = tracking.status(campaign, output_dir)
    if result.warning:
        complain(f"warning: {result.warning}")
    if as_csv:
        click.echo(tracking.to_csv(result).decode("utf-8"), nl=False)
        return
    letters = result.letters
    reached = sum(letter.reached for letter in letters)
    failed = sum(bool(letter.failed) for letter in letters)
    changed = sum(letter.changed for letter in letters)
    say(f"{display_path(result.folder)}/: {len(letters)} letters: {reached} sent or delivered, "
        f"{failed} failed, {changed} changed since sent, {len(letters) - reached} not yet")
    for letter in letters:
        done = [f"sent {s}" for s in letter.sent] + [f"delivered {d}" for d in letter.delivered]
        state = "; ".join(done) or (f"failed: {letter.failed}" if letter.failed else "not sent")
        say(f"  {letter.letter} ({letter.recipient}): {state}")
        for item in letter.attention:
            say(f"    needs attention: {item}")
