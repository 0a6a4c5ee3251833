"""Bad, hostile and broken legend input: every row accounted for, nothing guessed, nothing lost.

Every test writes a real file in ``tmp_path`` the way the program that makes such files writes
it: CSV as Excel saves it on a Belgian machine (``;``, Windows-1252, CRLF), "CSV UTF-8" (a BOM),
Excel's "Unicode text" (UTF-16, tabs), and workbooks written with openpyxl holding formulas,
merged cells and error cells. The command line is run in-process and, where the absence of a
traceback matters, in a child process.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import speerpunt_map
from speerpunt_map import LegendError, read_catalogue, read_legend
from speerpunt_map._tables import read_table, restore_formula
from speerpunt_map.cli import main
from speerpunt_map.template import write_template

from .conftest import map_entry, subprocess_env
from .test_validate import write_excel_belgian_csv, write_utf8_bom_csv, write_xlsx

HEADER = ["kind", "number", "name", "place", "link_to", "link_type", "source_actor", "year",
          "remark", "accept"]


def point(number: str, name: str, place: str, remark: str = "", accept: str = "") -> list[str]:
    return ["point", number, name, place, "", "", "RESOC Kempen", "2009", remark, accept]


def link(name: str, to: str, link_type: str = "organisation", accept: str = "") -> list[str]:
    return ["link", "", name, "", to, link_type, "RESOC Kempen", "2009", "", accept]


def codes(problems: list[speerpunt_map.Problem]) -> list[tuple[int | None, str]]:
    return sorted((p.row or 0, p.code) for p in problems if p.severity == "error")


def accounted(legend: speerpunt_map.Legend) -> None:
    """Every data row is drawn or rejected, once; every rejected row has an error."""
    kept = [row.row for row in legend.rows]
    assert len(kept) + len(legend.rejected) == legend.rows_read
    assert not set(kept) & set(legend.rejected)
    error_rows = {p.row for p in legend.errors}
    assert set(legend.rejected) <= error_rows


# -- encodings and separators ----------------------------------------------------------------------


def test_a_belgian_excel_csv_is_read_as_windows_1252_with_semicolons(tmp_path: Path) -> None:
    path = write_excel_belgian_csv(tmp_path / "t.csv", [HEADER, point("1", "Café Zoë", "Geel")])
    legend = read_legend(path)
    assert legend.problems == []
    assert (legend.encoding, legend.separator) == ("cp1252", ";")
    assert legend.read_as == "Windows-1252, separator ';'"
    assert legend.rows[0].cells["name"] == "Café Zoë"


def test_csv_utf8_with_bom_and_commas(tmp_path: Path) -> None:
    path = write_utf8_bom_csv(tmp_path / "t.csv", [HEADER, point("1", "Ĳzer – Ørsted", "Geel")])
    legend = read_legend(path)
    assert legend.problems == []
    assert legend.read_as == "UTF-8 with BOM, separator ','"
    assert legend.rows[0].cells["name"] == "Ĳzer – Ørsted"


def test_excel_unicode_text_utf16_with_tabs(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(
        [HEADER, point("1", "Ørsted 東京", "Geel")])
    path = tmp_path / "unicode.txt"
    path.write_bytes(buffer.getvalue().encode("utf-16"))  # with its BOM, as Excel writes it
    legend = read_legend(path)
    assert legend.problems == []
    assert legend.read_as == "UTF-16, separator tab"
    assert legend.rows[0].cells["name"] == "Ørsted 東京"


def test_utf8_without_bom_is_tried_before_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(("\n".join(";".join(r) for r in [HEADER, point("1", "Café", "Geel")])
                      ).encode("utf-8"))
    legend = read_legend(path)
    assert legend.encoding == "utf-8" and legend.rows[0].cells["name"] == "Café"


@pytest.mark.parametrize(("data", "fragment"), [
    (b"\xef\xbb\xbfkind;name\r\npoint;Caf\xe9\r\n", "byte 0xe9 at line 2"),
    (b"kind;name\r\npoint;\x81\x8d\r\n", "byte 0x81 at line 2"),
    (b"\xff\xfek\x00i\x00\x00\xd8", "UTF-16"),
])
def test_undecodable_bytes_are_named_with_their_line(tmp_path: Path, data: bytes,
                                                     fragment: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    legend = read_legend(path)
    assert [p.code for p in legend.problems] == ["encoding"]
    assert fragment in str(legend.problems[0])


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"  \r\n\r\n ", "empty"),
    (b";;;\r\n;;;\r\n", "empty"),
    (b"kind;name\x00\x00\x01\x02", "encoding"),
    (bytes(range(256)) * 4, "encoding"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "wrong-format"),
])
def test_empty_and_binary_files_are_one_problem(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    legend = read_legend(path)
    assert [p.code for p in legend.problems] == [code]
    assert legend.rows == [] and legend.rows_read == 0


def test_na_none_and_leading_zeros_stay_as_typed(tmp_path: Path) -> None:
    grid = [HEADER + ["note"],
            point("007", "NA", "Geel", remark="#N/A") + ["None"],
            point("8", "None", "Mol", remark="nan") + ["NULL"]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert legend.problems == []
    first, second = legend.rows
    assert (first.cells["number"], first.number) == ("007", 7)
    assert (first.cells["name"], first.cells["remark"], first.cells["note"]) == \
        ("NA", "#N/A", "None")
    assert (second.cells["name"], second.cells["remark"], second.cells["note"]) == \
        ("None", "nan", "NULL")


def test_the_separator_is_sniffed_from_the_header(tmp_path: Path) -> None:
    """Commas inside cells of a ';' file are text; a ',' file with ';' inside cells too."""
    semicolons = write_excel_belgian_csv(tmp_path / "a.csv", [
        HEADER, point("1", "Hoge School, campus Geel", "Geel", remark="a, b; c")])
    commas = write_utf8_bom_csv(tmp_path / "b.csv", [
        HEADER, point("1", "Hoge School; campus Geel", "Geel", remark="a, b; c")])
    for path, name in ((semicolons, "Hoge School, campus Geel"),
                       (commas, "Hoge School; campus Geel")):
        legend = read_legend(path)
        assert legend.problems == [] and legend.rows[0].cells["name"] == name
        assert legend.rows[0].cells["remark"] == "a, b; c"


# -- ragged rows, quotes, blank and notes rows -----------------------------------------------------


def _raw_csv(tmp_path: Path, lines: list[str], name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path


def test_a_row_with_one_field_too_many_is_rejected_not_shifted(tmp_path: Path) -> None:
    header = ";".join(HEADER)
    path = _raw_csv(tmp_path, [
        header,
        "point;1;VITO;vito-mol;;;RESOC Kempen;2009;;",
        "point;2;Thomas More; Geel;Geel;;;RESOC Kempen;2009;;",  # a ';' typed in the name
        "point;3;Janssen;Beerse;;;RESOC Kempen;2009;",            # one field short
    ])
    legend = read_legend(path)
    assert codes(legend.problems) == [(3, "ragged-row"), (4, "ragged-row")]
    too_many, too_few = sorted((p for p in legend.problems), key=lambda p: p.row or 0)
    assert too_many.found.startswith("11 fields") and "10 fields" in too_many.expected
    assert "';' inside a cell must be quoted" in too_many.suggestion
    assert too_few.found.startswith("9 fields")
    assert [row.row for row in legend.rows] == [2]
    assert legend.rows_read == 3
    accounted(legend)


def test_an_unbalanced_quote_names_the_lines_it_swallows(tmp_path: Path) -> None:
    path = _raw_csv(tmp_path, [
        ";".join(HEADER),
        'point;1;"VITO;vito-mol;;;RESOC Kempen;2009;;',
        "point;2;Thomas More;Geel;;;RESOC Kempen;2009;;",
        "point;3;Janssen;Beerse;;;RESOC Kempen;2009;;",
    ])
    legend = read_legend(path)
    [problem] = legend.problems
    assert (problem.row, problem.code) == (2, "ragged-row")
    assert "lines 2–4" in problem.suggestion and "quote" in problem.suggestion
    accounted(legend)


def test_a_line_break_inside_a_quoted_cell_is_one_row(tmp_path: Path) -> None:
    path = write_excel_belgian_csv(tmp_path / "t.csv", [
        HEADER, point("1", "VITO", "vito-mol", remark="regel 1\nregel 2"),
        point("2", "Thomas More", "Geel")])
    legend = read_legend(path)
    assert legend.problems == []
    assert [row.row for row in legend.rows] == [2, 3]  # spreadsheet rows, not file lines
    assert legend.rows[0].cells["remark"] == "regel 1\nregel 2"


def test_trailing_empty_rows_are_ignored_and_blank_rows_between_are_listed(
        tmp_path: Path) -> None:
    empty = [""] * len(HEADER)
    grid = [HEADER, point("1", "VITO", "vito-mol"), empty, empty,
            point("2", "Thomas More", "Geel")] + [empty] * 50
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert legend.problems == []
    assert [row.row for row in legend.rows] == [2, 5]
    assert legend.blank_rows == [3, 4]
    assert "blank row(s) ignored: 3, 4" in legend.summary()


def test_notes_rows_are_counted_not_lost(tmp_path: Path) -> None:
    grid = [HEADER, ["# points first"] + [""] * 9, point("1", "VITO", "vito-mol"),
            ["#", "2", "Thomas More", "Geel", "", "", "RESOC Kempen", "2009", "", ""]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert legend.problems == []
    assert legend.notes == [2, 4]
    assert legend.rows_read == 1 and [row.row for row in legend.rows] == [3]
    assert "notes row(s) ignored: 2, 4" in legend.summary()


def test_a_mixed_bad_file_accounts_for_every_row(tmp_path: Path) -> None:
    lines = [";".join(HEADER)]
    lines += [";".join(point(str(n), f"Punt {n}", "Geel")) for n in range(1, 6)]
    lines += ["point;6;Te veel;Geel;;;RESOC Kempen;2009;;;x",  # ragged
              ";".join(point("7", "Onbekend", "Nergensland")),  # unknown place
              ";".join(point("1", "Dubbel nummer", "Mol")),     # duplicate number
              "", ";".join(["#", "", "notitie"] + [""] * 7),
              ";".join(point("8", "Punt 8", "Dessel"))]
    legend = read_legend(_raw_csv(tmp_path, lines))
    assert legend.rows_read == 9
    assert [row.row for row in legend.rows] == [2, 3, 4, 5, 6, 12]
    assert legend.rejected == [7, 8, 9]
    assert legend.notes == [11] and legend.blank_rows == [10]
    accounted(legend)


# -- the formula prefix of our own CSV export ------------------------------------------------------


@pytest.mark.parametrize(("typed", "read"), [
    ("'=SUM(A1:A3)", "=SUM(A1:A3)"), ("'+32 14 33 55 11", "+32 14 33 55 11"),
    ("'-5", "-5"), ("'@cmd", "@cmd"), ("'\tx", "\tx"), ("'\rx", "\rx"),
    ("'s-Hertogenbosch", "'s-Hertogenbosch"), ("'t Stad", "'t Stad"), ("'", "'"),
    ("''=x", "'=x"), ("'''+x", "''+x"), ("''s", "''s"), ("=x", "=x"), ("", ""),
])
def test_only_our_formula_prefix_is_removed(tmp_path: Path, typed: str, read: str) -> None:
    assert restore_formula(typed) == read
    grid = [HEADER, point("1", "VITO", "vito-mol", remark=typed)]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert legend.rows[0].cells["remark"] == read


def test_text_decoded_twice_is_a_warning_with_the_likely_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    grid = [HEADER, point("1", "CafÃ© De Kroon", "Geel")]
    path.write_bytes("\r\n".join(";".join(r) for r in grid).encode("utf-8"))
    legend = read_legend(path)
    [problem] = legend.problems
    assert (problem.row, problem.column, problem.code, problem.severity) == \
        (2, "name", "mojibake", "warning")
    assert "'Café De Kroon'" in problem.suggestion
    assert len(legend.rows) == 1  # a warning: the row is kept, as typed
    assert legend.rows[0].cells["name"] == "CafÃ© De Kroon"


# -- names as people type them ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "Sint\u00a0Niklaas", "Sint\u2011Niklaas", "sint-niklaas", " Sint-Niklaas\u00a0",
    "SINT NIKLAAS",
])
def test_spaces_dashes_and_case_in_names_match_but_are_shown_as_typed(tmp_path: Path,
                                                                      typed: str) -> None:
    grid = [HEADER, point("1", "Stadhuis", typed)]
    legend = read_legend(write_xlsx(tmp_path / "t.xlsx", grid))
    assert legend.problems == []
    row = legend.rows[0]
    assert row.place is not None and row.place.refnis == "46021"
    assert row.cells["place"] == typed


def test_curly_quotes_and_accents_match_the_gazetteer(tmp_path: Path) -> None:
    grid = [HEADER, link("Naar Eigenbrakel", "Braine\u2011l\u2019Alleud"),
            link("Naar Écaussinnes", "Ecaussinnes"), point("1", "Kruibeke", "Krúibeke")]
    legend = read_legend(write_utf8_bom_csv(tmp_path / "t.csv", grid))
    assert legend.problems == []
    assert [r.cells.get("link_to") or r.cells["place"] for r in legend.rows] == \
        ["Braine\u2011l\u2019Alleud", "Ecaussinnes", "Krúibeke"]
    assert legend.rows[0].link_to is not None and legend.rows[0].link_to.refnis == "25014"


def test_column_names_in_any_case_and_spacing(tmp_path: Path) -> None:
    header = ["Kind", "NUMBER", "Name", "Place", "Source Actor", "source-year"]
    grid = [header, ["point", "1", "VITO", "vito-mol", "RESOC Kempen", "2009"]]
    problems = speerpunt_map.validate([write_excel_belgian_csv(tmp_path / "t.csv", grid)])
    # "source-year" is no column: reported as typed, with a suggestion; "year" is missing.
    assert sorted((p.row, p.column, p.code) for p in problems) == [
        (1, "source-year", "unknown-column"), (1, "year", "missing-column"),
        (2, "year", "missing-value")]


def test_two_columns_of_one_name_must_agree(tmp_path: Path) -> None:
    header = ["kind", "number", "name", "place", "source_actor", "year", "naam"]
    grid = [header, ["point", "1", "VITO", "vito-mol", "RESOC Kempen", "2009", "VITO"],
            ["point", "2", "Thomas More", "Geel", "RESOC Kempen", "2009", "KU Leuven"]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert sorted((p.row, p.code) for p in legend.problems) == [
        (1, "duplicate-column"), (3, "duplicate-column")]
    assert "'name' and 'naam'" in legend.problems[0].found
    assert legend.problems[1].found == "Thomas More / KU Leuven"


def test_a_column_without_a_name_is_reported(tmp_path: Path) -> None:
    grid = [["kind", "number", "", "name", "place", "source_actor", "year"],
            ["point", "1", "iets", "VITO", "vito-mol", "RESOC Kempen", "2009"]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    [problem] = legend.problems
    assert (problem.row, problem.code) == (1, "unknown-column")
    assert "column C" in problem.suggestion


# -- the same place twice, numbers twice -----------------------------------------------------------


def test_the_same_place_under_two_names_is_a_duplicate(tmp_path: Path) -> None:
    grid = [HEADER, point("1", "Haven van Antwerpen", "haven-antwerpen"),
            point("2", "Port of Antwerp", "Haven van Antwerpen"),
            point("3", "Port of Antwerp-Bruges", "haven-antwerpen", accept="duplicate-row")]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    found = sorted((p.row, p.code, p.severity) for p in legend.problems)
    assert found == [(3, "duplicate-row", "error"), (4, "duplicate-row", "warning")]
    assert "(row 2 has the same)" in legend.problems[0].expected


def test_five_organisations_in_one_town_are_no_duplicates(tmp_path: Path) -> None:
    grid = [HEADER] + [point(str(n), name, "Kortrijk") for n, name in
                       enumerate(["Flanders InShape", "VKC", "Howest", "Designregio", "UGent"],
                                 start=1)]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert legend.problems == [] and len(legend.rows) == 5


def test_the_same_link_twice_is_a_duplicate_unless_accepted(tmp_path: Path) -> None:
    grid = [HEADER, link("Samenwerking", "Leuven"), link("samenwerking ", "leuven"),
            link("Samenwerking", "Leuven", "infrastructure"),
            link("Samenwerking", "Leuven", accept="duplicate-row")]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert sorted((p.row, p.severity) for p in legend.problems) == [(3, "error"),
                                                                   (5, "warning")]


def test_duplicate_map_ids_in_the_catalogue(tmp_path: Path) -> None:
    write_excel_belgian_csv(tmp_path / "t.csv", [HEADER, point("1", "VITO", "vito-mol")])
    entry = map_entry("t.csv")
    (tmp_path / "catalogue.toml").write_text(entry + "\n" + entry, encoding="utf-8")
    catalogue = read_catalogue(tmp_path)
    assert [(p.row, p.code) for p in catalogue.problems] == [(8, "duplicate-map")]
    assert list(catalogue.maps) == ["antwerpen/test"]


@pytest.mark.parametrize(("column", "typed", "code"), [
    ("number", "²", "bad-number"), ("number", "٣", "bad-number"),
    ("number", "1.0", "bad-number"), ("number", "-1", "bad-number"),
    ("year", "２００９", "bad-year"), ("year", "2009.0", "bad-year"), ("year", "09", "bad-year"),
    ("kind", "points", "bad-kind"),
])
def test_look_alike_numbers_are_refused(tmp_path: Path, column: str, typed: str,
                                        code: str) -> None:
    row = dict(zip(HEADER, point("1", "VITO", "vito-mol"), strict=True))
    row[column] = typed
    legend = read_legend(write_utf8_bom_csv(tmp_path / "t.csv", [HEADER, list(row.values())]))
    assert [(p.row, p.column, p.code) for p in legend.problems] == [(2, column, code)]
    accounted(legend)


@pytest.mark.parametrize(("column", "typed"), [
    ("year", "2009\n"), ("year", " 2009 "), ("kind", "PUNT"), ("number", " 7 "),
])
def test_stray_spaces_are_no_error(tmp_path: Path, column: str, typed: str) -> None:
    row = dict(zip(HEADER, point("1", "VITO", "vito-mol"), strict=True))
    row[column] = typed
    legend = read_legend(write_utf8_bom_csv(tmp_path / "t.csv", [HEADER, list(row.values())]))
    assert legend.problems == []
    assert legend.rows[0].cells[column] == typed


@pytest.mark.parametrize(("column", "typed"), [("kind", "\u200bpoint"),
                                               ("place", "Sint\u200b-Niklaas")])
def test_a_zero_width_space_in_an_identifying_cell_is_an_error(tmp_path: Path, column: str,
                                                               typed: str) -> None:
    """It once matched silently (names are compared without it) while the cell said
    something else; now it is named, and the row is not drawn."""
    row = dict(zip(HEADER, point("1", "VITO", "vito-mol"), strict=True))
    row[column] = typed
    legend = read_legend(write_utf8_bom_csv(tmp_path / "t.csv", [HEADER, list(row.values())]))
    assert [(p.row, p.column, p.code) for p in legend.problems] == [
        (2, column, "invisible-character")]
    assert "U+200B ZERO WIDTH SPACE" in legend.problems[0].suggestion
    assert legend.rows == []


# -- Excel workbooks -------------------------------------------------------------------------------


def _cache_values(path: Path, values: dict[str, tuple[str, str]]) -> None:
    """Give formula cells a saved result (and its type), as Excel does when it saves; openpyxl
    cannot write one."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    for cell, (value, kind) in values.items():
        typed = f' t="{kind}"' if kind else ""
        sheet, count = re.subn(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v\s*/>',
                               rf'<c r="{cell}"\1{typed}><f>\2</f><v>{value}</v>', sheet)
        assert count == 1, cell
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture()
def broken_workbook(tmp_path: Path) -> Path:
    """A workbook as a user leaves it: formulas, error cells, merged cells, a stray value."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    sheet.append(HEADER)
    kempen = [None, None, "RESOC Kempen"]
    sheet.append(["point", 1, "VITO", "vito-mol", *kempen, 2009])                    # row 2
    sheet.append(["point", 2, "Thomas More", "Geel", *kempen, "=2000+9"])            # row 3
    sheet.append(["point", 3, "Janssen", "Beerse", *kempen, "=2000+10"])             # row 4
    sheet.append(["point", 4, "Sibelco", "Dessel", *kempen, 2009, "#REF!"])          # row 5
    sheet.append(["point", 5, "Campus", "Mol", *kempen, 2009, "#N/A"])               # row 6
    sheet.append(["point", 6, "Belgoprocess", "Dessel", *kempen, 2009, "=1/0"])      # row 7
    sheet.append(["point", 7, "SCK CEN", "Mol", *kempen, 2009, "samen"])             # row 8
    sheet.append(["point", 8, "Umicore", "Olen", *kempen, 2009])                     # row 9
    sheet.merge_cells("I8:I9")
    sheet.append(["point", 9, "Geel", "Geel", *kempen, 2009])                        # row 10
    sheet["L10"] = "vergeten"
    sheet.merge_cells("A12:C12")  # merged empty cells: formatting, not data
    for row in range(13, 200):  # formatted, empty rows below the table
        sheet.cell(row=row, column=1).number_format = "@"
    path = tmp_path / "broken.xlsx"
    book.save(path)
    _cache_values(path, {"H4": ("2010", ""), "I7": ("#DIV/0!", "e")})
    return path


def test_workbook_problems_are_named_by_cell(broken_workbook: Path) -> None:
    legend = read_legend(broken_workbook)
    found = sorted((p.row, p.column, p.cell, p.code) for p in legend.problems
                   if p.code in ("formula", "error-cell", "merged-cells", "ragged-row"))
    assert found == [
        (3, "year", "H3", "formula"),
        (5, "remark", "I5", "error-cell"),
        (6, "remark", "I6", "error-cell"),
        (7, "remark", "I7", "error-cell"),
        (8, "remark", "I8:I9", "merged-cells"),
        (9, "remark", "I8:I9", "merged-cells"),
        (10, None, "L10", "ragged-row"),
    ]
    # (every problem of a row in a workbook names its cell; these are the reader's own)
    messages = {p.cell: str(p) for p in legend.problems
                if p.code in ("formula", "error-cell", "merged-cells", "ragged-row")}
    assert "row 3, column 'year', cell H3: error: found '=2000+9'" in messages["H3"]
    assert "found '#REF!'" in messages["I5"] and "found '#DIV/0!'" in messages["I7"]
    assert "found 'vergeten'" in messages["L10"]
    # The formula with a saved result is read as its value; the other rows are kept.
    assert [row.row for row in legend.rows] == [2, 4]
    assert legend.rows[1].years == (2010,)
    assert legend.read_as == "Excel workbook, sheet 'Blad1'"
    assert legend.rows_read == 9 and legend.blank_rows == []
    accounted(legend)


def test_workbook_values_are_read_as_a_person_reads_them(tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER + ["note"])
    sheet.append(["point", 6.0, "VITO", "vito-mol", None, None, "RESOC Kempen", 2009,
                  dt.datetime(2013, 5, 1), None, True])
    sheet.append(["point", "007", "Thomas More", "Geel", None, None, "RESOC Kempen", "2009",
                  0.1 + 0.2, None, 1234567.125])
    book.save(tmp_path / "t.xlsx")
    legend = read_legend(tmp_path / "t.xlsx")
    assert legend.problems == []
    first, second = (row.cells for row in legend.rows)
    assert (first["number"], first["remark"], first["note"]) == ("6", "2013-05-01", "TRUE")
    assert (second["number"], second["remark"], second["note"]) == ("007", "0.3", "1234567.125")


def test_workbook_text_is_decoded_as_excel_wrote_it(tmp_path: Path) -> None:
    """Excel writes a carriage return as ``_x000D_`` and a literal ``_x`` as ``_x005F_x``; our
    exports put ``'`` before a formula start in workbooks too."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER + ["note"])
    sheet.append(point("1", "VITO", "vito-mol", remark="regel 1_x000D_\nregel 2")
                 + ["_x005F_x0041_ en '=SOM(A1)"])
    sheet.append(point("2", "'=1+1", "Geel", remark="''-3") + ["'s-Gravenwezel"])
    book.save(tmp_path / "t.xlsx")
    legend = read_legend(tmp_path / "t.xlsx")
    assert legend.problems == []
    first, second = (row.cells for row in legend.rows)
    assert (first["remark"], first["note"]) == ("regel 1\r\nregel 2", "_x0041_ en '=SOM(A1)")
    assert (second["name"], second["remark"], second["note"]) == \
        ("=1+1", "'-3", "'s-Gravenwezel")


