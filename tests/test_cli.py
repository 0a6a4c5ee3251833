"""The ``speerpunt-map`` command line: exit codes, what goes to stdout and stderr, files."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import openpyxl
import pytest

import speerpunt_map
from speerpunt_map.cli import main
from speerpunt_map.legend import COLUMNS

from .conftest import REPO, subprocess_env
from .test_validate import CASES, _grid, write_excel_belgian_csv

LIST_HEADER = ["id", "scope", "sector", "figure", "points", "zones", "links", "rejected"]


@pytest.fixture(autouse=True)
def _in_an_empty_folder(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each command from an empty folder: no stray ./speerpunt-map.toml applies."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in a child process."""
    return subprocess.run([sys.executable, "-m", "speerpunt_map.cli", *args],
                          capture_output=True, text=True, env=subprocess_env(), timeout=300,
                          check=False, cwd=Path.cwd())


def test_the_console_script_points_at_main() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["speerpunt-map"].partition(":")
    assert getattr(import_module(module), name) is main


# -- validate --------------------------------------------------------------------------------------


def test_validate_shipped_legends_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("0 error(s), ")


def test_validate_shipped_legends_in_a_child_process() -> None:
    result = _run("validate")
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_with_warnings_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--warnings"]) == 0
    err = capsys.readouterr().err
    assert ": warning: " in err


def test_validate_bad_file_exits_1_and_prints_the_problems(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_excel_belgian_csv(tmp_path / "bad.csv", _grid())
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert "row 3, column 'place': error: found 'Geeel'" in captured.err
    assert "did you mean 'Geel'" in captured.err
    assert "row 4, column 'source_actor': error: found 'RESOC Kempn'" in captured.err
    assert "found '20O9'" in captured.err
    # Warnings are counted but not listed without --warnings.
    assert ": warning: " not in captured.err
    errors = sum(case[3] == "error" for case in CASES)
    warnings = len(CASES) - errors
    assert captured.err.strip().splitlines()[-1] == f"{errors} error(s), {warnings} warning(s)"


def test_validate_bad_file_in_a_child_process_has_no_traceback(tmp_path: Path) -> None:
    path = write_excel_belgian_csv(tmp_path / "bad.csv", _grid())
    result = _run("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "did you mean 'Geel'" in result.stderr


def test_validate_missing_file_exits_1(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "absent.csv")]) == 1
    err = capsys.readouterr().err
    assert "absent.csv" in err and "Traceback" not in err


# -- list ------------------------------------------------------------------------------------------


