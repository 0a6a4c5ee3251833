"""Validation of legend tables and catalogues: the shipped legends pass, and every kind of bad
input is reported once, with file, row, column, the value found, what is expected and — where
one exists — a suggestion.

The bad tables are real files written in ``tmp_path``: a CSV as Excel saves it on a Belgian
machine (semicolons, Windows-1252, CRLF), a UTF-8 CSV with a BOM and commas, and an XLSX
workbook written with openpyxl. All three hold the same rows, so the same row numbers
(header = row 1) must come out of each.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import speerpunt_map
from speerpunt_map import LegendError, Problem, read_catalogue, read_legend
from speerpunt_map.legend import load_legend

from .conftest import map_entry

# -- the shipped legends ---------------------------------------------------------------------------


def test_shipped_legends_validate_without_errors() -> None:
    problems = speerpunt_map.validate()
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == []
    # The documented exceptions of the source are reported, as warnings.
    assert problems, "the annex's quirks should surface as warnings"
    assert {p.severity for p in problems} == {"warning"}


def test_shipped_catalogue_lists_the_39_annex_maps() -> None:
    catalogue = read_catalogue()
    assert catalogue.problems == []
    assert len(catalogue.maps) == 39
    assert sorted(spec.figure for spec in catalogue.maps.values()) == list(range(13, 52))
    assert sorted(spec.annex for spec in catalogue.maps.values()) == list(range(1, 40))


def test_every_shipped_table_is_read_in_full() -> None:
    """No row of a shipped table is dropped: every row read is a drawn row."""
    catalogue = read_catalogue()
    for spec in catalogue.maps.values():
        legend = read_legend(spec.table, spec=spec)
        assert legend.errors == [], spec.id
        assert len(legend.rows) == legend.rows_read > 0, spec.id


# -- bad tables ------------------------------------------------------------------------------------

# One unknown column ("remarks" for "remark") in the header.
HEADER = ["kind", "number", "name", "place", "link_from", "link_to", "link_type",
          "source_actor", "year", "remarks", "accept"]
# Spreadsheet row number → cells. Row 6 is empty (ignored, but it still counts as a row).
# Row 2's remark holds a line break: a spreadsheet shows it as one row, and so must the reader.
ROWS: dict[int, list[str]] = {
    2: ["point", "1", "Café De Kroon", "Geel", "", "", "", "RESOC Kempen", "2009",
        "eerste regel\ntweede regel", ""],
    3: ["point", "2", "VITO", "Geeel", "", "", "", "RESOC Kempen", "2009", "", ""],
    4: ["point", "3", "Thomas More", "Geel", "", "", "", "RESOC Kempn", "2009", "", ""],
    5: ["point", "1", "Janssen Pharmaceutica", "Beerse", "", "", "", "RESOC Kempen", "2010",
        "", ""],
    7: ["point", "4", "", "Mol", "", "", "", "RESOC Kempen", "2009", "", ""],
    8: ["point", "", "Zonder nummer", "Dessel", "", "", "", "RESOC Kempen", "2009", "", ""],
    9: ["link", "", "Naar de haven", "", "", "Terneuze", "infrastructure", "RESOC Kempen",
        "2009", "", ""],
    10: ["link", "", "Zonder begin", "", "", "Geel", "organisation", "", "", "",
         "no-source"],
    11: ["point", "5", "Oud document", "Mol", "", "", "", "RESOC Kempen", "20O9", "", ""],
    12: ["point", "6", "Heel oud document", "Mol", "", "", "", "RESOC Kempen", "1850", "", ""],
    13: ["punkt", "", "Raar soort", "Mol", "", "", "", "RESOC Kempen", "2009", "", ""],
    14: ["link", "", "Weg", "", "", "Geel", "road", "RESOC Kempen", "2009", "", ""],
    15: ["point", "", "Niet genummerd", "Retie", "", "", "", "RESOC Kempen", "2009", "",
         "unnumbered-point"],
    16: ["point", "7", "Haven van Antwerpen", "haven-antwerpen", "", "", "", "RESOC Kempen",
         "2009", "", ""],
    17: ["point", "7", "Haven van Antwerpen", "haven-antwerpen", "", "", "", "RESOC Kempen",
         "2009", "", "duplicate-row|duplicate-number"],
    18: ["point", "8", "Vreemde code", "Mol", "", "", "", "RESOC Kempen", "2009", "",
         "bogus-code"],
    19: ["point", "9", "Zonder bron", "Mol", "", "", "", "", "2009", "", ""],
}
LAST_ROW = max(ROWS)
# The rows without an error: they are kept, with their warnings.
KEPT_ROWS = [2, 15, 16, 17]

# (row, column, code, severity, found, fragment of expected, fragment of suggestion or "")
CASES = [
    (1, "remarks", "unknown-column", "error", "remarks", "one of the legend columns",
     "did you mean 'remark'"),
    (3, "place", "unknown-place", "error", "Geeel", "a place known to the gazetteer",
     "did you mean 'Geel'"),
    (4, "source_actor", "unknown-actor", "error", "RESOC Kempn", "an actor of actors.csv",
     "did you mean 'RESOC Kempen'"),
    (5, "number", "duplicate-number", "error", "1", "(row 2 has it)", ""),
    (7, "name", "missing-value", "error", "", "the name", ""),
    (8, "number", "missing-number", "error", "", "the number printed on the map", ""),
    (9, "link_to", "unknown-place", "error", "Terneuze", "a place known to the gazetteer",
     "did you mean 'Terneuzen'"),
    (10, "link_from", "unresolvable-link", "error", "", "a start, or a source actor", ""),
    (10, "source_actor", "missing-value", "warning", "", "the actor whose document", ""),
    (10, "year", "missing-value", "warning", "", "the year of the source document", ""),
    (11, "year", "bad-year", "error", "20O9", "a four-digit year", ""),
    (12, "year", "bad-year", "error", "1850", "between 1950 and 2099", ""),
    (13, "kind", "bad-kind", "error", "punkt", "point, zone or link", ""),
    (14, "link_type", "bad-link-type", "error", "road", "infrastructure or organisation", ""),
    (15, "number", "missing-number", "warning", "", "the number printed on the map", ""),
    (17, "number", "duplicate-number", "warning", "7", "(row 16 has it)", ""),
    (17, "name", "duplicate-row", "warning", "Haven van Antwerpen", "(row 16 has the same)",
     "accept 'duplicate-row'"),
    (18, "accept", "unknown-accept", "error", "bogus-code", "one of [", ""),
    (19, "source_actor", "missing-value", "error", "", "the actor whose document", ""),
]


def _grid() -> list[list[str]]:
    """The table as a list of rows, empty rows included, header first."""
    return [HEADER] + [ROWS.get(n, [""] * len(HEADER)) for n in range(2, LAST_ROW + 1)]


def write_excel_belgian_csv(path: Path, grid: list[list[str]]) -> Path:
    """A CSV as Excel saves it with Belgian regional settings: ``;``, Windows-1252, CRLF."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(grid)
    # Excel ends a line break inside a cell with LF, and rows with CRLF.
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def write_utf8_bom_csv(path: Path, grid: list[list[str]]) -> Path:
    """A UTF-8 CSV with a byte-order mark, comma-separated, LF line ends, blank empty rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    for row in grid:
        if any(row):
            writer.writerow(row)
        else:
            buffer.write("\n")
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, grid: list[list[str]]) -> Path:
    """An XLSX workbook; numbers and years are stored as numbers, as a person types them."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value == "":
                continue
            sheet.cell(row=r, column=c, value=int(value) if value.isdigit() else value)
    book.save(path)
    return path


