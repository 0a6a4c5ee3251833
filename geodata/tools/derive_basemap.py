#!/usr/bin/env python3
"""Derive the offline orienting base map in ``geodata/basemap/`` from GSHHG.

Provenance script, not part of the ``speerpunt_map`` package (neither the package nor its tests
run it). It asks GMT's ``gmt coast`` for the GSHHG full-resolution shorelines, rivers and national
borders in a box around Flanders (``BBOX``) and writes:

* ``sea.geojson``: the sea (GSHHG "ocean") inside the box as one polygon feature: the box cut
  into faces by the shorelines, each face classified wet or dry by ``gmt select`` on a point
  inside it;
* ``coastline.geojson``: the GSHHG level-1 (ocean/land) shoreline inside the box;
* ``rivers.geojson``: GSHHG (WDBII) river lines. GSHHG rivers carry no names: the lines of one
  GSHHG river level are merged into connected lines, and a connected line is given a river's name
  when it passes within ``IDENTIFY_KM`` of every city of that river's ``through`` list (city
  centres from ``labels.csv``). Unnamed lines of at least ``MIN_MINOR_KM`` are kept as
  ``river-minor`` with an empty name, shorter ones are dropped;
* ``borders.geojson``: GSHHG national borders (``-N1``), one feature per pair of countries. Which
  two countries a stretch of border separates is read from the DCW-GMT country polygons (Debian
  ``gmt-dcw``, ``gmt coast -E``): each segment belongs to the two countries nearest to its midpoint.
  No DCW geometry is written;
* the ``kind=river`` rows of ``labels.csv``: for every named river, the vertex of its written line
  nearest to a hand-chosen target (``RIVERS[...]["label_near"]``), so the label lies on the line.
  All other rows of ``labels.csv`` are hand-maintained and kept as they are.

Lines are simplified with the Douglas-Peucker algorithm (shapely, topology preserving) in
ETRS89-LAEA metres (EPSG:3035) with ``TOLERANCE_M``, and every coordinate is snapped to a grid of
1e-5 degrees (5 decimals, ~1 m) with ``shapely.set_precision``, which keeps polygons valid.

Usage (from the repository root; needs Debian's ``gmt``, ``gmt-gshhg-full`` and ``gmt-dcw``)::

    python geodata/tools/derive_basemap.py            # (re)write geodata/basemap/
    python geodata/tools/derive_basemap.py --check    # compare only, exit 1 on a difference
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point, box, mapping
from shapely.ops import linemerge, polygonize, unary_union

BASEMAP = Path(__file__).resolve().parent.parent / "basemap"
BBOX = (2.3, 50.4, 6.5, 51.95)  # west, south, east, north (degrees)
REGION = f"-R{BBOX[0]}/{BBOX[2]}/{BBOX[1]}/{BBOX[3]}"
RESOLUTION = "-Df"  # GSHHG full resolution
TOLERANCE_M = 150.0  # Douglas-Peucker tolerance, metres
GRID = 1e-5  # degrees: 5 decimals
MIN_ISLAND_KM2 = 0.5  # closed shoreline rings (islands, enclosed pockets) smaller than this go
MIN_MINOR_KM = 10.0  # unnamed river lines shorter than this go
IDENTIFY_KM = 2.5  # a named river passes at most this far from each of its cities
GAP_M = 150.0  # GSHHG line ends this close to another line's end are joined to it
METRIC = "EPSG:3035"

# The rivers GSHHG has in the box, told apart by GSHHG level and the cities they pass.
RIVERS = [
    {"id": "schelde", "name_nl": "Schelde", "name_en": "Scheldt", "level": 3,
     "through": ["doornik", "gent", "antwerpen"], "label_near": (4.21, 51.12)},
    {"id": "leie", "name_nl": "Leie", "name_en": "Lys", "level": 4,
     "through": ["kortrijk", "gent"], "label_near": (3.53, 50.98)},
    {"id": "maas", "name_nl": "Maas", "name_en": "Meuse", "level": 2,
     "through": ["namen", "luik", "maastricht", "venlo"], "label_near": (5.80, 51.10)},
    {"id": "rijn-waal", "name_nl": "Rijn en Waal", "name_en": "Rhine and Waal", "level": 1,
     "through": ["nijmegen"], "label_near": (5.45, 51.88)},
    {"id": "lek-nieuwe-maas", "name_nl": "Lek en Nieuwe Maas", "name_en": "Lek and Nieuwe Maas",
     "level": 1, "through": ["rotterdam"], "label_near": (4.40, 51.90)},
]
RIVER_LEVELS = {
    0: "double-lined river (river-lake outline)", 1: "permanent major river",
    2: "additional major river", 3: "additional river", 4: "minor river",
    5: "intermittent major river", 6: "intermittent additional river",
    7: "intermittent minor river", 8: "major canal", 9: "minor canal", 10: "irrigation canal",
}
BORDER_COUNTRIES = {
    "BE": ("België", "Belgium"), "NL": ("Nederland", "Netherlands"),
    "FR": ("Frankrijk", "France"), "DE": ("Duitsland", "Germany"),
    "LU": ("Luxemburg", "Luxembourg"),
}
LABEL_COLUMNS = ["id", "name_nl", "name_en", "kind", "lon", "lat", "source", "note"]

TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
TO_DEGREES = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)


def run_gmt(*args: str, stdin: str | None = None) -> str:
    if shutil.which("gmt") is None:
        sys.exit("gmt not found: install Debian's gmt, gmt-gshhg-full and gmt-dcw")
    with tempfile.TemporaryDirectory() as work:  # gmt leaves a gmt.history file behind
        done = subprocess.run(["gmt", *args], input=stdin, capture_output=True, text=True,
                              check=False, cwd=work)
    if done.returncode != 0:
        sys.exit(f"gmt {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def read_segments(text: str) -> list[tuple[str, LineString]]:
    """Parse GMT's multisegment output: (segment header, line) per segment."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    for line in text.splitlines():
        if line.startswith(">"):
            out.append((line[1:].strip(), []))
        elif line.strip():
            lon, lat = line.split()[:2]
            out[-1][1].append((float(lon), float(lat)))
    return [(header, LineString(pts)) for header, pts in out if len(pts) > 1]


