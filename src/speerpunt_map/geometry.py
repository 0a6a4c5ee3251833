"""Legend rows → geometry: the points, zones and links of a map as GeoDataFrames.

Every frame is in EPSG:4326 and keeps every legend column as typed, plus the resolved place
(``place_id``, ``place_kind``) and how the geometry was obtained (``geometry_method``).
Buffers, lengths and areas are computed in Belgian Lambert 72 (EPSG:31370).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from shapely import wkt
from shapely.geometry import LineString, Point

from ._errors import GeodataError
from ._text import split_multi
from .boundaries import METRIC_CRS, Boundaries
from .gazetteer import Gazetteer, PlaceRef
from .legend import COLUMNS, Legend, LegendRow, MapSpec
from .vocab import Actor

__all__ = ["GeometryResolver", "links_from_legend", "points_from_legend", "regions_from_map",
           "zones_from_legend"]

# Radius of the circle drawn for a zone that names a point-like place or a municipality when
# no municipality polygons are loaded.
_MUNICIPALITY_RADIUS_M = 3000.0
_MIN_PLACE_RADIUS_M = 1000.0


def to_metric(geometry: shapely.Geometry) -> shapely.Geometry:
    """A WGS84 geometry in EPSG:31370."""
    return gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]


def from_metric(geometry: shapely.Geometry) -> shapely.Geometry:
    """An EPSG:31370 geometry in WGS84."""
    return gpd.GeoSeries([geometry], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]


def anchor(geometry: shapely.Geometry) -> Point:
    """A point to draw a label or a link end at: the centroid if inside, else a point inside."""
    centroid = geometry.centroid
    return centroid if geometry.contains(centroid) else geometry.representative_point()


@dataclass(frozen=True)
class Located:
    """A geometry and how it was obtained."""

    geometry: shapely.Geometry
    method: str
    precision_m: float = 0.0


class GeometryResolver:
    """Turn :class:`~speerpunt_map.gazetteer.PlaceRef` into points and areas."""

    def __init__(self, gazetteer: Gazetteer, boundaries: Boundaries) -> None:
        self.gazetteer = gazetteer
        self.boundaries = boundaries
        self._areas: dict[str, Located] = {}

    def point(self, ref: PlaceRef) -> Located:
        """Where to draw a point for ``ref``."""
        found = self.gazetteer.point(ref)
        if found is not None:
            lon, lat, method, precision = found
            return Located(Point(round(lon, 6), round(lat, 6)), method, precision)
        area = self.area(ref)
        return Located(anchor(area.geometry), f"a point inside: {area.method}", 0.0)

    def area(self, ref: PlaceRef) -> Located:
        """The polygon a zone ``ref`` covers."""
        if ref.id not in self._areas:
            self._areas[ref.id] = self._area(ref)
        return self._areas[ref.id]

    def _area(self, ref: PlaceRef) -> Located:
        if ref.kind == "region":
            geometry = self.boundaries.geometry(ref.id)
            if geometry is None:
                raise GeodataError(f"no boundary for region {ref.id!r} in {self.boundaries.source}")
            row = self.boundaries.areas[self.boundaries.areas["id"] == ref.id].iloc[0]
            return Located(geometry, f"region outline: {row['basis']}")
        if ref.kind == "municipality":
            return self._municipality_area(ref)
        if ref.kind == "zone":
            return self._zone_area(ref)
        point = self.point(ref)
        radius = max(point.precision_m, _MIN_PLACE_RADIUS_M)
        circle = from_metric(to_metric(point.geometry).buffer(radius, quad_segs=16))
        return Located(circle, f"circle of {radius:.0f} m around the place ({point.method})")

    def _municipality_area(self, ref: PlaceRef) -> Located:
        boundaries = self.boundaries
        if boundaries.has_municipalities:
            codes = self.gazetteer.to_vintage(ref.refnis, ref.vintage, boundaries.vintage)
            polygons = [g for c in codes if (g := boundaries.municipality(c)) is not None]
            if polygons:
                merged = len(codes) == 1 and codes[0] != ref.refnis and ref.vintage < \
                    boundaries.vintage
                how = (f"municipality polygon ({boundaries.vintage}"
                       + (", the municipality it merged into" if merged else "") + ")")
                return Located(shapely.union_all(polygons), how)
        point = self.point(ref)
        circle = from_metric(to_metric(point.geometry).buffer(_MUNICIPALITY_RADIUS_M,
                                                              quad_segs=16))
        return Located(circle, f"circle of {_MUNICIPALITY_RADIUS_M / 1000:.0f} km around the "
                       "municipality (no municipality boundaries loaded)")

    def _zone_area(self, ref: PlaceRef) -> Located:
        zone = self.gazetteer.zones.loc[ref.id]
        definition = zone["definition"]
        members = split_multi(zone["members"])
        note = f"custom zone ({definition}; {zone['approximation']})"
        if definition == "polygon":
            try:
                return Located(shapely.make_valid(wkt.loads(zone["wkt"])), note)
            except shapely.errors.GEOSException as error:
                raise GeodataError(f"zone {ref.id!r} ({zone['file']}): bad WKT: {error}") from None
        refs = []
        for member in members:
            member_ref = self.gazetteer.resolve(member)
            if member_ref is None:
                raise GeodataError(f"zone {ref.id!r} ({zone['file']}): unknown member "
                                   f"{member!r}; did you mean {self.gazetteer.suggest(member)}?")
            refs.append(member_ref)
        if definition == "municipalities":
            return Located(shapely.union_all([self.area(r).geometry for r in refs]), note)
        try:
            radius = float(zone["buffer_m"])
        except ValueError:
            raise GeodataError(f"zone {ref.id!r} ({zone['file']}): buffer_m "
                               f"{zone['buffer_m']!r} is not a number of metres") from None
        points = [to_metric(self.point(r).geometry) for r in refs]
        if definition == "corridor" and len(points) >= 2:
            shape = LineString(points).buffer(radius, quad_segs=8)
        elif definition in ("buffer", "corridor") and points:
            shape = shapely.union_all([p.buffer(radius, quad_segs=16) for p in points])
        else:
            raise GeodataError(f"zone {ref.id!r} ({zone['file']}): definition {definition!r} "
                               "is not municipalities, corridor, buffer or polygon")
        return Located(from_metric(shape), note)


# -- frames ------------------------------------------------------------------------------------
def _base(legend: Legend, row: LegendRow) -> dict[str, object]:
    """The legend columns of a row, as typed, with the row's origin and normalised reading."""
    record: dict[str, object] = {"map_id": legend.spec.id if legend.spec else "",
                                 "file": row.file, "row": row.row}
    record.update({c: row.cells[c] for c in COLUMNS})
    record["kind"] = row.kind
    record["number"] = row.number
    # The actor whose colour the row takes: the first of its actors that chose the sector.
    on_map = set(legend.spec.actors) if legend.spec else set()
    listed = [a for a in row.actors if a in on_map] or list(row.actors)
    record["actor_id"] = listed[0].id if listed else ""
    record["actor_ids"] = tuple(a.id for a in row.actors)
    record["years"] = tuple(row.years)
    return record


