"""The analysis API: the region × sector matrix per basis, every link of the atlas with its
actor and the regions its ends lie in, two regions compared, atlases combined, and the files
a selection is written to.

Expected values are derived from the data files (``inventory.csv``, the catalogue, the legend
rows of the layers), not typed in: the geometry depends on the boundary source, the facts do
not.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from speerpunt_map import (
    Atlas,
    OutputError,
    atlas_links,
    combine_atlases,
    compare_regions,
    load_atlas,
    matrix_table,
    sector_matrix,
    write_selection,
)
from speerpunt_map.analysis import REPORT_PERIOD, map_period, period_matches
from speerpunt_map.boundaries import METRIC_CRS

from .conftest import LEGENDS


def _inventory(atlas: Atlas) -> list[dict[str, str]]:
    with atlas.resources.inventory_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _limburg(atlas: Atlas) -> set[str]:
    return {a.id for a in atlas.vocabulary.actors.values() if a.province == "prov-limburg"}


def _credited(frame: pd.DataFrame, actors: set[str]) -> pd.DataFrame:
    return frame[[bool(actors & set(ids)) for ids in frame["actor_ids"]]]


# -- the matrix --------------------------------------------------------------------------------
def test_the_inventory_basis_is_the_inventory_file(atlas: Atlas) -> None:
    rows = _inventory(atlas)
    matrix = sector_matrix(atlas, basis="inventory")
    assert sorted(zip(matrix["region"], matrix["sector"], strict=True)) == \
        sorted((r["region"], r["sector"]) for r in rows)
    assert set(matrix["basis"]) == {"inventory"} and set(matrix["period"]) == {REPORT_PERIOD}
    recent = matrix.loc[matrix["recent"] == "yes", ["region", "sector"]]
    assert set(map(tuple, recent.to_numpy())) == \
        {(r["region"], r["sector"]) for r in rows if r["recent"] == "yes"}
    kempen = matrix[(matrix["region"] == "resoc-kempen") & (matrix["sector"] == "cleantech")]
    assert kempen[["region_name", "sector_label", "province_name"]].iloc[0].tolist() == \
        ["RESOC Kempen", "Cleantech", "provincie Antwerpen"]


def test_the_catalogue_basis_lists_every_actor_of_every_map(atlas: Atlas) -> None:
    matrix = sector_matrix(atlas, basis="catalogue")
    expected = {(a.id, spec.sector.id) for spec in atlas.maps.values() for a in spec.actors}
    assert set(zip(matrix["region"], matrix["sector"], strict=True)) == expected
    assert len(matrix) == len(expected)
    cell = matrix[(matrix["region"] == "resoc-kempen") & (matrix["sector"] == "cleantech")]
    assert cell["maps"].iloc[0] == ("antwerpen/cleantech",)
    assert cell["points"].isna().all()  # counts belong to the drawn basis


def test_the_drawn_basis_counts_the_rows_an_actor_is_the_source_of(atlas: Atlas) -> None:
    layers = atlas.map("antwerpen/cleantech")
    expected = [len(_credited(f, {"resoc-kempen"})) for f in
                (layers.points, layers.zones, layers.links)]
    matrix = sector_matrix(atlas, basis="drawn", region="RESOC Kempen", sector="cleantech")
    assert matrix[["points", "zones", "links"]].iloc[0].tolist() == expected
    assert matrix["maps"].iloc[0] == ("antwerpen/cleantech",)


def test_a_link_naming_no_source_counts_for_the_actor_it_is_drawn_from(atlas: Atlas) -> None:
    links = atlas.map("limburg/logistiek").links
    unsourced = links[links["actor_ids"].map(len) == 0]
    # The annex prints no source for the three partner links (legends/limburg/NOTES.md); the
    # map draws them from the region of its first actor, RESOC Limburg.
    assert len(unsourced) == 3 and set(unsourced["from_id"]) == {"resoc-limburg"}
    drawn = sector_matrix(atlas, basis="drawn", region="resoc-limburg", sector="logistiek")
    assert drawn["links"].iloc[0] == len(links)


def test_the_matrix_filters_by_province_sector_group_and_period(atlas: Atlas) -> None:
    limburg = sector_matrix(atlas, province="limburg")
    assert set(limburg["region"]) <= _limburg(atlas)
    assert set(limburg.loc[limburg["basis"] == "inventory", "region"]) == \
        {r["region"] for r in _inventory(atlas) if r["region"] in _limburg(atlas)}
    groups = sector_matrix(atlas, sector="lifetech", by="group")
    assert set(groups["sector"]) == {"chemie-life-sciences"}
    assert {"resoc-kempen", "resoc-limburg", "prov-vlaams-brabant"} <= set(groups["region"])
    assert len(sector_matrix(atlas, period=2013)) == len(sector_matrix(atlas))
    assert sector_matrix(atlas, period="2030").empty
    with pytest.raises(KeyError, match="did you mean"):
        sector_matrix(atlas, sector="logistic")


def test_the_matrix_as_a_grid_marks_each_basis(atlas: Atlas) -> None:
    grid = matrix_table(sector_matrix(atlas, province="limburg"))
    # RESOC Limburg chose cleantech (Table 7), the map lists it and its rows name it.
    assert grid.loc["RESOC Limburg", "Cleantech"] == "ICD"
    # Table 7's automotive has no map: inventory only.
    assert grid.loc["provincie Limburg", "Automobielsector"] == "I"
    assert grid.loc["SALK", "Automobielsector"] == ""


def test_periods_are_matched_by_their_years() -> None:
    assert period_matches("c. 2013", 2013) and period_matches("2016-2019", "2019")
    assert not period_matches("2019", "c. 2016")
    with pytest.raises(ValueError, match="names no year"):
        period_matches("soon", 2013)


# -- links -------------------------------------------------------------------------------------
def test_every_link_of_the_atlas_is_in_one_frame(atlas: Atlas) -> None:
    links = atlas_links(atlas)
    assert len(links) == sum(len(atlas.map(m).links) for m in atlas.maps)
    assert links.crs == "EPSG:4326" and set(links.geom_type) == {"LineString"}
    assert set(links["period"]) == {map_period(s) for s in atlas.maps.values()}
    # Every link has its actor, or says why it has none.
    assert ((links["actor"] != "") | links["actor_basis"].str.startswith("none")).all()


def test_the_actor_of_a_link_follows_the_legend(atlas: Atlas) -> None:
    links = atlas_links(atlas)
    rows = pd.concat([atlas.map(m).links for m in atlas.maps], ignore_index=True)
    merged = links.merge(rows[["map_id", "row", "actor_ids", "actor_id", "link_from"]],
                         on=["map_id", "row"])
    sourced = merged[merged["actor_ids"].map(len) > 0]
    assert (sourced["actor"] == sourced["actor_id"]).all()
    unsourced = merged[merged["actor_ids"].map(len) == 0]
    from_first = unsourced[unsourced["link_from"] == ""]
    first = {m: atlas.maps[m].actors[0].id for m in from_first["map_id"]}
    assert (from_first["actor"] == from_first["map_id"].map(first)).all()
    assert from_first["actor_basis"].str.startswith("map's first actor").all()
    named = unsourced[unsourced["link_from"] != ""]
    assert (named["actor"] == "").all() and len(named) == 3  # oost-vlaanderen/bio-based


def test_link_ends_lie_in_regions_and_countries(atlas: Atlas) -> None:
    links = atlas_links(atlas)
    places = atlas.gazetteer.places
    for end in ("from", "to"):
        # An end that is an actor's region is its own region.
        regions = links[links[f"{end}_kind"] == "region"]
        assert (regions[f"{end}_region"] == regions[f"{end}_id"]).all()
        # A gazetteer place abroad lies outside Flanders, in its country.
        abroad = links[[kind == "place" and places.loc[i, "country"] != "BE" for kind, i in
                         zip(links[f"{end}_kind"], links[f"{end}_id"], strict=True)]]
        assert not abroad[f"{end}_in_flanders"].any()
        assert (abroad[f"{end}_country"] == abroad[f"{end}_id"].map(places["country"])).all()
    leuven = links[links["to_name"] == "Leuven"]
    assert set(leuven["to_region"]) == {"resoc-leuven"}
    assert set(leuven["to_province"]) == {"prov-vlaams-brabant"}
    assert (links["leaves_flanders"] == (links["from_in_flanders"] != links["to_in_flanders"])
            ).all()
    # ELAt, the Eindhoven-Leuven-Aachen network, is drawn at one of its cities: in its country.
    elat = links[links["to_id"] == "elat"]
    assert len(elat) and set(elat["to_country"]) <= {"BE", "NL", "DE"}
    eindhoven = links[links["to_id"] == "eindhoven"]
    assert set(eindhoven["to_region_name"]) == {"Nederland"} and eindhoven["leaves_flanders"].all()


def test_links_are_filtered_by_actor_sector_and_period(atlas: Atlas) -> None:
    links = atlas_links(atlas, region="resoc-kempen", sector="cleantech")
    layer = _credited(atlas.map("antwerpen/cleantech").links, {"resoc-kempen"})
    assert sorted(links["row"]) == sorted(layer["row"])
    assert atlas_links(atlas, period=2019).empty


# -- comparison --------------------------------------------------------------------------------
def test_kempen_and_limburg_share_the_sectors_the_inventory_gives_both(atlas: Atlas) -> None:
    comparison = compare_regions(atlas, "resoc-kempen", "limburg")
    rows, limburg = _inventory(atlas), _limburg(atlas)
    kempen_chose = {r["sector"] for r in rows if r["region"] == "resoc-kempen"}
    limburg_chose = {r["sector"] for r in rows if r["region"] in limburg}
    assert set(comparison.shared("inventory")) == kempen_chose & limburg_chose
    assert set(comparison.only_a("inventory")) == kempen_chose - limburg_chose
    assert set(comparison.only_b("inventory")) == limburg_chose - kempen_chose
    listed = {side: {s.sector.id for s in atlas.maps.values()
                     if {a.id for a in s.actors} & actors}
              for side, actors in (("a", {"resoc-kempen"}), ("b", limburg))}
    assert set(comparison.shared("catalogue")) == listed["a"] & listed["b"]
    assert comparison.b.actors == tuple(sorted(limburg, key=list(
        atlas.vocabulary.actors).index))


def test_the_zone_overlap_is_measured_in_lambert_72(atlas: Atlas) -> None:
    comparison = compare_regions(atlas, "resoc-kempen", "limburg", sector="cleantech")
    kempen = _credited(atlas.map("antwerpen/cleantech").zones, {"resoc-kempen"})
    limburg = _credited(atlas.map("limburg/cleantech").zones, _limburg(atlas))
    common = shapely.intersection(
        shapely.union_all(kempen.to_crs(METRIC_CRS).geometry.tolist()),
        shapely.union_all(limburg.to_crs(METRIC_CRS).geometry.tolist()))
    assert comparison.overlap_km2 == pytest.approx(common.area / 1e6, abs=0.01)
    assert comparison.overlap_km2 >= 0
    row = comparison.overlap.set_index("sector").loc["cleantech"]
    assert row["overlap_km2"] <= min(row["zones_a_km2"], row["zones_b_km2"])
    assert comparison.overlaps.crs == "EPSG:4326"
    assert comparison.overlaps["area_km2"].sum() >= comparison.overlap_km2 - 0.01
    # Whatever the sector, the ground both name is at least the ground of a common sector.
    assert comparison.overlap_any_km2 >= comparison.overlap_km2


def test_the_links_between_two_regions_have_an_end_in_each(atlas: Atlas) -> None:
    comparison = compare_regions(atlas, "resoc-kempen", "limburg")
    # Annex 3: RESOC Kempen names a cleantech link to Limburg.
    assert ("antwerpen/cleantech", "Limburg") in set(
        zip(comparison.links["map_id"], comparison.links["name"], strict=True))
    for link in comparison.links.itertuples():
        ends = {link.from_region, link.from_province, link.to_region, link.to_province}
        assert "resoc-kempen" in ends and "prov-limburg" in ends
    text = repr(comparison)
    assert "RESOC Kempen" in text and "links between them: " in text
    assert "<table" in comparison._repr_html_()


def test_a_side_is_an_actor_or_a_province_with_an_optional_period(atlas: Atlas) -> None:
    comparison = compare_regions(atlas, "RESOC Kempen@2013", "limburg@c. 2013")
    assert comparison.a.actors == ("resoc-kempen",) and comparison.a.period == "2013"
    assert comparison.b.region == "prov-limburg"
    assert compare_regions(atlas, "resoc-kempen@2019", "limburg").sectors[
        lambda f: f["status"] != "b"].empty
    with pytest.raises(KeyError, match="neither an actor"):
        compare_regions(atlas, "Kempen-Noord", "limburg")


# -- atlases combined --------------------------------------------------------------------------
def _one_map_catalogue(folder: Path) -> Path:
    table = LEGENDS / "visions" / "zuid-west-vlaanderen-2019-creatieve-maakindustrie.csv"
    folder.mkdir()
    (folder / "catalogue.toml").write_text(
        '[[map]]\nid = "west-vlaanderen/test"\nscope = "west-vlaanderen"\n'
        'sector = "maakindustrie"\nactors = ["RESOC Zuid-West-Vlaanderen"]\n'
        f'table = "{table.as_posix()}"\n', encoding="utf-8")
    return folder


def test_atlases_are_combined_over_their_catalogues(tmp_path: Path, atlas: Atlas) -> None:
    other = load_atlas(_one_map_catalogue(tmp_path / "more"), boundaries=atlas.boundaries)
    both = combine_atlases(atlas, other)
    assert list(both.maps) == [*atlas.maps, "west-vlaanderen/test"]
    assert both.boundaries is atlas.boundaries and both.resources is atlas.resources
    drawn = sector_matrix(both, basis="drawn", region="resoc-zuidwest", sector="maakindustrie")
    assert drawn["maps"].iloc[0] == ("west-vlaanderen/test",)
    with pytest.raises(ValueError, match="in both"):
        combine_atlases(both, other)


# -- files -------------------------------------------------------------------------------------
def test_a_selection_is_written_to_a_geopackage_one_layer_each(tmp_path: Path,
                                                                atlas: Atlas) -> None:
    links = atlas_links(atlas, province="limburg")
    matrix = sector_matrix(atlas, province="limburg")
    target = write_selection({"links": links, "matrix": matrix}, tmp_path / "limburg.gpkg")
    assert sorted(gpd.list_layers(target)["name"]) == ["links", "matrix"]
    back = gpd.read_file(target, layer="links")
    assert len(back) == len(links) and back.crs == links.crs
    assert set(back["source_actors"]) >= {"resoc-limburg|salk", ""}  # tuples as "|"-text
    assert len(gpd.read_file(target, layer="matrix")) == len(matrix)
    with pytest.raises(OutputError):
        write_selection({"links": links}, target)


def test_a_selection_in_a_spreadsheet_is_never_a_formula(tmp_path: Path, atlas: Atlas) -> None:
    links = atlas_links(atlas, sector="cleantech")
    hostile = links.assign(name=["=HYPERLINK(\"http://x\")"] + list(links["name"][1:]))
    csv_path = write_selection(hostile, tmp_path / "links.csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "wkt" in text.splitlines()[0]
    xlsx_path = write_selection({"links": hostile}, tmp_path / "links.xlsx")
    sheet = openpyxl.load_workbook(xlsx_path).active
    assert sheet is not None and sheet.title == "links"
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("name") + 1)
    assert cell.value == "'=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    assert sheet.max_row == len(links) + 1
    with pytest.raises(ValueError, match="one table"):
        write_selection({"a": links, "b": links}, tmp_path / "two.csv")
    with pytest.raises(ValueError, match="expected a .gpkg"):
        write_selection(links, tmp_path / "links.json")


def test_a_comparison_is_written_to_files(tmp_path: Path, atlas: Atlas) -> None:
    comparison = compare_regions(atlas, "resoc-kempen", "limburg", sector="cleantech")
    gpkg = comparison.to_gpkg(tmp_path / "c.gpkg")
    assert sorted(gpd.list_layers(gpkg)["name"]) == ["links", "overlaps", "sectors", "zones"]
    table = comparison.table()
    assert set(table["basis"]) == {"inventory", "catalogue", "drawn", "any"}
    back = pd.read_csv(comparison.to_csv(tmp_path / "c.csv"), sep=";", encoding="utf-8-sig")
    assert back["sector"].tolist() == table["sector"].tolist()
    assert comparison.to_xlsx(tmp_path / "c.xlsx").stat().st_size > 0
