"""Settings: built once from the environment by the entry points, with per-user folders by default."""

from __future__ import annotations

from pathlib import Path

from geo.core.resources import data_file
from geo.core.settings import MAX_ARTICLE_BYTES, Settings


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    env = {"GEO_CACHE_DIR": str(tmp_path / "g"), "GEO_PLACES_CACHE": str(tmp_path / "p.csv"), "GEO_NOMINATIM": "http://127.0.0.1:9"}
    s = Settings.from_env(env)
    assert s.cache_dir == tmp_path / "g"
    assert s.places_cache == tmp_path / "p.csv"
    assert s.nominatim_url == "http://127.0.0.1:9"
    assert s.max_article_bytes == MAX_ARTICLE_BYTES


def test_default_folders_are_per_user_and_follow_xdg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    s = Settings.from_env({})
    assert s.cache_dir == tmp_path / "xdg-cache" / "geo-storymap"
    assert s.places_cache == tmp_path / "xdg-data" / "geo-storymap" / "places.csv"
    assert s.nominatim_url == ""


def test_package_data_is_found_inside_the_package() -> None:
    for name in ("aliases.csv", "regions.csv", "cues.json", "rail_stations.csv", "world.geojson", "places.csv"):
        path = data_file(name)
        assert path.is_file(), name
        assert path.parent.parent.name == "geo"
