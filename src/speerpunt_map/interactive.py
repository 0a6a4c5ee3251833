"""The interactive map of a sector: a folium map that opens offline, as a page or a fragment.

:func:`map_from_layers` composes a ``folium.Map`` from a map's layers, one small builder per
layer kind: base boundaries (no tiles needed), each actor's region, zones, directed links and
numbered points, one ``FeatureGroup`` per actor and kind, and a legend panel that is also the
layer control (our own: folium's plugins load their JavaScript from a CDN, and a map must open
offline). :func:`html_from_layers` renders a self-contained page (Leaflet inlined, see
:mod:`speerpunt_map._leaflet`); :func:`fragment_from_layers` renders a ``div`` + ``script`` for
a CMS. What the map says — title, subtitle, sources, each feature's text — comes from
:mod:`speerpunt_map.description`; the page's HTML from :mod:`speerpunt_map.pages`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
from markupsafe import escape

from ._elements import Bind, Controls, GeoStore, MapRoot, StoredGeoJson
from ._folium_compat import deterministic_ids
from ._io import write_text
from ._types import FLANDERS, Kind, Language
from .atlas import MapLayers
from .description import (
    FeatureText,
    MapDescription,
    actor_names,
    describe,
    feature_texts,
    region_text,
)
from .pages import assets_head, fragment_page, macros, map_page
from .style import (
    LINK_WEIGHT_PX,
    ORGANISATION_DASH,
    REGION_FILL_OPACITY,
    ZONE_FILL_OPACITY,
    Labels,
    Style,
    style_for,
)

__all__ = ["fragment_from_layers", "html_from_layers", "map_from_layers", "save_html"]

# Boundaries are simplified to about 100 m (base layers) or 30 m (zones).
_BASE_TOLERANCE = 0.001
_ZONE_TOLERANCE = 0.0003
# Regions below zones below links below points.
_ORDER = {"region": 0, "zone": 1, "link-infrastructure": 2, "link-organisation": 2, "point": 3}
_GROUP_LABELS = {"region": "regions", "zone": "zones", "point": "points",
                 "link-infrastructure": "link_infrastructure",
                 "link-organisation": "link_organisation"}


def map_from_layers(layers: MapLayers, *, language: Language = "nl",
                    online: bool = False) -> folium.Map:
    """Compose the interactive map of one map's layers.

    Parameters
    ----------
    layers
        From :meth:`speerpunt_map.Atlas.map` or :meth:`~speerpunt_map.Atlas.overview`.
    language
        ``"nl"`` (default) or ``"en"``: legend, popups, layer names and notes.
    online
        Link Leaflet from a CDN and offer OpenStreetMap background tiles. The default opens
        without any network.

    Returns
    -------
    folium.Map
        Displays inline in a notebook; :func:`html_from_layers` writes it as a page.
    """
    with deterministic_ids(f"{layers.spec.id}|{language}|{online}"):
        return _Composer(layers, language, online).compose()


@dataclass
class _Composer:
    """The state of one map being composed; one method per layer kind."""

    layers: MapLayers
    language: Language
    online: bool
    t: Labels = field(init=False)
    style: Style = field(init=False)
    names: dict[str, str] = field(init=False)
    on_map: set[str] = field(init=False)
    store: GeoStore = field(init=False)
    groups: dict[tuple[str, str], folium.FeatureGroup] = field(default_factory=dict)
    bases: list[tuple[str, folium.FeatureGroup]] = field(default_factory=list)
    base_info: list[dict[str, Any]] = field(default_factory=list)
    table: list[FeatureText] = field(default_factory=list)
    zone_items: list[dict[str, str]] = field(default_factory=list)
    point_items: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        resources = self.layers.resources
        self.t = resources.labels(self.language)
        spec = self.layers.spec
        self.style = style_for(spec.actors, overview=spec.scope == FLANDERS,
                               palette=resources.palette)
        self.names = actor_names(self.layers, self.language)
        self.on_map = {a.id for a in spec.actors}

    def compose(self) -> MapRoot:
        m = self._frame()
        self.store = GeoStore()  # after the map: element ids follow the order of creation
        m.add_child(self.store)
        self._base_layers(m)
        self._regions()
        self._zones()
        self._links()
        self._points()
        ordered = sorted(self.groups.items(), key=lambda item: _ORDER[item[0][1]])
        for _, group in ordered:
            group.add_to(m)
        m.add_child(Controls([(a, k, g) for (a, k), g in ordered], self.bases))
        description = describe(self.layers, self.language)
        m.layout_html = macros().layout(m.get_name(), self._panel(description), self.t)
        m.spm_title = description.title
        return m

    # -- the frame and the base layers ---------------------------------------------------------
    def _frame(self) -> MapRoot:
        layers = self.layers
        areas = layers.boundaries.areas
        scope_region = layers.resources.vocabulary.scopes[layers.spec.scope].region
        extent = areas.loc[areas["id"] == scope_region].total_bounds
        focus = [extent] + [f.total_bounds for f in (layers.points, layers.zones) if len(f)]
        west, south = min(b[0] for b in focus), min(b[1] for b in focus)
        east, north = max(b[2] for b in focus), max(b[3] for b in focus)
        m = MapRoot(assets=assets_head(self.online),
                    location=[(south + north) / 2, (west + east) / 2], zoom_start=9,
                    tiles=None, control_scale=True, max_zoom=16, zoom_snap=0.25)
        # Keep the legend panel (top right) from covering the map's scope.
        m.fit_bounds([[south, west], [north, east]], padding_top_left=(10, 10),
                     padding_bottom_right=(340, 10))
        return m

    def _base_layers(self, m: MapRoot) -> None:
        """Our own boundaries, so that the map reads without tiles (and tiles when online)."""
        t, base = self.t, self.style.base
        if self.online:
            tiles = folium.FeatureGroup(name=t("tiles"), control=False)
            folium.TileLayer("OpenStreetMap").add_to(tiles)
            tiles.add_to(m)
            self.bases.append(("tiles", tiles))
            self.base_info.append({"key": "tiles", "label": t("tiles"), "on": True})
        styles = {
            "flanders": ({"color": base["flanders"], "weight": 2.5, "fill": False},
                         ["flanders"], "flanders"),
            "provinces": ({"color": base["province"], "weight": 1.5, "fill": False},
                          ["province"], "provinces"),
            "resoc": ({"color": base["resoc"], "weight": 1, "dashArray": "4 4", "fill": False},
                      ["resoc"], "resoc_regions"),
        }
        areas = self.layers.boundaries.areas
        for key, (line, levels, label) in styles.items():
            group = folium.FeatureGroup(name=t(label), control=False)
            keys = [self.store.put(r.id, r.geometry, _BASE_TOLERANCE)
                    for r in areas[areas["level"].isin(levels)].itertuples()]
            group.add_child(StoredGeoJson(self.store, keys, line, interactive=False))
            group.add_to(m)
            self.bases.append((key, group))
            self.base_info.append({"key": key, "on": True, "label": t(label)})

    def _group(self, actor: str, kind: str) -> folium.FeatureGroup:
        if (actor, kind) not in self.groups:
            label = self.names.get(actor, self.t("other_sources")) + " – " + \
                self.t(_GROUP_LABELS[kind])
            self.groups[actor, kind] = folium.FeatureGroup(name=label, control=False)
        return self.groups[actor, kind]

    def _bind(self, text: FeatureText) -> Bind:
        return Bind(macros().tooltip(text), macros().popup(text, self.t))

    def _rows(self, kind: Kind) -> list[tuple[Any, str, str, FeatureText]]:
        """Each row of a layer with its panel group (actor or "other"), colour and text."""
        frame = getattr(self.layers, f"{kind}s")
        texts = feature_texts(frame, kind, self.t, self.names)
        return [(row, row.actor_id if row.actor_id in self.on_map else "other",
                 self.style.colour(row.actor_id), text)
                for row, text in zip(frame.itertuples(index=False), texts, strict=True)]

    # -- one builder per layer kind ------------------------------------------------------------
    def _regions(self) -> None:
        """The actors' regions, drawn as zones in their colours."""
        for region in self.layers.regions.itertuples():
            colour = self.style.colour(region.actor_id)
            key = self.store.put(region.region, region.geometry, _BASE_TOLERANCE)
            layer = StoredGeoJson(self.store, [key], {
                "color": colour, "weight": 1.5, "fillColor": colour,
                "fillOpacity": REGION_FILL_OPACITY})
            layer.add_child(self._bind(region_text(region.name, region.geometry_method,
                                                   self.t)))
            self._group(region.actor_id, "region").add_child(layer)

    def _zones(self) -> None:
        for row, actor, colour, text in self._rows("zone"):
            key = self.store.put(f"zone:{row.place_id}", row.geometry, _ZONE_TOLERANCE)
            layer = StoredGeoJson(self.store, [key], {"color": colour, "weight": 2,
                                                      "fillColor": colour,
                                                      "fillOpacity": ZONE_FILL_OPACITY})
            layer.add_child(self._bind(text))
            self._group(actor, "zone").add_child(layer)
            self.zone_items.append({"actor": actor, "colour": colour, "name": text.name})
            self.table.append(text)

    def _links(self) -> None:
        for row, actor, colour, text in self._rows("link"):
            coords = list(row.geometry.coords)
            line = folium.PolyLine([(round(y, 5), round(x, 5)) for x, y in coords],
                                   color=colour, weight=LINK_WEIGHT_PX, opacity=0.9,
                                   dash_array=ORGANISATION_DASH
                                   if row.link_type == "organisation" else None)
            line.add_child(self._bind(text))
            group = self._group(actor, f"link-{row.link_type}")
            group.add_child(line)
            (x1, y1), (x2, y2) = coords[0], coords[-1]
            if (x1, y1) != (x2, y2):
                group.add_child(_arrow((x1, y1), (x2, y2), colour))
            self.table.append(text)

    def _points(self) -> None:
        for row, actor, colour, text in self._rows("point"):
            wide = " class=\"spm-wide\"" if len(text.label) > 2 else ""
            icon = folium.DivIcon(
                html=f'<span{wide} style="background:{escape(colour)}">'
                     f'{escape(text.label) or "·"}</span>',
                icon_size=(24, 24), icon_anchor=(12, 12), class_name="spm-pin")
            point = row.geometry
            marker = folium.Marker((round(point.y, 5), round(point.x, 5)), icon=icon,
                                   alt=text.name, keyboard=True)
            marker.add_child(self._bind(text))
            self._group(actor, "point").add_child(marker)
            self.point_items.append({"actor": actor, "colour": colour, "label": text.label,
                                     "name": text.name})
            self.table.append(text)

    # -- the legend panel ----------------------------------------------------------------------
    def _panel(self, description: MapDescription) -> dict[str, Any]:
        t, style = self.t, self.style
        actors = [{"key": a.id, "name": a.name(self.language), "colour": style.colour(a.id)}
                  for a in self.layers.spec.actors]
        if any(actor == "other" for actor, _ in self.groups):
            actors.append({"key": "other", "name": t("other_sources"),
                           "colour": style.base["other"]})
        kinds = [{"key": "region", "symbol": "region", "label": t("regions")},
                 {"key": "zone", "symbol": "zone", "label": t("zone")},
                 {"key": "link-infrastructure", "symbol": "infrastructure",
                  "label": t("link_infrastructure")},
                 {"key": "link-organisation", "symbol": "organisation",
                  "label": t("link_organisation")},
                 {"key": "point", "symbol": "point", "label": t("point")}]
        return {"language": self.language, "title": description.title,
                "subtitle": description.subtitle, "focus": description.focus,
                "actors": actors, "kinds": kinds,
                "points": sorted(self.point_items, key=_label_key), "zones": self.zone_items,
                "bases": self.base_info, "notes": description.notes,
                "sources": description.sources,
                "table": sorted(self.table, key=lambda r: (r.file, r.row))}