def test_the_legend_must_be_on_the_first_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "leeg"
    other = book.create_sheet("legende")
    other.append(HEADER)
    other.append(point("1", "VITO", "vito-mol"))
    book.save(tmp_path / "t.xlsx")
    [problem] = read_legend(tmp_path / "t.xlsx").problems
    assert problem.code == "empty"
    assert "first sheet ('leeg')" in problem.suggestion


def test_other_sheets_are_named_as_not_read(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx")
    legend = read_legend(path)
    assert [p.code for p in legend.problems] == ["empty-table"] and legend.rows_read == 0
    assert legend.notes == [2]
    assert legend.read_as == "Excel workbook, sheet 'legend' (other sheets not read: 'map', " \
        "'lists')"


@pytest.mark.parametrize(("name", "data", "fragment"), [
    ("fake.xlsx", "kind;name\r\npoint;VITO\r\n".encode("cp1252"), "rename it to .csv"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .xlsx or CSV"),
    ("sheet.ods", b"PK\x03\x04" + bytes(100), "save it as .xlsx or CSV"),
    ("garbage.xlsx", b"PK\x03\x04" + bytes(100), "damaged zip"),
    ("empty.xlsx", b"", "empty file"),
])
def test_workbooks_that_are_not_workbooks(tmp_path: Path, name: str, data: bytes,
                                          fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    legend = read_legend(path)
    assert len(legend.problems) == 1 and legend.problems[0].severity == "error"
    assert fragment in str(legend.problems[0])


def test_a_workbook_saved_as_csv_name_or_a_plain_zip(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "t.xlsx", [HEADER, point("1", "VITO", "vito-mol")])
    renamed = tmp_path / "t.csv"
    renamed.write_bytes(workbook.read_bytes())
    [problem] = read_legend(renamed).problems
    assert problem.code == "wrong-format" and "rename it to .xlsx" in problem.suggestion
    archive = tmp_path / "legend.xlsx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "not a workbook")
    [problem] = read_legend(archive).problems
    assert "without a workbook" in problem.found


def test_a_damaged_workbook_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, point("1", "VITO", "vito-mol")])
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='x'>"
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    [problem] = read_legend(bad).problems
    assert problem.code == "xlsx" and "save it again" in problem.suggestion
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:300])
    assert [p.code for p in read_legend(truncated).problems] == ["xlsx"]


