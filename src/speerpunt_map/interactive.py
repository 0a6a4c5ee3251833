"""The interactive map of a sector: a folium map that opens offline, as a page or a fragment.

:func:`map_from_layers` composes a ``folium.Map`` from a map's layers: base boundaries (no
tiles needed), each actor's region, zones, directed links and numbered points, one
``FeatureGroup`` per actor and kind, and a legend panel that is also the layer control (our
own: folium's plugins load their JavaScript from a CDN, and a map must open offline).
:func:`html_from_layers` renders a self-contained page (Leaflet inlined, see
:mod:`speerpunt_map._leaflet`); :func:`fragment_from_layers` a ``div`` + ``script`` for a CMS.
What the map says — title, subtitle, sources, each feature's text — comes from
:mod:`speerpunt_map.description`; one's own GeoDataFrames come in through
:mod:`speerpunt_map.frames`. Both become a :class:`MapContent`, drawn by
:func:`map_from_content`: the features travel once, as data (:mod:`speerpunt_map._page_data`),
and the page builds markers, popups, the legend's lists and the table from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import shapely

from ._elements import Features, GeoStore, MapRoot
from ._folium_compat import deterministic_ids
from ._io import write_text
from ._page_base import BASE_TOLERANCE, BASEMAP_BOX, base_layers, basemap_payload
from ._page_data import (
    FeatureLayer,
    Group,
    PageData,
    drawing_order,
    legend_order,
    payload,
    payload_script,
)
from ._types import FLANDERS, Language
from .atlas import MapLayers
from .boundaries import Boundaries
from .description import actor_names, describe, feature_texts, region_text
from .pages import assets_head, macros
from .style import LINK_WEIGHT_PX, ORGANISATION_DASH, Labels, region_fill, style_for, zone_fill

__all__ = ["GROUP_LABELS", "KINDS", "STYLES", "MapContent", "fragment_from_layers",
           "fragment_from_map", "html_from_layers", "html_from_map", "map_from_content",
           "map_from_layers", "save_html"]

# Zones are simplified to about 30 m (boundaries and regions to 100 m: _page_base).
_ZONE_TOLERANCE = 0.0003
#: The kinds of the legend, in drawing order: key, symbol, label key.
KINDS = (("region", "region", "regions"), ("zone", "zone", "zone"),
         ("link-infrastructure", "infrastructure", "link_infrastructure"),
         ("link-organisation", "organisation", "link_organisation"), ("point", "point", "point"))
#: The label key of each kind of legend group (its layer name: "<actor> – <label>").
GROUP_LABELS = {"region": "regions", "zone": "zones", "point": "points",
                 "link-infrastructure": "link_infrastructure",
                 "link-organisation": "link_organisation"}
#: Leaflet's path options per group kind (Table 10's symbols); the colour is the group's, the
#: fill of areas an opaque tint of it (:func:`~speerpunt_map.style.region_fill`, ``zone_fill``):
#: what a reader sees is the legend's swatch, never a mix of layers.
STYLES: dict[str, dict[str, Any]] = {
    "region": {"weight": 1.5, "fillOpacity": 1},
    "zone": {"weight": 2, "fillOpacity": 1},
    "link-infrastructure": {"weight": LINK_WEIGHT_PX, "opacity": 1, "fill": False},
    "link-organisation": {"weight": LINK_WEIGHT_PX, "opacity": 1, "fill": False,
                          "dashArray": ORGANISATION_DASH},
    # Points drawn on a canvas (many points): white-ringed circles.
    "point": {"radius": 6, "weight": 1.5, "color": "#ffffff", "fillOpacity": 1},
}


@dataclass
class MapContent:
    """What an interactive map shows, whichever way its features came in.

    Attributes
    ----------
    language, labels, online
        The page's language and words; whether it links Leaflet from a CDN and offers tiles.
    title, subtitle, focus, notes, sources
        The page's words (empty ones are left out).
    actors_heading, actors
        The heading of the actors' check boxes, and the actors: ``key``, ``name``, ``colour``.
    kinds
        The kinds' check boxes (keys of :data:`KINDS`).
    data
        The features.
    extent
        West, south, east, north: what the map shows first.
    boundaries, base_colours
        The base layers' boundaries (``None``: none) and the colours of their lines.
    basemap, geodata
        Whether the orienting base map (sea, coast, rivers, borders, names) is drawn, and the
        geodata folder it comes from (``None``: the shipped one).
    seed
        What the page's element ids derive from (a hash of the content when empty).
    """

    language: Language
    labels: Labels
    online: bool
    title: str
    data: PageData
    extent: tuple[float, float, float, float]
    actors_heading: str = ""
    actors: list[dict[str, str]] = field(default_factory=list)
    kinds: tuple[str, ...] = tuple(k for k, _, _ in KINDS)
    subtitle: str = ""
    focus: str = ""
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    boundaries: Boundaries | None = None
    base_colours: dict[str, str] = field(default_factory=dict)
    basemap: bool = True
    geodata: Path | None = None
    seed: str = ""


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
        Displays inline in a notebook; :func:`html_from_map` (or its ``save``) writes it as
        a page.

    Examples
    --------
    >>> m = map_from_layers(load_atlas().map("antwerpen/logistiek"))  # doctest: +SKIP
    >>> m.save("logistiek.html")                                      # doctest: +SKIP
    """
    return map_from_content(_atlas_content(layers, language, online))


