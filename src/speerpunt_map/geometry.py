"""Legend rows → geometry: the points, zones and links of a map as GeoDataFrames.

Every frame is in EPSG:4326 and keeps every legend column as typed, plus the resolved place
(``place_id``, ``place_kind``) and how the geometry was obtained (``geometry_method``, and
``precision_m`` for points). Buffers, lengths and areas are computed in Belgian Lambert 72
(EPSG:31370).

A geometry is what its row names, in the map's vintage (its catalogue ``period``): a
municipality-named zone is that municipality's polygon, a point in a town its town centre
(``town_centres.csv``), a region its outline. Where the boundaries cannot draw exactly what was
named (a 2013 municipality merged in 2019, drawn as the merged polygon), ``geometry_method``
says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import geopandas as gpd
import pandas as pd
import shapely
from shapely import wkt
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from ._errors import GeodataError
from ._geodata_files import encloses_no_area, polygon_as_meant
from ._place_names import ambiguity_hint
from ._text import split_multi
from ._types import Language
from .boundaries import METRIC_CRS, Boundaries
from .catalogue import vintage_of_period
from .gazetteer import Gazetteer, PlaceRef
from .legend import COLUMNS, Legend, LegendRow, MapSpec
from .options import Vintage
from .vocab import Actor

__all__ = ["GeometryResolver", "Located", "links_from_legend", "points_from_legend",
           "regions_from_map", "zones_from_legend"]

# Radius of the circle drawn for a zone that names a gazetteer place (a site, not an area),
# at least; the place's own precision when that is larger.
_MIN_PLACE_RADIUS_M = 1000.0


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS84 geometry in EPSG:31370."""
    return cast(BaseGeometry,
                gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0])


def from_metric(geometry: BaseGeometry) -> BaseGeometry:
    """An EPSG:31370 geometry in WGS84."""
    return cast(BaseGeometry,
                gpd.GeoSeries([geometry], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0])


def anchor(geometry: BaseGeometry) -> Point:
    """A point to draw a label or a link end at: the centroid if inside, else a point inside."""
    centroid = geometry.centroid
    return centroid if geometry.contains(centroid) else geometry.representative_point()


def _reach_m(point: Point, area: BaseGeometry) -> float:
    """How far a point inside an area may be from any place in it: the farthest distance to
    its outline, in metres (rounded to 100 m)."""
    distance = to_metric(area).hausdorff_distance(to_metric(point))
    return float(round(distance, -2))


@dataclass(frozen=True)
class Located:
    """A geometry and how it was obtained.

    ``precision_m`` is how far a point may be from what it stands for (0 for outlines).
    """

    geometry: BaseGeometry
    method: str
    precision_m: float = 0.0


