"""A run as Parquet tables: ``articles``, ``places``, ``mentions``, ``routes``, ``links`` (pyarrow).

``-o DIR`` gets one folder per table, each holding ``part-00000.parquet``, ``part-00001.parquet``, …:
records are buffered :data:`ROWS_PER_GROUP` articles at a time and written as one row group per
table, and a part is closed every :data:`GROUPS_PER_PART` row groups (a writer keeps the metadata of
its row groups in memory until it closes, so parts keep that bounded too). Every row carries
``article``, the record's position in the run, which joins the tables. ``pandas.read_parquet(DIR /
"places")`` reads a table back.

The folder appears only when the run is complete: the tables are written into a hidden sibling
folder which is renamed into place on success, and removed on failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.core.errors import InputError, OutputExists

ROWS_PER_GROUP = 512
GROUPS_PER_PART = 64
TABLES = ("articles", "places", "mentions", "routes", "links")


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    ids = pa.list_(pa.int32())
    return {
        "articles": pa.schema([
            ("article", pa.int64()), ("path", pa.string()), ("date", pa.string()), ("title", pa.string()),
            ("language", pa.string()),
            ("passages", pa.list_(pa.struct([("id", pa.int32()), ("start", pa.int64()), ("end", pa.int64()),
                                             ("text", pa.string()), ("heading", pa.bool_())]))),
            ("unresolved", pa.list_(pa.string())),
        ]),
        "places": pa.schema([
            ("article", pa.int64()), ("id", pa.string()), ("name", pa.string()), ("name_ar", pa.string()),
            ("kind", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("country", pa.string()),
            ("source", pa.string()), ("source_id", pa.string()), ("confidence", pa.float64()), ("mentions", pa.int32()),
        ]),
        "mentions": pa.schema([
            ("article", pa.int64()), ("place", pa.string()), ("passage", pa.int32()), ("start", pa.int64()),
            ("end", pa.int64()), ("text", pa.string()), ("adjectival", pa.bool_()),
        ]),
        "routes": pa.schema([
            ("article", pa.int64()), ("id", pa.string()), ("mode", pa.string()), ("stops", pa.list_(pa.string())),
            ("path", pa.list_(pa.list_(pa.float64()))), ("length_km", pa.float64()), ("on_rail", pa.bool_()),
            ("when", pa.string()), ("passages", ids),
        ]),
        "links": pa.schema([
            ("article", pa.int64()), ("id", pa.string()), ("kind", pa.string()), ("status", pa.string()),
            ("places", pa.list_(pa.string())), ("directed", pa.bool_()), ("weight", pa.int32()), ("passages", ids),
        ]),
    }  # fmt: skip


def record_rows(article: int, record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One run record (``{"path", "date", **story_to_dict}``) as rows of the five tables."""
    places = record["places"]
    return {
        "articles": [{
            "article": article, "path": record.get("path", ""), "date": record.get("date", ""),
            "title": record["title"], "language": record["language"], "passages": record["passages"],
            "unresolved": record["unresolved"],
        }],
        "places": [
            {"article": article, **{k: v for k, v in p.items() if k != "mentions"}, "mentions": len(p["mentions"])}
            for p in places
        ],
        "mentions": [{"article": article, "place": p["id"], **m} for p in places for m in p["mentions"]],
        "routes": [{"article": article, **r} for r in record["routes"]],
        "links": [{"article": article, **lk} for lk in record["links"]],
    }  # fmt: skip


class ParquetSink:
    """Streams records into the five tables under ``target`` (see the module docstring)."""

    def __init__(self, target: str | os.PathLike[str], *, force: bool = False) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError as err:
            raise InputError("--format parquet needs pyarrow: pip install 'geo-storymap[corpus]'") from err
        self.target = Path(target)
        self.force = force
        self.staging = _staging_dir(self.target, force)
        self.schemas = _schemas()
        self.buffer: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.buffered = self.articles = self.groups = self.part = 0
        self.writers: dict[str, Any] = {}

    def write(self, record: dict[str, Any]) -> None:
        for table, rows in record_rows(self.articles, record).items():
            self.buffer[table].extend(rows)
        self.articles += 1
        self.buffered += 1
        if self.buffered >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.writers:
            for table in TABLES:
                folder = self.staging / table
                folder.mkdir(exist_ok=True)
                self.writers[table] = pq.ParquetWriter(folder / f"part-{self.part:05d}.parquet", self.schemas[table])
        for table in TABLES:
            batch = pa.Table.from_pylist(self.buffer[table], schema=self.schemas[table])
            self.writers[table].write_table(batch, row_group_size=max(1, batch.num_rows))
            self.buffer[table].clear()
        self.buffered = 0
        self.groups += 1
        if self.groups >= GROUPS_PER_PART:
            self._close_part()

    def _close_part(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers = {}
        self.groups = 0
        self.part += 1

    def close(self) -> None:
        if self.buffered or self.articles == 0:
            self._flush()  # an empty run still gets its five (empty) tables, so readers find the schema
        if self.writers:
            self._close_part()
        _publish(self.staging, self.target, self.force)

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # already failing: the staging folder goes anyway
                pass
        shutil.rmtree(self.staging, ignore_errors=True)


def _staging_dir(target: Path, force: bool) -> Path:
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file; --format parquet writes a folder, give a folder path")
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists; pass --force to replace it, or choose another folder")
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist; create it first or choose another path")
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial-"))


def _publish(staging: Path, target: Path, force: bool) -> None:
    """Move the finished folder into place; an old one (``force``) is replaced only once the new one is whole."""
    os.chmod(staging, 0o755)  # mkdtemp makes it owner-only; a run is meant to be shared
    old = None
    if target.exists():
        if not force:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputExists(f"{target} appeared while the run was written; pass --force to replace it")
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        os.rename(target, old / "run")
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def iter_table(folder: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one table folder, in run order, a row group at a time (never the whole table)."""
    import pyarrow.parquet as pq

    for part in sorted(folder.glob("part-*.parquet")):
        pf = pq.ParquetFile(part)
        for batch in pf.iter_batches(columns=columns):
            yield from batch.to_pylist()
