"""Legend → GeoDataFrames: the two Antwerpen maps of the report (Figures 13 and 14), their
columns, counts and geometry, and their export to GeoPackage and CSV."""

from __future__ import annotations

import csv
import dataclasses
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from speerpunt_map import Atlas, Boundaries, MapLayers, OutputError, load_atlas
from speerpunt_map.boundaries import METRIC_CRS
from speerpunt_map.exports import flatten
from speerpunt_map.geometry import GeometryResolver, to_metric
from speerpunt_map.legend import COLUMNS

from .conftest import map_entry
from .test_validate import write_excel_belgian_csv

# Counts of the annex tables (points, zones, links).
ANNEX_COUNTS = {"antwerpen/logistiek": (5, 8, 6), "antwerpen/chemie-life-sciences": (8, 4, 5)}
MAPS = sorted(ANNEX_COUNTS)
# The GDAL warnings a GeoPackage written under a non-.gpkg name raises (see test below).
GPKG_NAME_WARNING = "ignore:.*(conform to the GPKG|non conformant file extension).*"


@pytest.fixture(scope="module", params=MAPS)
def layers(request: pytest.FixtureRequest, atlas: Atlas) -> MapLayers:
    return atlas.map(request.param)


def _values(series: pd.Series) -> list[object]:
    """Values with every kind of missing value as ``None`` (dtypes differ after a file)."""
    return [None if pd.isna(v) else v for v in series.astype(object)]


# -- the frames ------------------------------------------------------------------------------------


def test_counts_equal_the_annex(layers: MapLayers) -> None:
    points, zones, links = ANNEX_COUNTS[layers.spec.id]
    assert (len(layers.points), len(layers.zones), len(layers.links)) == (points, zones, links)
    assert layers.counts == {"points": points, "zones": zones, "links": links,
                             "read": points + zones + links, "drawn": points + zones + links,
                             "rejected": 0}
    assert [p.severity for p in layers.problems if p.severity == "error"] == []


def test_frames_are_wgs84_with_every_legend_column(layers: MapLayers) -> None:
    for name in ("points", "zones", "links", "regions"):
        frame = getattr(layers, name)
        assert isinstance(frame, gpd.GeoDataFrame), name
        assert frame.crs.to_epsg() == 4326, name
        assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any(), name
    for name in ("points", "zones", "links"):
        frame = getattr(layers, name)
        missing = set(COLUMNS) - set(frame.columns)
        assert missing == set(), f"{name} lacks {missing}"
        assert "geometry_method" in frame.columns
        assert frame["geometry_method"].str.len().gt(0).all()
    for name in ("points", "zones"):
        frame = getattr(layers, name)
        assert "place_id" in frame.columns
        assert frame["place_id"].str.len().gt(0).all()
    assert {"from_id", "to_id"} <= set(layers.links.columns)
    assert set(layers.points.geom_type) == {"Point"}
    assert set(layers.zones.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(layers.links.geom_type) == {"LineString"}


def test_points_keep_their_printed_numbers(layers: MapLayers) -> None:
    numbers = list(layers.points["number"])
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]  # as typed: text
    assert list(layers.points["label"]) == numbers


