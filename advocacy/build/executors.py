"""Where letter chunks run: in this process, in a pool of processes, or on a dask cluster.

Chunks are independent (a context and a list of letters in, small records out),
so any engine that maps a function over them can run a campaign. The same
chunks give the same files whatever runs them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from advocacy.build.worker import WorkContext, Written, write_chunk
from advocacy.errors import AdvocacyError, Place
from advocacy.planning import Letter

EXECUTORS = ("local", "dask")
# A worker killed from outside: the kernel's out-of-memory killer, most of the time.
WORKER_DIED = ("a worker process died while writing letters, most likely because the computer "
               "ran out of memory; run again with --jobs 1, or close other programs. Earlier "
               "output is unchanged.")
OUT_OF_MEMORY = ("ran out of memory while writing letters; run again with --jobs 1, or close "
                 "other programs. Earlier output is unchanged.")
Chunk = list[Letter]


def run(context: WorkContext, chunks: list[Chunk], *, jobs: int, executor: str = "local",
        scheduler: str | None = None) -> Iterator[list[Written]]:
    """Render every chunk; yield each chunk's records as it completes."""
    try:
        yield from _run(context, chunks, jobs, executor, scheduler)
    except MemoryError:  # in this process, or in a worker that could still say so
        raise AdvocacyError.at(Place(context.inputs.path), OUT_OF_MEMORY) from None


def _run(context: WorkContext, chunks: list[Chunk], jobs: int, executor: str,
         scheduler: str | None) -> Iterator[list[Written]]:
    if executor == "dask":
        yield from _dask(context, chunks, jobs, scheduler)
    elif executor != "local":
        raise AdvocacyError(f"unknown executor '{executor}'; choose from {', '.join(EXECUTORS)}")
    elif jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield write_chunk(context, chunk)
    else:
        yield from _processes(context, chunks, jobs)


_CONTEXT: WorkContext | None = None  # set once in each pool process
# Linux ends a process with its parent when asked (prctl); elsewhere a thread watches.
KERNEL_FOLLOWS_PARENT = sys.platform.startswith("linux")


def _remember(context: WorkContext, parent: int) -> None:
    global _CONTEXT
    _CONTEXT = context
    _follow_parent(parent)


def _follow_parent(parent: int) -> None:
    """Make a pool process end with the run that started it, however that run ends.

    Ctrl-C reaches every process of the terminal: the parent alone handles it (and
    stops the pool). A parent killed outright cannot stop anything, so the kernel
    kills the process too (Linux), or a watcher thread ends it (elsewhere); an
    orphan would go on writing into the staging folder of a later run.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if KERNEL_FOLLOWS_PARENT:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _write_in_pool(chunk: Chunk) -> list[Written]:
    assert _CONTEXT is not None
    return write_chunk(_CONTEXT, chunk)


def _processes(context: WorkContext, chunks: list[Chunk], jobs: int) -> Iterator[list[Written]]:
    # "spawn": a fresh interpreter, not a fork of one that loaded fonts and threads.
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_remember, initargs=(context, os.getpid()))
    finished = False
    try:
        futures = [pool.submit(_write_in_pool, chunk) for chunk in chunks]
        for future in as_completed(futures):
            try:
                records = future.result()
            except BrokenProcessPool:
                raise AdvocacyError.at(Place(context.inputs.path), WORKER_DIED) from None
            yield records
        finished = True
    finally:
        if not finished:  # interrupted, or a chunk failed: stop the others now, not later
            for process in list((pool._processes or {}).values()):
                with contextlib.suppress(OSError):
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(context: WorkContext, chunks: list[Chunk], jobs: int,
          scheduler: str | None) -> Iterator[list[Written]]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise AdvocacyError("the dask executor needs dask.distributed; install it with "
                            "pip install 'advocacy[dask]'") from None
    cluster: Any = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        shared = client.scatter(context, broadcast=True)  # sent once to each worker
        futures = [client.submit(write_chunk, shared, chunk, pure=False) for chunk in chunks]
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def on_each(chunks: Iterator[list[Written]], report: Callable[[int], None]) -> list[Written]:
    """Collect records, reporting how many letters are done after each chunk."""
    done: list[Written] = []
    for records in chunks:
        done += records
        report(len(done))
    return done
