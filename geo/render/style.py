"""The map's colours: one palette per concept, shared by the layers, the legend and the passages."""

from __future__ import annotations

# One palette per concept; colour-blind-friendly hues (Okabe–Ito / ColorBrewer), distinct from
# the grey basemap.
PLACE_KIND_LABELS: dict[str, str] = {
    "city": "City", "country": "Country", "region": "Region", "water": "Sea / water", "site": "Site",
}
PLACE_COLORS: dict[str, str] = {
    "city": "#d55e00",
    "country": "#0072b2",
    "region": "#cc79a7",
    "water": "#56b4e9",
    "site": "#e69f00",
}
LINK_COLORS: dict[str, str] = {
    "military": "#b2182b",
    "exercise": "#f4a582",
    "alliance": "#2166ac",
    "visit": "#1b7837",
    "tension": "#762a83",
    "territory": "#8c510a",
}
ROUTE_COLORS: dict[str, str] = {
    "train": "#222222",
    "plane": "#0b7285",
    "car": "#5c940d",
    "ship": "#c2255c",  # not blue: the alliance links are
    "unknown": "#868e96",
}
