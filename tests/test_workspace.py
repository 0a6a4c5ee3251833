"""A workspace of one's own (issue 10.3): ``init``, detection, and the clash rule shared with
ambiguous names (issue 13.1)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from speerpunt_map import load_atlas
from speerpunt_map._errors import GeodataError
from speerpunt_map._paths import shipped_geodata, shipped_legends
from speerpunt_map.cli import main
from speerpunt_map.workspace import Workspace, find_workspace, init_workspace

TABLE = "legends/zuid-west-vlaanderen-2019-creatieve-maakindustrie"
MAP_ID = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"
PLACE_HEADER = ("id,name,aliases,kind,lon,lat,country,municipality,method,precision_m,source,"
                "note,override")


def add_rows(path: Path, *lines: str) -> None:
    """Append rows to a workspace CSV, as a text editor would."""
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.writelines(line + "\r\n" for line in lines)


def excel_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV saved by a Belgian Excel (``;``, Windows-1252)."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))


def write_excel_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "mijn-atlas"
    assert main(["init", str(folder)]) == 0
    return folder


# -- init ----------------------------------------------------------------------------------------
def test_init_writes_every_file_of_a_workspace(workspace: Path) -> None:
    names = sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*") if p.is_file())
    assert names == ["README.md", "catalogue.toml", f"{TABLE}.csv", f"{TABLE}.xlsx",
                     "places.csv", "speerpunt-map.toml", "zones.csv"]
    assert "[workspace]" in (workspace / "speerpunt-map.toml").read_text(encoding="utf-8")


def test_init_example_table_is_the_real_table_as_excel_saves_it(workspace: Path) -> None:
    shipped = shipped_legends() / "visions" / Path(TABLE).with_suffix(".csv").name
    expected = list(csv.reader(io.StringIO(shipped.read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    data = (workspace / f"{TABLE}.csv").read_bytes()
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
    assert excel_rows(workspace / f"{TABLE}.csv") == expected
    sheet = openpyxl.load_workbook(workspace / f"{TABLE}.xlsx").worksheets[0]
    cells = [["" if v is None else str(v) for v in row]
             for row in sheet.iter_rows(values_only=True)]
    assert cells == expected
    assert "Hangar K" in {row[2] for row in expected}


def test_init_places_and_zones_have_the_shipped_columns(workspace: Path) -> None:
    shipped_places = (shipped_geodata() / "gazetteer" / "common.csv").read_text(
        encoding="utf-8-sig").splitlines()[0]
    shipped_zones = (shipped_geodata() / "zones" / "antwerpen.csv").read_text(
        encoding="utf-8-sig").splitlines()[0]
    places = (workspace / "places.csv").read_text(encoding="utf-8-sig").splitlines()
    zones = (workspace / "zones.csv").read_text(encoding="utf-8-sig").splitlines()
    assert places == [shipped_places + ",override"]
    assert zones == [shipped_zones + ",override"]


def test_init_readme_documents_every_file_and_column(workspace: Path) -> None:
    readme = (workspace / "README.md").read_text(encoding="utf-8")
    for name in ("speerpunt-map.toml", "catalogue.toml", "legends/", "places.csv", "zones.csv"):
        assert f"`{name}`" in readme
    header = (workspace / "places.csv").read_text(encoding="utf-8-sig").split("\n")[0]
    header += "," + (workspace / "zones.csv").read_text(encoding="utf-8-sig").split("\n")[0]
    for column in header.strip().split(","):
        assert f"`{column}`" in readme, column
    for key in ("id", "scope", "sector", "actors", "table", "period", "title", "source"):
        assert f"`{key}`" in readme


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    # Asked to, it writes beside the file, which it leaves alone.
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_never_overwrites(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workspace / "places.csv").write_text(PLACE_HEADER + "\nmy,own\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="places.csv"):
        init_workspace(workspace, force=True)
    assert main(["init", str(workspace), "--force"]) == 1
    assert "never replaces a file" in capsys.readouterr().err
    assert "my,own" in (workspace / "places.csv").read_text(encoding="utf-8")


# -- detection -----------------------------------------------------------------------------------
def test_a_workspace_is_found_in_the_working_folder(workspace: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    found = find_workspace()
    assert found is not None and found.root == workspace.resolve()


def test_a_config_with_only_boundaries_is_no_workspace(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "speerpunt-map.toml").write_text("[boundaries]\nvintage = 2019\n",
                                                 encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert find_workspace() is None
    with pytest.raises(GeodataError, match="no \\[workspace\\] table"):
        Workspace.open(tmp_path)


def test_every_command_uses_the_workspace(workspace: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workspace)
    assert main(["list", "--csv"]) == 0
    ids = [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert ids == [MAP_ID]
    monkeypatch.chdir(workspace.parent)
    for argv in (["--workspace", str(workspace), "list", "--csv"],
                 ["list", "--csv", "--workspace", str(workspace)]):
        assert main(argv) == 0
        assert capsys.readouterr().out.splitlines()[1].startswith(MAP_ID + ",")


def test_workspace_option_on_a_folder_that_is_none(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--workspace", str(tmp_path)]) == 1
    assert "not a workspace" in capsys.readouterr().err


def test_load_atlas_of_a_workspace_adds_its_places(workspace: Path) -> None:
    add_rows(workspace / "places.csv",
             "duinkerke,Duinkerke,Dunkerque,town,2.3770,51.0340,FR,,city centre from a map,"
             "1000,my reading of a map,,")
    atlas = load_atlas(workspace=workspace)
    assert list(atlas.maps) == [MAP_ID]
    assert atlas.gazetteer.resolve("Dunkerque") is not None
    # The shipped atlas does not know it: nothing was written into the package.
    assert load_atlas().gazetteer.resolve("Duinkerke") is None


# -- clashes and ambiguous names -------------------------------------------------------------------
def test_a_place_with_a_shipped_id_is_an_error_naming_both_rows(workspace: Path) -> None:
    add_rows(workspace / "places.csv",
             "terneuzen,Terneuzen centrum,,town,3.83,51.34,NL,,a map,500,my map,,")
    with pytest.raises(GeodataError) as caught:
        load_atlas(workspace=workspace)
    message = str(caught.value)
    assert f"{workspace / 'places.csv'}, row 2" in message
    assert "common.csv, row" in message and "'terneuzen'" in message
    assert "override = yes" in message


def test_an_override_replaces_the_shipped_place_and_validate_lists_it(
        workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    add_rows(workspace / "places.csv",
             "terneuzen,Terneuzen,,town,3.8300,51.3400,NL,,town hall from a map,500,my map,,yes")
    atlas = load_atlas(workspace=workspace)
    assert atlas.gazetteer.places.loc["terneuzen", "lat"] == "51.3400"
    monkeypatch.chdir(workspace)
    assert main(["validate"]) == 0
    err = capsys.readouterr().err
    assert "override:" in err and "places.csv, row 2" in err and "terneuzen" in err


def test_an_alias_naming_another_place_is_an_error(workspace: Path) -> None:
    add_rows(workspace / "places.csv",
             "mijn-haven,Mijn haven,Port of Antwerp,port,4.30,51.28,BE,Antwerpen,a map,2000,"
             "my map,,")
    with pytest.raises(GeodataError, match="alias 'Port of Antwerp' already names gazetteer "
                                           "place 'haven-antwerpen'"):
        load_atlas(workspace=workspace)


def _legend_with_place(workspace: Path, place: str) -> None:
    path = workspace / f"{TABLE}.csv"
    rows = excel_rows(path)
    rows[1][4] = place
    write_excel_rows(path, rows)


def test_beveren_means_two_places_and_the_error_lists_both(
        workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Beveren, a village of Roeselare, beside the municipality Beveren (Waas).
    add_rows(workspace / "places.csv",
             "beveren-roeselare,Beveren,,town,3.1380,50.9530,BE,Roeselare,church square from "
             "a map,800,my map,,")
    _legend_with_place(workspace, "Beveren")
    monkeypatch.chdir(workspace)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "column 'place': error: found 'Beveren'" in err
    assert "gazetteer place 'beveren-roeselare'" in err and "places.csv, row 2" in err
    assert "municipality Beveren (REFNIS 46003, vintage 2019)" in err
    assert "write '46003' or 'gemeente Beveren'" in err
    # Either id picks one.
    for pick in ("beveren-roeselare", "46003", "gemeente Beveren"):
        _legend_with_place(workspace, pick)
        assert main(["validate"]) == 0, pick


def test_the_shipped_legends_use_no_ambiguous_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "ambiguous" not in capsys.readouterr().err


# -- own sectors, actors and words ---------------------------------------------------------------
def test_own_sectors_actors_and_words_are_added(workspace: Path) -> None:
    (workspace / "sectors.csv").write_text(
        "id,label_nl,label_en,synonyms,overview,source,override\n"
        "duurzaam-bouwen,Duurzaam bouwen,Sustainable construction,circulair bouwen,,"
        "my notes,\n", encoding="utf-8")
    (workspace / "actors.csv").write_text(
        "id,name_nl,name_en,kind,province,region,aliases,source,override\n"
        "westhoekoverleg,Westhoekoverleg,Westhoek consultation,plan,prov-west-vlaanderen,"
        "resoc-westhoek,WHO,my notes,\n", encoding="utf-8")
    (workspace / "labels.csv").write_text(
        "key,nl,en,source,override\ntitle,{sector} – {scope},{sector} – {scope},mine,yes\n",
        encoding="utf-8")
    catalogue = workspace / "catalogue.toml"
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace('sector = "creatieve-maakindustrie"', 'sector = "circulair bouwen"')
    text = text.replace('actors = ["RESOC Zuid-West-Vlaanderen"]',
                        'actors = ["RESOC Zuid-West-Vlaanderen", "WHO"]')
    text = "\n".join(line for line in text.splitlines() if not line.startswith("title"))
    catalogue.write_text(text, encoding="utf-8")
    atlas = load_atlas(workspace=workspace)
    spec = atlas.maps[MAP_ID]
    assert spec.sector.id == "duurzaam-bouwen"
    assert [a.id for a in spec.actors] == ["resoc-zuidwest", "westhoekoverleg"]
    from speerpunt_map.description import describe

    assert describe(atlas.map(MAP_ID, strict=False)).title == \
        "Duurzaam bouwen – RESOC Zuid-West-Vlaanderen"
    assert any("labels.csv, row 2 overrides" in line for line in atlas.resources.overrides)


def test_an_own_sector_with_a_shipped_id_is_an_error_naming_both_rows(workspace: Path) -> None:
    (workspace / "sectors.csv").write_text(
        "id,label_nl,label_en,synonyms,overview,source\n"
        "logistiek,Logistiek (mijn),Logistics (mine),,,my notes\n", encoding="utf-8")
    with pytest.raises(GeodataError) as caught:
        load_atlas(workspace=workspace)
    message = str(caught.value)
    assert f"{workspace / 'sectors.csv'}, row 2: id 'logistiek' is already used by" in message
    assert "sectors.csv, row 2;" in message and "override = yes" in message


def test_validate_a_workspace_folder_from_outside(workspace: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    add_rows(workspace / "places.csv",
             "bouwcampus-ieper,Bouwcampus Ieper,,site,2.8850,50.8500,BE,Ieper,a map,500,"
             "my map,,")
    _legend_with_place(workspace, "Bouwcampus Ieper")
    assert main(["validate", str(workspace)]) == 0, capsys.readouterr().err
    _legend_with_place(workspace, "Bouwcampus Iepr")
    assert main(["validate", str(workspace)]) == 1
    assert "did you mean 'Bouwcampus Ieper'" in capsys.readouterr().err


def test_an_ambiguous_member_of_an_own_zone_is_an_error_listing_both(workspace: Path) -> None:
    add_rows(workspace / "places.csv",
             "beveren-roeselare,Beveren,,town,3.1380,50.9530,BE,Roeselare,church square from "
             "a map,800,my map,,")
    add_rows(workspace / "zones.csv",
             "rond-roeselare,Rond Roeselare,,hull,Beveren|Izegem|Hooglede,,,my notes,"
             "the triangle through three places,")
    _legend_with_place(workspace, "Rond Roeselare")
    with pytest.raises(GeodataError) as raised:
        load_atlas(workspace=workspace).map(MAP_ID)
    message = str(raised.value)
    assert "zone 'rond-roeselare'" in message and "zones.csv" in message
    assert "'Beveren' means 2 places" in message
    assert "beveren-roeselare" in message and "46003" in message
    # Picking one by its id draws the zone.
    zones = workspace / "zones.csv"
    zones.write_text(zones.read_text(encoding="utf-8-sig").replace(
        "Beveren|Izegem", "beveren-roeselare|Izegem"), encoding="utf-8-sig")
    layers = load_atlas(workspace=workspace).map(MAP_ID)
    assert layers.points.iloc[0]["place_id"] == "rond-roeselare"


def test_own_zones_are_added_and_a_shipped_zone_id_is_a_clash(workspace: Path) -> None:
    zones = workspace / "zones.csv"
    add_rows(zones, "westhoek-kust,Westhoekse kust,,municipalities,De Panne|Koksijde|"
                    "Nieuwpoort,,,my notes,the three coastal municipalities,")
    _legend_with_place(workspace, "Westhoekse kust")
    layers = load_atlas(workspace=workspace).map(MAP_ID)
    # The table's first row, a point, now lies in the workspace's zone.
    first = layers.points.iloc[0]
    assert first["place_id"] == "westhoek-kust" and first["place_kind"] == "zone"
    add_rows(zones, "brabantse-poort,Mijn Brabantse Poort,,municipalities,Willebroek,,,"
                    "my notes,rough,")
    with pytest.raises(GeodataError, match=r"zones.csv, row 3 \(zone 'brabantse-poort'\): "
                                           r"id 'brabantse-poort' is already used by .*"
                                           r"antwerpen.csv, row \d+"):
        load_atlas(workspace=workspace)
