"""geo/cache.py: the places cache survives damage, concurrent writers and old schemas without losing rows."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from geo.core.errors import CacheCorrupt, DataError
from geo.places import cache
from geo.places.cache import (
    COLUMNS,
    MAGIC,
    SCHEMA_VERSION,
    CachedPlace,
    backup_path,
    load,
    load_or_recover,
    parse,
    upsert,
)


def row(key: str, lat: float = 43.10562, lon: float = 131.87353, **kw: str) -> CachedPlace:
    values = dict(
        key=key, name=kw.pop("name", key.title()), name_ar="فلاديفوستوك", kind="city", lat=lat, lon=lon,
        country="RU", source="nominatim", source_id="node/123", retrieved_at="2026-11-01T00:00:00+00:00",
    )  # fmt: skip
    values.update(kw)
    return CachedPlace(**values)


ROWS = [row("فلاديفوستوك"), row("zeeland", 51.5, 3.8, country="NL", name="Zeeland", name_ar="", kind="region")]


def test_roundtrip(tmp_cache: Path) -> None:
    assert load(tmp_cache) == {}  # absent file: an empty cache, not an error
    assert upsert(tmp_cache, ROWS) == 2
    assert load(tmp_cache) == {r.key: r for r in ROWS}
    lines = tmp_cache.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{MAGIC}{SCHEMA_VERSION}"
    assert lines[1] == ",".join(COLUMNS)


def test_upsert_replaces_by_key_and_reports_changes(tmp_cache: Path) -> None:
    upsert(tmp_cache, ROWS)
    assert upsert(tmp_cache, ROWS) == 0  # nothing new: nothing written
    moved = row("zeeland", 51.49, 3.85, country="NL", name="Zeeland", name_ar="", kind="region")
    assert upsert(tmp_cache, [moved]) == 1
    table = load(tmp_cache)
    assert len(table) == 2 and table["zeeland"] == moved
    # The previous good table is kept beside it.
    assert load(backup_path(tmp_cache))["zeeland"] == ROWS[1]


def test_no_temporary_files_are_left(tmp_cache: Path) -> None:
    upsert(tmp_cache, ROWS)
    upsert(tmp_cache, [row("x-key")])
    leftovers = [p.name for p in tmp_cache.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_values_with_commas_quotes_and_newlines_survive(tmp_cache: Path) -> None:
    odd = row("odd", name='Saint-"Quote", Place', name_ar="سان،\nكوت")
    upsert(tmp_cache, [odd])
    assert load(tmp_cache)["odd"] == odd


# --- damage -----------------------------------------------------------------------------------------


def _written(path: Path) -> str:
    upsert(path, ROWS)
    return path.read_text(encoding="utf-8")


def test_truncated_file_is_corrupt_with_a_clear_message(tmp_cache: Path) -> None:
    text = _written(tmp_cache)
    tmp_cache.write_text(text[: text.rindex(",RU,") + 3], encoding="utf-8")  # cut inside the last row
    with pytest.raises(CacheCorrupt) as info:
        load(tmp_cache)
    message = str(info.value)
    assert str(tmp_cache) in message and "line 4" in message
    assert "truncated" in message or "cut short" in message


def test_file_truncated_inside_the_last_column_is_corrupt(tmp_cache: Path) -> None:
    text = _written(tmp_cache)
    tmp_cache.write_text(text[:-12], encoding="utf-8")  # a crash mid-write of a non-atomic copy, a bad download
    with pytest.raises(CacheCorrupt):
        load(tmp_cache)


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("43.10562", "forty-three", ["line", "could not convert"]),
        ("43.10562", "143.10562", ["line", "out of range"]),
        (",city,", ",town,", ["line", "kind"]),
        (",nominatim,", ",guesswork,", ["line", "source"]),
        (f"schema {SCHEMA_VERSION}", f"schema {SCHEMA_VERSION + 1}", ["newer", "upgrade"]),
        (f"schema {SCHEMA_VERSION}", "schema one", ["schema line"]),
    ],
)
def test_hand_edited_file_is_corrupt(tmp_cache: Path, old: str, new: str, words: list[str]) -> None:
    text = _written(tmp_cache)
    assert old in text
    tmp_cache.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CacheCorrupt) as info:
        load(tmp_cache)
    for w in words:
        assert w in str(info.value)


def test_non_utf8_file_is_corrupt(tmp_cache: Path) -> None:
    _written(tmp_cache)
    tmp_cache.write_bytes(tmp_cache.read_bytes() + b"\xff\xfe\x00bad")
    with pytest.raises(CacheCorrupt, match="cannot read"):
        load(tmp_cache)


def test_corrupt_is_a_data_error() -> None:
    assert issubclass(CacheCorrupt, DataError)


def test_upsert_never_overwrites_a_corrupt_table(tmp_cache: Path) -> None:
    text = _written(tmp_cache)
    damaged = text.replace("43.10562", "garbage", 1)
    tmp_cache.write_text(damaged, encoding="utf-8")
    with pytest.raises(CacheCorrupt):
        upsert(tmp_cache, [row("new-place")])
    assert tmp_cache.read_text(encoding="utf-8") == damaged


def test_load_or_recover_restores_the_backup_and_keeps_the_damaged_copy(tmp_cache: Path) -> None:
    upsert(tmp_cache, ROWS[:1])
    upsert(tmp_cache, ROWS[1:])  # .bak now holds the one-row table
    text = tmp_cache.read_text(encoding="utf-8")
    damaged = text[: text.rindex(",RU,") + 3]  # cut inside the last row
    tmp_cache.write_text(damaged, encoding="utf-8")

    rows, note = load_or_recover(tmp_cache)
    assert rows == {ROWS[0].key: ROWS[0]}
    assert "restored 1 rows" in note and ".bak" in note
    kept = [p for p in tmp_cache.parent.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].name in note
    assert kept[0].read_text(encoding="utf-8") == damaged
    # The table itself is good again, and writable.
    assert load(tmp_cache) == rows
    assert upsert(tmp_cache, ROWS[1:]) == 1 and len(load(tmp_cache)) == 2


def test_load_or_recover_without_backup_starts_empty(tmp_cache: Path) -> None:
    tmp_cache.parent.mkdir(parents=True)
    tmp_cache.write_text("key,name\nonly,two,three,four\n", encoding="utf-8")
    rows, note = load_or_recover(tmp_cache)
    assert rows == {} and "no backup" in note
    assert any(".corrupt-" in p.name for p in tmp_cache.parent.iterdir())


def test_load_or_recover_on_a_good_table_says_nothing(tmp_cache: Path) -> None:
    upsert(tmp_cache, ROWS)
    assert load_or_recover(tmp_cache) == ({r.key: r for r in ROWS}, "")


# --- schema migration ----------------------------------------------------------------------------------


def test_schema_0_table_migrates(tmp_cache: Path) -> None:
    tmp_cache.parent.mkdir(parents=True)
    tmp_cache.write_text(
        "key,name,kind,lat,lon,country,source,source_ref\nzeeland,Zeeland,region,51.5,3.8,NL,nominatim,relation/47806\n",
        encoding="utf-8",
    )
    old = load(tmp_cache)["zeeland"]
    assert (old.source_id, old.name_ar, old.retrieved_at) == ("relation/47806", "", "")
    # Writing upgrades the file to the current schema and keeps the old row.
    upsert(tmp_cache, [row("new-place")])
    text = tmp_cache.read_text(encoding="utf-8")
    assert text.startswith(f"{MAGIC}{SCHEMA_VERSION}\n")
    assert load(tmp_cache)["zeeland"] == old


def test_empty_file_is_an_empty_cache() -> None:
    assert parse("") == {}


def test_cached_place_rejects_bad_values() -> None:
    with pytest.raises(ValueError):
        row("k", lat=91)
    with pytest.raises(ValueError):
        row("k", kind="planet")
    with pytest.raises(ValueError):
        row("", lat=1)


# --- concurrency -------------------------------------------------------------------------------------------


def _writer(path: str, worker: int, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    """One process: wait for the others, then add 100 distinct places one upsert at a time."""
    start.wait(30)
    for i in range(100):
        upsert(Path(path), [row(f"w{worker}-p{i}", lat=(worker * 100 + i) / 10, lon=worker, name=f"Place {worker} {i}")])


def test_eight_processes_writing_at_once_lose_nothing(tmp_cache: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(str(tmp_cache), w, start)) for w in range(8)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=240)
    assert [p.exitcode for p in procs] == [0] * 8
    table = load(tmp_cache)  # parses: no interleaved or torn writes
    assert set(table) == {f"w{w}-p{i}" for w in range(8) for i in range(100)}
    assert table["w7-p99"].lat == pytest.approx(79.9)
    assert not [p for p in tmp_cache.parent.iterdir() if p.name.endswith(".tmp")]


def test_lock_timeout_is_an_actionable_error(tmp_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    tmp_cache.parent.mkdir(parents=True)
    monkeypatch.setattr(cache, "LOCK_TIMEOUT_S", 0.2)
    held = FileLock(str(tmp_cache) + ".lock")
    with held:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            message = pool.apply(_try_upsert, (str(tmp_cache),))
    assert "lock" in message and ".lock" in message
    assert not tmp_cache.exists()


def _try_upsert(path: str) -> str:
    cache.LOCK_TIMEOUT_S = 0.2
    try:
        upsert(Path(path), [row("k")])
    except DataError as err:
        return str(err)
    return "no error"
