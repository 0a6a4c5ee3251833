"""The columns of one's own GeoDataFrames that :func:`~speerpunt_map.map_from_frames` draws:
the frames checked (a GeoDataFrame, a CRS, geometries of their kind), each named column found
(or a usual name), and link types and directions read — every problem a clear error naming
the frame and the column.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from ._types import Kind, LinkType

__all__ = ["FRAME_NAMES", "Column", "Columns", "cell_text", "checked_frames", "column_values",
           "directions", "link_types"]

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
#: The frames by kind, as the parameters of ``map_from_frames`` name them.
FRAME_NAMES: dict[Kind, str] = {"point": "points", "zone": "zones", "link": "links"}


def checked_frames(given: dict[Kind, gpd.GeoDataFrame | None]) -> dict[Kind, gpd.GeoDataFrame]:
    """The given frames in EPSG:4326, each checked: a GeoDataFrame with a CRS, its
    geometries of its kind and none empty."""
    frames: dict[Kind, gpd.GeoDataFrame] = {}
    for kind, frame in given.items():
        if frame is None:
            continue
        label = FRAME_NAMES[kind]
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
        # Read, never changed: a frame in longitude/latitude is used as it is.
        frames[kind] = frame if frame.crs == "EPSG:4326" else frame.to_crs("EPSG:4326")
    if not frames:
        raise ValueError("no frame to draw: give points=, zones= or links=")
    return frames


def _rows(index: pd.Index) -> str:
    shown = ", ".join(repr(i) for i in index[:5])
    return shown + (f" (and {len(index) - 5} more)" if len(index) > 5 else "")


def _find(frame: gpd.GeoDataFrame, label: str, what: str, column: Column,
          usual: tuple[str, ...]) -> str | None:
    """The column ``column`` of ``frame`` (it must be there; a column whose name is no string
    is found by its name as text), or the first usual one (any case), or ``None``."""
    if column is False:
        return None
    available = [str(c) for c in frame.columns if c != frame.geometry.name]
    if column is None:
        lower = {c.casefold(): c for c in reversed(available)}
        return next((lower[u] for u in usual if u in lower), None)
    if not isinstance(column, str):
        raise TypeError(f"{label}: the {what} column must be given by its name, a string; got "
                        f"{column!r} (a {type(column).__name__})")
    if column in available:
        return column
    if column == str(frame.geometry.name):
        raise ValueError(f"{label}: column {column!r} is the geometry; name another column "
                         f"for the {what}; its columns: {', '.join(available) or '(none)'}")
    near = difflib.get_close_matches(column, available, n=1) or \
        [c for c in available if c.casefold() == column.casefold()]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ValueError(f"{label} has no column {column!r} for the {what}{hint}; its columns: "
                     f"{', '.join(available) or '(none)'}. A column named in map_from_frames "
                     "must be in every frame given: rename columns to match")


def _names(label: str, what: str, given: Sequence[str] | str | None) -> list[str]:
    """The columns given for the tooltip or the popup: one name, or a list of names."""
    if given is None:
        return []
    if isinstance(given, str):
        return [given]
    if not isinstance(given, Sequence):
        raise TypeError(f"{label}: {what}= takes a column name or a list of them; got a "
                        f"{type(given).__name__}")
    return list(given)


def column_values(frame: gpd.GeoDataFrame, column: str) -> list[Any]:
    """The values of the column named ``column`` (as :func:`_find` returns it)."""
    by_name = {str(c): c for c in frame.columns}
    values: list[Any] = frame[by_name[column]].tolist()
    return values


def cell_text(value: Any) -> str:
    """A cell as text: missing values empty, whole floats without ``.0``, sequences joined."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Columns:
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
           actor: Column, kind: str | None, number: Column, tooltip: Sequence[str] | str | None,
           popup: Sequence[str] | str | bool | None, link_type: str | None,
           directed: bool | str) -> Columns:
        """The columns of ``frame`` as asked for: each named one must be there."""
        label = FRAME_NAMES[layer_kind]
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
                found.direction, str(frame.geometry.name)}
        if popup is None or popup is True:
            shown = tuple(str(c) for c in frame.columns if str(c) not in used)
        elif popup is False:
            shown = ()
        else:
            shown = tuple(_find(frame, label, "popup", c, ()) or str(c)
                          for c in _names(label, "popup", popup))
        tips = tuple(_find(frame, label, "tooltip", c, ()) or str(c)
                     for c in _names(label, "tooltip", tooltip))
        return dataclasses.replace(found, popup=shown, tooltip=tips)


def _read(frame: gpd.GeoDataFrame, column: str, label: str, allowed: Any,
          expected: str) -> list[str]:
    """The values of ``column`` as trimmed, case-folded text, each one of ``allowed``."""
    found = [cell_text(v).strip().casefold() for v in column_values(frame, column)]
    wrong = [i for i, v in enumerate(found) if v not in allowed]
    if wrong:
        values = sorted({found[i] for i in wrong})
        raise ValueError(f"{label}: column {column!r} holds "
                         f"{', '.join(map(repr, values[:5]))}; expected {expected} (row "
                         f"{_rows(frame.index[wrong])}): correct those cells")
    return found


def link_types(frame: gpd.GeoDataFrame, column: str | None, label: str) -> list[LinkType]:
    """Each link's type: from ``column``, or every link infrastructural."""
    if column is None:
        return ["infrastructure"] * len(frame)
    found = _read(frame, column, label, _LINK_TYPES, "'infrastructure' or 'organisation' (or "
                  "'infrastructuur', 'organisatie')")
    return [_LINK_TYPES[v] for v in found]


def directions(frame: gpd.GeoDataFrame, column: str | bool, label: str) -> list[bool]:
    """Whether each link has an arrow: from ``column``, or ``column`` for every link."""
    if not isinstance(column, str):
        return [column] * len(frame)
    found = _read(frame, column, label, _TRUE | _FALSE, "true/false, 1/0, yes/no or ja/nee")
    return [v in _TRUE for v in found]
