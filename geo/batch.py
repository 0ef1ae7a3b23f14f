"""Batch extraction: many articles, one JSON line each, on all cores.

Each worker loads the gazetteer once (from the on-disk index) and analyses whole files; a file that fails
is reported on stderr and skipped. Results are written in input order as they complete in order.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from geo.errors import GeoError

_CHUNK = 8


def _analyse_file(args: tuple[str, str | None]) -> tuple[str, str | None, str | None]:
    """(path, JSON line, error): runs in a worker."""
    from geo.cli import read_article
    from geo.output import story_to_dict
    from geo.pipeline import analyse

    path, cache = args
    try:
        story = analyse(read_article(path), cache_path=Path(cache) if cache else None)
    except GeoError as err:
        return path, None, str(err)
    except Exception as err:  # one bad file must not stop a corpus run
        return path, None, f"{path}: internal failure ({type(err).__name__}: {err})"
    return path, json.dumps({"path": path, **story_to_dict(story)}, ensure_ascii=False), None


def _warm() -> None:
    from geo import gazetteer

    gazetteer.load()


def run_batch(files: list[str], *, jobs: int = 0, cache_path: Path | None = None, out: TextIO, err: TextIO) -> int:
    """Write one JSON object per article to ``out``; returns the number of files that failed."""
    jobs = jobs or os.cpu_count() or 1
    tasks = [(f, str(cache_path) if cache_path else None) for f in files]
    progress = _Progress(len(files), err) if err.isatty() else None
    failed = 0
    if jobs == 1 or len(files) == 1:
        _warm()
        results = map(_analyse_file, tasks)
        failed = _emit(results, out, err, progress)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_warm) as pool:
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
