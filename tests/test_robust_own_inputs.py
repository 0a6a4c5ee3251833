"""Own inputs (issue 13.6): an output that is, or would replace, an input of the same run — the
legend table, the catalogue, a gazetteer or zones file, the boundary file — is refused, with
``--overwrite`` too, by ``export`` and by ``build -o``; so is one that reaches an input through a
symbolic or a hard link. The input is left byte for byte as it was.

Tables are CSV as a Belgian Excel saves it; the workspace is one ``speerpunt-map init`` makes;
the boundary file a GeoPackage written with geopandas.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest

from speerpunt_map import Atlas, OutputError, load_atlas
from speerpunt_map.build import build_atlas
from speerpunt_map.cli import main

from .conftest import GEODATA, map_entry
from .test_hostile_input import HEADER, point
from .test_validate import write_excel_belgian_csv, write_xlsx

MAP = "antwerpen/test"


def _legends(folder: Path, table: str = "t.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_excel_belgian_csv(folder / table, [HEADER, point("1", "VITO", "vito-mol")])
    (folder / "catalogue.toml").write_text(map_entry(table), encoding="utf-8")
    return folder


def _refused(args: list[str], victim: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = victim.read_bytes()
    assert main(args) != 0
    err = capsys.readouterr().err
    assert victim.read_bytes() == before
    assert "an input of this run" in err and "Traceback" not in err
    return err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_over_its_legend_table_is_refused(tmp_path: Path, suffix: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    legends = _legends(tmp_path)
    target = legends / f"t{suffix}"
    if suffix == ".xlsx":  # the legend as a workbook, exported over itself
        write_xlsx(target, [HEADER, point("1", "VITO", "vito-mol")])
        (legends / "catalogue.toml").write_text(map_entry(target.name), encoding="utf-8")
    err = _refused(["export", MAP, str(target), "--catalogue", str(legends), "--overwrite"],
                   target, capsys)
    assert "a legend table of antwerpen/test" in err


def test_export_through_a_symbolic_or_hard_link_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    legends = _legends(tmp_path / "legends")
    (tmp_path / "sym.csv").symlink_to(legends / "t.csv")
    os.link(legends / "t.csv", tmp_path / "hard.csv")
    for name in ("sym.csv", "hard.csv"):
        _refused(["export", MAP, str(tmp_path / name), "--catalogue", str(legends),
                  "--overwrite"], legends / "t.csv", capsys)


def test_export_over_the_boundary_file_is_refused(
        tmp_path: Path, user_municipalities: gpd.GeoDataFrame,
        capsys: pytest.CaptureFixture[str]) -> None:
    legends = _legends(tmp_path / "legends")
    boundary = tmp_path / "gemeenten.gpkg"
    user_municipalities.to_file(boundary, layer="municipalities", driver="GPKG")
    err = _refused(["export", MAP, str(boundary), "--catalogue", str(legends),
                    "--boundaries", str(boundary), "--overwrite"], boundary, capsys)
    assert "the boundary file" in err


def test_export_over_a_workspace_zones_file_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    workspace = tmp_path / "ws"
    map_id = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"
    for name in ("zones.csv", "places.csv"):
        err = _refused(["--workspace", str(workspace), "export", map_id,
                        str(workspace / name), "--overwrite"], workspace / name, capsys)
        assert f"the workspace's {name}" in err


def test_an_export_over_a_gazetteer_file_is_refused(atlas: Atlas, tmp_path: Path) -> None:
    geodata = tmp_path / "geodata"
    shutil.copytree(GEODATA, geodata, ignore=shutil.ignore_patterns("__pycache__"))
    legends = _legends(tmp_path / "legends")
    layers = load_atlas(legends, boundaries=atlas.boundaries, geodata=geodata).map(MAP)
    victim = geodata / "gazetteer" / "antwerpen.csv"
    before = victim.read_bytes()
    with pytest.raises(OutputError, match="a file of the geodata folder"):
        layers.to_csv(victim, overwrite=True)
    with pytest.raises(OutputError, match="a legend table"):
        layers.to_xlsx(legends / "t.csv", overwrite=True)
    assert victim.read_bytes() == before


def test_build_into_the_legend_folder_never_replaces_a_table(
        atlas: Atlas, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table saved as ``index.html`` by mistake (it is read by its content, a CSV) would be
    replaced by the build's index: refused before anything is written."""
    legends = _legends(tmp_path / "legends", "index.html")
    _refused(["build", "--catalogue", str(legends), "-o", str(legends), "--overwrite"],
             legends / "index.html", capsys)
    assert sorted(p.name for p in legends.iterdir()) == ["catalogue.toml", "index.html"]
    with pytest.raises(OutputError, match="index.html is the legend table of antwerpen/test"):
        build_atlas(load_atlas(legends, boundaries=atlas.boundaries), legends, overwrite=True)


def test_build_over_the_catalogue_is_refused(atlas: Atlas, tmp_path: Path) -> None:
    """The catalogue named ``matrix.csv``: the build's matrix would replace it."""
    legends = _legends(tmp_path / "legends")
    (legends / "catalogue.toml").rename(legends / "matrix.csv")
    with pytest.raises(OutputError, match="matrix.csv is the catalogue"):
        build_atlas(load_atlas(legends / "matrix.csv", boundaries=atlas.boundaries), legends,
                    overwrite=True)


def test_build_next_to_its_inputs_is_fine(atlas: Atlas, tmp_path: Path) -> None:
    """Writing into the legend folder is allowed when no output replaces an input."""
    legends = _legends(tmp_path / "legends")
    result = build_atlas(load_atlas(legends, boundaries=atlas.boundaries), legends,
                         ids=[MAP])
    assert [m.error for m in result.maps] == [""]
    assert (legends / "antwerpen" / "test.html").is_file() and (legends / "t.csv").is_file()


def test_write_selection_refuses_the_table_its_rows_come_from(atlas: Atlas,
                                                              tmp_path: Path) -> None:
    from speerpunt_map import write_selection

    legends = _legends(tmp_path / "legends")
    own = load_atlas(legends, boundaries=atlas.boundaries)
    points = own.map(MAP).points
    table = legends / "t.csv"
    before = table.read_bytes()
    with pytest.raises(OutputError, match="legend table the rows of 'selection' come from"):
        write_selection(points, table, overwrite=True)
    assert table.read_bytes() == before


def test_write_selection_given_the_atlas_refuses_every_file_it_reads(atlas: Atlas,
                                                                     tmp_path: Path) -> None:
    from speerpunt_map import atlas_links, write_selection

    legends = _legends(tmp_path / "legends")
    own = load_atlas(legends, boundaries=atlas.boundaries)
    links = atlas_links(own)  # analysis frames carry map ids, not files
    # This atlas has no link: an empty frame with every column, not a KeyError.
    assert len(links) == 0 and {"from_id", "to_region", "leaves_flanders"} <= set(links.columns)
    catalogue = legends / "catalogue.toml"
    before = catalogue.read_bytes()
    renamed = tmp_path / "catalogue.csv"
    os.link(catalogue, renamed)  # the same file under a name a CSV may have
    with pytest.raises(OutputError, match="the catalogue, an input"):
        write_selection(links, renamed, overwrite=True, atlas=own)
    assert catalogue.read_bytes() == before
    written = write_selection(links, tmp_path / "links.csv", atlas=own)
    assert written.is_file()
