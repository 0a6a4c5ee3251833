"""One's own GeoDataFrames as an interactive map: points, zones and links in any CRS, with any
columns, drawn with the atlas's symbology, legend panel, escaping and offline page.

>>> import geopandas as gpd                                          # doctest: +SKIP
>>> sites = gpd.read_file("sites.gpkg")                              # doctest: +SKIP
>>> m = map_from_frames(sites, actor="owner", popup=["address"])     # doctest: +SKIP
>>> m.save("sites.html")                                             # doctest: +SKIP

The frames become the same feature texts and the same page data as an atlas map
(:class:`~speerpunt_map.interactive.MapContent`), so they are drawn the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import folium
import geopandas as gpd
import numpy as np

from ._frame_actors import FrameActors
from ._frame_columns import (
    FRAME_NAMES,
    Column,
    Columns,
    cell_text,
    checked_frames,
    column_values,
    directions,
    link_types,
)
from ._page_data import FeatureLayer, FieldText, PageData, drawing_order, legend_order
from ._types import Kind, Language, LinkType
from .boundaries import BOUNDARY_FILE_ENV, Boundaries, load_boundaries
from .interactive import KINDS, STYLES, MapContent, map_from_content
from .resources import Resources
from .style import Labels

__all__ = ["map_from_frames"]


def map_from_frames(points: gpd.GeoDataFrame | None = None,
                    zones: gpd.GeoDataFrame | None = None,
                    links: gpd.GeoDataFrame | None = None, *,
                    name: str | None = None, actor: Column = None, kind: str | None = None,
                    number: Column = None, tooltip: Sequence[str] | str | None = None,
                    popup: Sequence[str] | str | bool | None = None, link_type: str | None = None,
                    directed: bool | str = True, title: str = "", language: Language = "nl",
                    online: bool = False, base_layers: bool = True,
                    boundaries: Boundaries | None = None,
                    resources: Resources | None = None) -> folium.Map:
    """Draw one's own points, zones and links as an interactive map of the atlas's kind.

    Every frame may be in any CRS (it is reprojected to EPSG:4326) and have any columns; the
    page shows them as text, opens offline and holds every feature once, as data: coordinates
    quantised to 1e-5° (about 1 m), delta-encoded, text column-wise with repeated strings
    shared. Above 500 points the points are circles on one canvas and their numbers are drawn
    where legible; above 2 000 features the legend's lists and the table show a page at a time.

    A column named here must be in every frame given (``number`` only in ``points``,
    ``link_type`` and a ``directed`` column only in ``links``): rename columns to match.

    Parameters
    ----------
    points, zones, links
        Point, (multi)polygon and (multi)line frames; any may be left out.
    name
        The column of each feature's name. By default the first of ``name``, ``naam``,
        ``label``, ``title``, ``titel`` (any case), else the index.
    actor
        The column that gives each feature its colour and its check box in the legend.
        Actors of the vocabulary (an id, name or alias of ``actors.csv``) keep their name and
        colour (provinces and their RESOCs as in the Flanders overviews); other values get
        the palette's colours in order of appearance and are named as they are written. By
        default the first of ``actor``, ``actor_id``, ``actors``, ``actor_name``; ``False``
        or no such column: one colour.
    kind
        A column whose values say what each feature is (shown as its kind instead of "Punt",
        "Zone", …).
    number
        The points' column of the number printed on each marker. By default the first of
        ``number``, ``nummer``, ``nr``; ``False``: none.
    tooltip
        The columns the tooltip shows, joined (default: the name).
    popup
        The columns the popup shows below kind and actor, labelled with their names: like
        ``explore(popup=…)``. ``None`` or ``True``: every other column; ``False``: none.
    link_type
        The links' column of their type, ``infrastructure`` or ``organisation`` (also in
        Dutch: ``infrastructuur``, ``organisatie``, …); without one, every link is
        infrastructural (a solid line).
    directed
        Whether links have an arrow from their first vertex to their last: ``True``,
        ``False``, or the links' column saying so per link (``true``/``false``, ``1``/``0``,
        ``yes``/``no``, ``ja``/``nee``).
    title
        The page's title (none by default).
    language
        ``"nl"`` (default) or ``"en"``: the words of legend, popups and table.
    online
        Link Leaflet from a CDN and offer OpenStreetMap background tiles.
    base_layers
        Draw the outlines of Flanders, its provinces and RESOC regions (from ``boundaries``,
        the built-in ones by default).
    boundaries
        The boundaries of the base layers.
    resources
        The words, colours and vocabulary (the shipped ones by default).

    Returns
    -------
    folium.Map
        As :func:`~speerpunt_map.map_from_layers` returns: it displays in a notebook, and
        ``save`` or :func:`~speerpunt_map.interactive.html_from_map` writes its page.

    Raises
    ------
    TypeError
        When a frame is not a GeoDataFrame.
    ValueError
        When no frame is given, a frame has no CRS, a named column is missing (the message
        lists the frame's columns), a geometry does not suit its frame or is empty, or a link
        type or direction cannot be read.

    Examples
    --------
    >>> from shapely import Point
    >>> sites = gpd.GeoDataFrame({"naam": ["Haven", "Campus"], "owner": ["A", "B"]},
    ...                          geometry=[Point(4.40, 51.23), Point(4.70, 50.88)],
    ...                          crs="EPSG:4326")
    >>> m = map_from_frames(sites, actor="owner", base_layers=False)
    >>> [layer["size"] for layer in m.spm_data["layers"]]
    [2]
    """
    resources = resources or _shipped()
    t = resources.labels(language)
    frames = checked_frames({"point": points, "zone": zones, "link": links})
    chosen = {k: Columns.of(k, f, name=name, actor=actor, kind=kind, number=number,
                            tooltip=tooltip, popup=popup, link_type=link_type,
                            directed=directed) for k, f in frames.items()}
    if base_layers and boundaries is None:
        boundaries = _boundaries(resources)
    shown_boundaries = boundaries if base_layers else None
    # The further columns of all frames, in order: the page's fields f0, f1, …
    further = list(dict.fromkeys(c for k in chosen.values() for c in (*k.popup, *k.tooltip)
                                 if c != k.name))
    fields = {c: f"f{i}" for i, c in enumerate(further)}
    actors = FrameActors(resources, language, t)
    layers, row = [], 0
    for layer_kind, frame in frames.items():
        layers.append(_layer(layer_kind, frame, chosen[layer_kind], further, fields, actors, t,
                             row))
        row += len(frame)
    groups = drawing_order(layers, actors.painted(), [k for k, _, _ in KINDS])
    named = any(k.actor is not None for k in chosen.values())
    present = {g.kind for g in groups}
    return map_from_content(MapContent(
        language=language, labels=t, online=online, title=title,
        data=PageData(layers, groups, _table(layers, chosen, fields, named, t), STYLES),
        extent=_extent(frames, shown_boundaries),
        actors_heading=t("actors"), actors=actors.entries() if named else [],
        kinds=tuple(k for k, _, _ in KINDS if k in present),
        sources=_sources(shown_boundaries, t), boundaries=shown_boundaries,
        base_colours=resources.palette["base"]))


@cache
def _shipped() -> Resources:
    """The shipped resources, read once."""
    return Resources.load()


def _boundaries(resources: Resources) -> Boundaries:
    """The boundaries of the base layers as ``resources`` say: their boundary options and
    their geodata folder (the built-in boundaries by default). Those of the shipped
    resources are read once a process (unless ``SPEERPUNT_MAP_BOUNDARIES`` names a file)."""
    if resources is _shipped() and not os.environ.get(BOUNDARY_FILE_ENV):
        return _shipped_boundaries()
    return _load_boundaries(resources)


@cache
def _shipped_boundaries() -> Boundaries:
    """The built-in boundaries with the shipped geodata, read once."""
    return _load_boundaries(_shipped())


def _load_boundaries(resources: Resources) -> Boundaries:
    """:func:`load_boundaries` with the options and the geodata folder of ``resources``."""
    options = resources.boundary_options
    return load_boundaries(options.path, layer=options.layer,
                           columns=dict(options.columns) or None, crs=options.crs,
                           vintage=options.vintage, allow_virtual=options.allow_virtual,
                           geodata=resources.geodata)


def _sources(boundaries: Boundaries | None, t: Labels) -> tuple[str, ...]:
    """The source line of the base layers (none without them)."""
    if boundaries is None:
        return ()
    return (t("source_boundaries") if boundaries.is_default else
            t("source_file", file=boundaries.source, vintage=boundaries.vintage),)


def _key(column: str, columns: Columns, fields: dict[str, str]) -> str:
    """The page's key of a column: ``name`` for the frame's name column, else its field."""
    return "name" if column == columns.name or column not in fields else fields[column]


def _table(layers: list[FeatureLayer], chosen: dict[Kind, Columns], fields: dict[str, str],
           named: bool, t: Labels) -> list[tuple[str, str]]:
    """The text table's columns: number (if any), kind, name, actor (if any), the popups'."""
    numbered = any(text.label for layer in layers for text in layer.texts)
    shown = dict.fromkeys((c, _key(c, k, fields)) for k in chosen.values() for c in k.popup)
    return [*([(t("number"), "label")] if numbered else []), (t("kind"), "kind"),
            (t("name"), "name"), *([(t("actor"), "actors")] if named else []),
            *(pair for pair in shown if pair[1] != "name")]


_About = tuple[tuple[str, ...], int, str]  # a feature's actors, group and kind label


def _described(layer_kind: Kind, actor_values: list[str] | None,
               types: list[LinkType | None], actors: FrameActors, t: Labels) -> list[_About]:
    """Each feature's actor names, legend group and kind label, worked out once per distinct
    actor value and link type (in order of appearance, so groups are numbered as they come)."""
    values = actor_values or [""] * len(types)
    seen: dict[tuple[str, LinkType | None], _About] = {}
    for value, link in dict.fromkeys(zip(values, types, strict=True)):
        key, name = actors.key(value) if actor_values is not None else ("", "")
        seen[value, link] = ((name,) if actor_values is not None else (),
                             actors.group(key, name, f"link-{link}" if link else layer_kind),
                             t(f"link_{link}") if link else t(layer_kind))
    return [seen[pair] for pair in zip(values, types, strict=True)]


def _layer(layer_kind: Kind, frame: gpd.GeoDataFrame, columns: Columns, further: list[str],
           fields: dict[str, str], actors: FrameActors, t: Labels,
           first_row: int) -> FeatureLayer:
    """One frame as a layer of :class:`FieldText`: ``further`` are the page's fields."""
    label = FRAME_NAMES[layer_kind]

    def cells(column: str | None) -> list[str]:
        if column is None or column not in frame_columns:
            return [""] * len(frame)
        return [v if type(v) is str else cell_text(v) for v in column_values(frame, column)]

    frame_columns = {str(c) for c in frame.columns}  # column names need not be strings
    count = len(frame)
    names = cells(columns.name) if columns.name else [cell_text(i) for i in frame.index]
    kinds, numbers = cells(columns.kind), cells(columns.number)
    types: list[LinkType | None] = list(link_types(frame, columns.link_type, label)) \
        if layer_kind == "link" else [None] * count
    described = _described(layer_kind, cells(columns.actor) if columns.actor else None, types,
                           actors, t)
    values = list(zip(*(cells(c) for c in further), strict=True)) if further else \
        [()] * count
    texts = [FieldText(kind=layer_kind, name=name, label=number,
                       kind_label=kind_label or about[2], actors=about[0], years=(),
                       source="", remark="", link_type=link, row=first_row + i + 1,
                       fields=fields_of)
             for i, (name, number, kind_label, about, link, fields_of) in enumerate(
                 zip(names, numbers, kinds, described, types, values, strict=True))]
    groups = [about[1] for about in described]
    popup = [(t("kind"), "kind", False),
             *([(t("actor"), "actors", False)] if columns.actor else []),
             *((c, _key(c, columns, fields), True) for c in columns.popup)]
    tooltip = tuple(_key(c, columns, fields) for c in columns.tooltip)
    return FeatureLayer(
        layer_kind, texts, list(frame.geometry.to_numpy()), groups, popup,
        tooltip=tooltip or ("name",),
        directed=directions(frame, columns.direction, label) if layer_kind == "link" else None,
        legend_order=legend_order(texts) if layer_kind == "point" else None)


def _extent(frames: dict[Kind, gpd.GeoDataFrame],
            boundaries: Boundaries | None) -> tuple[float, float, float, float]:
    """What the map shows first: the features (at least about 1 km across)."""
    bounds = [f.total_bounds for f in frames.values() if len(f)]
    if not bounds and boundaries is not None:
        bounds = [boundaries.level("flanders").total_bounds]
    if not bounds:
        bounds = [np.array([2.5, 50.6, 6.0, 51.6])]
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    pad_x, pad_y = max(0.0, 0.01 - (east - west)) / 2, max(0.0, 0.01 - (north - south)) / 2
    return (float(west - pad_x), float(south - pad_y), float(east + pad_x),
            float(north + pad_y))
