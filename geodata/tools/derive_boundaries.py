#!/usr/bin/env python3
"""Derive the shipped boundary layer ``geodata/boundaries/municipalities-2019.topojson``.

Provenance script, not part of the ``speerpunt_map`` package. It reads the 581 municipality
polygons of 2019 from ``belgium-municipalities-2019.topojson`` (bmesuere/belgium-topojson, CC0;
REFNIS 2019 codes from Statbel), given as the first argument, and writes a TopoJSON of its own:

* **schema**: one layer ``municipalities``; properties ``refnis`` (5-character string), ``name_nl``,
  ``name_fr``, ``vintage`` (``"2019"``); features sorted by ``refnis``; WGS84 lon/lat.
* **repair**: the polygons that are invalid as stored (Stabroek, Asse and Koksijde in the 2019
  file) are repaired with ``shapely.make_valid`` (polygonal part kept) and reported.
* **quantisation**: integer coordinates on a grid ``QUANTISATION_DIVISOR`` times finer than the
  source's own quantisation grid, with the same origin. Every vertex of the source lies on its
  grid, so it is kept exactly; only the few points ``make_valid`` adds are snapped. The cell is
  checked to be at most ``MAX_CELL_M`` metres in either direction.
* **topology**: the rings are cut at their junctions into arcs; an arc shared by two neighbours
  is stored once and referenced by both (``~i`` for the reversed direction), so neighbours decode
  to identical edges. Before the cut, every ring is made to agree with its neighbours:
  zero-width spikes (A → B → back over A) are removed from every ring (none are left in the 2019
  file once ``make_valid`` has run); a point ``make_valid`` added where it cut a self-intersecting
  ring is inserted into any other ring that passes within one grid cell of it (Koksijde's repair
  adds one on its border with Nieuwpoort); and a vertex lying exactly on another ring's edge is
  inserted into that edge (exact integer test; one, where Asse's repair left Dilbeek's edge
  running past it). After the cut, points that lie exactly on the straight line between their
  arc neighbours are dropped. Only the snapping of ``make_valid``'s point moves a line (by a few
  metres, Koksijde/Nieuwpoort); the other steps move no vertex. A ring that collapses on the grid
  is dropped and reported (Koksijde's repair keeps a 26 m² loop that overlaps Nieuwpoort in the
  source; it collapses).
* **encoding**: arcs delta-encoded (TopoJSON ``transform``), one geometry and one arc per line.

The result is checked before it is written: 581 features with unique codes equal to the 2019 rows
of ``geodata/municipalities.csv`` (300 Flemish); every geometry valid, decoded both by this script
and by GDAL's TopoJSON driver (through geopandas), with identical coordinates; every arc used by
one or two polygon sides; no overlaps between neighbours and no holes in their union; and the
distance to the (repaired) source polygons, as the Hausdorff distance in Lambert 72 (EPSG:31370),
is printed (max, median, worst three).

Usage (from the repository root)::

    python geodata/tools/derive_boundaries.py ../shared/geodata/belgium-municipalities-2019.topojson
    python geodata/tools/derive_boundaries.py TOPOJSON --check   # compare only, exit 1 on change

Needs geopandas (with fiona or pyogrio and GDAL's TopoJSON driver), shapely >= 2.1 and pyproj.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiLineString, MultiPolygon, Polygon

GEODATA = Path(__file__).resolve().parent.parent
OUT = GEODATA / "boundaries" / "municipalities-2019.topojson"
LAYER = "municipalities"
VINTAGE = "2019"
EXPECTED = (581, 300)  # municipalities of 2019: Belgium, Flanders
QUANTISATION_DIVISOR = 3  # our grid cell = the source's grid cell / 3
MAX_CELL_M = 10.0
METRIC_CRS = "EPSG:31370"  # Belgian Lambert 72
MAX_HOLE_M2 = 1.0  # a hole in the union of all municipalities larger than this is an error
MAX_OVERLAP_M2 = 1.0  # summed area of all polygons minus the area of their union

Point = tuple[int, int]
Ring = list[Point]


# --- inputs -----------------------------------------------------------------------------------

def source_transform(path: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The quantisation (``transform``) of the source TopoJSON: (scale, translate)."""
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    transform = topology.get("transform")
    if not transform:
        raise SystemExit(f"{path}: no 'transform' (not a quantised TopoJSON); this script aligns "
                         "its grid with the source's")
    return tuple(transform["scale"]), tuple(transform["translate"])