class GeometryResolver:
    """Turn :class:`~speerpunt_map.gazetteer.PlaceRef` into points and areas, in a vintage.

    Every method takes the map's municipality vintage (``MapSpec.vintage``): a municipality
    reference is first taken to that vintage (:meth:`Gazetteer.in_vintage
    <speerpunt_map.Gazetteer.in_vintage>`), and its polygon translated from the boundaries'
    vintage through the crosswalk.
    """

    def __init__(self, gazetteer: Gazetteer, boundaries: Boundaries) -> None:
        self.gazetteer = gazetteer
        self.boundaries = boundaries
        self._areas: dict[tuple[str, int], Located] = {}

    def point(self, ref: PlaceRef, *, vintage: Vintage) -> Located:
        """Where to draw a point for ``ref``: a place's coordinate, a town centre, or (for a
        zone or region) a point inside its outline, each with how it was obtained."""
        ref = self.gazetteer.in_vintage(ref, vintage)
        found = self.gazetteer.point(ref, vintage=vintage)
        if found is not None:
            return Located(Point(round(found.lon, 6), round(found.lat, 6)), found.method,
                           found.precision_m)
        area = self.area(ref, vintage=vintage)
        inside = anchor(area.geometry)
        what = ("a point inside the municipality (no town centre in town_centres.csv)"
                if ref.kind == "municipality" else "a point inside the outline")
        return Located(inside, f"{what}: {area.method}", _reach_m(inside, area.geometry))

    def link_end(self, ref: PlaceRef, *, vintage: Vintage,
                 towards: BaseGeometry) -> Located:
        """Where a link to ``ref`` ends, coming from ``towards``.

        A network of places (a ``hull`` zone such as ELAt, the Eindhoven-Leuven-Aachen
        triangle) is reached at its place nearest to the link's other end; anything else at
        :meth:`point`.
        """
        ref = self.gazetteer.in_vintage(ref, vintage)
        if ref.kind != "zone" or self.gazetteer.zones.loc[ref.id, "definition"] != "hull":
            return self.point(ref, vintage=vintage)
        zone = cast("pd.Series[str]", self.gazetteer.zones.loc[ref.id])  # ids are unique
        places = [self._member(ref, m, vintage) for m in split_multi(zone["members"])]
        ends = [(place.name, self.point(place, vintage=vintage)) for place in places]
        origin = to_metric(towards)
        name, nearest = min(ends, key=lambda e: to_metric(e[1].geometry).distance(origin))
        return Located(nearest.geometry,
                       f"{zone['name']} ({' - '.join(n for n, _ in ends)}), a network of "
                       f"{len(ends)} places, not an area: the link ends at the one nearest to "
                       f"its other end, {name} ({nearest.method})", nearest.precision_m)

    def area(self, ref: PlaceRef, *, vintage: Vintage) -> Located:
        """The polygon a zone ``ref`` covers."""
        ref = self.gazetteer.in_vintage(ref, vintage)
        key = (ref.id, vintage)
        if key not in self._areas:
            self._areas[key] = self._area(ref, vintage)
        return self._areas[key]

    def _area(self, ref: PlaceRef, vintage: Vintage) -> Located:
        if ref.kind == "region":
            geometry = self.boundaries.geometry(ref.id)
            if geometry is None:
                raise GeodataError(f"no boundary for region {ref.id!r} in {self.boundaries.source}")
            row = self.boundaries.areas[self.boundaries.areas["id"] == ref.id].iloc[0]
            # Every shapely geometry object is a BaseGeometry (Boundaries types it loosely).
            return Located(cast(BaseGeometry, geometry), f"region outline: {row['basis']}")
        if ref.kind == "municipality":
            return self._municipality_area(ref)
        if ref.kind == "zone":
            return self._zone_area(ref, vintage)
        # A place is a site, not an area: a circle around it, and the method says so.
        point = self.point(ref, vintage=vintage)
        radius = max(point.precision_m, _MIN_PLACE_RADIUS_M)
        circle = from_metric(to_metric(point.geometry).buffer(radius, quad_segs=16))
        return Located(circle, f"circle of {radius:.0f} m around the place ({point.method})")

    def _municipality_area(self, ref: PlaceRef) -> Located:
        """The municipality's polygon, from the boundaries' vintage through the crosswalk."""
        boundaries, gazetteer = self.boundaries, self.gazetteer
        target = boundaries.vintage
        codes = gazetteer.to_vintage(ref.refnis, ref.vintage, target)
        polygons = [g for c in codes if (g := boundaries.municipality(c)) is not None]
        if not codes or len(polygons) < len(codes):
            raise GeodataError(f"{ref.name} ({ref.refnis}, municipality of {ref.vintage}): no "
                               f"polygon in {boundaries.source} (vintage {target}); a zone named "
                               "by a municipality is drawn as its polygon, so the boundary file "
                               "must hold it")
        names = [gazetteer.name_of(c, target) for c in codes]
        how = f"municipality polygon ({target}) of {' + '.join(names)}"
        # Which municipalities of the reference's vintage that polygon covers.
        covered = sorted({back for c in codes for back in gazetteer.to_vintage(c, target,
                                                                              ref.vintage)})
        others = [gazetteer.name_of(c, ref.vintage) for c in covered if c != ref.refnis]
        if others:
            how += (f", which {ref.name} ({ref.vintage}) merged into with "
                    f"{', '.join(others)}: boundaries of {target} cannot split the merger back "
                    f"into the municipalities of {ref.vintage}")
        elif len(codes) > 1:
            how += f": {ref.name} ({ref.vintage}) dissolved from them through the crosswalk"
        return Located(shapely.union_all(polygons), how)

    def _member(self, zone: PlaceRef, member: str, vintage: Vintage) -> PlaceRef:
        """The place a zone's member names: as a legend cell, an unknown or ambiguous name is
        an error (naming the zone's file), never a guess."""
        found = self.gazetteer.resolve(member, vintage)
        row = self.gazetteer.zones.loc[zone.id]
        if found is None:
            raise GeodataError(f"zone {zone.id!r} ({row['file']}): unknown member {member!r}; "
                               f"did you mean {self.gazetteer.suggest(member)}?")
        candidates = self.gazetteer.candidates(member, vintage)
        if len(candidates) > 1:
            raise GeodataError(f"zone {zone.id!r} ({row['file']}), column members: "
                               f"{ambiguity_hint(member, candidates, self.gazetteer)}")
        return found

    def _zone_area(self, ref: PlaceRef, vintage: Vintage) -> Located:
        zone = cast("pd.Series[str]", self.gazetteer.zones.loc[ref.id])  # ids are unique
        definition = zone["definition"]
        note = f"custom zone ({definition}; {zone['approximation']})"
        if definition == "polygon":
            try:
                shape = wkt.loads(zone["wkt"])
            except shapely.errors.GEOSException as error:
                raise GeodataError(f"zone {ref.id!r} ({zone['file']}): bad WKT: {error}") from None
            # The area its rings mean: a hole outside its outline is no second polygon.
            drawn, repairs = polygon_as_meant(shape)
            if encloses_no_area(drawn):
                raise GeodataError(f"zone {ref.id!r} ({zone['file']}): a polygon of zero area; "
                                   "expected an outline that encloses the zone")
            return Located(drawn, note + "".join(f"; repaired: {r}" for r in repairs))
        refs = [self._member(ref, m, vintage) for m in split_multi(zone["members"])]
        if definition == "municipalities":
            return Located(shapely.union_all([self.area(r, vintage=vintage).geometry
                                              for r in refs]), note)
        points = [self.point(r, vintage=vintage) for r in refs]
        # What point() locates is a Point.
        metric = [cast(Point, to_metric(p.geometry)) for p in points]
        if definition == "hull":
            # The polygon through its places (the ELAt triangle through its three cities).
            shape = shapely.MultiPoint([cast(Point, p.geometry) for p in points]).convex_hull
            if shape.geom_type != "Polygon":
                raise GeodataError(f"zone {ref.id!r} ({zone['file']}): its places lie on one "
                                   "line; a hull needs three places not in a line")
            corners = "; ".join(f"{m}: {p.method}" for m, p in
                                zip(split_multi(zone["members"]), points, strict=True))
            return Located(shape, f"{note}; corners: {corners}")
        try:
            radius = float(zone["buffer_m"])
        except ValueError:
            raise GeodataError(f"zone {ref.id!r} ({zone['file']}): buffer_m "
                               f"{zone['buffer_m']!r} is not a number of metres") from None
        if definition == "corridor" and len(metric) >= 2:
            shape = LineString(metric).buffer(radius, quad_segs=8)
        elif definition in ("buffer", "corridor") and metric:
            shape = shapely.union_all([p.buffer(radius, quad_segs=16) for p in metric])
        else:
            raise GeodataError(f"zone {ref.id!r} ({zone['file']}): definition {definition!r} "
                               "is not municipalities, corridor, buffer, hull or polygon")
        return Located(from_metric(shape), note)


