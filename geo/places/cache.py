"""The places cache: an explicit CSV table of geocoded places, keyed by normalised name.

File layout: a first line ``# geo-storymap places cache, schema N`` then a CSV header (``COLUMNS``) and rows.
Writes are serialised across processes with a file lock, go to a temporary file in the same folder and
replace the table atomically; the previous good table is kept beside it as ``<name>.bak``. A table that
fails validation on load raises ``CacheCorrupt`` — or, through ``load_or_recover``, is replaced by the last
good copy — and is never silently overwritten.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from geo.core.errors import CacheCorrupt, DataError
from geo.core.model import KINDS, validate_latlon
from geo.core.resources import data_file

SCHEMA_VERSION = 1
MAGIC = "# geo-storymap places cache, schema "
COLUMNS = ("key", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "retrieved_at")
SOURCES = ("geonames", "cldr", "curated", "nominatim")
EMBEDDED_NAME = "places.csv"  # the table shipped in the package: read under the user's, never written
LOCK_TIMEOUT_S = 30
MAX_FIELD_CHARS = 300  # a place name is far shorter; a longer field is damage, not data


@dataclass(frozen=True)
class CachedPlace:
    """One row of the cache: a geocoded name with its provenance."""

    key: str
    name: str
    name_ar: str
    kind: str
    lat: float
    lon: float
    country: str
    source: str
    source_id: str
    retrieved_at: str

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("empty key")
        for name in ("key", "name", "name_ar", "country", "source_id", "retrieved_at"):
            value = getattr(self, name)
            if len(value) > MAX_FIELD_CHARS:
                raise ValueError(f"{name} is {len(value):,} characters, over the {MAX_FIELD_CHARS} a cache field may hold")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, got {self.source!r}")
        validate_latlon(self.lat, self.lon)
        if self.retrieved_at:
            datetime.fromisoformat(self.retrieved_at)  # ValueError for a damaged timestamp


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --- reading -------------------------------------------------------------------------------------------


def parse(text: str, where: str = "cache") -> dict[str, CachedPlace]:
    """Parse and validate a cache table; raise ``CacheCorrupt`` saying which line is wrong and what to do."""
    if text and not text.endswith("\n"):
        last = text.count("\n") + 1
        raise CacheCorrupt(f"{where} line {last}: the table ends mid-line — it was cut short while being written")
    lines = text.splitlines(keepends=True)
    version = 0
    if lines and lines[0].startswith(MAGIC):
        try:
            version = int(lines[0][len(MAGIC):].strip())
        except ValueError as err:
            raise CacheCorrupt(f"{where}: unreadable schema line {lines[0].strip()!r}") from err
        lines = lines[1:]
    if version > SCHEMA_VERSION:
        raise CacheCorrupt(f"{where}: schema {version} is newer than this program ({SCHEMA_VERSION}): upgrade geo-storymap")
    reader = csv.DictReader(io.StringIO("".join(lines)))
    rows: dict[str, CachedPlace] = {}
    n = 2 if version else 1
    try:
        if not reader.fieldnames:
            return {}
        for n, raw in enumerate(reader, start=3 if version else 2):
            place = _row(raw, version, f"{where} line {n}")
            rows[place.key] = place
    except csv.Error as err:  # a field past csv's size limit, a NUL byte: damage, not a crash
        raise CacheCorrupt(f"{where} line {n + 1}: {err}") from err
    return rows


def _row(raw: dict, version: int, where: str) -> CachedPlace:
    """One row, migrated and validated; ``CacheCorrupt`` naming ``where`` (file and line) if it is wrong."""
    row = _migrate(raw, version)
    if None in raw or any(row.get(c) is None for c in COLUMNS):
        raise CacheCorrupt(f"{where}: expected columns {', '.join(COLUMNS)} — the table is truncated or edited by hand")
    try:
        return CachedPlace(**{**row, "lat": float(row["lat"]), "lon": float(row["lon"])})
    except (TypeError, ValueError) as err:
        raise CacheCorrupt(f"{where}: {err}") from err


def _migrate(row: dict, version: int) -> dict:
    """Bring a row of an older schema to the current columns (schema 0: no magic line, ``source_ref`` column)."""
    if version == 0:
        row = dict(row)
        if "source_ref" in row and "source_id" not in row:
            row["source_id"] = row.pop("source_ref")
        row.setdefault("retrieved_at", "")
        row.setdefault("name_ar", "")
    return {c: row.get(c) for c in COLUMNS}


def load(path: Path) -> dict[str, CachedPlace]:
    """The cache at ``path``; an absent file is an empty cache."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from an editor is not damage
    except FileNotFoundError:
        return {}
    except IsADirectoryError as err:
        raise DataError(f"{path} is a directory: give the places cache a file path (--cache or $GEO_PLACES_CACHE)") from err
    except (OSError, UnicodeDecodeError) as err:
        raise CacheCorrupt(f"{path}: cannot read the places cache ({err})") from err
    return parse(text, str(path))


