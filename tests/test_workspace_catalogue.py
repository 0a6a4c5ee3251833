"""What a user's catalogue may say (issue 10.4): free map ids, a scope that is a province, a
RESOC region or Flanders, a title and subtitle, the map's own sources, a zone over several
municipalities; and a table whose name the C locale cannot spell (issue 13.8)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from speerpunt_map import load_atlas
from speerpunt_map._paths import shipped_legends
from speerpunt_map.catalogue import read_catalogue
from speerpunt_map.cli import main
from speerpunt_map.description import describe

from .conftest import subprocess_env

WESTHOEK = shipped_legends() / "visions" / "westhoek-2016-streekpact.csv"
HEADER = ["kind", "number", "name", "place", "link_from", "link_to", "link_type",
          "source_actor", "year", "source_document", "remark"]


def write_excel_csv(path: Path, rows: list[list[str]]) -> Path:
    """A legend as a Belgian Excel saves it: ``;``-separated, Windows-1252."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def entry(map_id: str, scope: str, table: str, **extra: str) -> str:
    lines = [f'id = "{map_id}"', f'scope = "{scope}"', 'sector = "bouw"',
             'actors = ["RESOC Westhoek"]', f'table = "{table}"', 'period = "2016"',
             *(f'{key} = "{value}"' for key, value in extra.items())]
    return "[[map]]\n" + "\n".join(lines) + "\n"


ROWS = [
    ["zone", "", "De vier Westhoekse steden", "Ieper|Poperinge|Diksmuide|Veurne", "", "", "",
     "RESOC Westhoek", "2016", "RESOC Westhoek (2016): Streekpact", "één zone over vier "
     "gemeenten"],
    ["point", "1", "Bouwcampus", "Ieper", "", "", "", "RESOC Westhoek", "2016",
     "RESOC Westhoek (2016): Streekpact", ""],
]


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    write_excel_csv(tmp_path / "duurzaam-bouwen.csv", ROWS)
    path = tmp_path / "catalogue.toml"
    path.write_text(entry("westhoek-2016/duurzaam-bouwen", "RESOC Westhoek",
                          "duurzaam-bouwen.csv", title="Duurzaam bouwen in de Westhoek",
                          subtitle="Streekpact 2016: bouw en renovatie",
                          source="RESOC Westhoek, Streekpact 2015-2020"), encoding="utf-8")
    return path


def test_free_ids_and_scopes_of_every_kind(tmp_path: Path) -> None:
    write_excel_csv(tmp_path / "t.csv", ROWS[1:])
    text = (entry("westhoek-2016/duurzaam-bouwen", "RESOC Westhoek", "t.csv") +
            entry("mijn-kaarten/provincie/bouw", "provincie West-Vlaanderen", "t.csv") +
            entry("vlaanderen-2016/bouw", "Vlaanderen", "t.csv") +
            entry("kempen/bouw", "resoc-kempen", "t.csv"))
    (tmp_path / "catalogue.toml").write_text(text, encoding="utf-8")
    catalogue = read_catalogue(tmp_path)
    assert catalogue.problems == []
    assert {i: s.scope for i, s in catalogue.maps.items()} == {
        "westhoek-2016/duurzaam-bouwen": "resoc-westhoek",
        "mijn-kaarten/provincie/bouw": "west-vlaanderen",
        "vlaanderen-2016/bouw": "vlaanderen", "kempen/bouw": "resoc-kempen"}


@pytest.mark.parametrize(("map_id", "scope", "fragment"), [
    ("Westhoek/Bouw", "RESOC Westhoek", "a lowercase path"),
    ("westhoek/../bouw", "RESOC Westhoek", "a lowercase path"),
    ("westhoek/bouw", "RESOC Westhoekk", "did you mean 'RESOC Westhoek'"),
    ("westhoek/bouw", "Janssen Pharmaceutica", "a province, a RESOC region or Vlaanderen"),
])
def test_bad_ids_and_scopes_say_what_is_expected(tmp_path: Path, map_id: str, scope: str,
                                                 fragment: str) -> None:
    write_excel_csv(tmp_path / "t.csv", ROWS[1:])
    (tmp_path / "catalogue.toml").write_text(entry(map_id, scope, "t.csv"), encoding="utf-8")
    problems = read_catalogue(tmp_path).problems
    assert len(problems) == 1
    assert fragment in f"{problems[0].expected} {problems[0].suggestion}"


