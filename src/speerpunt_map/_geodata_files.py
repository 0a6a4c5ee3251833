"""Reading and checking the geodata files: CSV tables as text, and every coordinate, precision
and zone definition checked, all mistakes reported at once (:class:`~speerpunt_map.GeodataError`
with file, line and id, and the likely mistake named).
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import pandas as pd

from ._coordinates import coordinate_problem
from ._errors import GeodataError
from ._text import split_multi

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["MIN_MEMBERS", "ZONE_DEFINITIONS", "check_coordinates", "check_precision",
           "check_zone_members", "check_zone_shapes", "concat_tables", "mistakes_message",
           "encloses_no_area", "number", "polygon_as_meant", "read_csv_rows", "read_table",
           "require_columns"]

log = logging.getLogger(__name__)


class _Resolver(Protocol):
    """What the zone-member check needs of a gazetteer."""

    def resolve(self, name: str) -> object | None: ...

    def suggest(self, name: str, n: int = 3) -> list[str]: ...

    @property
    def zones(self) -> pd.DataFrame: ...


def read_table(path: Path) -> pd.DataFrame:
    """A project CSV as text columns (no type guessing), with its file name."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise GeodataError(f"{path}: cannot be read as CSV: {error}") from None
    frame["file"] = path.name
    frame["line"] = range(2, len(frame) + 2)
    return frame


def require_columns(frame: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GeodataError(f"{path}: missing column(s) {missing}; expected {list(columns)}")


def concat_tables(paths: list[Path], columns: tuple[str, ...]) -> pd.DataFrame:
    frames = []
    for path in paths:
        frame = read_table(path)
        require_columns(frame, path, columns)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, "file")})
    return pd.concat(frames, ignore_index=True)


def mistakes_message(mistakes: list[str]) -> str:
    shown = "\n  ".join(mistakes[:30])
    more = f"\n  … and {len(mistakes) - 30} more" if len(mistakes) > 30 else ""
    return f"{len(mistakes)} problem(s) in the geodata:\n  {shown}{more}"


def number(text: str) -> float:
    """A decimal number as written in a project CSV (a decimal point, not a comma)."""
    text = str(text).strip()
    if "," in text and "." not in text:
        raise ValueError("a decimal comma")
    return float(text)


def check_coordinates(frame: pd.DataFrame, folder: Path, what: str, *,
                       id_column: str = "id") -> list[str]:
    """Every lon/lat is a number inside its country (lon first); the likely mistake named."""
    mistakes = []
    for row in frame.itertuples():
        label = f"{folder / str(row.file)}, line {row.line}: {what} {getattr(row, id_column)!r}"
        try:
            lon, lat = number(str(row.lon)), number(str(row.lat))
        except ValueError as error:
            hint = f" ({error}: write 4.40, not 4,40)" if "comma" in str(error) else ""
            mistakes.append(f"{label}: lon/lat {row.lon!r}, {row.lat!r} are not "
                            f"numbers{hint}")
            continue
        problem = coordinate_problem(lon, lat, getattr(row, "country", None) or None)
        if problem:
            mistakes.append(f"{label}: lon/lat {lon:g}, {lat:g}: {problem}")
    return mistakes


def check_precision(centres: pd.DataFrame, folder: Path) -> list[str]:
    """A town centre's ``precision_m`` is a positive number of metres."""
    mistakes = []
    for row in centres.itertuples():
        try:
            ok = number(str(row.precision_m)) > 0
        except ValueError:
            ok = False
        if not ok:
            mistakes.append(f"{folder / str(row.file)}, line {row.line}: town centre "
                            f"{row.refnis!r}: precision_m {row.precision_m!r} is not a "
                            "positive number of metres")
    return mistakes


ZONE_DEFINITIONS = ("municipalities", "corridor", "buffer", "polygon", "hull")
# The least number of member places of a zone, by definition.
MIN_MEMBERS = {"municipalities": 1, "corridor": 1, "buffer": 1, "hull": 3}
# A buffer or corridor wider than this is a unit mistake (km, or degrees), not a zone.
_MAX_BUFFER_M = 100_000.0


def check_zone_shapes(zones: pd.DataFrame, folder: Path) -> list[str]:
    """Zone definitions that can be checked without the index: WKT polygons, buffer widths."""
    import shapely
    from shapely import wkt

    mistakes = []
    for zone in zones.itertuples():
        label = f"{folder / str(zone.file)}, line {zone.line}: zone {zone.id!r}"
        if zone.definition not in ZONE_DEFINITIONS:
            mistakes.append(f"{label}: definition {zone.definition!r}; expected one of "
                            f"{list(ZONE_DEFINITIONS)}")
            continue
        if zone.definition == "polygon":
            try:
                shape = wkt.loads(str(zone.wkt))
            except (shapely.errors.GEOSException, ValueError, TypeError) as error:
                mistakes.append(f"{label}: bad WKT ({error})")
                continue
            if shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
                mistakes.append(f"{label}: WKT {shape.geom_type} {'(empty)' * shape.is_empty}; "
                                "expected a POLYGON or MULTIPOLYGON in lon/lat")
                continue
            minx, miny, maxx, maxy = shape.bounds
            for x, y in ((minx, miny), (maxx, maxy)):
                problem = coordinate_problem(x, y)
                if problem:
                    mistakes.append(f"{label}: polygon corner {x:g}, {y:g}: {problem}")
                    break
            else:
                mistake = _report_zone_repair(label, shape)
                if mistake:
                    mistakes.append(mistake)
        elif zone.definition in ("corridor", "buffer"):
            try:
                width = number(str(zone.buffer_m))
            except ValueError:
                mistakes.append(f"{label}: buffer_m {zone.buffer_m!r} is not a number of "
                                "metres")
                continue
            if not 0 < width <= _MAX_BUFFER_M:
                mistakes.append(f"{label}: buffer_m {width:g}: expected metres, more than 0 and "
                                f"at most {_MAX_BUFFER_M:,.0f} (km or degrees given?)")
    return mistakes