def test_a_cell_longer_than_any_table_cell(tmp_path: Path) -> None:
    """Read whole (csv's 131,072-character field limit is lifted), with a warning that Excel
    would cut it at 32,767 characters."""
    path = tmp_path / "t.csv"
    path.write_bytes(b'kind;name\r\npoint;"' + b"x" * 200_000 + b'"\r\n')
    legend = read_legend(path)
    [long] = [p for p in legend.problems if p.code == "long-cell"]
    assert (long.row, long.column, long.severity) == (2, "name", "warning")
    assert "200,000 characters" in long.found and "32,767" in long.expected
    assert not [p for p in legend.problems if "field larger" in p.found]


@pytest.mark.parametrize(("limit", "value", "found"), [
    ("MAX_BYTES", 1000, "bytes"),
    ("MAX_XLSX_UNCOMPRESSED", 1000, "bytes unpacked"),
    ("MAX_CELLS", 1000, "rows × "),
])
def test_oversized_tables_are_refused_before_they_are_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int,
        found: str) -> None:
    import speerpunt_map._tables as tables

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active["Z5000"] = "ver weg"  # one stray cell far below and right
    book.save(tmp_path / "big.xlsx")
    write_excel_belgian_csv(tmp_path / "big.csv", [HEADER] + [point("1", "x", "Geel")] * 40)
    monkeypatch.setattr(tables, limit, value)
    path = tmp_path / ("big.csv" if limit == "MAX_BYTES" else "big.xlsx")
    [problem] = read_legend(path).problems
    assert problem.code == "too-large" and found in problem.found


