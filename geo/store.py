"""The article store: every pasted, uploaded or published article and its corrections, in one SQLite file.

An article is kept under a content id (a hash of its text), with its title, language and time; each
correction is a row (a JSON object, see ``geo.story.corrections``) in the order it was made, marked when
undone. The file is in WAL mode and every write is one ``BEGIN IMMEDIATE`` transaction with
``synchronous=FULL``, so concurrent sessions queue instead of failing and a crash (even a kill in the
middle of a write) leaves the last committed state. The schema is versioned with ``PRAGMA user_version``.

Where: ``Settings.store`` (``$GEO_STORE`` if set, else ``articles.sqlite3`` in the user data folder), passed
in by the entry points. Nothing else in the package touches this file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from geo.core.errors import DataError, InputError

STORE_ENV = "GEO_STORE"
SCHEMA_VERSION = 1
MAX_TEXT_BYTES = 10 * 1024 * 1024  # the CLI's limit for one article
MAX_TITLE_CHARS = 300
MAX_ARTICLES = 100_000  # beyond this the store refuses new articles instead of growing without bound
MAX_CORRECTIONS = 2_000  # per article, undone ones included
MAX_CORRECTION_BYTES = 64 * 1024  # one correction is a few hundred bytes
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another session's transaction

_SCHEMA = """
CREATE TABLE articles (
    id       TEXT PRIMARY KEY,
    title    TEXT NOT NULL,
    language TEXT NOT NULL,
    text     TEXT NOT NULL,
    created  REAL NOT NULL
);
CREATE TABLE corrections (
    article  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    body     TEXT NOT NULL,
    created  REAL NOT NULL,
    undone   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article, seq)
);
"""


class StoreError(DataError):
    """The store file cannot be opened, read or written (message says which file and why)."""


class StoreFull(InputError):
    """A size limit of the store was reached."""


class ArticleUnknown(InputError, KeyError):
    """No article with that id in this store."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class StoredArticle:
    id: str
    title: str
    language: str
    text: str
    created: float


@dataclass(frozen=True)
class StoredCorrection:
    seq: int
    body: dict[str, Any]
    created: float
    undone: bool


