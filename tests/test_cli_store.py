"""The CLI's story GeoJSON, `publish` and `export` (self-contained by default, --cdn, --article) as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_cli import geo

from geo.core.model import Passage, Place, Route, Story
from geo.output import story_geojson
from geo.store import Store, content_id

ARTICLE = (
    "Ministers meet in Nairobi\n"
    "The foreign minister flew from Nairobi to Cairo via Addis Ababa on Monday.\n"
    "Officials in Paris voiced concern.\n"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"GEO_PLACES_CACHE": str(tmp_path / "places.csv"), "GEO_NOMINATIM": "", "GEO_STORE": str(tmp_path / "store.sqlite3")}


def test_extract_seed_as_geojson_has_points_and_lines(seed_path: Path, env: dict[str, str]) -> None:
    r = geo("extract", seed_path, "--format", "geojson", env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["type"] == "FeatureCollection" and data["corrections"] == 0
    by_layer: dict[str, list[dict]] = {}
    for f in data["features"]:
        by_layer.setdefault(f["properties"]["layer"], []).append(f)
    assert len(by_layer["place"]) >= 12 and all(f["geometry"]["type"] == "Point" for f in by_layer["place"])
    lines = by_layer["route"] + by_layer["link"]
    assert by_layer["route"] and by_layer["link"]
    assert all(f["geometry"]["type"] in ("LineString", "MultiLineString") for f in lines)
    assert any(f["geometry"]["type"] == "LineString" for f in by_layer["link"])
    for f in lines:
        parts = f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiLineString" else [f["geometry"]["coordinates"]]
        assert all(len(p) >= 2 and all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in p) for p in parts)
    route = by_layer["route"][0]["properties"]
    assert {"mode", "stops", "length_km", "passages"} <= set(route) and route["mode"] == "train"
    link = by_layer["link"][0]["properties"]
    assert {"kind", "status", "places", "directed", "passages"} <= set(link)
    cited = {p["id"] for p in data["passages"]}
    assert all(set(f["properties"]["passages"]) <= cited for f in data["features"]), "every evidence passage's text is there"


def test_a_route_across_the_antimeridian_is_cut_there() -> None:
    text = "A ship sailed from Anadyr to Nome."
    places = (Place("anadyr", "Anadyr", "", "city", 64.73, 177.5, "RU", "curated"),
              Place("nome", "Nome", "", "city", 64.5, -165.4, "US", "curated"))
    path = ((64.73, 177.5), (64.7, 180.5), (64.5, 194.6))  # unwrapped, as routes draw it
    story = Story("t", "en", text, (Passage(0, 0, len(text), text),), places, (),
                  routes=(Route("anadyr-nome-ship", "ship", ("anadyr", "nome"), path, 700.0, (0,)),))
    (line,) = [f for f in story_geojson(story)["features"] if f["properties"]["layer"] == "route"]
    assert line["geometry"]["type"] == "MultiLineString"
    first, second = line["geometry"]["coordinates"]
    assert first[0] == [177.5, 64.73] and first[-1][0] == 180.0
    assert second[0][0] == -180.0 and second[-1] == [-165.4, 64.5]
    assert first[-1][1] == second[0][1]


def test_publish_prints_a_url_that_names_the_stored_article(tmp_path: Path, env: dict[str, str]) -> None:
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    r = geo("publish", article, "--base-url", "http://maps.example.org:8501/", env=env)
    assert r.returncode == 0, r.stderr
    aid = content_id(ARTICLE)
    assert r.stdout.strip() == f"http://maps.example.org:8501/?article={aid}"
    stored = Store(env["GEO_STORE"]).article(aid)
    assert stored.text == ARTICLE and stored.title == "Ministers meet in Nairobi" and stored.language == "en"
    again = geo("publish", article, env=env)
    assert again.stdout.strip() == f"http://localhost:8501/?article={aid}", "the same text, the same id"
    bad = geo("publish", tmp_path / "missing.txt", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "no such file" in bad.stderr


def test_export_is_self_contained_by_default_and_cdn_says_it_needs_the_network(tmp_path: Path, env: dict[str, str]) -> None:
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    r = geo("export", article, "-o", tmp_path / "map.html", env=env)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "data:text/javascript;base64," in html and not re.search(r"<script[^>]+src=\"https?://", html)
    assert "self-contained" in r.stderr
    r = geo("export", article, "-o", tmp_path / "cdn.html", "--cdn", env=env)
    assert r.returncode == 0 and "needs the network" in r.stderr
    assert re.search(r"<script[^>]+src=\"https://", (tmp_path / "cdn.html").read_text(encoding="utf-8"))
    assert "NEEDS THE NETWORK" in geo("export", "--help").stdout
    assert geo("export", article, "-o", tmp_path / "x.html", "--cdn", "--self-contained", env=env).returncode == 2


def test_export_of_a_stored_article_carries_its_corrections(tmp_path: Path, env: dict[str, str]) -> None:
    store = Store(env["GEO_STORE"])
    aid = store.put_article(ARTICLE).id
    store.add_correction(aid, {"op": "remove_place", "target": "paris"})
    store.add_correction(aid, {"op": "remove_place", "target": "atlantis"})  # no longer fits: a warning
    r = geo("export", "--article", aid, "-o", tmp_path / "map.html", env=env)
    assert r.returncode == 0, r.stderr
    assert "1 correction," in r.stderr and "no longer applies: no place 'atlantis'" in r.stderr
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "place-cairo" in html and "place-paris" not in html
    assert "Corrected by a reader: 1 correction" in html and 'content="1"' in html
    unknown = geo("export", "--article", "0123456789abcdef", "-o", tmp_path / "y.html", env=env)
    assert unknown.returncode == 2 and "no article '0123456789abcdef'" in unknown.stderr and not (tmp_path / "y.html").exists()
    both = geo("export", tmp_path / "a.txt", "--article", aid, "-o", tmp_path / "z.html", env=env)
    assert both.returncode == 2 and "one of them" in both.stderr
