"""Batch extraction: many articles, one record each, streamed in input order.

The parent process walks the input lazily, reads and decodes each article, dates it
(:mod:`geo.core.dates`), and hands chunks of articles to an engine:

``local``  in this process (``jobs=1``) or a pool of worker processes;
``dask``   a ``dask.distributed`` cluster: a local one on loopback, or a remote scheduler.

Either way at most ``window`` chunks are in flight or waiting to be written, finished chunks are
taken as they complete and written in input order, and each worker process loads the gazetteer
once. So memory does not grow with the corpus: 100,000 articles need what 2,000 need. A record is
``{"path", "date", **story_to_dict(story)}``; an article that fails is reported on stderr and skipped.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from geo.articles import read_article
from geo.core.dates import article_date
from geo.core.errors import ArticleNotFound, GeoError, InputError, OutputExists
from geo.core.settings import Settings
from geo.engine import Item, Record, chunks, run_local


class Sink(Protocol):
    """Where records go, in input order: ``write`` each, then ``close`` once (``abort`` on failure)."""

    def write(self, record: Record) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class JsonlSink:
    """One JSON object per line on a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, record: Record) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()

    def abort(self) -> None:
        self.out.flush()


class AtomicTextSink(JsonlSink):
    """JSON lines into a file that appears whole or not at all: a hidden temporary file, renamed on success."""

    def __init__(self, target: str | os.PathLike[str], *, force: bool = False) -> None:
        self.target, self.force = Path(target), force
        if self.target.is_dir():
            raise InputError(f"{self.target} is a folder; give a file name such as {self.target / 'run.jsonl'}")
        if self.target.exists() and not force:
            raise OutputExists(f"{self.target} already exists; pass --force to overwrite it, or choose another path")
        if not self.target.parent.is_dir():
            raise InputError(f"folder {self.target.parent} does not exist; create it first or choose another path")
        fd, tmp = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".tmp")
        self.tmp = Path(tmp)
        super().__init__(os.fdopen(fd, "w", encoding="utf-8", newline="\n"))

    def close(self) -> None:
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        os.chmod(self.tmp, 0o644)  # mkstemp makes it owner-only; a run is meant to be shared
        if self.force:
            os.replace(self.tmp, self.target)
            return
        try:
            os.link(self.tmp, self.target)  # fails if the target appeared meanwhile: never clobber it
        except FileExistsError as err:
            self.tmp.unlink(missing_ok=True)
            raise OutputExists(f"{self.target} appeared while the run was written; pass --force to overwrite it") from err
        self.tmp.unlink()

    def abort(self) -> None:
        self.out.close()
        self.tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class BatchReport:
    articles: int
    failed: int
    seconds: float


# --- input: a lazy, sorted walk ----------------------------------------------------------------------


def iter_paths(paths: Sequence[str]) -> Iterator[str]:
    """Files as given, folders as their ``.txt`` files, sorted by path parts, found lazily.

    Every path given must exist (checked before anything is yielded). Directories are listed one at a
    time, so a corpus of 100,000 files is never held as one list. Symlinked folders are not followed
    (a link loop would never end).
    """
    for raw in paths:
        if not Path(raw).exists():
            raise ArticleNotFound(f"{raw}: no such file or folder")
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield raw


def _walk(folder: Path) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        raise InputError(f"{folder}: cannot list the folder ({err.strerror or err})") from err
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.name.endswith(".txt") and entry.is_file():
            yield entry.path


def read_items(paths: Iterable[str], settings: Settings, err: TextIO) -> Iterator[Item]:
    """Each article read, decoded and dated in this process; read failures travel as items too, in order."""
    for path in paths:
        try:
            text = read_article(path, settings.max_article_bytes)
        except GeoError as error:
            yield path, None, str(error)
            continue
        yield path, text, article_date(text, os.path.basename(path), _sidecar(path, err))


def _sidecar(path: str, err: TextIO) -> dict[str, Any] | None:
    """Metadata beside the article, if any: ``NAME.json`` or ``NAME.meta.json`` for ``NAME.txt``."""
    stem = path.removesuffix(".txt")
    for candidate in (f"{stem}.json", f"{stem}.meta.json"):
        try:
            with open(candidate, encoding="utf-8") as f:
                meta = json.load(f)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as error:
            print(f"warning: {candidate}: unreadable metadata ({error}); the article's date comes from its text or name", file=err)
            return None
        return meta if isinstance(meta, dict) else None
    return None


def run_batch(
    paths: Sequence[str],
    sink: Sink | None = None,
    *,
    out: TextIO | None = None,
    engine: str = "local",
    jobs: int = 0,
    scheduler: str | None = None,
    settings: Settings,
    err: TextIO = sys.stderr,
) -> BatchReport:
    """Analyse every article under ``paths`` and write one record each to ``sink``, in input order.

    ``sink`` defaults to JSON lines on ``out`` (stdout when neither is given). Raises ``InputError``
    when there is no article at all; the sink is closed on success and aborted (nothing half-written is
    kept) on any exception.
    """
    started = time.perf_counter()
    sink = sink if sink is not None else JsonlSink(out or sys.stdout)
    names = iter_paths(paths)
    first = next(names, None)
    if first is None:
        raise InputError(f"no .txt articles in {', '.join(paths)}")
    work = chunks(read_items(_prepend(first, names), settings, err))
    if engine == "dask":
        # dask.distributed loads (~1 s) only for a Dask run.
        from geo.dask_engine import run_dask

        results = run_dask(work, jobs=jobs, scheduler=scheduler, settings=settings)
    elif engine == "local":
        results = run_local(work, jobs or os.cpu_count() or 1, settings)
    else:
        raise InputError(f"--engine must be local or dask, instead got: {engine!r}")
    progress = _Progress(err) if err.isatty() else None
    count = failed = 0
    try:
        for outcomes in results:
            for record, error in outcomes:
                count += 1
                if error is not None:
                    failed += 1
                    print(f"skipped: {error}", file=err)
                else:
                    sink.write(record)
                if progress:
                    progress.step(count)
        sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
        close = getattr(results, "close", None)
        if close:
            close()  # shuts the pool or cluster down now, not at garbage collection
        if progress:
            progress.done()
    return BatchReport(count, failed, time.perf_counter() - started)


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class _Progress:
    """A one-line counter on a terminal (the total is not known: the input is walked lazily)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream, self.clock, self.started, self.shown = stream, clock, clock(), 0.0

    def step(self, n: int) -> None:
        now = self.clock()
        if now - self.shown >= 0.5:
            self.shown = now
            self.stream.write(f"\r{n:,} articles · {n / max(now - self.started, 1e-9):,.0f}/s")
            self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