def content_id(text: str) -> str:
    """The id of an article: the first 16 hex digits of the SHA-256 of its text (same text, same id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Store:
    """One store file. Cheap to make: each call opens its own connection, so threads and processes can share it."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)

    # --- articles ---------------------------------------------------------------------------------

    def put_article(self, text: str, title: str = "", language: str = "") -> StoredArticle:
        """Store an article (idempotent: the same text keeps its first id, title and time)."""
        if not text.strip():
            raise InputError("the article is empty; paste or give some text")
        size = len(text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise StoreFull(f"the article is {size / 1e6:.1f} MB; the store keeps articles up to {MAX_TEXT_BYTES // 2**20} MB")
        if not language:
            from geo.core.text import language as detect

            language = detect(text)
        aid = content_id(text)
        title = " ".join(title.split())[:MAX_TITLE_CHARS]
        with self._read() as db:  # the page stores what it shows on every run: most calls find it there
            row = db.execute("SELECT id, title, language, text, created FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is not None:
            return StoredArticle(*row)
        with self._write() as db:
            row = db.execute("SELECT id, title, language, text, created FROM articles WHERE id = ?", (aid,)).fetchone()
            if row is not None:
                return StoredArticle(*row)
            (count,) = db.execute("SELECT count(*) FROM articles").fetchone()
            if count >= MAX_ARTICLES:
                raise StoreFull(f"{self.path} holds {count} articles, its limit; archive it and set {STORE_ENV} to a new file")
            now = time.time()
            db.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", (aid, title, language, text, now))
        return StoredArticle(aid, title, language, text, now)

    def article(self, article_id: str) -> StoredArticle:
        with self._read() as db:
            row = db.execute(
                "SELECT id, title, language, text, created FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise ArticleUnknown(f"no article {article_id!r} in the store {self.path}")
        return StoredArticle(*row)

    def articles(self, limit: int = 100) -> list[StoredArticle]:
        """The newest articles first (texts included)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT id, title, language, text, created FROM articles ORDER BY created DESC, id LIMIT ?", (limit,)
            ).fetchall()
        return [StoredArticle(*r) for r in rows]

    # --- corrections ------------------------------------------------------------------------------

    def add_correction(self, article_id: str, body: dict[str, Any]) -> int:
        """Append a correction; undone ones after the last active one are dropped (no redo past a new edit)."""
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True)
        if len(raw.encode("utf-8")) > MAX_CORRECTION_BYTES:
            raise StoreFull(f"a correction is limited to {MAX_CORRECTION_BYTES // 1024} KB")
        with self._write() as db:
            self._require(db, article_id)
            db.execute("DELETE FROM corrections WHERE article = ? AND undone = 1", (article_id,))
            count, last = db.execute(
                "SELECT count(*), coalesce(max(seq), 0) FROM corrections WHERE article = ?", (article_id,)
            ).fetchone()
            if count >= MAX_CORRECTIONS:
                raise StoreFull(f"article {article_id} has {count} corrections, the limit")
            db.execute(
                "INSERT INTO corrections (article, seq, body, created) VALUES (?, ?, ?, ?)",
                (article_id, last + 1, raw, time.time()),
            )
        return last + 1

    def undo(self, article_id: str) -> int | None:
        """Mark the last active correction undone; its seq, or None when there is nothing to undo."""
        with self._write() as db:
            self._require(db, article_id)
            row = db.execute(
                "SELECT max(seq) FROM corrections WHERE article = ? AND undone = 0", (article_id,)
            ).fetchone()
            if row[0] is None:
                return None
            db.execute("UPDATE corrections SET undone = 1 WHERE article = ? AND seq = ?", (article_id, row[0]))
            return int(row[0])

    def redo(self, article_id: str) -> int | None:
        """Bring back the first undone correction; its seq, or None."""
        with self._write() as db:
            self._require(db, article_id)
            row = db.execute("SELECT min(seq) FROM corrections WHERE article = ? AND undone = 1", (article_id,)).fetchone()
            if row[0] is None:
                return None
            db.execute("UPDATE corrections SET undone = 0 WHERE article = ? AND seq = ?", (article_id, row[0]))
            return int(row[0])

    def corrections(self, article_id: str, *, include_undone: bool = False) -> list[StoredCorrection]:
        """The article's corrections in the order they were made (active ones only by default)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT seq, body, created, undone FROM corrections WHERE article = ? ORDER BY seq", (article_id,)
            ).fetchall()
        out = []
        for seq, body, created, undone in rows:
            if undone and not include_undone:
                continue
            try:
                parsed = json.loads(body)
            except ValueError as err:
                raise StoreError(f"{self.path}: correction {seq} of {article_id} is not JSON ({err})") from err
            out.append(StoredCorrection(seq, parsed, created, bool(undone)))
        return out

    # --- connections ------------------------------------------------------------------------------

    def _require(self, db: sqlite3.Connection, article_id: str) -> None:
        if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise ArticleUnknown(f"no article {article_id!r} in the store {self.path}")

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), never opened behind our back.
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open the article store {self.path}: {err}; set {STORE_ENV} to a writable file") from err
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")  # a committed correction survives power loss, not only a crash
            # Cheap on every connection, and it notices a store file replaced while the server runs.
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self._migrate(db)
        except sqlite3.DatabaseError as err:
            db.close()
            raise StoreError(f"{self.path} is not a usable article store ({err}); move it away or set {STORE_ENV}") from err
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Create the schema in a new file; refuse a file from a newer version."""
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.DatabaseError(f"journal mode {mode}, WAL needed")
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                if tables:
                    raise sqlite3.DatabaseError("tables without a schema version: not a geo-storymap store")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema version {version} is newer than this program's {SCHEMA_VERSION}; upgrade geo-storymap")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            yield db
        except sqlite3.Error as err:
            raise StoreError(f"cannot read the article store {self.path}: {err}") from err
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole at the end of the block, or rolled back."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock between two writers
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise StoreError(f"cannot write the article store {self.path}: {err}") from err
        finally:
            db.close()
