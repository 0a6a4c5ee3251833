"""The shipped municipality boundary layer ``geodata/boundaries/municipalities-2019.topojson``:
the built-in boundaries.

Only shipped files are read here (the layer and the tables of ``geodata/``), never the file it
was derived from (``geodata/tools/derive_boundaries.py`` reads that).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon

from speerpunt_map import load_boundaries
from speerpunt_map.boundaries import default_boundary_file

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
SHIPPED = GEODATA / "boundaries" / "municipalities-2019.topojson"
METRIC_CRS = "EPSG:31370"  # Belgian Lambert 72
FLEMISH = "02000"
BRUSSELS = "04000"
# Statbel, "Bodembezetting volgens het Kadasterregister" (land use from the cadastral register,
# https://statbel.fgov.be/nl/themas/bouwen-wonen/bodembezetting-volgens-het-kadasterregister):
# Vlaams Gewest 13,624 km² in 2018 and 13,626 km² in 2021, computed since 2018 from the FOD
# Financiën's CADGIS with the beach down to the low-water line counted in the ten coastal
# municipalities. (The older 13,522 km², still quoted widely, predates that recalculation.)
FLANDERS_KM2 = 13_625
TINY_M2 = 1.0


def _csv(name: str) -> list[dict[str, str]]:
    with (GEODATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def topology() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def municipalities() -> gpd.GeoDataFrame:
    """The layer as GDAL's TopoJSON driver reads it (WGS84: the file states no CRS)."""
    frame = gpd.read_file(SHIPPED, layer="municipalities")
    return frame.set_crs("EPSG:4326", allow_override=True)


@pytest.fixture(scope="module")
def metric(municipalities: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(municipalities.geometry), index=list(municipalities["refnis"]),
                         crs="EPSG:4326").to_crs(METRIC_CRS)


@pytest.fixture(scope="module")
def reference_2019() -> dict[str, dict[str, str]]:
    return {r["refnis"]: r for r in _csv("municipalities.csv") if r["vintage"] == "2019"}


@pytest.fixture(scope="module")
def boundaries(default_boundaries):
    """The built-in boundaries, which are this layer."""
    return default_boundaries


# -- the file -----------------------------------------------------------------------------------
def test_the_file_is_a_small_quantised_topology(topology: dict) -> None:
    assert SHIPPED.stat().st_size < 1_000_000
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) == {"municipalities"}
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    assert len(scale) == len(translate) == 2
    # A cell of at most ~10 m: 1° of longitude is at most 72.4 km in Belgium (49.5° N).
    assert scale[0] * 72_400 <= 10 and scale[1] * 111_300 <= 10
    assert all(isinstance(v, int) for arc in topology["arcs"] for point in arc for v in point)


def test_the_file_decodes_to_581_polygons_of_the_project_schema(
        topology: dict, municipalities: gpd.GeoDataFrame) -> None:
    geometries = topology["objects"]["municipalities"]["geometries"]
    assert len(geometries) == len(municipalities) == 581
    assert all(set(g["properties"]) == {"refnis", "name_nl", "name_fr", "vintage"}
               for g in geometries)
    assert {"refnis", "name_nl", "name_fr", "vintage"} <= set(municipalities.columns)
    assert municipalities["refnis"].map(type).eq(str).all()
    assert municipalities["refnis"].str.fullmatch(r"[0-9]{5}").all()
    assert municipalities["refnis"].is_unique
    assert (municipalities["vintage"] == "2019").all()
    assert set(municipalities.geom_type) <= {"Polygon", "MultiPolygon"}


def test_codes_and_names_are_the_2019_municipalities(
        municipalities: gpd.GeoDataFrame, reference_2019: dict[str, dict[str, str]]) -> None:
    assert set(municipalities["refnis"]) == set(reference_2019)
    for row in municipalities.itertuples():
        assert (row.name_nl, row.name_fr) == (reference_2019[row.refnis]["name_nl"],
                                              reference_2019[row.refnis]["name_fr"]), row.refnis
    regions = Counter(reference_2019[c]["region"] for c in municipalities["refnis"])
    assert regions[FLEMISH] == 300
    assert regions[BRUSSELS] == 19


def test_every_geometry_is_valid(municipalities: gpd.GeoDataFrame) -> None:
    invalid = municipalities.loc[~municipalities.is_valid, "name_nl"].tolist()
    assert not invalid
    assert not municipalities.geometry.is_empty.any()


# -- topology -----------------------------------------------------------------------------------
def _decode(arc: list[list[int]], scale: list[float], translate: list[float]
            ) -> list[tuple[float, float]]:
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((round(x * scale[0] + translate[0], 9),
                       round(y * scale[1] + translate[1], 9)))
    return points


def _arc_ids(arcs: list) -> list[int]:
    """Every arc id in a TopoJSON ``arcs`` member (nested lists of ints)."""
    return [a for item in arcs for a in (_arc_ids(item) if isinstance(item, list) else [item])]