def polygonal(geom):
    """Repair an invalid geometry with make_valid and keep only its polygonal part."""
    fixed = shapely.make_valid(geom)
    parts = [g for g in getattr(fixed, "geoms", [fixed])
             if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def load_source(path: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path, layer=LAYER)
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)  # the file carries no CRS
    gdf["refnis"] = gdf["nis"].astype(str).str.strip().str.zfill(5)
    assert gdf["refnis"].str.fullmatch(r"[0-9]{5}").all(), "REFNIS codes of five digits expected"
    assert gdf["refnis"].is_unique, "duplicate REFNIS codes in the source"
    repaired = []
    for i in gdf.index[~gdf.is_valid]:
        before = gdf.geometry[i]
        after = polygonal(before)
        change = (after.area - before.area) / before.area
        repaired.append(f"{gdf.at[i, 'name_nl']} ({gdf.at[i, 'refnis']}, "
                        f"{shapely.is_valid_reason(before).split('[')[0]}, "
                        f"area {100 * change:+.5f}%)")
        gdf.loc[i, "geometry"] = after
    print(f"source: {len(gdf)} municipalities; repaired with make_valid: "
          f"{'; '.join(repaired) or 'none'}")
    assert gdf.is_valid.all()
    return gdf.sort_values("refnis").reset_index(drop=True)


def expected_codes() -> dict[str, str]:
    """REFNIS code → region of the 2019 rows of geodata/municipalities.csv."""
    with (GEODATA / "municipalities.csv").open(encoding="utf-8", newline="") as f:
        return {r["refnis"]: r["region"] for r in csv.DictReader(f) if r["vintage"] == VINTAGE}


# --- the grid ---------------------------------------------------------------------------------

class Grid:
    """Integer grid: x = q * scale + translate (TopoJSON's transform)."""

    def __init__(self, scale: tuple[float, float], translate: tuple[float, float],
                 divisor: int):
        self.scale = (scale[0] / divisor, scale[1] / divisor)
        self.translate = translate
        self.source_scale = scale

    def on_source_grid(self, x: float, y: float) -> bool:
        """Whether a point lies on the source's quantisation grid (as its stored vertices do)."""
        u = (x - self.translate[0]) / self.source_scale[0]
        v = (y - self.translate[1]) / self.source_scale[1]
        return abs(u - round(u)) < 1e-6 and abs(v - round(v)) < 1e-6

    def quantise(self, x: float, y: float) -> Point:
        return (round((x - self.translate[0]) / self.scale[0]),
                round((y - self.translate[1]) / self.scale[1]))

    def decode(self, q: Point) -> tuple[float, float]:
        return (q[0] * self.scale[0] + self.translate[0], q[1] * self.scale[1] + self.translate[1])

    def cell_metres(self, lat_min: float) -> tuple[float, float]:
        """Largest cell size in metres (longitude cells are widest at the southern edge)."""
        from pyproj import Geod

        geod = Geod(ellps="GRS80")
        lon0 = self.translate[0]
        _, _, dx = geod.inv(lon0, lat_min, lon0 + self.scale[0], lat_min)
        _, _, dy = geod.inv(lon0, lat_min, lon0, lat_min + self.scale[1])
        return dx, dy


# --- integer ring clean-up --------------------------------------------------------------------

def _cross(o: Point, a: Point, b: Point) -> int:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _backtrack(a: Point, b: Point, c: Point) -> bool:
    """Whether b is the tip of a zero-width spike a → b → c (c back along the same line)."""
    dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
    return _cross(a, b, c) == 0 and dot < 0