def test_a_folder_or_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "map.csv").mkdir()
    [problem] = read_legend(tmp_path / "map.csv").problems
    assert problem.code == "not-a-file" and "not a folder" in problem.expected
    with pytest.raises(LegendError) as raised:
        read_table(tmp_path / "absent.xlsx")
    assert raised.value.problems[0].code == "missing-file"


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture(autouse=False)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "speerpunt_map.cli", *args],
                          capture_output=True, text=True, env=subprocess_env(), timeout=300,
                          check=False, cwd=cwd)


def test_validate_says_how_a_file_was_read_and_what_became_of_every_row(
        in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grid = [HEADER, point("1", "Café", "Geel"), point("2", "X", "Nergensland")]
    path = write_excel_belgian_csv(in_tmp / "mine.csv", grid)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2] == (f"{path}: read as Windows-1252, separator ';'; 2 row(s): 1 valid, 1 with "
                       "errors")
    assert err[-1] == "1 error(s), 0 warning(s)"


def test_validate_verbose_logs_the_encoding_of_every_table(in_tmp: Path) -> None:
    path = write_excel_belgian_csv(in_tmp / "mine.csv", [HEADER, point("1", "Café", "Geel")])
    result = _run("-v", "validate", str(path), cwd=in_tmp)
    assert result.returncode == 0, result.stderr
    assert "INFO: " in result.stderr
    assert "read as Windows-1252, separator ';'" in result.stderr