def test_shared_arcs_decode_to_the_same_vertices_in_both_neighbours(
        topology: dict, municipalities: gpd.GeoDataFrame) -> None:
    geometries = topology["objects"]["municipalities"]["geometries"]
    users: dict[int, list[str]] = defaultdict(list)
    for g in geometries:
        for a in _arc_ids(g["arcs"]):
            users[~a if a < 0 else a].append(g["properties"]["refnis"])
    assert set(users) == set(range(len(topology["arcs"])))
    assert max(len(u) for u in users.values()) <= 2
    shared = [a for a, u in users.items() if len(u) == 2 and u[0] != u[1]]
    assert len(shared) > 1500  # 581 neighbouring municipalities share most of their borders
    vertices = {row.refnis: {(round(x, 9), round(y, 9))
                             for x, y in shapely.get_coordinates(row.geometry)}
                for row in municipalities.itertuples()}
    t = topology["transform"]
    for a in shared:
        points = set(_decode(topology["arcs"][a], t["scale"], t["translate"]))
        for refnis in users[a]:
            assert points <= vertices[refnis], (a, refnis)


def test_the_municipalities_partition_belgium(metric: gpd.GeoSeries) -> None:
    """No overlaps (areas add up to the union's) and no gaps (the union has no holes)."""
    union = shapely.union_all(list(metric))
    assert abs(metric.area.sum() - union.area) < TINY_M2
    holes = [h for part in getattr(union, "geoms", [union]) for h in part.interiors]
    assert not holes


def test_the_flemish_union_has_no_hole_but_brussels(
        metric: gpd.GeoSeries, reference_2019: dict[str, dict[str, str]]) -> None:
    region = {c: reference_2019[c]["region"] for c in metric.index}
    flanders = shapely.union_all([g for c, g in metric.items() if region[c] == FLEMISH])
    brussels = shapely.union_all([g for c, g in metric.items() if region[c] == BRUSSELS])
    holes = [Polygon(h) for part in getattr(flanders, "geoms", [flanders]) for h in part.interiors]
    big = [h for h in holes if h.area > TINY_M2]
    assert len(big) == 1 and not [h for h in holes if h.area <= TINY_M2]
    assert big[0].symmetric_difference(brussels).area < TINY_M2


def test_the_area_of_flanders_is_statbels_within_one_percent(
        metric: gpd.GeoSeries, reference_2019: dict[str, dict[str, str]]) -> None:
    km2 = sum(g.area for c, g in metric.items() if reference_2019[c]["region"] == FLEMISH) / 1e6
    assert abs(km2 - FLANDERS_KM2) / FLANDERS_KM2 < 0.01, km2


# -- through the package's loader ----------------------------------------------------------------
def test_the_layer_is_the_default_boundary_source(boundaries) -> None:
    assert default_boundary_file() == SHIPPED.resolve()
    assert boundaries.is_default
    # Its own column names are a known set: no mapping needed.
    loaded = load_boundaries(path=SHIPPED, use_cache=False)
    assert loaded.vintage == 2019 and len(loaded.level("municipality")) == 581
    assert loaded.areas.geometry.geom_equals(boundaries.areas.geometry).all()


def test_the_loader_reads_it_without_repairs(boundaries) -> None:
    assert boundaries.vintage == 2019
    assert boundaries.has_municipalities and len(boundaries.level("municipality")) == 581
    assert boundaries.repairs.empty
    assert boundaries.areas.is_valid.all()
    # "approximate" marks uncertain RESOC memberships, not the lines (see test_boundaries).
    regions = boundaries.level("resoc")
    assert sorted(regions.loc[regions["approximate"], "id"]) == [
        "resoc-gent", "resoc-mls", "resoc-westhoek", "resoc-zuidwest"]


def test_resoc_regions_are_unions_of_their_whole_municipalities(boundaries) -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for row in _csv("resoc_membership.csv"):
        members[row["resoc"]].add(row["refnis"])
    regions = boundaries.level("resoc").set_index("id")
    assert set(regions.index) == {r["id"] for r in _csv("resoc_regions.csv")}
    for region, codes in members.items():
        union = shapely.union_all([boundaries.municipality(c) for c in codes])
        got = regions.geometry[region]
        metric = gpd.GeoSeries([got, union], crs="EPSG:4326").to_crs(METRIC_CRS)
        assert metric.iloc[0].symmetric_difference(metric.iloc[1]).area < TINY_M2, region


def _whole_arrondissement_regions() -> dict[str, set[str]]:
    """RESOC → arrondissements, for the regions all of whose rows rest on a whole arrondissement."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _csv("resoc_membership.csv"):
        rows[row["resoc"]].append(row)
    return {region: {r["refnis"][:2] + "000" for r in members}
            for region, members in rows.items()
            if all(r["basis"].startswith("whole arrondissement") for r in members)}


def test_arrondissement_based_regions_equal_their_arrondissements(
        boundaries, municipalities: gpd.GeoDataFrame,
        reference_2019: dict[str, dict[str, str]]) -> None:
    based = _whole_arrondissement_regions()
    assert len(based) >= 10  # Antwerpen, Mechelen, Kempen, Halle-Vilvoorde, Leuven, Brugge, …
    polygons = dict(zip(municipalities["refnis"], municipalities.geometry, strict=True))
    regions = boundaries.level("resoc").set_index("id")
    for region, arrondissements in sorted(based.items()):
        codes = [c for c, row in reference_2019.items()
                 if row["arrondissement"] in arrondissements]
        expected = shapely.union_all([polygons[c] for c in codes])
        a, b = gpd.GeoSeries([regions.geometry[region], expected],
                             crs="EPSG:4326").to_crs(METRIC_CRS)
        iou = a.intersection(b).area / a.union(b).area
        assert iou >= 0.99, (region, iou)
