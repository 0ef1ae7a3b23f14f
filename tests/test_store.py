"""Tests for geo/store.py: a real SQLite file, real concurrent processes, a real kill in the middle of a write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geo.core.errors import InputError
from geo.core.settings import Settings
from geo.store import (
    MAX_TEXT_BYTES,
    SCHEMA_VERSION,
    ArticleUnknown,
    Store,
    StoreError,
    StoreFull,
    content_id,
)

REPO = Path(__file__).resolve().parent.parent
TEXT = "The delegation flew from Oslo to Lisbon on Monday.\nTalks continued in Lisbon.\n"


def test_an_article_is_kept_under_its_content_id_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite3")
    first = store.put_article(TEXT, "Talks in   Lisbon")
    again = store.put_article(TEXT, "Another title")
    assert first.id == content_id(TEXT) == again.id
    assert again.title == "Talks in Lisbon", "the same text keeps its first title (whitespace folded)"
    assert first.language == "en"
    reopened = Store(tmp_path / "a.sqlite3").article(first.id)
    assert (reopened.text, reopened.title, reopened.language) == (TEXT, "Talks in Lisbon", "en")
    assert [a.id for a in store.articles()] == [first.id]
    assert store.put_article("نص آخر عن مدينة عمان.\n").language == "ar"


def test_corrections_are_rows_in_order_with_undo_and_redo(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite3")
    aid = store.put_article(TEXT).id
    assert store.add_correction(aid, {"op": "remove_place", "target": "oslo"}) == 1
    assert store.add_correction(aid, {"op": "remove_route", "target": "oslo-lisbon-plane"}) == 2
    assert [c.body["op"] for c in store.corrections(aid)] == ["remove_place", "remove_route"]
    assert store.undo(aid) == 2
    assert [c.seq for c in store.corrections(aid)] == [1]
    assert [c.undone for c in store.corrections(aid, include_undone=True)] == [False, True]
    assert store.redo(aid) == 2 and len(store.corrections(aid)) == 2
    store.undo(aid)
    store.add_correction(aid, {"op": "remove_link", "target": "x"})
    assert [(c.seq, c.body["op"]) for c in store.corrections(aid, include_undone=True)] == [(1, "remove_place"), (2, "remove_link")], \
        "a new correction after an undo drops the undone one (no redo past it)"
    assert store.undo(aid) == 2 and store.undo(aid) == 1 and store.undo(aid) is None


def test_unknown_ids_and_bad_input_give_one_line_errors(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite3")
    with pytest.raises(ArticleUnknown, match="no article 'feedface' in the store"):
        store.article("feedface")
    with pytest.raises(ArticleUnknown):
        store.add_correction("feedface", {"op": "remove_place", "target": "x"})
    with pytest.raises(InputError, match="empty"):
        store.put_article("  \n ")
    with pytest.raises(StoreFull, match="MB"):
        store.put_article("x" * (MAX_TEXT_BYTES + 1))
    aid = store.put_article(TEXT).id
    with pytest.raises(StoreFull, match="KB"):
        store.add_correction(aid, {"op": "add_place", "spans": [[0, 1]] * 20_000})
    assert store.corrections(aid) == [], "a refused correction leaves nothing behind"


def test_a_file_that_is_not_a_store_is_refused_and_left_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"these are my notes, not a database" * 50)
    with pytest.raises(StoreError, match="not a usable article store.*GEO_STORE"):
        Store(junk).articles()
    assert junk.read_bytes().startswith(b"these are my notes")

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a geo-storymap store"):
        Store(other).articles()


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Store(path).put_article(TEXT)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this program"):
        Store(path).article(content_id(TEXT))


def test_path_comes_from_geo_store_else_the_user_data_folder(tmp_path: Path) -> None:
    assert Settings.from_env({"GEO_STORE": str(tmp_path / "x.sqlite3")}).store == tmp_path / "x.sqlite3"
    assert Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "data")}).store.name == "articles.sqlite3"
    assert Settings.from_env({}).store.parent == Settings.from_env({}).places_cache.parent, "beside the places cache"


_WRITER = textwrap.dedent(
    """
    import sys
    from geo.store import Store
    store, aid, who, n = Store(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    store.put_article(sys.argv[5], "from " + who)  # every writer also stores the same article: one row stays
    for k in range(n):
        seq = store.add_correction(aid, {"op": "remove_place", "target": f"{who}-{k}"})
        print(seq, flush=True)
    """
)


def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    aid = Store(path).put_article(TEXT).id
    writers, each = 6, 25
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), aid, f"w{w}", str(each), TEXT],
                         cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(writers)
    ]
    acknowledged = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        acknowledged += [int(x) for x in out.split()]
    rows = Store(path).corrections(aid)
    assert [c.seq for c in rows] == list(range(1, writers * each + 1)), "one seq per write, no gap, no duplicate"
    assert sorted(acknowledged) == [c.seq for c in rows]
    assert {c.body["target"] for c in rows} == {f"w{w}-{k}" for w in range(writers) for k in range(each)}
    assert len(Store(path).articles()) == 1


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from geo.store import Store
    store = Store(sys.argv[1])
    with store._write() as db:  # the transaction every write uses
        db.execute("INSERT INTO corrections (article, seq, body, created) VALUES (?, 99, '{}', 0)", (sys.argv[2],))
        db.execute("UPDATE articles SET title = 'torn' WHERE id = ?", (sys.argv[2],))
        print("inside", flush=True)
        time.sleep(120)
    """
)


def test_a_kill_in_the_middle_of_a_write_leaves_the_old_state(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    store = Store(path)
    aid = store.put_article(TEXT, "Before").id
    store.add_correction(aid, {"op": "remove_place", "target": "oslo"})
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), aid], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "inside"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = Store(path)
    assert after.article(aid).title == "Before"
    assert [(c.seq, c.body) for c in after.corrections(aid)] == [(1, {"op": "remove_place", "target": "oslo"})]
    assert after.add_correction(aid, {"op": "remove_link", "target": "x"}) == 2, "the lock died with the writer"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_killing_a_busy_writer_at_any_moment_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    aid = Store(path).put_article(TEXT).id
    for delay in (0.3, 0.55, 0.8):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), aid, f"k{delay}", "100000", TEXT],
                                cwd=REPO, stdout=subprocess.PIPE, text=True)
        time.sleep(delay)  # somewhere in a stream of writes (not a timing assertion: any moment will do)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        acknowledged = [int(x) for x in out.split()]
        seqs = [c.seq for c in Store(path).corrections(aid)]
        assert seqs == list(range(1, len(seqs) + 1)), "no torn or missing row"
        assert set(acknowledged) <= set(seqs), "every write the writer saw committed is there"
    assert len(seqs) >= 10, f"the writers were killed while writing ({len(seqs)} rows)"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
