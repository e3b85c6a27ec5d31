"""``advocacy send``: email each letter of a campaign, once, resuming where a run stopped.

Gather, then send, as named phases. Gathering reads the plan, the manifest and the
delivery log and composes every message; any mistake stops the run before anything
is sent. Sending holds the campaign's lock (no ``generate`` may change the letters
meanwhile, nor a second ``send`` run at once) and writes a log line before and
after each message. A letter already sent (the same PDF, by its sha256, to the
same address) is never sent again; one that changed since it was sent, or whose
sending was interrupted before the server replied, only when asked.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from advocacy import files, manifest, output_folder
from advocacy.delivery import log as delivery_log
from advocacy.delivery import settings as smtp_settings
from advocacy.delivery.log import Record, Standing
from advocacy.delivery.message import MAX_MESSAGE_BYTES, MB, Draft, MessageMaker
from advocacy.delivery.smtp import Mailer, Reply, ServerError
from advocacy.errors import AdvocacyError, Place, Problem, display_path
from advocacy.manifest import Manifest
from advocacy.planning import Letter
from advocacy.validate.campaign import Inputs

OUTBOX = "outbox"
NO_EMAIL = "no email address: add 'email:' to its record (an overrides file, see README)"


class SendOptions(BaseModel):
    """How ``send`` works; each default is the command line's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output_dir: Path = Field(Path("output"), description="Letters are in OUTPUT_DIR/NAME/.")
    dry_run: bool = Field(False, description="Write .eml files into outbox/, send nothing.")
    resend_changed: bool = Field(False, description="Send letters changed since sent.")
    resend_unconfirmed: bool = Field(
        False, description="Send letters whose sending was interrupted before the server "
        "replied (they may have been sent).")
    per_minute: float = Field(20, gt=0, description="At most this many messages a minute.")
    docx: bool = Field(False, description="Attach the DOCX too.")
    settings: Path | None = Field(None, description="SMTP settings file; None: smtp.yaml.")


@dataclass(frozen=True)
class Skipped:
    """A letter not sent by this run, and why."""

    letter: str
    who: str
    reason: str


@dataclass
class Batch:
    """What a run will send: gathered and checked, nothing sent yet."""

    name: str
    folder: Path
    maker: MessageMaker
    drafts: list[Draft]
    skipped: list[Skipped]
    warning: str | None  # damaged lines of the log
    server: str = ""  # host:port, once the settings are read


@dataclass
class SendResult:
    """What a run of ``send`` did."""

    name: str
    folder: Path
    to_send: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # letter, why
    unconfirmed: list[tuple[str, str]] = field(default_factory=list)
    outbox: Path | None = None
    cancelled: bool = False
    warning: str | None = None


Confirm = Callable[[Batch], bool]
Progress = Callable[[int, int], None]


def send(campaign: Path, options: SendOptions | None = None, *, confirm: Confirm | None = None,
         on_progress: Progress | None = None) -> SendResult:
    """Email a campaign's letters (or, with dry_run, write them into outbox/).

    ``confirm`` is asked, with what will be sent, before the first message goes.
    """
    from advocacy import api  # loads WeasyPrint: only when sending

    options = options or SendOptions()
    planned = api.plan(campaign)
    folder = output_folder.confine(options.output_dir / planned.name)
    with output_folder.campaign_lock(folder):
        batch = gather(planned.inputs, planned.letters, folder, options)
        result = SendResult(batch.name, folder, len(batch.drafts), batch.skipped,
                            warning=batch.warning)
        if options.dry_run:
            result.outbox = write_outbox(batch)
            return result
        if not batch.drafts:
            return result
        settings = smtp_settings.load_settings(options.settings, planned.inputs.project.root)
        password = smtp_settings.password(settings)
        batch.server = f"{settings.host}:{settings.server_port}"
        if confirm is not None and not confirm(batch):
            result.cancelled = True
            return result
        with Mailer(settings, password) as mailer:
            mailer.open()  # a wrong host or password stops the run before any letter
            _send_all(batch, mailer, settings, options, result, on_progress)
    return result


# --- Gather: nothing is sent or written ---------------------------------------------------


def gather(inputs: Inputs, letters: list[Letter], folder: Path,
           options: SendOptions) -> Batch:
    """Check the output and compose the message of every letter to send."""
    message = inputs.campaign.message
    if message is None:
        raise AdvocacyError.at(Place(inputs.path), "no 'message:' section: add one with the "
                               "email's from, subject and body (see README, 'Sending and "
                               "tracking')")
    written = _current_manifest(inputs, folder)
    log = delivery_log.read(delivery_log.log_path(folder))
    attach = tuple(dict.fromkeys(["pdf", *message.attach, *(["docx"] if options.docx else [])]))
    maker = MessageMaker(inputs, message, attach)
    entries = {entry.letter: entry for entry in written.letters}
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    for letter in letters:
        entry = entries[letter.stem]  # the same sources: the same letters
        who = letter.recipient.name
        pdf = entry.file("pdf")
        if not letter.recipient.email:
            skipped.append(Skipped(letter.stem, who, NO_EMAIL))
            continue
        if pdf is not None:
            reason = _skip_reason(delivery_log.standing(log.of(letter.stem),
                                                        letter.recipient.email, pdf.sha256),
                                  options)
            if reason:
                skipped.append(Skipped(letter.stem, who, reason))
                continue
        draft = maker.draft(letter, entry, letter.recipient.email, problems)
        if draft is not None and draft.size > MAX_MESSAGE_BYTES:
            skipped.append(Skipped(letter.stem, who, f"too large to email: about "
                                   f"{draft.size / MB:.0f} MB with its attachments, and an "
                                   f"email may carry {MAX_MESSAGE_BYTES // MB} MB; hand it "
                                   "over or post it, then record it with 'advocacy delivered'"))
        elif draft is not None:
            drafts.append(draft)
    if problems:
        raise AdvocacyError.collect(problems)
    return Batch(inputs.name, folder, maker, drafts, skipped, log.warning())