def test_list_prints_all_39_maps(atlas: speerpunt_map.Atlas,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == LIST_HEADER
    assert lines[-1] == "39 maps"
    listed = [line.split()[0] for line in lines[1:-1]]
    assert listed == list(atlas.maps)


def test_list_csv_is_parseable(atlas: speerpunt_map.Atlas,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--csv"]) == 0
    out = capsys.readouterr().out
    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert reader.fieldnames == LIST_HEADER
    assert len(rows) == 39
    assert [r["id"] for r in rows] == list(atlas.maps)
    assert all(r["rejected"] == "0" for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert (by_id["antwerpen/logistiek"]["points"], by_id["antwerpen/logistiek"]["zones"],
            by_id["antwerpen/logistiek"]["links"]) == ("5", "8", "6")
    assert by_id["antwerpen/chemie-life-sciences"]["figure"] == "14"
    assert {r["scope"] for r in rows} == {"antwerpen", "limburg", "oost-vlaanderen",
                                          "vlaams-brabant", "west-vlaanderen"}


# -- template --------------------------------------------------------------------------------------


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    """The values of a drop-down's source range such as ``=lists!$A$2:$A$4``."""
    sheet_name, _, cells = formula.lstrip("=").partition("!")
    sheet = book[sheet_name]
    return [c.value for row in sheet[cells.replace("$", "")] for c in row]


def test_template_writes_a_workbook_with_drop_downs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.xlsx"
    assert main(["template", str(path)]) == 0
    assert path.is_file()
    book = openpyxl.load_workbook(path)
    legend = book.worksheets[0]
    assert [c.value for c in legend[1]] == list(COLUMNS)
    drop_downs = {}
    for validation in legend.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            drop_downs[legend.cell(row=cell_range.min_row,
                                   column=cell_range.min_col).column_letter] = validation
    kind = drop_downs[openpyxl.utils.get_column_letter(COLUMNS.index("kind") + 1)]
    link_type = drop_downs[openpyxl.utils.get_column_letter(COLUMNS.index("link_type") + 1)]
    assert _list_values(book, kind.formula1) == ["point", "zone", "link"]
    assert _list_values(book, link_type.formula1) == ["infrastructure", "organisation"]
    assert kind.showErrorMessage and link_type.showErrorMessage
    # The empty template validates with one warning: it has no data rows yet (issue 13.4).
    assert [(p.code, p.severity) for p in speerpunt_map.validate([path])] == \
        [("empty-table", "warning")]


def test_a_filled_in_template_validates_clean(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert main(["template", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    legend = book.worksheets[0]
    rows = [{"kind": "point", "number": 1, "name": "VITO", "place": "vito-mol",
             "source_actor": "RESOC Kempen", "year": 2009},
            {"kind": "link", "name": "Naar de haven", "link_to": "Haven van Antwerpen",
             "link_type": "infrastructure", "source_actor": "RESOC Kempen", "year": 2009}]
    for r, values in enumerate(rows, start=3):
        for name, value in values.items():
            legend.cell(row=r, column=COLUMNS.index(name) + 1, value=value)
    book.save(path)
    problems = speerpunt_map.validate([path])
    assert problems == []
    assert [row.row for row in speerpunt_map.read_legend(path).rows] == [3, 4]


def test_template_refuses_to_overwrite(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"my own work")
    assert main(["template", str(path)]) == 1
    err = capsys.readouterr().err
    assert "exists" in err and "--overwrite" in err and "Traceback" not in err
    assert path.read_bytes() == b"my own work"
    assert main(["template", str(path), "--overwrite"]) == 0
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "kind"
    assert list(tmp_path.iterdir()) == [path], "no temporary file left behind"


def test_export_writes_a_workbook_that_reads_back(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from speerpunt_map._tables import read_table

    target = tmp_path / "zorg.xlsx"
    assert main(["export", "antwerpen/zorg", str(target)]) == 0
    table = read_table(target)
    assert len(table.rows) == 7  # 4 points and 3 zones
    assert {row["name"] for row in table.rows} >= {"Waterfront"}
    # Without --overwrite an existing file stays as it is.
    before = target.read_bytes()
    assert main(["export", "antwerpen/zorg", str(target)]) == 1
    assert target.read_bytes() == before
    assert "exists" in capsys.readouterr().err


def test_xlsx_cells_that_look_like_escapes_read_back_as_typed(atlas, tmp_path: Path) -> None:
    from speerpunt_map._tables import read_table

    layers = atlas.map("antwerpen/zorg")
    typed = ["_x0000\r", "_x0041_", "=SUM(A1)", "'s-Hertogenbosch", "a_x005F_b"]
    for index, text in enumerate(typed):
        layers.points.loc[index % len(layers.points), "remark"] = text
        read = read_table(layers.to_xlsx(tmp_path / f"r{index}.xlsx"))
        assert read.rows[index % len(layers.points)]["remark"] == text


def test_a_catalogue_id_must_name_scope_and_sector(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    table = REPO / "legends" / "antwerpen" / "zorg.csv"
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(
        '[[map]]\nid = "../zorg"\nscope = "antwerpen"\nsector = "zorg"\n'
        f'actors = ["RESOC Kempen"]\ntable = "{table.as_posix()}"\n', encoding="utf-8")
    assert main(["validate", str(catalogue)]) == 1
    err = capsys.readouterr().err
    assert "row 1" in err and "'../zorg'" in err and "antwerpen/<name>" in err