def _atlas_content(layers: MapLayers, language: Language, online: bool) -> MapContent:
    """A map of the atlas as content: its regions, zones, links and points, and its words."""
    resources, spec = layers.resources, layers.spec
    t = resources.labels(language)
    style = style_for(spec.actors, overview=spec.scope == FLANDERS, palette=resources.palette)
    names = actor_names(layers, language)
    on_map = {a.id for a in spec.actors}
    groups: dict[tuple[str, str], int] = {}
    group_list: list[Group] = []

    def group(actor_id: str, kind: str) -> int:
        actor = actor_id if actor_id in on_map else "other"
        if (actor, kind) not in groups:
            groups[actor, kind] = len(group_list)
            name = f"{names.get(actor, t('other_sources'))} – {t(GROUP_LABELS[kind])}"
            group_list.append(Group(actor, kind, name, style.colour(actor_id)))
        return groups[actor, kind]

    regions = layers.regions
    region_layer = FeatureLayer(
        "region", [region_text(r.name, r.geometry_method, t) for r in regions.itertuples()],
        list(regions.geometry), [group(a, "region") for a in regions["actor_id"]],
        _popup(t, "region"), in_table=False, shared=list(regions["region"]))
    zones, links, points = layers.zones, layers.links, layers.points
    zone_layer = FeatureLayer(
        "zone", list(feature_texts(zones, "zone", t, names)),
        [shapely.simplify(g, _ZONE_TOLERANCE, preserve_topology=True) for g in zones.geometry],
        [group(a, "zone") for a in zones["actor_id"]], _popup(t, "zone"))
    link_layer = FeatureLayer(
        "link", list(feature_texts(links, "link", t, names)), list(links.geometry),
        [group(a, f"link-{k}") for a, k in zip(links["actor_id"], links["link_type"],
                                               strict=True)], _popup(t, "link"))
    point_texts = list(feature_texts(points, "point", t, names))
    point_layer = FeatureLayer(
        "point", point_texts, list(points.geometry),
        [group(a, "point") for a in points["actor_id"]], _popup(t, "point"),
        legend_order=legend_order(point_texts))
    # The panel lists the map's actors, and "other source" if a row has another actor.
    actors = [{"key": a.id, "name": a.name(language), "colour": style.colour(a.id)}
              for a in spec.actors]
    if any(g.actor == "other" for g in group_list):
        actors.append({"key": "other", "name": t("other_sources"), "colour": style.base["other"]})
    feature_layers = [region_layer, zone_layer, link_layer, point_layer]
    drawn = drawing_order(feature_layers, group_list, [k for k, _, _ in KINDS])
    table = [(t("number"), "label"), (t("kind"), "kind"), (t("name"), "title"),
             (t("actor"), "actors"), (t("source"), "source"), (t("remark"), "remark")]
    description = describe(layers, language)
    scope_region = resources.vocabulary.scopes[spec.scope].region
    areas = layers.boundaries.areas
    # The view holds the map's region and every feature, and each link's far end where the
    # base map reaches it (a farther end is named at the view's edge).
    focus = [areas.loc[areas["id"] == scope_region].total_bounds] + [
        f.total_bounds for f in (points, zones) if len(f)]
    if len(links):
        focus.append(_within_basemap(links.total_bounds))
    return MapContent(
        language=language, labels=t, online=online, title=description.title,
        subtitle=description.subtitle, focus=description.focus, notes=description.notes,
        sources=description.sources, actors_heading=t("sector_in"), actors=actors,
        data=PageData(feature_layers, drawn, table, STYLES),
        extent=(min(b[0] for b in focus), min(b[1] for b in focus),
                max(b[2] for b in focus), max(b[3] for b in focus)),
        boundaries=layers.boundaries, base_colours=style.base, geodata=resources.geodata,
        seed=f"{spec.id}|{language}|{online}")


