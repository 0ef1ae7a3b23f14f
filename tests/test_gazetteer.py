"""geo/gazetteer.py: the on-disk index is reused, a damaged index is rebuilt, curated data is validated."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.places import gazetteer, sources
from geo.places.gazetteer import Gazetteer

HEADER = "name,lang,target,name_en,kind,lat,lon,country,source\n"


@pytest.fixture
def fresh_load() -> Iterator[None]:
    """Empty ``load``'s in-memory cache before and after, so each call really reads the disk."""
    gazetteer.load.cache_clear()
    yield
    gazetteer.load.cache_clear()


@pytest.fixture(scope="module")
def real() -> Gazetteer:
    return gazetteer.load()


def _pickle_path(cache_dir: Path) -> Path:
    return cache_dir / f"gazetteer-{gazetteer._fingerprint()}.pickle"


def _same(a: Gazetteer, b: Gazetteer) -> bool:
    return a.entries == b.entries and a.keys == b.keys and a.adjectives == b.adjectives and a.capitals == b.capitals


def _no_build() -> Gazetteer:
    raise AssertionError("build() was called although a current index is on disk")


def test_index_is_saved_and_reused(tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch, real: Gazetteer) -> None:
    built = []

    def build_once() -> Gazetteer:
        built.append(1)
        return real

    monkeypatch.setattr(gazetteer, "build", build_once)
    first = gazetteer.load(tmp_path)
    assert built == [1]
    path = _pickle_path(tmp_path)
    assert path.is_file()
    # No temporary files are left behind by the atomic save.
    assert [p.name for p in tmp_path.iterdir()] == [path.name]

    gazetteer.load.cache_clear()
    monkeypatch.setattr(gazetteer, "build", _no_build)
    second = gazetteer.load(tmp_path)
    assert second is not first  # really read back from disk
    assert _same(first, second)


def test_real_build_roundtrips_through_the_index(tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch) -> None:
    built = gazetteer.load(tmp_path)  # nothing on disk: the real build (GeoNames, CLDR, aliases)
    assert _pickle_path(tmp_path).is_file()
    assert len(built.entries) > 30000
    assert {"pyongyang", "vladivostok", "north-korea"} <= {e.id for e in built.entries}
    gazetteer.load.cache_clear()
    monkeypatch.setattr(gazetteer, "build", _no_build)
    assert _same(gazetteer.load(tmp_path), built)


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty (a crash while writing, before atomic saves)
        b"not a pickle at all",
        pickle.dumps({"entries": []}),  # a pickle of something else
    ],
    ids=["empty", "garbage", "wrong-object"],
)
def test_corrupt_index_is_rebuilt(
    tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch, real: Gazetteer, damage: bytes
) -> None:
    path = _pickle_path(tmp_path)
    path.write_bytes(damage)
    built = []
    monkeypatch.setattr(gazetteer, "build", lambda: built.append(1) or real)
    gaz = gazetteer.load(tmp_path)
    assert built == [1] and _same(gaz, real)
    # The damaged file was replaced by a good index.
    with path.open("rb") as f:
        assert _same(pickle.load(f), real)


def test_truncated_index_is_rebuilt(tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch, real: Gazetteer) -> None:
    path = _pickle_path(tmp_path)
    path.write_bytes(pickle.dumps(real)[:5000])
    monkeypatch.setattr(gazetteer, "build", lambda: real)
    assert _same(gazetteer.load(tmp_path), real)


def test_unwritable_cache_dir_still_loads(tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch, real: Gazetteer) -> None:
    # A file where the cache directory should be: saving fails, loading must not.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setattr(gazetteer, "build", lambda: real)
    assert _same(gazetteer.load(blocker), real)


def test_gazetteer_knows_arabic_and_english_forms(real: Gazetteer) -> None:
    from geo.core.text import name_key

    def ids(name: str) -> set[str]:
        return {e.id for e in real.candidates(name_key(name))}

    assert "seoul" in ids("سول")  # CLDR only
    assert "pyongyang" in ids("بيونج يانج")  # Egyptian spelling meets GeoNames' بيونغيانغ
    assert "washington" in ids("واشنطن")  # curated
    assert "russia" in ids("روسيا") and "russia" in ids("Russia")
    assert real.capital("KP") is not None and real.capital("KP").id == "pyongyang"
    assert real.country("RU") is not None and real.country("RU").kind == "country"


# --- curated data validation -----------------------------------------------------------------------------


def _aliases(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "aliases.csv"
    p.write_text("# a comment line\n" + HEADER + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "row, words",
    [
        ("بحر الغد,ar,,Sea of Tomorrow,water,north,10,,test\n", ["row", "بحر الغد", "numbers"]),
        ("بحر الغد,ar,,Sea of Tomorrow,water,95,10,,test\n", ["row", "بحر الغد", "out of range"]),
        ("بحر الغد,ar,,Sea of Tomorrow,water,10,190,,test\n", ["row", "بحر الغد", "out of range"]),
    ],
)
def test_alias_rows_are_validated(tmp_path: Path, row: str, words: list[str]) -> None:
    good = "بحر الأمس,ar,,Sea of Yesterday,water,10,10,,test\n"
    with pytest.raises(DataError) as info:
        sources.read_aliases(_aliases(tmp_path, good + row))
    message = str(info.value)
    assert "aliases.csv" in message
    for w in words:
        assert w in message


def test_short_alias_row_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="بحر الغد"):
        sources.read_aliases(_aliases(tmp_path, "بحر الغد,ar,,Sea of Tomorrow,water\n"))


def test_alias_header_is_validated(tmp_path: Path) -> None:
    p = tmp_path / "aliases.csv"
    p.write_text("name,lang,target\nواشنطن,ar,city:Washington@US\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing columns"):
        sources.read_aliases(p)


def test_shipped_aliases_are_valid() -> None:
    rows = sources.read_aliases(gazetteer.DATA_DIR / "aliases.csv")
    assert len(rows) > 20
    assert all(r["source"] for r in rows), "every curated row names its source"


@pytest.mark.parametrize(
    "row, named",
    [
        ("نغمة,ar,city:Nowhereville@US,,alias,,,,test\n", "Nowhereville"),
        ("نغمة,ar,country:QQ,,alias,,,,test\n", "QQ"),
    ],
)
def test_alias_targets_must_exist(tmp_path: Path, fresh_load: None, monkeypatch: pytest.MonkeyPatch, row: str, named: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(gazetteer.DATA_DIR, data)
    with (data / "aliases.csv").open("a", encoding="utf-8") as f:
        f.write(row)
    monkeypatch.setattr(gazetteer, "DATA_DIR", data)
    with pytest.raises(DataError) as info:
        gazetteer.build()
    assert "نغمة" in str(info.value) and named in str(info.value)


def test_false_friends_rows_are_validated(tmp_path: Path) -> None:
    p = tmp_path / "false_friends.csv"
    p.write_text("word,lang,mode,note\nصور,ar,cue,pictures\nجدة,ar,sometimes,grandmother\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 3"):
        sources.read_false_friends(p)
