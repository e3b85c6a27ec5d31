"""Generation in the background: one job per campaign, its progress read by the page.

``advocacy.api.generate`` runs in a thread (its letters in worker processes) and
reports progress through its on_progress callback; the campaign page follows the
job with server-sent events (campaigns.progress).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from advocacy.errors import AdvocacyError

T = TypeVar("T")

# Laying out letters in this process (a preview, a generate small enough to run here)
# uses advocacy.build.worker's module-level cache, which is not made for two threads:
# one layout at a time. A preview asked during a generate waits for it.
LAYOUT = threading.Lock()


def laid_out(function: Callable[..., T], *args: object) -> T:
    """Call a function that lays out letters, one such call at a time in this process."""
    with LAYOUT:
        return function(*args)


@dataclass
class Job:
    """One run of generate: letters done of all, and how it ended."""

    done: int = 0
    total: int = 0
    finished: bool = False
    error: AdvocacyError | None = None
    changed: threading.Event = field(default_factory=threading.Event)

    def report(self, done: int, total: int) -> None:
        """Record progress (called by generate, in the job's thread)."""
        self.done, self.total = done, total
        self.changed.set()


class Jobs:
    """The jobs of this launch, by campaign name; one running job per campaign."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Job | None:
        """Return a campaign's latest job, if any."""
        return self._jobs.get(name)

    def start(self, name: str, campaign: Path, output: Path) -> Job:
        """Start generating a campaign, unless it is being generated already."""
        with self._lock:
            running = self._jobs.get(name)
            if running is not None and not running.finished:
                return running
            job = self._jobs[name] = Job()
        threading.Thread(target=_run, args=(job, campaign, output), daemon=True,
                         name=f"generate {name}").start()
        return job


def _run(job: Job, campaign: Path, output: Path) -> None:
    from advocacy import api

    try:
        laid_out(lambda: api.generate(campaign, api.GenerateOptions(
            output_dir=output, print_bundle=True), on_progress=job.report))
    except AdvocacyError as error:
        job.error = error
    except Exception as error:  # shown on the page; the server goes on
        job.error = AdvocacyError(f"generating stopped: {type(error).__name__}: {error}")
    finally:
        job.finished = True
        job.changed.set()
