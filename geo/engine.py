"""The work of a batch run and the local engine: chunks of articles analysed in worker processes.

``analyse_chunk`` runs in a worker (a pool process or a Dask worker) that loaded the gazetteer once
(``warm``); ``Reorder`` gives finished chunks back in submission order while holding only those that
finished early, so a sliding window of chunks bounds memory whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any

from geo.core.errors import GeoError
from geo.core.settings import Settings
from geo.output import story_to_dict
from geo.pipeline import analyse
from geo.places import gazetteer

CHUNK = 16  # articles per task: amortises the per-task cost (~1 ms on Dask) over ~50 ms of work
WINDOW_PER_WORKER = 4  # chunks in flight per worker: keeps workers busy while the oldest is written

Record = dict[str, Any]
# One article handed to a worker: (path, text, date), or (path, None, error message) if it could not be read.
Item = tuple[str, "str | None", str]
# What comes back per article: (record, None) or (None, error message).
Outcome = tuple["Record | None", "str | None"]

# --- work: runs in a worker ----------------------------------------------------------------------


def analyse_chunk(items: list[Item], settings: Settings) -> list[Outcome]:
    """Analyse each readable article of a chunk; the gazetteer is the worker process's one copy."""
    gaz = gazetteer.load(settings.cache_dir)
    out: list[Outcome] = []
    for path, text, date_or_error in items:
        if text is None:
            out.append((None, date_or_error))
            continue
        try:
            story = analyse(text, gazetteer=gaz, cache_path=settings.places_cache)
        except GeoError as error:
            out.append((None, f"{path}: {error}"))
            continue
        except Exception as error:  # one bad article must not stop a corpus run
            out.append((None, f"{path}: internal failure ({type(error).__name__}: {error})"))
            continue
        out.append(({"path": path, "date": date_or_error, **story_to_dict(story)}, None))
    return out


def warm(settings: Settings) -> None:
    """Load the gazetteer into this process (a pool initialiser / Dask worker plugin calls it once)."""
    gazetteer.load(settings.cache_dir)


# --- driving an engine ---------------------------------------------------------------------------


def chunks(items: Iterable[Item], size: int = CHUNK) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Reorder:
    """Finished chunks in, chunks out in submission order; holds only chunks that finished early."""

    def __init__(self) -> None:
        self.submitted = 0
        self.emitted = 0
        self._done: dict[int, list[Outcome]] = {}

    def ticket(self) -> int:
        self.submitted += 1
        return self.submitted - 1

    def finish(self, seq: int, outcomes: list[Outcome]) -> Iterator[list[Outcome]]:
        self._done[seq] = outcomes
        while self.emitted in self._done:
            yield self._done.pop(self.emitted)
            self.emitted += 1

    def room(self, window: int) -> bool:
        """True while fewer than ``window`` chunks are in flight or waiting to be written."""
        return self.submitted - self.emitted < window


def failed_chunk(chunk: list[Item], error: BaseException) -> list[Outcome]:
    why = f"worker failure ({type(error).__name__}: {error})"
    return [(None, f"{path}: {why}") for path, _, _ in chunk]


def run_local(work: Iterator[list[Item]], jobs: int, settings: Settings) -> Iterator[list[Outcome]]:
    """This process (``jobs == 1``) or a process pool with a sliding window of futures."""
    if jobs == 1:
        warm(settings)
        for chunk in work:
            yield analyse_chunk(chunk, settings)
        return
    order = Reorder()
    window = jobs * WINDOW_PER_WORKER
    with ProcessPoolExecutor(max_workers=jobs, initializer=warm, initargs=(settings,)) as pool:
        pending: dict[Any, tuple[int, list[Item]]] = {}

        def fill() -> None:
            while order.room(window) and (chunk := next(work, None)) is not None:
                pending[pool.submit(analyse_chunk, chunk, settings)] = (order.ticket(), chunk)

        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                seq, chunk = pending.pop(fut)
                try:
                    outcomes = fut.result()
                except Exception as error:  # a worker died (killed, out of memory): its articles fail, the run goes on
                    outcomes = failed_chunk(chunk, error)
                yield from order.finish(seq, outcomes)
            fill()