@pytest.mark.parametrize(("name", "data"), [
    ("fake.xlsx", b"kind;name\r\npoint;VITO\r\n"),
    ("empty.csv", b""),
    ("binary.csv", bytes(range(256))),
    ("bad.xlsx", b"PK\x03\x04garbage"),
    ("latin.csv", b"\xef\xbb\xbfkind;name\r\npoint;Caf\xe9\r\n"),
])
def test_validate_bad_files_in_a_child_process(in_tmp: Path, name: str, data: bytes) -> None:
    (in_tmp / name).write_bytes(data)
    result = _run("validate", name, cwd=in_tmp)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert name in result.stderr and "1 error(s)" in result.stderr


@pytest.mark.parametrize("args", [
    ["build", "--format", "html,jpeg"],
    ["build", "--format", ","],
    ["build", "--columns", "refnis"],
    ["build", "--columns", "=NISCODE"],
    ["build", "--columns", "refnis="],
    ["build", "--columns", "nis=NISCODE"],
    ["build", "--columns", "name_nl=NAAM"],
    ["build", "--columns", "refnis=A,refnis=B"],
    ["list", "--crs", "EPSG:99999"],
    ["list", "--crs", "Lambert"],
    ["list", "--vintage", "2000"],
    ["build", "--language", "fr"],
    ["export", "antwerpen/zorg"],
    ["nonsense"],
    [],
])
def test_a_wrong_command_line_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "fragment"), [
    (["build", "--scope", "brussel"], "--scope brussel: expected one of"),
    (["build", "--sector", "ruimtevaart"], "--sector ruimtevaart: no such sector"),
    (["build", "--map", "antwerpen/logistik"], "did you mean antwerpen/logistiek"),
])
def test_an_unknown_selection_is_a_usage_error(in_tmp: Path, args: list[str], fragment: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*args, "-o", str(in_tmp / "out")]) == 2
    assert fragment in capsys.readouterr().err
    assert not (in_tmp / "out").exists()