# -- frames ------------------------------------------------------------------------------------
def _base(legend: Legend, row: LegendRow) -> dict[str, object]:
    """The legend columns of a row, as typed, with the row's origin and normalised reading."""
    record: dict[str, object] = {"map_id": legend.spec.id if legend.spec else "",
                                 "file": row.file, "row": row.row}
    record.update({c: row.cells[c] for c in COLUMNS})
    record["kind"] = row.kind
    # A point's number is an identifier: shown as typed ("007" stays "007").
    record["number"] = row.cells["number"].strip() if row.number is not None else None
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
    frame["number"] = frame["number"].astype(object).where(frame["number"].notna(), None)
    frame["row"] = frame["row"].astype("int64")
    return frame


def _vintage(legend: Legend) -> Vintage:
    """The municipality vintage of a legend's map (the report's, 2013, for a table read
    without a catalogue entry)."""
    return legend.spec.vintage if legend.spec else vintage_of_period("")


def _placed(legend: Legend, kind: str,
            locate: Callable[[PlaceRef, Vintage], Located],
            gazetteer: Gazetteer) -> list[dict[str, object]]:
    """Records of the rows of one kind that name a place, located by ``locate`` in the map's
    vintage."""
    vintage = _vintage(legend)
    records = []
    for row in legend.rows:
        if row.kind == kind and row.place is not None:
            place = gazetteer.in_vintage(row.place, vintage)
            located = locate(place, vintage)
            records.append({**_base(legend, row), "place_id": place.id,
                            "place_kind": place.kind, "geometry_method": located.method,
                            "precision_m": located.precision_m, "geometry": located.geometry})
    return records