def test_rows_keep_the_cells_as_typed(layers: MapLayers) -> None:
    """Every legend cell of the table comes through unchanged, in table order."""
    table = pd.read_csv(layers.spec.table, sep=";", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    rows = layers.rows()
    assert len(rows) == len(table)
    for column in COLUMNS:
        if column in ("kind", "number"):
            continue
        assert list(rows[column]) == list(table[column]), column
    assert list(rows["row"]) == list(range(2, len(table) + 2))


def test_links_without_start_begin_in_the_source_actors_region(
        layers: MapLayers, atlas: Atlas) -> None:
    boundaries = atlas.boundaries
    for link in layers.links.itertuples():
        start = shapely.Point(link.geometry.coords[0])
        if link.link_from:
            ref = atlas.gazetteer.resolve(link.link_from)
            assert link.from_id == ref.id
            continue
        actor = atlas.vocabulary.actor(link.source_actor.split("|")[0])
        assert link.from_id == actor.region
        assert "region of the actor that named it" in link.geometry_method
        assert boundaries.geometry(actor.region).contains(start), link.name


def test_the_named_start_is_used(atlas: Atlas) -> None:
    links = atlas.map("antwerpen/logistiek").links
    zaventem = links[links["link_from"] == "brabantse-poort"]
    assert len(zaventem) == 1
    assert zaventem["from_id"].iloc[0] == "brabantse-poort"
    assert zaventem["to_id"].iloc[0] == "luchthaven-zaventem"


def test_zone_areas_are_positive_and_metric(layers: MapLayers) -> None:
    zones = layers.zones
    assert zones["area_km2"].gt(0).all()
    recomputed = zones.to_crs(METRIC_CRS).area / 1e6
    assert list(zones["area_km2"]) == pytest.approx(list(recomputed), abs=0.01)


def test_link_lengths_are_metric(layers: MapLayers) -> None:
    links = layers.links
    assert links["length_km"].gt(0).all()
    recomputed = links.to_crs(METRIC_CRS).length / 1000
    assert list(links["length_km"]) == pytest.approx(list(recomputed), abs=0.05)


def test_regions_are_the_maps_actors(layers: MapLayers) -> None:
    regions = layers.regions
    assert list(regions["actor_id"]) == [a.id for a in layers.spec.actors]
    # Whole municipalities: none of the Antwerpen regions rests on an uncertain membership.
    assert not regions["approximate"].any()
    assert regions["geometry_method"].str.contains("union of").all()


def test_the_port_point_lies_in_the_port_zone(atlas: Atlas) -> None:
    layers = atlas.map("antwerpen/chemie-life-sciences")
    port = layers.points.set_index("place_id").loc["haven-antwerpen", "geometry"]
    zone = layers.zones.set_index("place_id").loc["havengebied-antwerpen", "geometry"]
    assert zone.buffer(0.01).contains(port)


@pytest.mark.parametrize("which", ["atlas", "file_atlas"])
def test_campina_project_covers_mol_geel_dessel_retie(which: str,
                                                      request: pytest.FixtureRequest) -> None:
    atlas: Atlas = request.getfixturevalue(which)
    zones = atlas.map("antwerpen/chemie-life-sciences").zones.set_index("place_id")
    campina = zones.loc["campina-project", "geometry"]
    members = shapely.union_all([atlas.boundaries.municipality(c) for c in
                                 ("13025", "13008", "13006", "13036")])  # Mol Geel Dessel Retie
    assert campina.symmetric_difference(members).area < 1e-6 * members.area
    # Four whole municipalities (c. 300 km²), not four circles of 3 km (c. 107 km²).
    assert 280 < zones.loc["campina-project", "area_km2"] < 320


# -- municipalities as polygons, towns at their centres ------------------------------------------


@pytest.mark.parametrize("which", ["atlas", "file_atlas"])
def test_zones_named_by_municipality_are_municipality_polygons(
        which: str, request: pytest.FixtureRequest) -> None:
    atlas: Atlas = request.getfixturevalue(which)
    zones = atlas.map("antwerpen/logistiek").zones
    by_municipality = zones[zones["place_kind"] == "municipality"]
    assert sorted(by_municipality["place"]) == ["Hoogstraten", "Mechelen", "Turnhout"]
    for zone in by_municipality.itertuples():
        refnis, vintage = zone.place_id.split("@")
        assert vintage == "2013"  # the report's period
        assert zone.geometry.equals(atlas.boundaries.municipality(refnis)), zone.place
        assert zone.geometry_method.startswith(f"municipality polygon (2019) of {zone.place}")


def test_no_zone_or_point_is_a_stand_in(atlas: Atlas) -> None:
    """Across every map: no municipality drawn as a circle, no point at a polygon's middle
    under a town's name, and every point says how precise it is."""
    for map_id in atlas.maps:
        layers = atlas.map(map_id, strict=False)
        municipal = layers.zones[layers.zones["place_kind"] == "municipality"]
        assert municipal["geometry_method"].str.startswith("municipality polygon").all(), map_id
        assert not layers.zones["geometry_method"].str.contains("no municipality").any()
        towns = layers.points[layers.points["place_kind"] == "municipality"]
        assert towns["geometry_method"].str.startswith("town centre of ").all(), map_id
        assert layers.points["precision_m"].gt(0).all(), map_id


def test_a_point_in_a_town_is_at_its_town_centre(atlas: Atlas) -> None:
    """'Kennisinstellingen' (Limburg, Figure 44) are placed in Hasselt: at its Grote Markt,
    with the precision of town_centres.csv, not at the middle of the polygon."""
    points = atlas.map("limburg/maakindustrie").points
    point = points[points["place"] == "Hasselt"].iloc[0]
    assert point["place_id"] == "71022@2013"
    centre = atlas.gazetteer.town_centres.set_index("refnis").loc["71022"]
    assert (point.geometry.x, point.geometry.y) == (float(centre["lon"]), float(centre["lat"]))
    assert point["precision_m"] == float(centre["precision_m"])
    assert point["geometry_method"].startswith("town centre of Hasselt: Grote Markt")


def test_links_to_elat_end_at_its_nearest_city(atlas: Atlas) -> None:
    """ELAt is the Eindhoven-Leuven-Aachen network: a link from Limburg ends at the nearest
    of its three cities, never at the triangle's middle (which lies in Limburg itself)."""
    resolver = GeometryResolver(atlas.gazetteer, atlas.boundaries)
    elat = atlas.gazetteer.resolve("ELAt", 2013)
    triangle = resolver.area(elat, vintage=2013).geometry
    cities = {name: resolver.point(atlas.gazetteer.resolve(name, 2013), vintage=2013).geometry
              for name in ("Eindhoven", "Leuven", "Aken")}
    assert triangle.geom_type == "Polygon"
    assert {tuple(c) for c in triangle.exterior.coords} == {(p.x, p.y) for p in cities.values()}
    for map_id in ("limburg/maakindustrie", "limburg/cleantech", "limburg/life-sciences"):
        links = atlas.map(map_id).links
        link = links[links["to_id"] == "elat"].iloc[0]
        start, end = (shapely.Point(c) for c in link.geometry.coords)
        nearest = min(cities, key=lambda n: to_metric(cities[n]).distance(to_metric(start)))
        assert end.equals(cities[nearest]), map_id
        assert f"the link ends at the one nearest to its other end, {nearest}" in \
            link["geometry_method"]
        assert link["length_km"] > 20


def test_municipalities_of_other_vintages_map_onto_the_2019_polygons(atlas: Atlas) -> None:
    boundaries = atlas.boundaries
    resolver = GeometryResolver(atlas.gazetteer, boundaries)
    resolve = atlas.gazetteer.resolve
    # 2025 Pajottegem = 2019 Galmaarden + Gooik + Herne, dissolved through the crosswalk.
    pajottegem = resolver.area(resolve("Pajottegem", 2025), vintage=2025)
    members = shapely.union_all([boundaries.municipality(c) for c in ("23023", "23024", "23032")])
    assert pajottegem.geometry.symmetric_difference(members).area < 1e-6 * members.area
    assert "dissolved" in pajottegem.method
    # 2013 Nevele lies in 2019 Deinze, which the 2019 file cannot split: drawn whole, and said.
    nevele = resolver.area(resolve("Nevele", 2013), vintage=2013)
    assert nevele.geometry.equals(boundaries.municipality("44083"))
    assert "of Deinze, which Nevele (2013) merged into with Deinze" in nevele.method
    assert "cannot split" in nevele.method


def _period_atlas(folder: Path, period: str | None, default_boundaries: Boundaries) -> Atlas:
    grid = [["kind", "name", "place", "source_actor", "year"],
            ["zone", "Stad Antwerpen", "Antwerpen", "RESOC Antwerpen", "2013"],
            ["zone", "Stad Hasselt", "Hasselt", "RESOC Limburg", "2013"]]
    write_excel_belgian_csv(folder / "t.csv", grid)
    entry = map_entry("t.csv", actors=("RESOC Antwerpen", "RESOC Limburg"))
    if period is not None:
        entry += f'period = "{period}"\n'
    (folder / "catalogue.toml").write_text(entry, encoding="utf-8")
    return load_atlas(folder, boundaries=default_boundaries)


@pytest.mark.parametrize(("period", "expected"), [
    ("2013", {"Antwerpen": ["11002"], "Hasselt": ["71022"]}),
    ("2016-2019", {"Antwerpen": ["11002"], "Hasselt": ["71022"]}),
    ("2025", {"Antwerpen": ["11002", "11007"], "Hasselt": ["71022", "73040"]}),
    (None, {"Antwerpen": ["11002"], "Hasselt": ["71022"]}),
])
def test_the_period_decides_which_municipality_a_name_means(
        period: str | None, expected: dict[str, list[str]], tmp_path: Path,
        default_boundaries: Boundaries) -> None:
    """'Antwerpen' in 2013 is Antwerpen without Borsbeek (11007), which joined it in 2025;
    'Hasselt' in 2013 is Hasselt without Kortessem (73040). A map without a period is of the
    report's time (2013)."""
    zones = _period_atlas(tmp_path, period, default_boundaries).map("antwerpen/test").zones
    for name, codes in expected.items():
        zone = zones[zones["place"] == name].iloc[0]
        territory = shapely.union_all([default_boundaries.municipality(c) for c in codes])
        assert zone.geometry.symmetric_difference(territory).area < 1e-9, (period, name)
    borsbeek = default_boundaries.municipality("11007").representative_point()
    antwerpen = zones[zones["place"] == "Antwerpen"].iloc[0]
    assert antwerpen.geometry.contains(borsbeek) == ("11007" in expected["Antwerpen"])


# -- rows with errors under strict=False -----------------------------------------------------------


def test_non_strict_maps_leave_rejected_rows_out(tmp_path: Path, default_boundaries) -> None:
    grid = [["kind", "number", "name", "place", "source_actor", "year"],
            ["point", "1", "VITO", "vito-mol", "RESOC Kempen", "2009"],
            ["point", "2", "Onbekend", "Geeel", "RESOC Kempen", "2009"],
            ["point", "1", "Janssen", "janssen-pharmaceutica-beerse", "RESOC Kempen", "2010"]]
    write_excel_belgian_csv(tmp_path / "t.csv", grid)
    (tmp_path / "catalogue.toml").write_text(map_entry("t.csv"), encoding="utf-8")
    layers = load_atlas(tmp_path, boundaries=default_boundaries).map("antwerpen/test",
                                                                     strict=False)
    counts = layers.counts
    assert counts["rejected"] == 2
    assert counts["drawn"] + counts["rejected"] == counts["read"] == 3
    assert list(layers.points["row"]) == [2]


# -- export ----------------------------------------------------------------------------------------


@pytest.mark.filterwarnings(GPKG_NAME_WARNING)
def test_geopackage_round_trip_keeps_every_row_and_column(layers: MapLayers,
                                                          tmp_path: Path) -> None:
    path = layers.to_gpkg(tmp_path / "map.gpkg")
    assert path == tmp_path / "map.gpkg"
    assert sorted(gpd.list_layers(path)["name"]) == ["links", "points", "regions", "zones"]
    for name in ("points", "zones", "links", "regions"):
        # In a file, multi-valued columns (tuples in the frame) are "|"-separated text.
        original = flatten(getattr(layers, name))
        back = gpd.read_file(path, layer=name)
        assert len(back) == len(original), name
        # (geopandas puts the geometry column last when reading)
        assert [c for c in back.columns if c != "geometry"] == [
            c for c in original.columns if c != "geometry"], name
        assert back.crs.to_epsg() == 4326
        for column in original.columns:
            if column == "geometry":
                # (GDAL may promote a Polygon layer to MultiPolygon: compare the shapes)
                assert back.geometry.geom_equals(original.geometry).all(), name
            else:
                assert _values(back[column]) == _values(original[column]), (name, column)
    assert [p.name for p in tmp_path.iterdir()] == ["map.gpkg"]


def test_geopackage_export_raises_no_warning(atlas: Atlas, tmp_path: Path) -> None:
    """Writing a GeoPackage must not make GDAL warn (it does when the file being written does
    not end in ``.gpkg``, e.g. a temporary ``….part`` name)."""
    layers = atlas.map("antwerpen/logistiek")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layers.to_gpkg(tmp_path / "map.gpkg")
    assert [str(w.message) for w in caught] == []


@pytest.mark.filterwarnings(GPKG_NAME_WARNING)
def test_geopackage_is_not_overwritten_unless_asked(atlas: Atlas, tmp_path: Path) -> None:
    layers = atlas.map("antwerpen/logistiek")
    path = tmp_path / "map.gpkg"
    path.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="exists"):
        layers.to_gpkg(path)
    assert path.read_bytes() == b"keep me"
    layers.to_gpkg(path, overwrite=True)
    assert len(gpd.read_file(path, layer="points")) == 5