def polygon_as_meant(shape: BaseGeometry) -> tuple[BaseGeometry, list[str]]:
    """An invalid polygon repaired to the area its rings mean, and what was wrong.

    Each outline (shell) is repaired on its own with ``make_valid``, then its holes are cut out
    of it: a hole that lies outside its outline removes nothing. ``make_valid`` on the whole
    polygon would instead turn such a hole into a second polygon, adding its area (97.4 km²
    instead of 78.0). A valid polygon is returned as it is. The result holds polygons only
    (empty when the rings enclose no area).

    Returns
    -------
    geometry, notes
        The polygon(s), and one note per ring that needed more than ``make_valid`` (``"hole 1
        lies outside its outline"``).
    """
    import shapely
    from shapely.geometry import Polygon

    if shape.is_valid and shape.geom_type in ("Polygon", "MultiPolygon"):
        return shape, []
    parts: list[BaseGeometry] = []
    notes: list[str] = []
    for part in _polygons(shape):
        polygon = cast(Polygon, part)  # _polygons gives polygons only
        outline = _areal(shapely.make_valid(Polygon(polygon.exterior)))
        holes = [_areal(shapely.make_valid(Polygon(ring))) for ring in polygon.interiors]
        for number, hole in enumerate(holes, start=1):
            if hole.area and not hole.intersects(outline):
                notes.append(f"hole {number} lies outside its outline (ignored)")
            elif hole.area and not hole.within(outline):
                notes.append(f"hole {number} reaches outside its outline (cut where it "
                             "overlaps)")
        parts.append(outline.difference(shapely.union_all(holes)) if holes else outline)
    return _areal(shapely.union_all(parts)) if parts else Polygon(), notes


# Below this (in square degrees, about 0.01 m²) a polygon encloses no area: rounding noise of
# corners that lie on one line.
_NO_AREA = 1e-12


def encloses_no_area(shape: BaseGeometry) -> bool:
    """Whether a (repaired) polygon in lon/lat encloses no area: empty, or corners on a line."""
    return shape.is_empty or shape.area <= _NO_AREA


def _polygons(shape: BaseGeometry) -> list[BaseGeometry]:
    """The polygons of a polygon, multipolygon or collection (other parts left out)."""
    if shape.geom_type == "Polygon":
        return [shape]
    return [p for part in getattr(shape, "geoms", []) for p in _polygons(part)]


def _areal(shape: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (``make_valid`` may add lines and points)."""
    import shapely
    from shapely.geometry import Polygon

    polygons = _polygons(shape)
    return shapely.union_all(polygons) if polygons else Polygon()


def _report_zone_repair(label: str, shape: BaseGeometry) -> str:
    """An invalid zone polygon is drawn repaired (:func:`polygon_as_meant`); say so when that
    matters. Returns a mistake when the polygon encloses no area (else ``""``)."""
    import geopandas as gpd

    repaired, notes = polygon_as_meant(shape)
    if encloses_no_area(repaired):
        return (f"{label}: a polygon of zero area (its corners lie on one line or repeat one "
                "point); expected an outline that encloses the zone")
    if shape.is_valid:
        return ""
    metric = gpd.GeoSeries([repaired], crs="EPSG:4326")
    km2 = float(metric.to_crs("EPSG:31370").area.iloc[0]) / 1e6
    before = abs(shape.area)
    change = abs(repaired.area - before) / before if before else None
    how = ", ".join(notes) if notes else "a ring crosses itself or another"
    amount = "an unknown amount" if change is None else f"{100 * change:.2f}%"
    level = logging.WARNING if notes or change is None or change > 0.001 else logging.INFO
    log.log(level, "%s: invalid polygon, drawn repaired with make_valid, ring by ring (%s): "
            "%.1f km² (area change %s)", label, how, km2, amount)
    return ""


def check_zone_members(gazetteer: _Resolver, folder: Path) -> list[str]:
    """The members of municipality, corridor, buffer and hull zones resolve to places, and a
    zone has as many as its definition needs (a hull: three)."""
    mistakes = []
    for zone in gazetteer.zones.itertuples(index=False):
        if zone.definition == "polygon":
            continue
        label = f"{folder / str(zone.file)}, line {zone.line}: zone {zone.id!r}"
        members = split_multi(str(zone.members))
        least = MIN_MEMBERS.get(str(zone.definition), 1)
        if not members:
            mistakes.append(f"{label}: no members; expected municipalities or places, "
                            "|-separated")
        elif len(members) < least:
            mistakes.append(f"{label}: {len(members)} member(s); a {zone.definition} zone needs "
                            f"at least {least} places, |-separated")
        for member in members:
            if gazetteer.resolve(member) is None:
                close = gazetteer.suggest(member)
                hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
                mistakes.append(f"{label}: unknown member {member!r}{hint}")
    return mistakes


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a small project CSV as dicts of text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
