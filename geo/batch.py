"""Batch extraction: many articles, one JSON line each, on all cores.

Each worker loads the gazetteer once (from the on-disk index) and analyses whole files; a file that fails
is reported on stderr and skipped. Results are written in input order as they complete in order.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TextIO

from geo.articles import read_article
from geo.core.errors import GeoError
from geo.core.settings import Settings
from geo.output import story_to_dict
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.places.gazetteer import Gazetteer

_CHUNK = 8


def _analyse_file(path: str) -> tuple[str, str | None, str | None]:
    """(path, JSON line, error): runs in a worker, with the settings and gazetteer ``_warm`` loaded."""
    settings, gaz = _worker
    try:
        story = analyse(read_article(path, settings.max_article_bytes), gazetteer=gaz, cache_path=settings.places_cache)
    except GeoError as err:
        return path, None, str(err)
    except Exception as err:  # one bad file must not stop a corpus run
        return path, None, f"{path}: internal failure ({type(err).__name__}: {err})"
    return path, json.dumps({"path": path, **story_to_dict(story)}, ensure_ascii=False), None


_worker: tuple[Settings, Gazetteer]  # set in each worker process by _warm


def _warm(settings: Settings) -> None:
    """Load the gazetteer once per worker process (from the on-disk index)."""
    global _worker
    _worker = (settings, gazetteer.load(settings.cache_dir))


def run_batch(files: list[str], settings: Settings, *, jobs: int = 0, out: TextIO, err: TextIO) -> int:
    """Write one JSON object per article to ``out``; returns the number of files that failed."""
    jobs = jobs or os.cpu_count() or 1
    tasks = files
    progress = _Progress(len(files), err) if err.isatty() else None
    failed = 0
    if jobs == 1 or len(files) == 1:
        _warm(settings)
        results = map(_analyse_file, tasks)
        failed = _emit(results, out, err, progress)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(settings,)) as pool:
            failed = _emit(pool.map(_analyse_file, tasks, chunksize=_CHUNK), out, err, progress)
    if progress:
        progress.done()
    return failed


def _emit(results, out: TextIO, err: TextIO, progress: _Progress | None) -> int:
    failed = 0
    for path, line, error in results:
        if error is not None:
            failed += 1
            print(f"skipped: {error}", file=err)
        else:
            out.write(line + "\n")
        if progress:
            progress.step()
    return failed


class _Progress:
    """A one-line progress bar on a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.n, self.stream = total, 0, stream

    def step(self) -> None:
        self.n += 1
        if self.n == self.total or self.n % max(1, self.total // 100) == 0:
            width = 30
            filled = width * self.n // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.n}/{self.total}")
            self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