def _arrow(a: tuple[float, float], b: tuple[float, float], colour: str) -> folium.Marker:
    """The direction of a link: an arrowhead two thirds along it, turned as the line runs."""
    (x1, y1), (x2, y2) = a, b
    angle = _mercator_angle(a, b)
    at = (round(y1 + (y2 - y1) * 0.66, 5), round(x1 + (x2 - x1) * 0.66, 5))
    icon = folium.DivIcon(
        html=f'<span style="color:{escape(colour)};transform:rotate({angle:.0f}deg)">'
             "&#10148;</span>",
        icon_size=(18, 18), icon_anchor=(9, 9), class_name="spm-arrow")
    return folium.Marker(at, icon=icon, interactive=False, keyboard=False)


def _mercator_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The screen angle (degrees, clockwise from east) of a line from ``a`` to ``b``."""
    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return math.degrees(math.atan2(-(y(b[1]) - y(a[1])), math.radians(b[0] - a[0])))


def _label_key(item: dict[str, str]) -> tuple[str, int, str]:
    """Sort point labels as people do: A2 before A10; unnumbered last."""
    match = re.fullmatch(r"([A-Z]*)(\d+)", item["label"])
    if not match:
        return ("~", 0, item["name"])
    return (match.group(1), int(match.group(2)), item["name"])


def _pieces(m: folium.Map) -> tuple[str, str, str]:
    """The head, body and script parts of a rendered map."""
    root = m.get_root()
    root.render()
    return (root.header.render(), root.html.render(),  # type: ignore[attr-defined]
            root.script.render())  # type: ignore[attr-defined]


def html_from_layers(layers: MapLayers, *, language: Language = "nl",
                     online: bool = False) -> str:
    """The map as a self-contained HTML page (see :func:`map_from_layers`).

    Returns
    -------
    str
        The page; it opens offline unless ``online``.
    """
    m = map_from_layers(layers, language=language, online=online)
    head, body, script = _pieces(m)
    return map_page(language, m.spm_title, head, body, script)  # type: ignore[attr-defined]


def fragment_from_layers(layers: MapLayers, *, language: Language = "nl",
                         online: bool = False) -> str:
    """The map as an HTML fragment (styles, a ``div`` and a ``script``) for a CMS page.

    The fragment styles only its own elements, loads Leaflet once per page, and may appear
    several times on the same page.
    """
    m = map_from_layers(layers, language=language, online=online)
    head, body, script = _pieces(m)
    head = re.sub(r'<meta http-equiv="content-type"[^>]*>', "", head)
    return fragment_page(head, body, script)


def save_html(layers: MapLayers, path: str | Path, *, language: Language = "nl",
              online: bool = False, fragment: bool = False, overwrite: bool = True) -> Path:
    """Write the page (or fragment) of a map atomically; return the path.

    Parameters
    ----------
    layers
        The map.
    path
        The ``.html`` file to write.
    language, online
        As for :func:`map_from_layers`.
    fragment
        Write a fragment for a CMS page instead of a whole page.
    overwrite
        Replace an existing file.

    Returns
    -------
    Path
    """
    render = fragment_from_layers if fragment else html_from_layers
    return write_text(path, render(layers, language=language, online=online),
                      overwrite=overwrite)