def _current_manifest(inputs: Inputs, folder: Path) -> Manifest:
    """Read the output's manifest; refuse letters made from other versions of the sources."""
    command = f"advocacy generate {display_path(inputs.path)}"
    if not os.path.lexists(folder / manifest.FILE_NAME):
        raise AdvocacyError(f"{display_path(folder)}: no letters to send yet; run '{command}' "
                            "first")
    written = manifest.read(folder)
    root = inputs.project.root
    current = {path.resolve().relative_to(root).as_posix(): files.sha256_checked(path, root)
               for path in inputs.source_files()}
    recorded = {source.path: source.sha256 for source in written.sources}
    changed = sorted(path for path in current.keys() | recorded.keys()
                     if current.get(path) != recorded.get(path))
    if changed:
        raise AdvocacyError(f"{display_path(folder)}: the letters were generated before "
                            f"{', '.join(changed[:3])} changed; run '{command}' first (letters "
                            "whose text stays the same are not sent again)")
    return written


def _skip_reason(standing: Standing, options: SendOptions) -> str | None:
    """Say why a letter is not sent to an address this time, or None to send it."""
    if standing.sent is not None:
        return f"already sent to {standing.sent.address} on {standing.sent.time}"
    if standing.pending is not None and not options.resend_unconfirmed:
        return (f"handed to the server on {standing.pending.time}, but no reply was recorded "
                "(the run was stopped or the connection lost), so it may have been sent: check "
                "the account's sent mail, then send again with --resend-unconfirmed")
    if standing.earlier is not None and not options.resend_changed:
        return (f"changed since sent (an earlier version went to {standing.earlier.address} "
                f"on {standing.earlier.time}); send this version with --resend-changed")
    return None


def write_outbox(batch: Batch) -> Path:
    """Write each message as an .eml file into outbox/, replacing the last dry run's."""
    outbox = batch.folder / OUTBOX
    if os.path.islink(outbox) or outbox.is_file():
        outbox.unlink()  # never followed
    elif outbox.is_dir():
        shutil.rmtree(outbox)
    outbox.mkdir()
    for draft in batch.drafts:
        output_folder.write_atomic(outbox / f"{draft.letter.stem}.eml",
                                   batch.maker.build(draft, batch.folder))
    return outbox


# --- Send ---------------------------------------------------------------------------------


def _send_all(batch: Batch, mailer: Mailer, settings: smtp_settings.SmtpSettings,
              options: SendOptions, result: SendResult, on_progress: Progress | None) -> None:
    """Send every message at the rate asked, logging each attempt and its outcome."""
    path = delivery_log.log_path(batch.folder)
    interval = 60 / options.per_minute
    started: float | None = None
    for done, draft in enumerate(batch.drafts):
        if on_progress:
            on_progress(done, len(batch.drafts))
        if started is not None:
            time.sleep(max(0.0, started + interval - time.monotonic()))
        started = time.monotonic()
        record = _record(draft)
        try:
            data = batch.maker.build(draft, batch.folder)
        except AdvocacyError as error:
            delivery_log.append(path, [record(result="failed", response=str(error))])
            result.failed.append((draft.letter.stem, str(error)))
            continue
        sender, recipients = batch.maker.envelope(draft)
        reply = _with_retries(mailer, settings, sender, recipients, data, path, record)
        outcome = "failed" if reply.result == "temporary" else reply.result
        delivery_log.append(path, [record(result=outcome, response=reply.response)])
        if reply.result == "sent":
            result.sent.append(draft.letter.stem)
        elif reply.result == "unconfirmed":
            result.unconfirmed.append((draft.letter.stem, reply.response))
        else:
            result.failed.append((draft.letter.stem, reply.response))
        if reply.lost:
            raise ServerError(f"{reply.response}. {len(result.sent)} sent by this run; the "
                              "others were not sent: run 'advocacy send' again later")
    if on_progress:
        on_progress(len(batch.drafts), len(batch.drafts))


def _with_retries(mailer: Mailer, settings: smtp_settings.SmtpSettings, sender: str,
                  recipients: list[str], data: bytes, path: Path,
                  record: Callable[..., Record]) -> Reply:
    """Send one message; after a temporary error wait, doubling the wait, and try again."""
    for attempt in range(settings.retries + 1):
        reply = mailer.send(sender, recipients, data,
                            lambda: delivery_log.append(path, [record(result="sending")]))
        if reply.result != "temporary" or attempt == settings.retries:
            break
        delivery_log.append(path, [record(result="temporary", response=reply.response)])
        time.sleep(settings.backoff * 2 ** attempt)
    return reply


def _record(draft: Draft) -> Callable[..., Record]:
    """Return a maker of this message's log lines."""
    def make(result: delivery_log.Result, response: str | None = None) -> Record:
        return Record(time=delivery_log.now(), letter=draft.letter.stem, sha256=draft.sha256,
                      channel="email", result=result, address=draft.address,
                      files=tuple(file.name for file in draft.files), response=response)
    return make
