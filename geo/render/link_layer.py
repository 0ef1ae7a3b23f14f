"""The links layer: typed relations between actors drawn as great-circle arcs, one FeatureGroup per kind.

Links between the same two places are bent apart (:func:`link_bends`) so each stays visible and clickable; a country
actor meets its links at its capital (``Story.anchor``).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping

import folium

from geo.core.geometry import great_circle, unwrap
from geo.core.model import LINK_KINDS, LatLon, Link, Story
from geo.render.leaflet import (
    LINE_DEFAULTS,
    BulkLayer,
    arrow_marker,
    arrow_points,
    bend,
    centroid,
    use_bulk,
    world_copies,
)
from geo.render.popups import css_token, escape_text, link_label, link_popup_html
from geo.render.style import LINK_COLORS

_BEND_STEP = 0.16  # sideways offset between links sharing two places, as a fraction of their distance





def link_pairs(story: Story, link: Link) -> list[tuple[str, str]]:
    """The place pairs a link draws arcs between (up to 4 places: every pair), in sorted id order."""
    ids = [pid for pid in dict.fromkeys(link.places) if pid in story.places_by_id or pid in story.anchors_by_id]
    if len(ids) > 4:
        return []
    return [tuple(sorted(pair)) for pair in itertools.combinations(ids, 2)]  # type: ignore[misc]


def link_bends(story: Story, links: Iterable[Link]) -> dict[tuple[str, tuple[str, str]], float]:
    """(link id, place pair) → sideways offset, so links between the same two places run apart.

    k links sharing a pair get offsets spread evenly around 0 (one link alone stays a great circle).
    """
    sharing: dict[tuple[str, str], list[str]] = {}
    for link in links:
        for pair in link_pairs(story, link):
            sharing.setdefault(pair, []).append(link.id)
    out: dict[tuple[str, tuple[str, str]], float] = {}
    for pair, ids in sharing.items():
        for i, link_id in enumerate(ids):
            out[(link_id, pair)] = (i - (len(ids) - 1) / 2) * _BEND_STEP
    return out


def arcs_of(story: Story, link: Link, bends: Mapping[tuple[str, tuple[str, str]], float] | None = None) -> list[list[LatLon]]:
    points: dict[str, LatLon] = {}
    for pid in dict.fromkeys(link.places):
        try:
            points[pid] = story.anchor(pid)  # a country actor meets its links at its capital
        except KeyError:
            continue
    if len(points) < 2:
        return []
    arcs: list[list[LatLon]] = []
    if len(points) > 4:
        centre = centroid(list(points.values()))
        for p in points.values():
            if p != centre:
                arcs.extend(world_copies(great_circle(centre, p)))
        return arcs
    for a, b in itertools.combinations(sorted(points), 2):
        if points[a] == points[b]:
            continue
        offset = (bends or {}).get((link.id, (a, b)), 0.0)
        arcs.extend(world_copies(bend(unwrap(great_circle(points[a], points[b])), offset)))
    return arcs


def link_arcs(story: Story, link: Link) -> list[list[LatLon]]:
    """Great-circle arcs to draw for ``link``: between each pair of its places (up to 4 places),
    or from their centroid to each place (a star) for more. Places missing from the story are
    skipped. Arcs are unwrapped, with world copies (see :func:`world_copies`)."""
    return arcs_of(story, link, link_bends(story, story.links))


def links_layer(
    story: Story,
    kinds: Collection[str] | None = None,
    selected: str | None = None,
    *,
    bulk: bool | None = None,
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per link kind present ("Links: military", …), in :data:`LINK_KINDS` order.

    Each link is one multi-line (one popup): arcs coloured by kind, width by weight, dashed when
    the status is "proposed"; a directed two-place link gets an arrow at its middle. ``bulk``: as
    in :func:`places_layer`.
    """
    bulk_path = use_bulk(story, bulk)
    wanted = [k for k in LINK_KINDS if kinds is None or k in kinds]
    bends = link_bends(story, [link for link in story.links if link.kind in wanted])
    groups = []
    for kind in wanted:
        links = [link for link in story.links if link.kind == kind]
        if not links:
            continue
        group = folium.FeatureGroup(name=f"Links: {kind}")
        color = LINK_COLORS[kind]
        items: list[dict] = []
        arrows: list[list[float]] = []
        for link in links:
            arcs = arcs_of(story, link, bends)
            if not arcs:
                continue
            is_selected = link.id == selected
            dimmed = selected is not None and not is_selected
            width = 1.5 + 1.5 * min(link.weight, 5) + (3 if is_selected else 0)
            dash = "8 8" if link.status == "proposed" else None
            class_name = f"link link-{kind} lid-{css_token(link.id)}" + (
                " link-selected" if is_selected else " link-dimmed" if dimmed else ""
            )
            popup = link_popup_html(story, link)
            tooltip = escape_text(link_label(story, link))
            points = (
                [arrow_points(arc, 1) for arc in arcs] if link.directed and len(set(link.places)) == 2 else []
            )
            if bulk_path:
                options: dict[str, object] = {"weight": width, "className": class_name}
                if dash:
                    options["dashArray"] = dash
                items.append(
                    {"at": arcs, "options": options, "popup": popup, "tooltip": f"<div>{tooltip}</div>",
                     "open": is_selected}
                )
                arrows.extend([lat, lon, round(angle, 1)] for found in points for (lat, lon), angle in found)
                continue
            folium.PolyLine(
                locations=arcs,
                color=color,
                weight=width,
                opacity=0.85,
                dash_array=dash,
                class_name=class_name,
                popup=folium.Popup(popup, max_width=380, show=is_selected),
                tooltip=folium.Tooltip(tooltip),
            ).add_to(group)
            for found in points:
                for location, angle in found:
                    arrow_marker(location, angle, color).add_to(group)
        if bulk_path:
            spec = {"shape": "line", "shared": {**LINE_DEFAULTS, "color": color, "fillColor": color},
                    "popup": {"maxWidth": 380}, "items": items, "arrows": arrows, "arrowColor": color}
            BulkLayer(spec).add_to(group)
        groups.append(group)
    return groups