def _read_exported_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    # Polygons written as WKT can be longer than the csv module's default field limit.
    limit = csv.field_size_limit(len(data))
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))
    finally:
        csv.field_size_limit(limit)


def test_csv_export_neutralises_formulas(layers: MapLayers, tmp_path: Path) -> None:
    points = layers.points.copy()
    zones = layers.zones.copy()
    links = layers.links.copy()
    points.loc[points.index[0], "remark"] = "=HYPERLINK(\"http://example.org\")"
    points.loc[points.index[1], "remark"] = "+32 14 33 55 11"
    zones.loc[zones.index[0], "remark"] = "-1+1"
    links.loc[links.index[0], "remark"] = "@SUM(A1:A2)"
    links.loc[links.index[1], "name"] = "=1+1"
    changed = dataclasses.replace(layers, points=points, zones=zones, links=links)
    rows = _read_exported_csv(changed.to_csv(tmp_path / "map.csv"))
    assert len(rows) == len(points) + len(zones) + len(links)
    cells = [value for row in rows for value in row.values()]
    for typed in ("=HYPERLINK(\"http://example.org\")", "+32 14 33 55 11", "-1+1",
                  "@SUM(A1:A2)", "=1+1"):
        assert "'" + typed in cells
        assert typed not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    # Text that is not a formula is left alone, and the original layers are unchanged.
    assert "VITO" in cells or "Haven van Antwerpen" in cells
    assert not layers.points["remark"].str.startswith("=").any()


def test_csv_export_never_overwrites_unless_asked(layers: MapLayers, tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    layers.to_csv(path)
    first = path.read_bytes()
    path.write_bytes(b"edited by hand")
    with pytest.raises(OutputError, match="exists"):
        layers.to_csv(path)
    assert path.read_bytes() == b"edited by hand"
    layers.to_csv(path, overwrite=True)
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["map.csv"]
    rows = _read_exported_csv(path)
    assert {"map_id", "file", "row", "kind", "name", "wkt"} <= set(rows[0])
    assert {r["map_id"] for r in rows} == {layers.spec.id}


def test_csv_cells_fit_in_a_spreadsheet_cell(atlas: Atlas, tmp_path: Path) -> None:
    """A spreadsheet cell holds at most 32,767 characters (Excel's limit); longer cells are
    cut or spill into the next rows, so the CSV no longer "opens safely". The WKT of a
    province zone at full resolution is far longer."""
    layers = atlas.map("antwerpen/logistiek")
    rows = _read_exported_csv(layers.to_csv(tmp_path / "map.csv"))
    too_long = {(row["name"], column): len(value) for row in rows
                for column, value in row.items() if len(value) > 32_767}
    assert too_long == {}
