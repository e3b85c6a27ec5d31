"""Where letter chunks run: in this process, in a pool of processes, or on a dask cluster.

Chunks are independent (a context and a list of letters in, small records out),
so any engine that maps a function over them can run a campaign. The same
chunks give the same files whatever runs them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from advocacy.errors import AdvocacyError
from advocacy.plan import Letter
from advocacy.render import RenderContext, Rendered, render_chunk

EXECUTORS = ("local", "dask")
Chunk = list[Letter]


def run(context: RenderContext, chunks: list[Chunk], *, jobs: int, executor: str = "local",
        scheduler: str | None = None) -> Iterator[list[Rendered]]:
    """Render every chunk; yield each chunk's records as it completes."""
    if executor == "dask":
        yield from _dask(context, chunks, jobs, scheduler)
    elif executor != "local":
        raise AdvocacyError(f"unknown executor '{executor}'; choose from {', '.join(EXECUTORS)}")
    elif jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield render_chunk(context, chunk)
    else:
        yield from _processes(context, chunks, jobs)


_CONTEXT: RenderContext | None = None  # set once in each pool process


def _remember(context: RenderContext) -> None:
    global _CONTEXT
    _CONTEXT = context


def _render_in_pool(chunk: Chunk) -> list[Rendered]:
    assert _CONTEXT is not None
    return render_chunk(_CONTEXT, chunk)


def _processes(context: RenderContext, chunks: list[Chunk], jobs: int) -> Iterator[list[Rendered]]:
    # "spawn": a fresh interpreter, not a fork of one that loaded fonts and threads.
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_remember, initargs=(context,))
    try:
        futures = [pool.submit(_render_in_pool, chunk) for chunk in chunks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(context: RenderContext, chunks: list[Chunk], jobs: int,
          scheduler: str | None) -> Iterator[list[Rendered]]:
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
        futures = [client.submit(render_chunk, shared, chunk, pure=False) for chunk in chunks]
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def on_each(chunks: Iterator[list[Rendered]], report: Callable[[int], None]) -> list[Rendered]:
    """Collect records, reporting how many letters are done after each chunk."""
    done: list[Rendered] = []
    for records in chunks:
        done += records
        report(len(done))
    return done