WRITERS = {
    "excel-belgian.csv": write_excel_belgian_csv,
    "utf8-bom.csv": write_utf8_bom_csv,
    "legend.xlsx": write_xlsx,
}


@pytest.fixture(scope="module", params=sorted(WRITERS))
def bad_table(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Problem]]:
    """A bad legend table in one file format, and what validation reports about it."""
    path = WRITERS[request.param](tmp_path_factory.mktemp("bad") / request.param, _grid())
    return path, speerpunt_map.validate([path])


def test_the_excel_belgian_file_is_what_excel_writes(tmp_path: Path) -> None:
    data = write_excel_belgian_csv(tmp_path / "t.csv", _grid()).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"Caf\xe9 De Kroon" in data  # "é" in Windows-1252
    assert b"\r\n" in data and b"kind;number;name" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"row{c[0]}-{c[2]}-{c[1]}")
def test_each_bad_input_is_reported(bad_table: tuple[Path, list[Problem]],
                                    case: tuple) -> None:
    path, problems = bad_table
    row, column, code, severity, found, expected, suggestion = case
    matches = [p for p in problems if (p.row, p.column, p.code) == (row, column, code)]
    assert len(matches) == 1, [str(p) for p in problems]
    problem = matches[0]
    assert Path(problem.file) == path
    assert problem.severity == severity
    assert problem.found == found
    assert expected in problem.expected
    if suggestion:
        assert suggestion in problem.suggestion
    # The printed message carries all of it.
    message = str(problem)
    assert path.name in message
    assert f"row {row}" in message
    assert f"column {column!r}" in message
    assert f"found {found!r}" in message
    assert problem.expected in message
    assert f": {severity}:" in message
    if suggestion:
        assert suggestion in message