def versions() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as work:
        info = subprocess.run(["gmt", "coast", REGION, RESOLUTION, "-W", "-M", "-Vi"],
                              capture_output=True, text=True, check=False, cwd=work).stderr
    found = re.search(r"GSHHG version (\S+)", info)
    packages = {}
    for name in ("gmt", "gmt-gshhg-full", "gmt-dcw"):
        packages[name] = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True,
            check=False).stdout.strip() or "?"
    return {"gshhg": found.group(1) if found else "?", **packages}


def to_metric(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_METRIC.transform(*xy.T)))


def to_degrees(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_DEGREES.transform(*xy.T)))


def simplify(geom, tolerance_m: float = TOLERANCE_M):
    """Douglas-Peucker in metres, then 5 decimals (valid by construction)."""
    simple = to_degrees(shapely.simplify(to_metric(geom), tolerance_m, preserve_topology=True))
    return shapely.set_precision(simple, GRID)


def km_between(a, b) -> float:
    return to_metric(a).distance(to_metric(b)) / 1000.0


def parts(geom) -> list:
    if geom.is_empty:
        return []
    return list(getattr(geom, "geoms", [geom]))


def merge_lines(lines, close_gaps: bool = False) -> list[LineString]:
    merged = unary_union(lines)
    if merged.geom_type == "MultiLineString":
        merged = linemerge(merged)
    out = [g for g in parts(merged) if g.geom_type == "LineString" and g.length > 0]
    if close_gaps:
        out = join_gaps(out)
        merged = unary_union(out)
        if merged.geom_type == "MultiLineString":
            merged = linemerge(merged)
        out = [g for g in parts(merged) if g.geom_type == "LineString" and g.length > 0]
    return out


def join_gaps(lines: list[LineString]) -> list[LineString]:
    """Move a line's end onto another line's end less than GAP_M away (GSHHG's river pieces
    sometimes stop a few metres short of each other)."""
    coords = [list(line.coords) for line in lines]
    ends = [(i, k) for i in range(len(coords)) for k in (0, -1)]
    metric = {e: np.array(TO_METRIC.transform(*coords[e[0]][e[1]])) for e in ends}
    moved = set()
    for a in ends:
        for b in ends:
            if a[0] >= b[0] or a in moved or b in moved:
                continue
            gap = float(np.hypot(*(metric[a] - metric[b])))
            if 0 < gap < GAP_M:
                coords[a[0]][a[1]] = coords[b[0]][b[1]]
                moved.update((a, b))
    return [LineString(c) for c in coords]


def components(lines: list[LineString]) -> list[MultiLineString]:
    """Group lines that come within GAP_M of each other into connected networks."""
    groups: list[list[int]] = []
    metric = [to_metric(line) for line in lines]
    for i in range(len(lines)):
        touching = [g for g in groups if any(metric[i].distance(metric[j]) < GAP_M for j in g)]
        for g in touching:
            groups.remove(g)
        groups.append([i] + [j for g in touching for j in g])
    return [MultiLineString([lines[j] for j in sorted(g)]) for g in groups]