@functools.lru_cache(maxsize=1)
def embedded() -> dict[str, CachedPlace]:
    """The places table shipped in the package (what the project's own online lookups found)."""
    return load(data_file(EMBEDDED_NAME))


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def load_or_recover(path: Path) -> tuple[dict[str, CachedPlace], str]:
    """Load the cache; if it is corrupt, restore the last good copy. Returns (rows, a note for the user or "").

    The damaged table is always kept beside it (``<name>.corrupt-<time>``); a damaged backup too. With no
    usable backup the table starts empty, so later writes work.
    """
    try:
        return load(path), ""
    except CacheCorrupt as err:
        bak = backup_path(path)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        corrupt = path.with_name(f"{path.name}.corrupt-{stamp}")
        with _lock(path):
            _guard_os(path, lambda: shutil.copyfile(path, corrupt))  # keep the damaged table for inspection
            try:
                good = load(bak) if bak.is_file() and not bak.is_symlink() else None
                why = "no backup"
            except (CacheCorrupt, DataError) as bak_err:
                good, why = None, f"the backup is damaged too ({bak_err})"
                _guard_os(bak, lambda: shutil.copyfile(bak, bak.with_name(f"{bak.name}.corrupt-{stamp}")))
            _atomic_write(path, _serialise((good or {}).values()))
        kept = f"restored {len(good)} rows from {bak.name}" if good is not None else f"{why}: starting empty"
        return good or {}, f"{err}; {kept}; the damaged file is kept as {corrupt.name}"


# --- writing -------------------------------------------------------------------------------------------


def upsert(path: Path, places: Iterable[CachedPlace]) -> int:
    """Add or replace rows by key, under the lock, atomically. Returns the number of rows changed.

    A row equal to the stored one but for its retrieval time is no change: the file is not rewritten.
    """
    new = list(places)
    if not new:
        return 0
    _guard_os(path, lambda: path.parent.mkdir(parents=True, exist_ok=True))
    with _lock(path):
        current = load(path)  # corrupt → raise: never overwrite a table we could not read
        changed = [p for p in new if _content(current.get(p.key)) != _content(p)]
        if not changed:
            return 0
        _remove_stale_temporaries(path)
        if path.exists():
            _atomic_write(backup_path(path), _guard_os(path, lambda: path.read_text(encoding="utf-8-sig")), like=path)
        for p in changed:
            current[p.key] = p
        _atomic_write(path, _serialise(current.values()))
    return len(changed)


def _content(p: CachedPlace | None) -> tuple | None:
    """What a row says, without when it was fetched."""
    return None if p is None else (p.name, p.name_ar, p.kind, round(p.lat, 5), round(p.lon, 5), p.country, p.source, p.source_id)


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed writer left (only writers holding the lock make them, and we hold it)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        tmp.unlink(missing_ok=True)


def _guard_os(path: Path, action):  # type: ignore[no-untyped-def]
    """Run a file action; an ``OSError`` (disk full, permissions, a directory in the way) becomes a one-line ``DataError``."""
    try:
        return action()
    except OSError as err:
        raise DataError(f"{path}: cannot write the places cache ({err.strerror or err}); free space or fix the path") from err


def _serialise(rows: Iterable[CachedPlace]) -> str:
    out = io.StringIO()
    out.write(f"{MAGIC}{SCHEMA_VERSION}\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in sorted(rows, key=lambda r: r.key):
        d = asdict(p)
        d["lat"], d["lon"] = f"{p.lat:.5f}", f"{p.lon:.5f}"
        w.writerow([d[c] for c in COLUMNS])
    return out.getvalue()


def _atomic_write(path: Path, text: str, like: Path | None = None) -> None:
    """Replace ``path`` (a symlink there is replaced, never written through) with ``text``, keeping the mode
    of ``like`` (default: ``path``) or, for a new file, the usual 0666 less the umask."""
    mode = _mode_of(like or path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise DataError(f"{path}: cannot write the places cache ({err.strerror or err}); free space or fix the path") from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise DataError(f"{path}: cannot write the places cache ({err.strerror or err}); free space or fix the path") from err
        raise


def _mode_of(path: Path) -> int:
    try:
        st = os.lstat(path)
        if not os.path.islink(path):
            return st.st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class _lock:
    """The cross-process lock of a cache file, with an actionable error on timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except Timeout as err:
            raise DataError(f"{self.path}: another process holds the cache lock for over {LOCK_TIMEOUT_S}s; retry, or delete {self.path}.lock if no geo process runs") from err
        except OSError as err:  # a symlink or a folder where the lock file goes, a read-only folder
            raise DataError(f"{self.path}.lock: cannot take the cache lock ({err.strerror or err}); remove it if it is not a plain file") from err

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


assert tuple(f.name for f in fields(CachedPlace)) == COLUMNS
