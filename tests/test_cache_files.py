"""geo/cache.py as a file on a real disk: oversized fields, modes, symlinks, BOMs, disk full, a directory in
the way, a killed writer. Nothing stored is lost or torn, and every failure is one line, never a crash."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from geo.core.errors import CacheCorrupt, DataError
from geo.places.cache import CachedPlace, backup_path, load, load_or_recover, upsert

REPO = Path(__file__).resolve().parent.parent


def row(key: str, **kw: object) -> CachedPlace:
    values: dict = dict(key=key, name=key.title(), name_ar="", kind="city", lat=10.5, lon=20.25, country="FR",
                        source="nominatim", source_id="node/1", retrieved_at="2026-11-01T00:00:00+00:00")  # fmt: skip
    values.update(kw)
    return CachedPlace(**values)


def test_an_oversized_field_is_refused_and_a_damaged_one_recovered(tmp_cache: Path) -> None:
    with pytest.raises(ValueError, match="over the 300"):
        row("k" * 300_000)
    upsert(tmp_cache, [row("first")])
    upsert(tmp_cache, [row("second")])  # .bak holds "first"
    # A 300,000-character field appended by some other writer: csv's own field limit is 131,072.
    with tmp_cache.open("a", encoding="utf-8") as f:
        f.write("huge," + "x" * 300_000 + ",,city,1,2,FR,nominatim,,\n")
    with pytest.raises(CacheCorrupt, match="line 5"):
        load(tmp_cache)
    rows, note = load_or_recover(tmp_cache)
    assert set(rows) == {"first"} and "restored 1 rows" in note
    assert set(load(tmp_cache)) == {"first"}  # the next run reads the cache


def test_writing_keeps_the_file_mode(tmp_cache: Path) -> None:
    upsert(tmp_cache, [row("a")])
    assert stat.S_IMODE(tmp_cache.stat().st_mode) == 0o666 & ~_umask()
    tmp_cache.chmod(0o644)
    upsert(tmp_cache, [row("b")])
    assert stat.S_IMODE(tmp_cache.stat().st_mode) == 0o644
    assert stat.S_IMODE(backup_path(tmp_cache).stat().st_mode) == 0o644


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_row_seen_again_later_is_not_rewritten(tmp_cache: Path) -> None:
    upsert(tmp_cache, [row("a")])
    before = tmp_cache.read_bytes()
    assert upsert(tmp_cache, [replace(row("a"), retrieved_at="2026-11-29T00:00:00+00:00")]) == 0
    assert tmp_cache.read_bytes() == before and not backup_path(tmp_cache).exists()


def test_a_symlinked_backup_is_replaced_not_written_through(tmp_cache: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    upsert(tmp_cache, [row("a")])
    backup_path(tmp_cache).symlink_to(victim)
    upsert(tmp_cache, [row("b")])
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not backup_path(tmp_cache).is_symlink() and set(load(backup_path(tmp_cache))) == {"a"}


def test_a_damaged_table_with_a_damaged_backup_keeps_both_and_starts_empty(tmp_cache: Path) -> None:
    upsert(tmp_cache, [row("a")])
    upsert(tmp_cache, [row("b")])
    bak = backup_path(tmp_cache)
    bak.write_text(bak.read_text(encoding="utf-8")[:-10], encoding="utf-8")  # cut short
    damaged = tmp_cache.read_text(encoding="utf-8")[:-5]
    tmp_cache.write_text(damaged, encoding="utf-8")
    rows, note = load_or_recover(tmp_cache)
    assert rows == {} and "backup is damaged too" in note
    kept = {p.name: p.read_text(encoding="utf-8") for p in tmp_cache.parent.iterdir() if ".corrupt-" in p.name}
    assert damaged in kept.values() and len(kept) == 2
    assert load(tmp_cache) == {} and upsert(tmp_cache, [row("c")]) == 1


def test_a_bom_is_not_damage(tmp_cache: Path) -> None:
    upsert(tmp_cache, [row("a")])
    tmp_cache.write_bytes(b"\xef\xbb\xbf" + tmp_cache.read_bytes())
    assert set(load(tmp_cache)) == {"a"}
    assert upsert(tmp_cache, [row("b")]) == 1 and set(load(tmp_cache)) == {"a", "b"}


def test_a_stale_temporary_file_of_a_killed_writer_is_removed(tmp_cache: Path) -> None:
    upsert(tmp_cache, [row("a")])
    stale = tmp_cache.parent / f".{tmp_cache.name}.k1ll3d.tmp"
    stale.write_text("half a table", encoding="utf-8")
    upsert(tmp_cache, [row("b")])
    assert not stale.exists()


def test_a_directory_at_the_cache_path_is_a_data_error(tmp_cache: Path) -> None:
    tmp_cache.mkdir(parents=True)
    with pytest.raises(DataError, match="is a directory"):
        load_or_recover(tmp_cache)
    with pytest.raises(DataError, match="is a directory"):
        upsert(tmp_cache, [row("a")])


def test_a_symlinked_lock_is_a_data_error(tmp_cache: Path, tmp_path: Path) -> None:
    tmp_cache.parent.mkdir(parents=True)
    Path(str(tmp_cache) + ".lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(DataError, match="cannot take the cache lock"):
        upsert(tmp_cache, [row("a")])


def test_disk_full_is_one_line_and_the_table_is_intact(tmp_cache: Path) -> None:
    """A process whose file-size limit is reached (EFBIG, as ENOSPC on a full disk) fails to write: the CLI's one line."""
    upsert(tmp_cache, [row(f"r{i}") for i in range(50)])
    before = tmp_cache.read_bytes()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from geo.places.cache import CachedPlace, upsert
        from geo.core.errors import DataError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
        try:
            upsert(Path({str(tmp_cache)!r}), [CachedPlace("new", "New", "", "city", 1, 2, "FR", "nominatim", "", "")])
        except DataError as err:
            print("DataError:", err)
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("DataError:") and "cannot write the places cache" in r.stdout, (r.stdout, r.stderr)
    assert r.stdout.count("\n") == 1 and "Traceback" not in r.stderr
    assert tmp_cache.read_bytes() == before
    assert not [p for p in tmp_cache.parent.iterdir() if p.name.endswith(".tmp")]


def test_cli_reports_a_directory_cache_in_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("They met in Paris and flew to Moscow.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache-dir"
    cache_dir.mkdir()
    r = subprocess.run([sys.executable, "-m", "geo", "geocode", str(article), "--cache", str(cache_dir)],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "internal failure" not in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [f"error: {cache_dir} is a directory: give the places cache a file path (--cache or $GEO_PLACES_CACHE)"]