def _within_basemap(bounds: Any) -> tuple[float, float, float, float]:
    west, south, east, north = BASEMAP_BOX
    return (min(max(bounds[0], west), east), min(max(bounds[1], south), north),
            max(min(bounds[2], east), west), max(min(bounds[3], north), south))


def _popup(t: Labels, kind: str) -> list[tuple[str, str, bool]]:
    """The popup fields of an atlas feature: kind, a link's ends, actor, year, source, remark."""
    ends = [(t("from"), "from", False), (t("to"), "to", False)] if kind == "link" else []
    return [(t("kind"), "kind", False), *ends, (t("actor"), "actors", False),
            (t("year"), "years", False), (t("source"), "source", True),
            (t("remark"), "remark", True)]


def map_from_content(content: MapContent) -> MapRoot:
    """Draw a :class:`MapContent`: the one way every interactive map is made.

    Parameters
    ----------
    content
        What the map shows.

    Returns
    -------
    MapRoot
        A ``folium.Map``.
    """
    data = payload(content.data, content.extent)
    if content.basemap:
        data.update(basemap_payload(content))
    text = payload_script(data)
    seed = content.seed or hashlib.sha256(
        f"{text}|{content.title}|{content.language}|{content.online}".encode()).hexdigest()
    with deterministic_ids(seed):
        m = _frame(content)
        store = GeoStore()  # after the map: element ids follow the order of creation
        m.add_child(store)
        bases, base_info = base_layers(m, store, content)
        groups = []
        for group in content.data.groups:
            feature_group = folium.FeatureGroup(name=group.name, control=False)
            feature_group.add_to(m)
            groups.append((group, feature_group))
        for layer in content.data.layers:
            if layer.shared is not None:
                for key, geometry in zip(layer.shared, layer.geometry, strict=True):
                    store.put(key, geometry, BASE_TOLERANCE)
        m.add_child(Features(store, text, groups, bases))
        m.layout_html = macros().layout(m.get_name(), _panel(content, base_info),
                                        content.labels)
        m.spm_title = content.title
        m.spm_data = data
    return m


def _frame(content: MapContent) -> MapRoot:
    west, south, east, north = content.extent
    # The map opens on its extent (set by spmMap before anything is drawn, see _page_data).
    return MapRoot(assets=assets_head(content.online), language=content.language,
                   location=[(south + north) / 2, (west + east) / 2], zoom_start=9,
                   tiles=None, control_scale=False, max_zoom=16, zoom_snap=0.25)


