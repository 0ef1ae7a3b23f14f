"""The curated rail network: data validity, routing along real lines, fallbacks, and the basemap file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.core.geometry import haversine_km, path_length_km
from geo.story.rail import (
    DATA_DIR,
    RailNetwork,
    load_network,
    nearest_station,
    parse_network,
    rail_path,
)

PYONGYANG = (39.0392, 125.7625)
VLADIVOSTOK = (43.1155, 131.8855)
MOSCOW = (55.7558, 37.6173)
ULAN_UDE = (51.8335, 107.5841)
KOMSOMOLSK = (50.5497, 137.0079)
BEIJING = (39.9042, 116.4074)
TUMANGANG_KHASAN_BRIDGE = (42.42, 130.6)

STATIONS_HEADER = "id,name,name_ar,lat,lon,country,source\n"
LINES_HEADER = "from_id,to_id,line,km,source\n"


@pytest.fixture(scope="module")
def network() -> RailNetwork:
    return load_network()


def test_network_loads_and_every_station_is_connected(network):
    assert len(network.stations) >= 150
    seen, todo = {"moscow"}, ["moscow"]
    while todo:
        for nxt in network.neighbours(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == {s.id for s in network.stations}


def test_no_track_is_implausibly_long_or_shorter_than_the_straight_line(network):
    for t in network.tracks:
        straight = haversine_km(network.station(t.a).location, network.station(t.b).location)
        # A drawn straight segment over 400 km would visibly cut across terrain at country scale.
        assert straight < 400, f"{t.a}-{t.b} is {straight:.0f} km: add intermediate points"
        if t.km is not None:
            assert t.km >= straight * 0.95, f"{t.a}-{t.b}: {t.km} km of track < {straight:.0f} km straight"


def test_pyongyang_to_vladivostok_crosses_at_tumangang_khasan(network):
    result = rail_path([PYONGYANG, VLADIVOSTOK])
    assert result is not None
    path, km = result
    assert path[0] == PYONGYANG and path[-1] == VLADIVOSTOK
    assert min(haversine_km(p, TUMANGANG_KHASAN_BRIDGE) for p in path) < 15
    assert 1000 <= km <= 1400
    # It follows the east coast (Hamhung, Chongjin), not a straight line across the mountains.
    for station in ("hamhung", "chongjin", "rajin"):
        assert network.station(station).location in path


def test_vladivostok_to_moscow_is_the_trans_siberian(network):
    path, km = rail_path([VLADIVOSTOK, MOSCOW])
    assert 9000 <= km <= 9500
    for station in ("khabarovsk", "chita", "irkutsk", "novosibirsk", "yekaterinburg"):
        assert network.station(station).location in path
    # The drawn line is shorter than the track (the points skip curves) but still far longer than the chord.
    assert haversine_km(VLADIVOSTOK, MOSCOW) < path_length_km(path) < km


def test_ulan_ude_to_komsomolsk_routes(network):
    result = rail_path([ULAN_UDE, KOMSOMOLSK])
    assert result is not None
    path, km = result
    assert 2500 <= km <= 4000
    assert haversine_km(path[-2], KOMSOMOLSK) < 5  # arrives through Komsomolsk station


def test_beijing_routes_to_pyongyang_over_the_yalu(network):
    path, km = rail_path([BEIJING, PYONGYANG])
    assert network.station("dandong").location in path and network.station("sinuiju").location in path
    assert 1100 <= km <= 1500


def test_middle_stop_is_visited(network):
    path, _ = rail_path([PYONGYANG, network.station("vostochny").location, VLADIVOSTOK])
    assert network.station("vostochny").location in path
    assert network.station("tsiolkovsky").location in path


def test_stop_in_the_ocean_returns_none():
    assert rail_path([(30.0, 160.0), VLADIVOSTOK]) is None
    assert rail_path([VLADIVOSTOK, (30.0, 160.0)]) is None


def test_snap_distance_is_respected():
    near_seoul = (37.9, 127.3)  # ~45 km from the nearest station
    assert rail_path([near_seoul, PYONGYANG], max_snap_km=60) is not None
    assert rail_path([near_seoul, PYONGYANG], max_snap_km=10) is None


def test_unconnected_networks_return_none():
    net = parse_network(
        STATIONS_HEADER + "a,A,,0,0,XX,t\nb,B,,0,1,XX,t\nc,C,,5,5,XX,t\nd,D,,5,6,XX,t\n",
        LINES_HEADER + "a,b,L,,t\nc,d,M,,t\n",
    )
    assert rail_path([(0, 0), (0, 1)], network=net) is not None
    assert rail_path([(0, 0), (5, 6)], network=net) is None


def test_nearest_station(network):
    station, km = nearest_station((42.43, 130.62))
    assert station.id in {"tumangang", "khasan"} and km < 3
    assert nearest_station((39.03, 125.75), network)[0].name == "Pyongyang"


def test_rail_path_needs_two_stops():
    with pytest.raises(ValueError, match="at least two stops"):
        rail_path([PYONGYANG])


@pytest.mark.parametrize(
    ("stations", "lines", "message"),
    [
        (STATIONS_HEADER + "a,A,,0,0,XX,t\n", LINES_HEADER + "a,zz,L,,t\n", "unknown station id 'zz'"),
        (STATIONS_HEADER + "a,A,,95,0,XX,t\n", LINES_HEADER, "(?i)latitude must be in"),
        (STATIONS_HEADER + "a,A,,north,0,XX,t\n", LINES_HEADER, "expected a number"),
        (STATIONS_HEADER + "a,A,,0,0,XX,t\na,B,,1,1,XX,t\n", LINES_HEADER, "Duplicate station id 'a'"),
        (STATIONS_HEADER + "A b,A,,0,0,XX,t\n", LINES_HEADER, "station id must be"),
        ("id,name,lat,lon\n", LINES_HEADER, "expected columns"),
        (STATIONS_HEADER + "a,A,,0,0,XX,t\nb,B,,0,1,XX,t\n", LINES_HEADER + "a,b,L,-3,t\n", "km must be"),
        (STATIONS_HEADER + "a,A,,0,0,XX,t\nb,B,,0,1,XX,t\n", LINES_HEADER + "a,b,L,,t\nb,a,L,,t\n", "Duplicate track"),
        (STATIONS_HEADER + "a,A,,0,0,Russia,t\n", LINES_HEADER, "ISO 3166-1"),
    ],
)
def test_bad_data_raises_data_error_with_a_clear_message(stations, lines, message):
    with pytest.raises(DataError, match=message):
        parse_network(stations, lines)


def test_error_message_names_the_line_number():
    with pytest.raises(DataError, match=r"line 4"):
        parse_network("# comment\n" + STATIONS_HEADER + "a,A,,0,0,XX,t\nb,B,,0,999,XX,t\n", LINES_HEADER)


def test_missing_data_dir_is_a_data_error(tmp_path: Path):
    with pytest.raises(DataError, match="Cannot read the rail network file"):
        load_network(tmp_path)


def test_world_basemap_parses_and_covers_the_countries_we_draw():
    path = DATA_DIR / "world.geojson"
    assert path.stat().st_size <= 350 * 1024
    world = json.loads(path.read_text(encoding="utf-8"))
    assert world["type"] == "FeatureCollection"
    assert len(world["features"]) >= 170
    isos = {f["properties"]["iso_a3"] for f in world["features"]}
    assert {"PRK", "KOR", "RUS", "CHN", "MNG", "USA", "UKR"} <= isos
    for f in world["features"]:
        assert set(f["properties"]) == {"name", "iso_a3"}
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}