def read_labels() -> list[dict[str, str]]:
    with (BASEMAP / "labels.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def city_points(labels) -> dict[str, Point]:
    return {r["id"]: Point(float(r["lon"]), float(r["lat"])) for r in labels
            if r["kind"] == "city"}


# --- layers -----------------------------------------------------------------------------------


def shoreline(src: str) -> MultiLineString:
    bbox = box(*BBOX)
    text = run_gmt("coast", REGION, RESOLUTION, "-W1/thin", "-M")
    clipped = [line.intersection(bbox) for _, line in read_segments(text)]
    lines = merge_lines([g for c in clipped for g in parts(c) if g.geom_type == "LineString"])
    kept = []
    for line in lines:
        if line.is_ring and to_metric(shapely.Polygon(line.coords)).area < MIN_ISLAND_KM2 * 1e6:
            continue
        kept.append(line)
    return simplify(MultiLineString(kept))


def sea_polygon(coast: MultiLineString):
    bbox = box(*BBOX)
    faces = list(polygonize(unary_union([coast, bbox.exterior])))
    probes = "\n".join(f"{p.x:.7f} {p.y:.7f} {i}" for i, p in
                       enumerate(f.representative_point() for f in faces))
    wet = run_gmt("select", REGION, RESOLUTION, "-Nk/s/s/s/s", stdin=probes + "\n")
    wet_ids = {int(float(line.split()[2])) for line in wet.splitlines() if line.strip()
               and not line.startswith(">")}
    sea = unary_union([faces[i] for i in sorted(wet_ids)])
    return shapely.set_precision(sea, GRID), len(faces), len(wet_ids)


def rivers(labels, src_for_level) -> tuple[list[dict], list[dict]]:
    bbox = box(*BBOX)
    cities = city_points(labels)
    text = run_gmt("coast", REGION, RESOLUTION, "-Ia", "-M")
    by_level: dict[int, list[LineString]] = {}
    for header, line in read_segments(text):
        level = int(re.search(r"Level (\d+)", header).group(1))
        for g in parts(line.intersection(bbox)):
            if g.geom_type == "LineString":
                by_level.setdefault(level, []).append(g)
    features, label_rows, named = [], [], set()
    print("GSHHG river/canal lines in the box, per level: " + ", ".join(
        f"{lv}: {len(by_level[lv])}" for lv in sorted(by_level)) + " (none at other levels)")
    for level in sorted(by_level):
        if level == 0:
            continue  # outlines of river-lakes, not river lines
        for network in components(merge_lines(by_level[level], close_gaps=True)):
            spec = [r for r in RIVERS if r["level"] == level and all(
                km_between(network, cities[c]) <= IDENTIFY_KM for c in r["through"])]
            if len(spec) > 1:
                sys.exit(f"GSHHG level {level}: one line matches {[r['id'] for r in spec]}")
            length_km = to_metric(network).length / 1000.0
            if not spec and length_km < MIN_MINOR_KM:
                continue
            geom = simplify(network)
            props = {"id": "", "name_nl": "", "name_en": "",
                     "kind": "canal" if level >= 8 else "river-minor",
                     "gshhg_level": level, "source": src_for_level(level)}
            if spec:
                r = spec[0]
                if r["id"] in named:
                    sys.exit(f"{r['id']}: more than one GSHHG line matches")
                named.add(r["id"])
                props.update(id=r["id"], name_nl=r["name_nl"], name_en=r["name_en"],
                             kind="river",
                             identified_by=f"GSHHG level {level} line passing within "
                                           f"{IDENTIFY_KM:g} km of "
                                           + ", ".join(r["through"]) + " (labels.csv)")
                print(f"  {r['id']}: " + ", ".join(
                    f"{c} {km_between(network, cities[c]):.2f} km" for c in r["through"]))
                target = Point(r["label_near"])
                vertices = [Point(c) for g in parts(geom) for c in g.coords]
                at = min(vertices, key=lambda v: v.distance(target))
                label_rows.append({
                    "id": f"rivier-{r['id']}", "name_nl": r["name_nl"], "name_en": r["name_en"],
                    "kind": "river", "lon": f"{at.x:.5f}", "lat": f"{at.y:.5f}",
                    "source": "vertex of this river's line in rivers.geojson nearest to "
                              f"({r['label_near'][0]}, {r['label_near'][1]}), computed by "
                              "geodata/tools/derive_basemap.py",
                    "note": "lies on the simplified GSHHG line"})
            features.append({"props": props, "geom": geom, "length_km": length_km})
    missing = [r["id"] for r in RIVERS if r["id"] not in named]
    if missing:
        sys.exit(f"no GSHHG line found for {missing}")
    order = {r["id"]: i for i, r in enumerate(RIVERS)}
    features.sort(key=lambda f: (f["props"]["kind"] != "river",
                                 order.get(f["props"]["id"], 99), -f["length_km"]))
    label_rows.sort(key=lambda row: order[row["id"].removeprefix("rivier-")])
    return features, label_rows


def borders(src: str) -> list[dict]:
    bbox = box(*BBOX)
    text = run_gmt("coast", REGION, RESOLUTION, "-N1", "-M")
    lines = merge_lines([g for _, line in read_segments(text)
                         for g in parts(line.intersection(bbox)) if g.geom_type == "LineString"])
    countries = {}
    for code in BORDER_COUNTRIES:
        polys = [shapely.Polygon(line.coords) for _, line in
                 read_segments(run_gmt("coast", f"-E{code}+p", "-M")) if len(line.coords) > 3]
        countries[code] = to_metric(shapely.make_valid(shapely.MultiPolygon(
            [p for p in polys if p.is_valid] or polys)))
    by_pair: dict[tuple[str, str], list[LineString]] = {}
    for line in lines:
        coords = list(line.coords)
        for a, b in zip(coords, coords[1:], strict=False):
            seg = LineString([a, b])
            mid = to_metric(seg.interpolate(0.5, normalized=True))
            nearest = sorted(countries, key=lambda c: countries[c].distance(mid))[:2]
            by_pair.setdefault(tuple(sorted(nearest)), []).append(seg)
    features = []
    for pair, segs in sorted(by_pair.items()):
        (nl1, en1), (nl2, en2) = (BORDER_COUNTRIES[c] for c in pair)
        geom = simplify(MultiLineString(merge_lines(segs)))
        features.append({"props": {
            "id": "-".join(pair).lower(), "name_nl": f"grens {nl1}–{nl2}",
            "name_en": f"{en1}–{en2} border", "kind": "border",
            "countries": "-".join(pair), "source": src}, "geom": geom})
    return features


# --- output -----------------------------------------------------------------------------------


def feature_collection(features: list[dict]) -> str:
    rows = []
    for f in features:
        geom = mapping(f["geom"])
        if geom["type"].startswith("Multi") and len(geom["coordinates"]) == 1:
            geom = {"type": geom["type"][5:], "coordinates": geom["coordinates"][0]}
        rows.append(json.dumps({"type": "Feature", "properties": f["props"],
                                "geometry": round_coords(geom)},
                               ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(rows) + "\n]}\n"


def round_coords(obj):
    if isinstance(obj, dict):
        return {k: round_coords(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        if obj and isinstance(obj[0], float):
            return [round(v, 5) for v in obj]
        return [round_coords(v) for v in obj]
    return obj


def labels_csv(labels, river_rows) -> str:
    kept = [r for r in labels if r["kind"] != "river"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LABEL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept + river_rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in geodata/basemap/, write nothing")
    args = parser.parse_args(argv)

    v = versions()
    base = (f"GSHHG {v['gshhg']} (Wessel & Smith), LGPL-3+; Debian gmt-gshhg-full "
            f"{v['gmt-gshhg-full']}, gmt coast {RESOLUTION}")
    labels = read_labels()

    coast = shoreline(base)
    sea, n_faces, n_wet = sea_polygon(coast)
    river_features, river_labels = rivers(
        labels, lambda level: f"{base} -I{level} ({RIVER_LEVELS[level]}; WDBII)")
    border_features = borders(f"{base} -N1 (WDBII); country pair from DCW-GMT {v['gmt-dcw']}")

    files = {
        "sea.geojson": feature_collection([{"props": {
            "id": "noordzee", "name_nl": "Noordzee", "name_en": "North Sea", "kind": "sea",
            "source": f"{base} -W1: box minus land"}, "geom": sea}]),
        "coastline.geojson": feature_collection([{"props": {
            "id": "kustlijn", "name_nl": "kustlijn", "name_en": "coastline", "kind": "coastline",
            "source": f"{base} -W1 (level-1 shoreline)"}, "geom": coast}]),
        "rivers.geojson": feature_collection(river_features),
        "borders.geojson": feature_collection(border_features),
        "labels.csv": labels_csv(labels, river_labels),
    }
    print(f"GSHHG {v['gshhg']}, packages {v}; box {BBOX}; {n_faces} faces, {n_wet} wet")
    for f in river_features:
        p = f["props"]
        print(f"  river {p['id'] or '(unnamed)':18} level {p['gshhg_level']} "
              f"{f['length_km']:6.1f} km  {p['kind']}")
    for f in border_features:
        print(f"  border {f['props']['countries']}  {to_metric(f['geom']).length / 1000:.1f} km")
    changed = []
    total = 0
    for name, text in files.items():
        path = BASEMAP / name
        data = text.encode("utf-8")
        total += len(data) if name.endswith(".geojson") else 0
        print(f"  {name:18} {len(data):7d} bytes")
        if not path.exists() or path.read_bytes() != data:
            changed.append(name)
            if not args.check:
                path.write_bytes(data)
    print(f"  geometry total     {total:7d} bytes")
    if args.check:
        print("differs: " + ", ".join(changed) if changed else "all files as derived")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