def points_from_legend(legend: Legend, resolver: GeometryResolver) -> gpd.GeoDataFrame:
    """The points of a legend, one per point row."""
    return _frame(_placed(legend, "point", lambda r, v: resolver.point(r, vintage=v),
                          resolver.gazetteer),
                  ("place_id", "place_kind", "geometry_method", "precision_m"))


def zones_from_legend(legend: Legend, resolver: GeometryResolver) -> gpd.GeoDataFrame:
    """The zones of a legend, one polygon per zone row, with its area in km²."""
    frame = _frame(_placed(legend, "zone", lambda r, v: resolver.area(r, vintage=v),
                           resolver.gazetteer),
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
    """The links of a legend as lines from start to end, with their length in km.

    Each end is a point (:meth:`GeometryResolver.point`); an end that is a network of places
    (ELAt) is its place nearest to the other end (:meth:`GeometryResolver.link_end`).
    """
    vintage = _vintage(legend)
    in_vintage = resolver.gazetteer.in_vintage
    records = []
    for row in legend.rows:
        if row.kind != "link" or row.link_to is None:
            continue
        start, why = _link_start(row, legend.spec)
        if start is None:
            continue
        start, end = in_vintage(start, vintage), in_vintage(row.link_to, vintage)
        a = resolver.point(start, vintage=vintage)
        b = resolver.link_end(end, vintage=vintage, towards=a.geometry)
        a = resolver.link_end(start, vintage=vintage, towards=b.geometry)
        records.append({**_base(legend, row), "link_type": row.link_type,
                        "from_id": start.id, "from_kind": start.kind, "from_name": start.name,
                        "to_id": end.id, "to_kind": end.kind, "to_name": end.name,
                        "geometry_method": f"from {why} ({a.method}) to ({b.method})",
                        # Both ends are points (link_end: a point, or a place's point).
                        "geometry": LineString([cast(Point, a.geometry),
                                                cast(Point, b.geometry)])})
    frame = _frame(records, ("from_id", "from_kind", "from_name", "to_id", "to_kind",
                             "to_name", "geometry_method", "length_km"))
    frame["length_km"] = (frame.to_crs(METRIC_CRS).length / 1000).round(1) if len(frame) else []
    return frame


def regions_from_map(actors: tuple[Actor, ...], resolver: GeometryResolver,
                     language: Language = "nl") -> gpd.GeoDataFrame:
    """The regions of the actors that chose the sector, one row per actor.

    ``approximate`` marks a region that rests on an uncertain membership (see
    :class:`~speerpunt_map.Boundaries`); a region's outline does not depend on the vintage.
    """
    vintage = vintage_of_period("")
    records = []
    for actor in actors:
        located = resolver.area(PlaceRef("region", actor.region, actor.name_nl),
                                vintage=vintage)
        approximate = bool(resolver.boundaries.areas.loc[
            resolver.boundaries.areas["id"] == actor.region, "approximate"].any())
        records.append({"actor_id": actor.id, "name": actor.name(language), "kind": actor.kind,
                        "region": actor.region, "approximate": approximate,
                        "geometry_method": located.method, "geometry": located.geometry})
    columns = ["actor_id", "name", "kind", "region", "approximate", "geometry_method",
               "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(records, columns=columns), geometry="geometry",
                            crs="EPSG:4326")