def _frame(records: list[dict[str, object]], extra: tuple[str, ...]) -> gpd.GeoDataFrame:
    columns = ("map_id", "file", "row", *COLUMNS, "actor_id", "actor_ids", "years", *extra,
               "geometry")
    frame = gpd.GeoDataFrame(pd.DataFrame(records, columns=list(columns)), geometry="geometry",
                             crs="EPSG:4326")
    frame["number"] = frame["number"].astype("Int64")
    frame["row"] = frame["row"].astype("int64")
    return frame


def _placed(legend: Legend, kind: str,
            locate: Callable[[PlaceRef], Located]) -> list[dict[str, object]]:
    """Records of the rows of one kind that name a place, located by ``locate``."""
    records = []
    for row in legend.rows:
        if row.kind == kind and row.place is not None:
            located = locate(row.place)
            records.append({**_base(legend, row), "place_id": row.place.id,
                            "place_kind": row.place.kind, "geometry_method": located.method,
                            "precision_m": located.precision_m, "geometry": located.geometry})
    return records


def points_from_legend(legend: Legend, resolver: GeometryResolver) -> gpd.GeoDataFrame:
    """The points of a legend, one per point row."""
    return _frame(_placed(legend, "point", resolver.point),
                  ("place_id", "place_kind", "geometry_method", "precision_m"))


def zones_from_legend(legend: Legend, resolver: GeometryResolver) -> gpd.GeoDataFrame:
    """The zones of a legend, one polygon per zone row, with its area in km²."""
    frame = _frame(_placed(legend, "zone", resolver.area),
                   ("place_id", "place_kind", "geometry_method", "area_km2"))
    frame["area_km2"] = (frame.to_crs(METRIC_CRS).area / 1e6).round(2) if len(frame) else []
    return frame


def _link_start(row: LegendRow, spec: MapSpec | None) -> tuple[PlaceRef | None, str]:
    if row.link_from is not None:
        return row.link_from, "named start"
    actor: Actor | None = row.actors[0] if row.actors else (spec.actors[0] if spec else None)
    if actor is None:
        return None, ""
    why = "region of the actor that named it" if row.actors else \
        "region of the map's first actor (the row names no source)"
    return PlaceRef("region", actor.region, actor.name_nl), why


def links_from_legend(legend: Legend, resolver: GeometryResolver) -> gpd.GeoDataFrame:
    """The links of a legend as lines from start to end, with their length in km."""
    records = []
    for row in legend.rows:
        if row.kind != "link" or row.link_to is None:
            continue
        start, why = _link_start(row, legend.spec)
        if start is None:
            continue
        a, b = resolver.point(start), resolver.point(row.link_to)
        records.append({**_base(legend, row), "link_type": row.link_type,
                        "from_id": start.id, "from_kind": start.kind, "from_name": start.name,
                        "to_id": row.link_to.id, "to_kind": row.link_to.kind,
                        "to_name": row.link_to.name,
                        "geometry_method": f"from {why} ({a.method}) to ({b.method})",
                        "geometry": LineString([a.geometry, b.geometry])})
    frame = _frame(records, ("from_id", "from_kind", "from_name", "to_id", "to_kind",
                             "to_name", "geometry_method", "length_km"))
    frame["length_km"] = (frame.to_crs(METRIC_CRS).length / 1000).round(1) if len(frame) else []
    return frame


def regions_from_map(actors: tuple[Actor, ...], resolver: GeometryResolver,
                     language: str = "nl") -> gpd.GeoDataFrame:
    """The regions of the actors that chose the sector, one row per actor."""
    records = []
    for actor in actors:
        located = resolver.area(PlaceRef("region", actor.region, actor.name_nl))
        approximate = bool(resolver.boundaries.areas.loc[
            resolver.boundaries.areas["id"] == actor.region, "approximate"].any())
        records.append({"actor_id": actor.id, "name": actor.name(language), "kind": actor.kind,
                        "region": actor.region, "approximate": approximate,
                        "geometry_method": located.method, "geometry": located.geometry})
    columns = ["actor_id", "name", "kind", "region", "approximate", "geometry_method",
               "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(records, columns=columns), geometry="geometry",
                            crs="EPSG:4326")