@pytest.mark.parametrize(("args", "fragment"), [
    (["export", "antwerpen/zorg", "out.txt"], "out.txt: expected a .gpkg, .csv or .xlsx file"),
    (["export", "antwerpen/zorgg", "out.gpkg"], "map id antwerpen/zorgg: no such map; did you "
                                                "mean antwerpen/zorg"),
    (["template", "legende.csv"], "legende.csv: expected an .xlsx file"),
])
def test_wrong_output_names_and_map_ids_exit_2(in_tmp: Path, args: list[str], fragment: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert fragment in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(("config", "fragment"), [
    ("[boundaries\npath = 'x'", "not valid TOML"),
    ("[boundaries]\npath = 5", "path must be text"),
    ("[boundaries]\ncolumns = 'refnis=NIS'", "columns must be a table"),
    ("[boundaries]\ncrs = 'EPSG:99999'", "not a CRS"),
    ("[boundaries]\nvintage = 2000", "vintage must be"),
    ("[boundaries]\nurl = 'x'", "unknown setting(s) ['url']"),
    ("boundaries = 5", "must be a [boundaries] table"),
])
def test_a_bad_config_file_is_a_message(in_tmp: Path, config: str, fragment: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "speerpunt-map.toml").write_text(config, encoding="utf-8")
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_a_config_file_that_is_a_folder_or_missing(in_tmp: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "conf").mkdir()
    assert main(["--config", "conf", "list"]) == 1
    assert main(["--config", "absent.toml", "list"]) == 1
    err = capsys.readouterr().err
    assert "conf: a folder, not a config file" in err
    assert "absent.toml: no such config file" in err


def test_an_unforeseen_error_is_a_message_unless_debug(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    import speerpunt_map.cli as cli

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli._COMMANDS, "validate", broken)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "validate"])


def test_a_legend_error_is_raised_with_debug(in_tmp: Path) -> None:
    (in_tmp / "catalogue.toml").write_text("[[map]]\nid = 1\n", encoding="utf-8")
    assert main(["list", "--catalogue", "catalogue.toml"]) == 1
    with pytest.raises(LegendError):
        main(["--debug", "list", "--catalogue", "catalogue.toml"])

