"""The Dask engine of :mod:`geo.batch`: chunks of articles as tasks on a ``dask.distributed`` cluster.

No address: a ``LocalCluster`` on loopback, one single-threaded worker process per core (the
analysis is pure Python, so threads would only fight over the GIL). An address
(``tcp://host:8786``): that scheduler and its workers, which must have this package installed. A
worker plugin loads the gazetteer once per worker process, when the worker joins. Tasks are
submitted through a sliding window and taken with ``as_completed`` as they finish, so the cluster
never holds more than the window's articles and the client never more than the window's results.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from geo.core.errors import GeoError, InputError
from geo.core.settings import Settings
from geo.engine import (
    WINDOW_PER_WORKER,
    Item,
    Outcome,
    Reorder,
    analyse_chunk,
    failed_chunk,
    warm,
)

try:
    from distributed import Client, LocalCluster, as_completed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # the corpus extra is not installed: run_dask says how to get it
    Client = LocalCluster = as_completed = None  # type: ignore[assignment,misc]
    WorkerPlugin = object  # type: ignore[assignment,misc]

CONNECT_TIMEOUT = "20s"
# distributed keeps the last `low-level-log-length` messages of every connection for debugging (1,000 by
# default). Ours carry the articles, so that log alone grew the client and scheduler by ~4 MB per 600
# articles (measured with tracemalloc: the BatchedSend.recent_message_log of each worker's stream).
# A few dozen keep the debugging value and bound the memory.
DASK_CONFIG = {"distributed.admin.low-level-log-length": 32}
WORKERS_TIMEOUT = 120  # seconds to wait for a remote scheduler to have at least one worker


class LoadGazetteer(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the gazetteer when a worker starts (and on every worker that joins later)."""

    name = "geo-storymap-gazetteer"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def setup(self, worker: Any) -> None:
        warm(self.settings)


def run_dask(work: Iterator[list[Item]], *, jobs: int, scheduler: str | None, settings: Settings) -> Iterator[list[Outcome]]:
    """Chunks of outcomes in submission order; the cluster is shut down when the generator is closed."""
    if Client is None:
        raise InputError("--engine dask needs dask.distributed: pip install 'geo-storymap[corpus]' (or 'dask[distributed]')")
    import dask

    with dask.config.set(DASK_CONFIG):
        yield from _run(work, jobs=jobs, scheduler=scheduler, settings=settings)


def _run(work: Iterator[list[Item]], *, jobs: int, scheduler: str | None, settings: Settings) -> Iterator[list[Outcome]]:
    cluster = None
    if scheduler:
        client = _connect(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=jobs or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        try:
            client.register_plugin(LoadGazetteer(settings), name=LoadGazetteer.name)
        except (ImportError, AttributeError) as err:
            raise GeoError(
                f"the Dask workers cannot load geo-storymap ({type(err).__name__}: {err}); "
                "install it on every worker (pip install 'geo-storymap[corpus]')"
            ) from err
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        yield from _stream(client, work, window=max(2, threads * WINDOW_PER_WORKER), settings=settings)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(address: str) -> Any:
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        raise InputError(
            f"cannot reach the Dask scheduler at {address} ({err}); check the address (tcp://host:8786) "
            "and that `dask scheduler` runs there, or leave --scheduler out for a local cluster"
        ) from err
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError as err:
        client.close()
        raise InputError(
            f"the Dask scheduler at {address} has no workers after {WORKERS_TIMEOUT} s; start some with `dask worker {address}`"
        ) from err
    return client


def _stream(client: Any, work: Iterator[list[Item]], *, window: int, settings: Settings) -> Iterator[list[Outcome]]:
    """Keep ``window`` chunks in flight, take them as they complete, give them back in order."""
    order = Reorder()
    pending: dict[str, tuple[int, list[Item]]] = {}
    finished = as_completed()

    def fill() -> None:
        while order.room(window) and (chunk := next(work, None)) is not None:
            # pure=False: no hashing of the texts to build a key, and two equal chunks are two tasks.
            fut = client.submit(analyse_chunk, chunk, settings, pure=False, retries=1)
            pending[fut.key] = (order.ticket(), chunk)
            finished.add(fut)

    fill()
    for fut in finished:
        seq, chunk = pending.pop(fut.key)
        try:
            outcomes = fut.result()
        except Exception as err:  # a worker died twice on this chunk: its articles fail, the run goes on
            outcomes = failed_chunk(chunk, err)
        fut.release()
        yield from order.finish(seq, outcomes)
        fill()