def clean_ring(points: list[Point]) -> tuple[Ring, int]:
    """Drop repeated points and spike tips from an open ring; returns (ring, spikes removed)."""
    ring = _dedupe(points)
    spikes = 0
    changed = True
    while changed and len(ring) >= 3:
        changed = False
        i = 0
        while i < len(ring) and len(ring) >= 3:
            if _backtrack(ring[i - 1], ring[i], ring[(i + 1) % len(ring)]):
                del ring[i]
                spikes += 1
                changed = True
            else:
                i += 1
        ring = _dedupe(ring)
    return (ring if len(ring) >= 3 else []), spikes


def _dedupe(ring: list[Point]) -> Ring:
    """Without consecutive repeats (cyclically: the last point is compared with the first)."""
    return [p for i, p in enumerate(ring) if p != ring[i - 1]]


def _signed_area2(ring: Ring) -> int:
    return sum(ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(len(ring)))


def integer_polygons(geom, grid: Grid, added: set[Point]
                     ) -> tuple[list[list[Ring]], int, int]:
    """A (multi)polygon as integer rings: exteriors counter-clockwise, holes clockwise
    (RFC 7946), without the closing point. Returns (polygons, spikes removed, rings dropped);
    the grid points of vertices that are not on the source's grid go into ``added``."""
    polygons, spikes, dropped = [], 0, 0
    for part in getattr(geom, "geoms", [geom]):
        rings = []
        for k, ring in enumerate([part.exterior, *part.interiors]):
            points = []
            for x, y in ring.coords[:-1]:
                points.append(grid.quantise(x, y))
                if not grid.on_source_grid(x, y):
                    added.add(points[-1])
            cleaned, n = clean_ring(points)
            spikes += n
            if not cleaned or _signed_area2(cleaned) == 0:
                dropped += 1
                if k == 0:  # an exterior that collapsed takes its holes with it
                    dropped += len(part.interiors)
                    break
                continue
            if (_signed_area2(cleaned) > 0) != (k == 0):
                cleaned.reverse()
            rings.append(cleaned)
        if rings:
            polygons.append(rings)
    return polygons, spikes, dropped