_KIND_COLOUR = "#555555"
_KIND_FILLS = {"region": region_fill(_KIND_COLOUR), "zone": zone_fill(_KIND_COLOUR)}


def _panel(content: MapContent, bases: list[dict[str, Any]]) -> dict[str, Any]:
    t = content.labels
    symbols = {key: (symbol, label) for key, symbol, label in KINDS}
    kinds = [{"key": key, "symbol": symbols[key][0], "label": t(symbols[key][1]),
              "fill": _KIND_FILLS.get(key, _KIND_COLOUR)} for key in content.kinds]
    drawn = {layer.kind for layer in content.data.layers if layer.texts}
    return {"language": content.language, "title": content.title,
            "subtitle": content.subtitle, "focus": content.focus,
            "actors_heading": content.actors_heading, "actors": content.actors,
            "kinds": kinds, "has_points": "point" in drawn, "has_zones": "zone" in drawn,
            "bases": bases, "notes": content.notes,
            "sources": content.sources + ((t("basemap_credit"),) if content.basemap else ()),
            "table_headers": [header for header, _ in content.data.table]}


def html_from_map(m: folium.Map) -> str:
    """The page of a map from :func:`map_from_layers` or
    :func:`~speerpunt_map.map_from_frames`.

    Returns
    -------
    str
        A self-contained page; it opens offline unless the map was made ``online``.

    Raises
    ------
    TypeError
        For a ``folium.Map`` made otherwise.
    """
    return _ours(m, "html_from_map").page()


def fragment_from_map(m: folium.Map) -> str:
    """The fragment (styles, a ``div`` and a ``script``) of a map, for a CMS page.

    The fragment styles only its own elements, loads Leaflet once per page, and may appear
    several times on the same page.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        For a ``folium.Map`` made otherwise.
    """
    return _ours(m, "fragment_from_map").fragment()


def _ours(m: folium.Map, what: str) -> MapRoot:
    """``m`` when it is one of our maps; a :class:`TypeError` naming ``what`` otherwise."""
    if not isinstance(m, MapRoot):
        raise TypeError(f"{what} needs a map from map_from_layers or map_from_frames, "
                        f"not a {type(m).__name__}")
    return m


def html_from_layers(layers: MapLayers, *, language: Language = "nl",
                     online: bool = False) -> str:
    """The map as a self-contained HTML page (see :func:`map_from_layers`).

    Returns
    -------
    str
        The page; it opens offline unless ``online``.
    """
    return html_from_map(map_from_layers(layers, language=language, online=online))


def fragment_from_layers(layers: MapLayers, *, language: Language = "nl",
                         online: bool = False) -> str:
    """The map as an HTML fragment for a CMS page (see :func:`fragment_from_map`).

    Returns
    -------
    str
    """
    return fragment_from_map(map_from_layers(layers, language=language, online=online))


def save_html(source: MapLayers | folium.Map, path: str | Path, *,
              language: Language = "nl", online: bool = False, fragment: bool = False,
              overwrite: bool = True) -> Path:
    """Write the page (or fragment) of a map atomically; return the path.

    Parameters
    ----------
    source
        The map's layers, or a map from :func:`map_from_layers` or
        :func:`~speerpunt_map.map_from_frames` (which has its language and mode already).
    path
        The ``.html`` file to write.
    language, online
        As for :func:`map_from_layers` (for layers).
    fragment
        Write a fragment for a CMS page instead of a whole page.
    overwrite
        Replace an existing file.

    Returns
    -------
    Path
    """
    m = source if isinstance(source, folium.Map) else map_from_layers(
        source, language=language, online=online)
    text = fragment_from_map(m) if fragment else html_from_map(m)
    return write_text(path, text, overwrite=overwrite)