def test_nothing_else_is_reported(bad_table: tuple[Path, list[Problem]]) -> None:
    _path, problems = bad_table
    found = sorted((p.row, p.column, p.code, p.severity) for p in problems)
    expected = sorted((row, column, code, severity)
                      for row, column, code, severity, *_ in CASES)
    assert found == expected


def test_valid_rows_are_read_as_typed(bad_table: tuple[Path, list[Problem]]) -> None:
    path, _problems = bad_table
    legend = read_legend(path)
    first = legend.rows[0]
    assert first.row == 2
    assert first.cells["name"] == "Café De Kroon"
    assert first.number == 1
    assert first.years == (2009,)
    assert first.place is not None and first.place.name == "Geel"
    assert {15, 16, 17} <= {row.row for row in legend.rows}
    assert legend.rows_read == len(ROWS)


def test_a_row_with_an_error_is_left_out(tmp_path: Path) -> None:
    """Only rows without errors are kept (and drawn), also when the error is a duplicate.

    Row 5 repeats point number 1 of row 2 without accept code: it is reported as an error,
    so it must not be among the rows to draw.
    """
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", _grid()))
    assert [row.row for row in legend.rows] == KEPT_ROWS


def test_load_legend_raises_a_value_error_listing_every_error(
        bad_table: tuple[Path, list[Problem]]) -> None:
    path, _problems = bad_table
    with pytest.raises(ValueError) as raised:
        load_legend(path)
    assert isinstance(raised.value, LegendError)
    errors = [case for case in CASES if case[3] == "error"]
    assert len(raised.value.errors) == len(errors)
    assert f"{len(errors)} problem(s)" in str(raised.value)


def test_dutch_column_names_and_values_are_accepted(tmp_path: Path) -> None:
    grid = [["soort", "nummer", "naam", "plaats", "naar", "type verbinding", "bron actor",
             "jaar", "opmerking"],
            ["punt", "1", "VITO", "vito-mol", "", "", "RESOC Kempen", "2009", ""],
            ["verbinding", "", "Naar Antwerpen", "", "haven-antwerpen", "infrastructuur",
             "RESOC Kempen", "2009", ""]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "nl.csv", grid))
    assert legend.problems == []
    assert [(r.kind, r.link_type) for r in legend.rows] == [("point", None),
                                                           ("link", "infrastructure")]


def test_a_missing_required_column_is_reported(tmp_path: Path) -> None:
    grid = [["kind", "number", "name", "place", "source_actor"],
            ["point", "1", "VITO", "vito-mol", "RESOC Kempen"]]
    problems = speerpunt_map.validate([write_utf8_bom_csv(tmp_path / "t.csv", grid)])
    missing = [p for p in problems if p.code == "missing-column"]
    assert [(p.row, p.column) for p in missing] == [(1, "year")]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    problems = speerpunt_map.validate([tmp_path / "absent.csv"])
    assert [p.code for p in problems] == ["missing-file"]


# -- catalogues ------------------------------------------------------------------------------------

GOOD_TABLE = [
    ["kind", "number", "name", "place", "link_to", "link_type", "source_actor", "year",
     "accept"],
    ["point", "1", "VITO", "vito-mol", "", "", "RESOC Kempen", "2009", ""],
    ["point", "2", "Haven", "haven-antwerpen", "", "", "RESOC Mechelen", "2008", ""],
    ["point", "3", "Havenplatform", "haven-antwerpen", "", "", "RESOC Mechelen", "2009",
     "actor-not-listed"],
    ["link", "", "Naar Leuven", "", "Leuven", "organisation", "RESOC Kempen", "2009", ""],
]


def _catalogue(folder: Path, sector: str, actors: list[str]) -> Path:
    write_excel_belgian_csv(folder / "table.csv", GOOD_TABLE)
    path = folder / "catalogue.toml"
    path.write_text(map_entry("table.csv", sector=sector, actors=tuple(actors)),
                    encoding="utf-8")
    return path