def _distance(p: Point, a: Point, b: Point) -> float | None:
    """Distance (cells) from p to the segment a-b if p projects strictly inside it."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
    return abs(_cross(a, b, p)) / math.hypot(dx, dy) if 0 < t < 1 else None


def node(features: list[dict], added: set[Point]) -> list[tuple[dict, float, Point]]:
    """Insert each point ``make_valid`` added (where it cut a ring at a self-intersection) into
    every ring that passes within one cell of it without having it (the neighbour whose edge it
    was cut from), so the neighbours share the new edge. Returns (feature, distance in cells,
    point) per insertion."""
    done = []
    for point in sorted(added):
        for feature in features:
            for polygon in feature["polygons"]:
                for ring in polygon:
                    if point in ring:
                        continue
                    for i in range(len(ring)):
                        at = _distance(point, ring[i - 1], ring[i])
                        if at is not None and at <= 1.0:
                            ring.insert(i, point)
                            done.append((feature, at, point))
                            break
    return done


def node_exactly(features: list[dict]) -> Counter:
    """Insert every vertex that lies exactly on another ring's edge (strictly between its ends)
    into that edge, so two rings that run along the same line have the same vertices there.
    Integer arithmetic: no coordinate moves. Returns the insertions per municipality."""
    rings = [(f, ring) for f in features for polygon in f["polygons"] for ring in polygon]
    segments = [(k, i) for k, (_, ring) in enumerate(rings) for i in range(len(ring))]
    lines = [shapely.LineString([rings[k][1][i - 1], rings[k][1][i]]) for k, i in segments]
    points = sorted({p for _, ring in rings for p in ring})
    tree = shapely.STRtree(lines)
    hits = tree.query(shapely.points(points), predicate="dwithin", distance=0.5)
    inserts: dict[tuple[int, int], list[tuple[float, Point]]] = defaultdict(list)
    for n, s in zip(*hits.tolist(), strict=True):
        p, (k, i) = points[n], segments[s]
        a, b = rings[k][1][i - 1], rings[k][1][i]
        if p in (a, b) or _cross(a, b, p) != 0:
            continue
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
        if 0 < t < 1:
            inserts[(k, i)].append((t, p))
    done: Counter = Counter()
    for (k, i) in sorted(inserts, reverse=True):  # from the end, so indices stay right
        feature, ring = rings[k]
        ring[i:i] = [p for _, p in sorted(inserts[(k, i)])]
        done[f"{feature['name_nl']} ({feature['refnis']})"] += len(inserts[(k, i)])
    return done


# --- topology ---------------------------------------------------------------------------------

def junctions(rings: list[Ring]) -> set[Point]:
    """Points where rings meet with different neighbours (the ends of the shared arcs)."""
    seen: dict[Point, set[frozenset]] = defaultdict(set)
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            seen[p].add(frozenset((ring[i - 1], ring[(i + 1) % n])))
    return {p for p, pairs in seen.items() if len(pairs) > 1}


def _canonical_closed(ring: Ring) -> tuple[Point, ...]:
    """A ring without junctions as one closed arc, starting at its smallest point."""
    start = ring.index(min(ring))
    rotated = ring[start:] + ring[:start]
    return tuple(rotated + rotated[:1])


def _straight(arc: list[Point]) -> list[Point]:
    """Drop interior points that lie exactly on the line between their neighbours."""
    out = [arc[0]]
    for i in range(1, len(arc) - 1):
        if _cross(out[-1], arc[i], arc[i + 1]) != 0:
            out.append(arc[i])
    out.append(arc[-1])
    return out


class Topology:
    def __init__(self) -> None:
        self.arcs: list[tuple[Point, ...]] = []
        self.index: dict[tuple[Point, ...], int] = {}

    def arc(self, points: tuple[Point, ...], back: tuple[Point, ...]) -> int:
        """The index of an arc (``~i`` if stored the other way round, as ``back``), storing it
        if new."""
        if points in self.index:
            return self.index[points]
        if back in self.index:
            return ~self.index[back]
        self.index[points] = len(self.arcs)
        self.arcs.append(points)
        return self.index[points]

    def cut(self, ring: Ring, ends: set[Point]) -> list[int]:
        """A ring as arc ids: cut at its junctions, or one closed arc if it has none."""
        cuts = [i for i, p in enumerate(ring) if p in ends]
        if not cuts:
            return [self.arc(_canonical_closed(ring), _canonical_closed(ring[::-1]))]
        rotated = ring[cuts[0]:] + ring[:cuts[0]]
        positions = [i - cuts[0] for i in cuts] + [len(ring)]
        closed = rotated + rotated[:1]
        ids = []
        for a, b in zip(positions, positions[1:], strict=False):
            points = tuple(closed[a:b + 1])
            ids.append(self.arc(points, points[::-1]))
        return ids


def build_topology(features: list[dict]) -> tuple[list[list[list[int]]], list[list[Point]]]:
    """Arc references per feature (polygons → rings → arc ids) and the arcs."""
    all_rings = [ring for f in features for polygon in f["polygons"] for ring in polygon]
    ends = junctions(all_rings)
    topo = Topology()
    refs = [[[topo.cut(ring, ends) for ring in polygon] for polygon in f["polygons"]]
            for f in features]
    arcs = [_straight(list(a)) for a in topo.arcs]
    return refs, arcs


# --- decoding and checks ----------------------------------------------------------------------

def decode_ring(ids: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for i in ids:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def decode(refs: list[list[list[int]]], arcs: list[list[Point]], grid: Grid):
    polygons = []
    for polygon in refs:
        rings = [[grid.decode(p) for p in decode_ring(ring, arcs)] for ring in polygon]
        polygons.append(Polygon(rings[0], rings[1:]))
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def check(features: list[dict], refs, arcs, grid: Grid, source: gpd.GeoDataFrame,
          written: Path) -> None:
    codes = expected_codes()
    n_be, n_fl = EXPECTED
    ours = [f["refnis"] for f in features]
    assert len(ours) == n_be and set(ours) == set(codes), "codes differ from municipalities.csv"
    flemish = sum(codes[c] == "02000" for c in ours)
    assert flemish == n_fl, flemish
    print(f"{len(ours)} municipalities, {flemish} Flemish (REFNIS codes as in municipalities.csv)")

    uses = Counter(~i if i < 0 else i
                   for r in refs for polygon in r for ring in polygon for i in ring)
    assert set(uses.values()) <= {1, 2}, f"arcs used more than twice: {uses.most_common(3)}"
    print(f"{len(arcs)} arcs, {sum(len(a) for a in arcs)} points; "
          f"{sum(v == 2 for v in uses.values())} shared by two municipalities")

    mine = gpd.GeoSeries([decode(r, arcs, grid) for r in refs], crs="EPSG:4326")
    invalid = [ours[i] for i in range(len(mine)) if not mine.iloc[i].is_valid]
    assert not invalid, f"invalid decoded geometries: {invalid}"

    # GDAL reads the file to the same coordinates.
    gdal = gpd.read_file(written, layer=LAYER).set_crs("EPSG:4326", allow_override=True)
    assert list(gdal["refnis"]) == ours, "GDAL reads other codes or another order"
    assert {"refnis", "name_nl", "name_fr", "vintage"} <= set(gdal.columns), list(gdal.columns)
    assert (gdal["vintage"] == VINTAGE).all()
    assert gdal.is_valid.all(), "GDAL decodes invalid geometries"
    assert all(shapely.equals_exact(a, b, tolerance=1e-9, normalize=True)
               for a, b in zip(mine, gdal.geometry, strict=True)), "GDAL decodes other coordinates"

    # A partition: no overlaps, no holes; once-used arcs only on the outline of the union.
    metric = mine.to_crs(METRIC_CRS)
    union = shapely.union_all(list(metric))
    overlap = float(metric.area.sum() - union.area)
    holes = [Polygon(h) for part in getattr(union, "geoms", [union]) for h in part.interiors]
    big = [h.area for h in holes if h.area > MAX_HOLE_M2]
    print(f"union: {union.geom_type}, {len(holes)} holes ({len(big)} above {MAX_HOLE_M2} m²); "
          f"sum of areas - union area = {overlap:.3f} m²")
    assert not big and abs(overlap) <= MAX_OVERLAP_M2
    single = MultiLineString([[grid.decode(p) for p in arcs[i]] for i, n in uses.items() if n == 1])
    single = gpd.GeoSeries([single], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    outline = union.boundary
    print(f"arcs used once: {single.length / 1e3:.3f} km; outline of the union: "
          f"{outline.length / 1e3:.3f} km; once-used arcs off the outline: "
          f"{single.difference(outline.buffer(0.01)).length:.3f} m")
    assert single.difference(outline.buffer(0.01)).length < 0.01
    assert abs(single.length - outline.length) < 1.0
    fl = metric[[codes[c] == "02000" for c in ours]]
    print(f"area of the 300 Flemish municipalities (EPSG:31370): {fl.area.sum() / 1e6:.1f} km²")

    # Distance to the source polygons (repaired), in metres.
    src = source.set_index("refnis").geometry.to_crs(METRIC_CRS)
    dist = [(shapely.hausdorff_distance(src[c], g, densify=0.25), c)
            for c, g in zip(ours, metric, strict=True)]
    values = sorted(d for d, _ in dist)
    worst = sorted(dist, reverse=True)[:3]
    names = dict(zip(source["refnis"], source["name_nl"], strict=True))
    print("Hausdorff distance to the source polygons (EPSG:31370, densify=0.25): "
          f"max {values[-1]:.3f} m, median {statistics.median(values):.2e} m, "
          f"{sum(v > 1e-3 for v in values)} municipalities above 1 mm; worst: "
          + ", ".join(f"{names[c]} {d:.2f} m" for d, c in worst))


# --- writing ----------------------------------------------------------------------------------

def delta(arc: list[Point]) -> list[list[int]]:
    out = [list(arc[0])]
    out += [[b[0] - a[0], b[1] - a[1]] for a, b in zip(arc, arc[1:], strict=False)]
    return out


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode(features: list[dict], refs, arcs: list[list[Point]], grid: Grid) -> str:
    xs = [p[0] for a in arcs for p in a]
    ys = [p[1] for a in arcs for p in a]
    lo, hi = grid.decode((min(xs), min(ys))), grid.decode((max(xs), max(ys)))
    head = {"type": "Topology", "bbox": [lo[0], lo[1], hi[0], hi[1]],
            "transform": {"scale": list(grid.scale), "translate": list(grid.translate)}}
    geometries = []
    for f, r in zip(features, refs, strict=True):
        geometry = ({"type": "Polygon", "arcs": r[0]} if len(r) == 1 else
                    {"type": "MultiPolygon", "arcs": r})
        geometry["properties"] = {"refnis": f["refnis"], "name_nl": f["name_nl"],
                                  "name_fr": f["name_fr"], "vintage": VINTAGE}
        geometries.append(_dump(geometry))
    return (_dump(head)[:-1] + ',\n"objects":{"' + LAYER
            + '":{"type":"GeometryCollection","geometries":[\n'
            + ",\n".join(geometries) + "\n]}},\n\"arcs\":[\n"
            + ",\n".join(_dump(delta(a)) for a in arcs) + "\n]}\n")


def build(source_path: str) -> tuple[str, list[dict], list, list, Grid, gpd.GeoDataFrame]:
    scale, translate = source_transform(source_path)
    grid = Grid(scale, translate, QUANTISATION_DIVISOR)
    source = load_source(source_path)
    lat_min = float(source.total_bounds[1])
    dx, dy = grid.cell_metres(lat_min)
    assert max(dx, dy) <= MAX_CELL_M, (dx, dy)
    print(f"grid: source transform / {QUANTISATION_DIVISOR}: scale {grid.scale[0]:.10g}° × "
          f"{grid.scale[1]:.10g}° = at most {dx:.2f} m × {dy:.2f} m per cell")
    features, spikes, dropped, added = [], Counter(), Counter(), set()
    for row in source.itertuples():
        polygons, n_spikes, n_dropped = integer_polygons(row.geometry, grid, added)
        if not polygons:
            raise SystemExit(f"{row.refnis} {row.name_nl}: nothing left after quantisation")
        if n_spikes:
            spikes[row.name_nl] = n_spikes
        if n_dropped:
            dropped[row.name_nl] = n_dropped
        features.append(dict(refnis=row.refnis, name_nl=row.name_nl, name_fr=row.name_fr,
                             polygons=polygons))
    print(f"zero-width spikes removed: {dict(spikes) or 'none'}; rings collapsed by the "
          f"quantisation and dropped: {dict(dropped) or 'none'}")
    print(f"points added by make_valid (off the source grid, snapped to ours): {len(added)}")
    for feature, at, point in node(features, added):
        print(f"  {point} inserted into the ring of {feature['name_nl']} ({feature['refnis']}) "
              f"at {at:.2f} cells from its straight edge, which it was cut from")
    exact = node_exactly(features)
    shown = ", ".join(f"{k} {v}" for k, v in sorted(exact.items())) or "none"
    print(f"vertices inserted where one ring runs exactly along another's edge: "
          f"{sum(exact.values())} ({shown})")
    refs, arcs = build_topology(features)
    return encode(features, refs, arcs, grid), features, refs, arcs, grid, source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("topojson", help="path to belgium-municipalities-2019.topojson")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)

    text, features, refs, arcs, grid, source = build(args.topojson)
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        written = Path(tmp) / args.out.name
        written.write_bytes(data)
        check(features, refs, arcs, grid, source, written)
    size = f"{len(data)} bytes ({len(data) / 1024:.0f} KiB)"
    if args.check:
        old = args.out.read_bytes() if args.out.exists() else b""
        if old != data:
            print(f"{args.out} differs from the derivation ({len(old)} bytes vs {size})")
            return 1
        print(f"{args.out} is up to date ({size})")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out}: {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