def test_title_subtitle_and_the_maps_own_sources(catalogue: Path) -> None:
    atlas = load_atlas(catalogue)
    text = describe(atlas.map("westhoek-2016/duurzaam-bouwen"))
    assert text.title == "Duurzaam bouwen in de Westhoek"
    assert text.subtitle == "Streekpact 2016: bouw en renovatie · Bronjaren: 2016"
    assert text.sources[:2] == ("RESOC Westhoek, Streekpact 2015-2020",
                                "RESOC Westhoek (2016): Streekpact")
    assert not any("Onderzoeksrapport" in s for s in text.sources)
    overview = describe(atlas.overview(atlas.overview_ids()[0]))
    assert not any("Onderzoeksrapport" in s for s in overview.sources)


def test_the_reports_maps_keep_the_reports_source() -> None:
    atlas = load_atlas()
    assert describe(atlas.map("antwerpen/logistiek")).sources[0].startswith("Onderzoeksrapport")
    assert describe(atlas.overview("logistiek")).sources[0].startswith("Onderzoeksrapport")
    visions = load_atlas(shipped_legends() / "visions")
    sources = describe(visions.map("westhoek-2016/streekpact")).sources
    assert not any(s.startswith("Onderzoeksrapport") for s in sources)
    assert sources[0].startswith("Seed 001: RESOC Westhoek")


def test_a_zone_over_several_municipalities_is_their_union(catalogue: Path) -> None:
    atlas = load_atlas(catalogue)
    zones = atlas.map("westhoek-2016/duurzaam-bouwen").zones
    zone = zones[zones["name"] == "De vier Westhoekse steden"].iloc[0]
    assert "union of the municipality polygons of Ieper, Poperinge, Diksmuide, Veurne" in \
        zone["geometry_method"]
    codes = {"33011", "33021", "32003", "38025"}  # Ieper, Poperinge, Diksmuide, Veurne
    expected = shapely.union_all([atlas.boundaries.municipality(c) for c in codes])
    assert zone.geometry.symmetric_difference(expected).area < 1e-9 * expected.area + 1e-12


@pytest.mark.parametrize(("kind", "place", "code"), [
    ("point", "Ieper|Poperinge", "several-places"),
    ("zone", "Ieper|Haven van Antwerpen", "not-a-municipality"),
    ("zone", "Ieper|Poperinghe", "unknown-place"),
])
def test_a_several_municipality_cell_that_cannot_be_drawn(tmp_path: Path, kind: str,
                                                          place: str, code: str) -> None:
    number = "1" if kind == "point" else ""
    write_excel_csv(tmp_path / "t.csv", [[kind, number, "X", place, "", "", "",
                                          "RESOC Westhoek", "2016", "", ""]])
    (tmp_path / "catalogue.toml").write_text(entry("w/t", "RESOC Westhoek", "t.csv"),
                                             encoding="utf-8")
    legend = load_atlas(tmp_path).legend("w/t")
    assert [p.code for p in legend.errors] == [code]
    assert legend.errors[0].row == 2 and legend.errors[0].column == "place"


def test_validate_reports_the_tables_of_invalid_entries(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_excel_csv(tmp_path / "t.csv", [["point", "1", "X", "Geeel", "", "", "",
                                          "RESOC Westhoek", "2016", "", ""]])
    (tmp_path / "catalogue.toml").write_text(entry("w/t", "RESOC Wsthoek", "t.csv"),
                                             encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "column 'map #1 (w/t): scope'" in err
    assert "t.csv, row 2, column 'place': error: found 'Geeel'" in err


def test_a_table_named_with_an_accent_under_the_c_locale(tmp_path: Path) -> None:
    (tmp_path / "kaart ë.csv").write_bytes(WESTHOEK.read_bytes())
    (tmp_path / "catalogue.toml").write_text(
        '[[map]]\nid = "westhoek-2016/streekpact"\nscope = "RESOC Westhoek"\n'
        'sector = "speerpuntbeleid-zonder-sector"\nactors = ["RESOC Westhoek"]\n'
        'table = "kaart ë.csv"\nperiod = "c. 2016"\n', encoding="utf-8")
    env = subprocess_env(LC_ALL="C", LANG="C", PYTHONUTF8="0")
    for argv in (["validate", "catalogue.toml"],
                 ["build", "--catalogue", "catalogue.toml", "-o", "out"]):
        result = subprocess.run([sys.executable, "-m", "speerpunt_map.cli", *argv],
                                cwd=tmp_path, env=env, capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stderr
        assert "codec" not in result.stderr
    assert (tmp_path / "out" / "westhoek-2016" / "streekpact.html").is_file()