def test_catalogue_unknown_sector_and_actor_are_reported_with_suggestions(
        tmp_path: Path) -> None:
    path = _catalogue(tmp_path, "logistik", ["RESOC Kempn"])
    problems = speerpunt_map.validate([tmp_path])
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"unknown-sector", "unknown-actor"}
    sector, actor = by_code["unknown-sector"], by_code["unknown-actor"]
    for problem in (sector, actor):
        assert Path(problem.file) == path
        assert "antwerpen/test" in problem.column
        assert problem.severity == "error"
    assert sector.column.endswith("sector") and sector.found == "logistik"
    assert "sectors.csv" in sector.expected
    assert "'Logistiek'" in sector.suggestion or "'logistics'" in sector.suggestion
    assert actor.column.endswith("actors") and actor.found == "RESOC Kempn"
    assert "did you mean 'RESOC Kempen'" in actor.suggestion
    assert "did you mean 'RESOC Kempen'" in str(actor)


def test_a_source_actor_not_among_the_maps_actors_is_an_error_unless_accepted(
        tmp_path: Path) -> None:
    _catalogue(tmp_path, "logistiek", ["RESOC Kempen"])
    problems = speerpunt_map.validate([tmp_path / "catalogue.toml"])
    assert sorted((p.row, p.column, p.code, p.severity) for p in problems) == [
        (3, "source_actor", "actor-not-listed", "error"),
        (4, "source_actor", "actor-not-listed", "warning"),
    ]
    assert "RESOC Kempen" in problems[0].expected


def test_a_link_without_start_may_start_at_the_maps_actor(tmp_path: Path) -> None:
    """With a catalogue entry, a link whose row names no source starts at the map's actor."""
    _catalogue(tmp_path, "logistiek", ["RESOC Kempen", "RESOC Mechelen"])
    catalogue = read_catalogue(tmp_path)
    spec = catalogue.maps["antwerpen/test"]
    legend = read_legend(spec.table, spec=spec)
    assert legend.errors == []
    assert [r.kind for r in legend.rows] == ["point", "point", "point", "link"]


def test_messages_say_what_was_meant(tmp_path: Path) -> None:
    """Close matches for controlled values and for column headers (Dutch and English), and
    the cell of a workbook's problem."""
    grid = [["kind", "number", "name", "place", "link_to", "link_type", "actor", "source_actor",
             "year"],
            ["link", "", "X", "", "haven-antwerpen", "infra", "", "RESOC Kempen", "2009"],
            ["pnt", "2", "Y", "vito-mol", "", "", "", "RESOC Kempen", "2009"]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    by_column = {p.column: p for p in legend.problems}
    assert "did you mean 'infrastructure'?" in by_column["link_type"].suggestion
    assert "did you mean 'point'?" in by_column["kind"].suggestion
    assert "source_actor" in by_column["actor"].suggestion  # the header typed short

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    for values in (["kind", "number", "name", "place", "source_actor", "year"],
                   ["point", "1", "A", "Geeel", "RESOC Kempen", "2009"]):
        sheet.append(values)
    book.save(tmp_path / "t.xlsx")
    problem = next(p for p in read_legend(tmp_path / "t.xlsx").problems if p.column == "place")
    assert problem.cell == "D2" and "cell D2" in str(problem)


@pytest.mark.parametrize(("cell", "character"), [
    ("Ge\u200bel", "U+200B ZERO WIDTH SPACE"), ("\u202eGeel", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Geel\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("Ge\x07el", "U+0007 BELL")])
def test_an_invisible_character_in_a_place_is_an_error_naming_it(
        tmp_path: Path, cell: str, character: str) -> None:
    """'Ge\\u200bel' would otherwise resolve silently to Geel (names are compared without
    such characters) while the file says something else."""
    grid = [["kind", "number", "name", "place", "source_actor", "year"],
            ["point", "1", "VITO", cell, "RESOC Kempen", "2009"]]
    path = tmp_path / "t.csv"
    path.write_text("\r\n".join(";".join(r) for r in grid) + "\r\n", encoding="utf-8-sig")
    legend = read_legend(path)
    [problem] = [p for p in legend.problems if p.code == "invisible-character"]
    assert (problem.row, problem.column) == (2, "place")
    assert character in problem.suggestion
    assert legend.rows == [] and legend.rejected == [2]
