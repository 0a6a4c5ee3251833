"""Files that are not what their name says, or that Excel and other programs write in ways a
plain reader gets wrong (issue 13, "Robustness, second pass", the reading part).

Every file is written in ``tmp_path`` the way the program that makes it writes it: a workbook
with a hidden first sheet (openpyxl, as Excel stores it), an OLE compound file with the
directory names of an old ``.xls`` or of a password-protected workbook, Excel's ``~$`` owner
file (165 bytes, as Microsoft Office writes it), a web page saved as ``.csv``, a zip archive
with ``../`` member names, a CSV with Excel's ``sep=;`` line. The locale test runs the command
line in a child process under ``LC_ALL=C``.
"""

from __future__ import annotations

import csv
import io
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from speerpunt_map import LegendError, read_legend
from speerpunt_map._characters import (
    character_name,
    control_pictures,
    invisible_character_problems,
    invisible_characters,
)
from speerpunt_map._file_kinds import ole_stream_names
from speerpunt_map._tables import read_table, xlsx_text
from speerpunt_map.cli import main

from .conftest import subprocess_env
from .test_validate import write_excel_belgian_csv, write_utf8_bom_csv, write_xlsx

HEADER = ["kind", "number", "name", "place", "source_actor", "year", "remark"]


def point(number: str, name: str, place: str = "Geel", remark: str = "") -> list[str]:
    return ["point", number, name, place, "RESOC Kempen", "2009", remark]


def only_problem(path: Path) -> str:
    """The one problem of a file that cannot be read, as the user sees it."""
    legend = read_legend(path)
    assert legend.rows == [] and legend.rows_read == 0
    [problem] = legend.problems
    assert problem.severity == "error" and problem.file == str(path)
    return f"{problem.code}: {problem}"


def _cli(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "speerpunt_map.cli", *args],
                          capture_output=True, text=True, errors="replace", env=env,
                          timeout=300, check=False, cwd=cwd)


# -- point 5: hidden sheets ------------------------------------------------------------------------


def _workbook_with_hidden_first_sheet(path: Path, state: str = "hidden") -> Path:
    """An old legend on a hidden first sheet, the current one on the second (as a user leaves
    a workbook after hiding last year's version)."""
    book = openpyxl.Workbook()
    old = book.active
    old.title = "oud"
    old.append(HEADER)
    old.append(point("1", "Oude campus", "Mol"))
    old.sheet_state = state
    current = book.create_sheet("legende")
    current.append(HEADER)
    current.append(point("1", "VITO", "vito-mol"))
    current.append(point("2", "Thomas More", "Geel"))
    book.create_sheet("lijsten").append(["point", "zone", "link"])
    book.active = 1
    book.save(path)
    return path


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_skipped_and_named(tmp_path: Path, state: str) -> None:
    path = _workbook_with_hidden_first_sheet(tmp_path / "t.xlsx", state)
    legend = read_legend(path)
    assert legend.problems == []
    assert [row.cells["name"] for row in legend.rows] == ["VITO", "Thomas More"]
    assert legend.read_as == ("Excel workbook, sheet 'legende', the first visible one (hidden "
                              "sheet(s) not read: 'oud'; other sheets not read: 'lijsten')")


def test_a_sheet_asked_for_by_name_is_read_even_when_hidden(tmp_path: Path) -> None:
    path = _workbook_with_hidden_first_sheet(tmp_path / "t.xlsx")
    table = read_table(path, sheet="oud")
    assert [row["name"] for row in table.rows] == ["Oude campus"]
    assert table.describe() == ("Excel workbook, sheet 'oud', a hidden one, as asked (other "
                                "sheets not read: 'legende', 'lijsten')")
    assert read_table(path, sheet="lijsten").describe().startswith(
        "Excel workbook, sheet 'lijsten', as asked")


def test_a_sheet_name_that_is_not_there_names_the_sheets(tmp_path: Path) -> None:
    path = _workbook_with_hidden_first_sheet(tmp_path / "t.xlsx")
    with pytest.raises(LegendError) as raised:
        read_table(path, sheet="legend")
    [problem] = raised.value.problems
    assert problem.code == "missing-sheet"
    assert "'oud', 'legende', 'lijsten'" in problem.expected
    assert "did you mean 'legende'?" in problem.suggestion


def test_an_empty_first_visible_sheet_says_where_the_legend_must_be(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "oud"
    book.active.append(HEADER)
    book.active.sheet_state = "hidden"
    book.create_sheet("leeg")
    legende = book.create_sheet("legende")
    legende.append(HEADER)
    book.active = 1
    book.save(tmp_path / "t.xlsx")
    message = only_problem(tmp_path / "t.xlsx")
    assert message.startswith("empty: ")
    assert "the legend must be on the first visible sheet ('leeg')" in message


def test_validate_names_the_sheet_it_read(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook_with_hidden_first_sheet(tmp_path / "t.xlsx")
    assert main(["validate", str(path)]) == 0
    assert "read as Excel workbook, sheet 'legende', the first visible one (hidden sheet(s) " \
           "not read: 'oud'" in capsys.readouterr().err


# -- point 8: a C locale, a 1 MB header line -------------------------------------------------------


def _c_locale() -> dict[str, str]:
    env = subprocess_env(LC_ALL="C", PYTHONUTF8="0")
    env.pop("PYTHONIOENCODING", None)
    return env


def test_a_name_with_an_accent_under_the_c_locale(tmp_path: Path) -> None:
    """``LC_ALL=C`` without UTF-8 mode: Python names files in ASCII."""
    write_excel_belgian_csv(tmp_path / "kaart ë.csv",
                            [HEADER, point("1", "Café Zoë"), point("2", "Hoeve", "Zoëland")])
    result = _cli("validate", "kaart ë.csv", cwd=tmp_path, env=_c_locale())
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "codec can't" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("kaart ") and ", row 3, column 'place': error: found 'Zo"
               in line for line in lines), lines
    assert any("read as Windows-1252, separator ';'; 2 row(s): 1 valid, 1 with errors" in line
               for line in lines), lines
    # The same file named by a program (a notebook, a catalogue) as text with a real 'ë'.
    code = ("from speerpunt_map import read_legend\n"
            "legend = read_legend('kaart \\u00eb.csv')\n"
            "print(ascii([legend.read_as, [p.code for p in legend.problems]]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_c_locale(), timeout=300, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[\"Windows-1252, separator ';'\", ['unknown-place']]"


def test_a_one_megabyte_header_line(tmp_path: Path) -> None:
    """A header cell of 1 MB (a text pasted into the header row) is read, and reported as the
    unknown column it is, shortened."""
    path = tmp_path / "breed.csv"
    path.write_bytes((";".join([*HEADER, "x" * 1_000_000]) + "\r\n"
                      + ";".join([*point("1", "VITO", "vito-mol"), ""]) + "\r\n"
                      ).encode("cp1252"))
    result = _cli("validate", "breed.csv", cwd=tmp_path, env=_c_locale())
    assert result.returncode == 1
    assert "field larger" not in result.stderr and "Traceback" not in result.stderr
    assert "breed.csv, row 1, column 'xxxx" in result.stderr
    assert "(1,000,000 characters); expected one of the legend columns" in result.stderr
    assert len(result.stderr) < 5000


# -- point 9: long cells ---------------------------------------------------------------------------


def test_a_remark_longer_than_the_csv_modules_limit_is_read_in_full(tmp_path: Path) -> None:
    remark = ("Een lange opmerking; met \"aanhalingstekens\" en\nregels. " * 4000)[:200_000]
    path = write_excel_belgian_csv(tmp_path / "t.csv", [
        HEADER, point("1", "VITO", "vito-mol", remark=remark), point("2", "Thomas More")])
    legend = read_legend(path)
    assert [row.cells["remark"] for row in legend.rows] == [remark, ""]
    # Excel keeps 32,767 characters of a cell: a warning, the text is kept.
    [warning] = legend.problems
    assert (warning.row, warning.column, warning.code, warning.severity) == \
        (2, "remark", "long-cell", "warning")
    assert warning.found == "200,000 characters" and "32,767" in warning.expected
    assert "csv" not in {p.code for p in legend.problems}


# -- point 9: what a file really is ----------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Toegang geweigerd</title></head>
<body><h1>U moet aangemeld zijn</h1>
<table><tr><td>kind</td><td>name</td></tr><tr><td>point</td><td>VITO</td></tr></table>
</body></html>
"""


@pytest.mark.parametrize("name", ["legende.csv", "legende.xlsx", "legende.xls"])
def test_a_web_page_saved_as_a_table(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(_PAGE.encode("utf-8"))
    message = only_problem(tmp_path / name)
    assert message.startswith("wrong-format: ")
    assert "found \"a web page (HTML) titled 'Toegang geweigerd', not a table\"" in message
    assert "download the table itself" in message
    assert "rename it" not in message


def test_an_excel_2003_xml_spreadsheet(tmp_path: Path) -> None:
    (tmp_path / "t.xls").write_bytes(
        b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook '
        b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1"/>'
        b"</Workbook>\r\n")
    assert "an Excel 2003 XML spreadsheet" in only_problem(tmp_path / "t.xls")


def test_a_pdf_saved_as_csv(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    message = only_problem(tmp_path / "t.csv")
    assert "found 'a PDF document'" in message and "template" in message


def ole_file(streams: list[str], storages: tuple[str, ...] = ()) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors), as every Office 97-2003
    file and every password-protected OOXML file is: the header, one allocation (FAT) sector
    and one directory sector with the root entry, ``storages`` and ``streams`` (empty).
    libmagic's ``file`` calls the two kinds written below "CDFV2 Encrypted" and "CDFV2
    Microsoft Excel"."""
    entries = [("Root Entry", 5)] + [(s, 1) for s in storages] + [(s, 2) for s in streams]
    assert len(entries) <= 4  # one directory sector
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    # minor and major version, byte order, sector shift (512), mini sector shift (64)
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, 1, 1, 0)  # FAT sectors, first directory sector
    struct.pack_into("<IIIII", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 76, 0, *[0xFFFFFFFF] * 108)  # the FAT is sector 0
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    directory = bytearray()
    for index, (name, kind) in enumerate(entries):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[:len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
        child = 1 if index == 0 and len(entries) > 1 else 0xFFFFFFFF
        right = index + 1 if 0 < index < len(entries) - 1 else 0xFFFFFFFF
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", entry, 116, 0xFFFFFFFE, 0)
        directory += entry
    while len(directory) < 512:  # unused entries
        directory += bytes(64) + struct.pack("<HBB", 0, 0, 0) + b"\xff" * 12 + bytes(48)
    return bytes(header) + fat + bytes(directory)


ENCRYPTED = (["EncryptionInfo", "EncryptedPackage"], ("\x06DataSpaces",))


def test_the_ole_directory_names_are_read() -> None:
    assert ole_stream_names(ole_file(*ENCRYPTED)) == [
        "Root Entry", "\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"]
    assert ole_stream_names(ole_file(["Workbook"])) == ["Root Entry", "Workbook"]
    assert ole_stream_names(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000)) == []


@pytest.mark.parametrize(("name", "data", "code", "fragment"), [
    ("legende.xlsx", ole_file(*ENCRYPTED), "encrypted",
     "found 'a password-protected (encrypted) Office file'; expected a workbook without a "
     "password (open it in Excel with its password, remove the password"),
    ("legende.xls", ole_file(*ENCRYPTED), "encrypted", "remove the password"),
    ("legende.xls", ole_file(["Workbook", "\x05SummaryInformation"]), "wrong-format",
     "found 'an old Excel workbook (.xls, Excel 97-2003)'; expected a CSV or .xlsx table (open "
     "it in Excel and save it as .xlsx or CSV)"),
    ("legende.xlsx", ole_file(["Book"]), "wrong-format", "an old Excel workbook (.xls"),
    ("legende.csv", ole_file(["WordDocument", "1Table"]), "wrong-format",
     "a Word document (.doc)"),
])
def test_an_encrypted_workbook_is_told_from_an_old_xls(tmp_path: Path, name: str, data: bytes,
                                                       code: str, fragment: str) -> None:
    (tmp_path / name).write_bytes(data)
    message = only_problem(tmp_path / name)
    assert message.startswith(f"{code}: ") and fragment in message


def office_owner_file(user: str) -> bytes:
    """Excel's owner file ``~$<name>``: the user name's length and the name in the Windows code
    page, spaces up to byte 55, the length again (two bytes) and the name in UTF-16, then
    spaces (as UTF-16) up to 165 bytes."""
    data = bytes([len(user)]) + user.encode("cp1252")
    data += b" " * (55 - len(data)) + struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return (data + b" \0" * 60)[:165]


def test_an_excel_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "~$legende.xlsx"
    path.write_bytes(office_owner_file("Piet Peeters"))
    message = only_problem(path)
    assert message.startswith("lock-file: ")
    assert "a lock file: Excel keeps it while 'Piet Peeters' has 'legende.xlsx' open" in message
    assert "read 'legende.xlsx' (in the same folder) instead" in message


def test_a_libreoffice_lock_file(tmp_path: Path) -> None:
    path = tmp_path / ".~lock.legende.csv#"
    path.write_bytes(b"Piet Peeters,piet,pc-piet,10.05.2024 09:12,file:///home/piet/.config/"
                     b"libreoffice/4;")
    assert "LibreOffice keeps it while 'Piet Peeters' has 'legende.csv' open" in \
        only_problem(path)


@pytest.mark.parametrize("member", ["../../.bashrc", "/etc/cron.d/legend", "xl/../../evil.sh",
                                    "C:\\Windows\\evil.dll"])
def test_a_zip_with_member_names_outside_it_is_no_workbook(tmp_path: Path, member: str) -> None:
    path = write_xlsx(tmp_path / "legende.xlsx", [HEADER, point("1", "VITO", "vito-mol")])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(member, "echo gotcha\n")
    message = only_problem(path)
    assert message.startswith("unsafe-archive: ")
    assert f"member names outside it ({member!r}" in message.replace("\\\\", "\\")
    assert "do not unpack it" in message


# -- point 9: Excel's sep= line --------------------------------------------------------------------


def _lines(path: Path, lines: list[str], encoding: str = "cp1252") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_a_sep_line_states_the_separator(tmp_path: Path) -> None:
    path = _lines(tmp_path / "t.csv", [
        "sep=;", ";".join(HEADER), ";".join(point("1", "Café, Zoë", "Geel")),
        ";".join(point("2", "Te veel", "Mol")) + ";x"])
    legend = read_legend(path)
    assert legend.read_as == "Windows-1252, separator ';' (as its first line 'sep=;' says)"
    assert [(row.row, row.cells["name"]) for row in legend.rows] == [(2, "Café, Zoë")]
    # Rows are numbered as Excel shows them: Excel does not show the sep= line.
    [problem] = legend.problems
    assert (problem.row, problem.code) == (3, "ragged-row")


def test_a_sep_line_overrides_what_the_header_suggests(tmp_path: Path) -> None:
    path = _lines(tmp_path / "t.csv", [
        "sep=|", "|".join(HEADER), "|".join(point("1", "VITO; Mol", "vito-mol")),
        '|'.join(point("2", "Thomas More, Geel", "Geel", remark='zegt "ja"'))], "utf-8")
    legend = read_legend(path)
    assert legend.problems == []
    assert legend.read_as == "UTF-8, separator '|' (as its first line 'sep=|' says)"
    assert [row.cells["name"] for row in legend.rows] == ["VITO; Mol", "Thomas More, Geel"]


def test_a_sep_line_padded_by_a_spreadsheet_and_a_wrong_one(tmp_path: Path) -> None:
    padded = _lines(tmp_path / "a.csv", ['"sep=;";;;;;;', ";".join(HEADER),
                                         ";".join(point("1", "VITO", "vito-mol"))])
    assert read_legend(padded).problems == []
    wrong = _lines(tmp_path / "b.csv", ["sep=;,", ";".join(HEADER)])
    message = only_problem(wrong)
    assert message.startswith("csv: ") and "row 1" in message and "'sep=;,'" in message


# -- point 9: a value in a column without a name ---------------------------------------------------


def test_a_value_in_an_unnamed_column_names_its_letter_and_row(tmp_path: Path) -> None:
    # The header row was selected two columns too wide; row 3 holds a value in column I.
    path = write_excel_belgian_csv(tmp_path / "t.csv", [
        HEADER + ["", ""], point("1", "VITO", "vito-mol") + ["", ""],
        point("2", "Thomas More") + ["", "vergeten"]])
    legend = read_legend(path)
    [problem] = legend.problems
    assert (problem.row, problem.cell, problem.found, problem.code) == \
        (3, "I3", "vergeten", "ragged-row")
    assert "no value in column I" in problem.expected and "'remark'" in problem.expected
    assert problem.suggestion == "name column I in the header row, or delete the value"
    assert [row.row for row in legend.rows] == [2] and legend.rejected == [3]


# -- point 9: an undecodable byte ------------------------------------------------------------------


def test_an_undecodable_byte_names_its_row_and_column(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([
        HEADER, point("1", "VITO", "vito-mol", remark="regel 1\nregel 2"),
        point("2", "Caf@", "Geel"), point("3", "Hoeve", "Mol", remark="oud @ en @")])
    # A UTF-8 file (with its BOM) into which Windows-1252 text was pasted: 'é' as byte 0xe9.
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8").replace(b"@", b"\xe9"))
    legend = read_legend(path)
    assert legend.rows == []
    found = [(p.row, p.column, p.cell, p.found) for p in legend.problems]
    assert found == [(3, "name", "C3", "byte 0xe9 at line 4"),
                     (4, "remark", "G4", "byte 0xe9 at line 5 (and 1 more in the cell)")]
    assert all(p.code == "encoding" for p in legend.problems)
    assert "the cell reads 'Caf\ufffd'" in legend.problems[0].suggestion
    assert "UTF-8 (the file starts with a UTF-8 BOM)" in legend.problems[0].expected


def test_many_undecodable_cells_are_listed_up_to_twenty_and_counted(tmp_path: Path) -> None:
    """A Windows-1252 file given a UTF-8 byte-order mark: every accent is a bad byte."""
    rows = [";".join(point(str(n), f"Caf@ {n}")) for n in range(1, 31)]
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([";".join(HEADER), *rows]).encode()
                     .replace(b"@", b"\xe9"))
    problems = read_legend(path).problems
    assert [p.row for p in problems] == [*range(2, 22), None]
    assert problems[-1].found == "10 more cell(s) with such bytes"
    assert "the file mixes encodings" in problems[0].suggestion


def test_a_byte_no_encoding_knows_names_its_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    lines = [";".join(HEADER), ";".join(point("1", "VITO", "vito-mol", remark="x@y"))]
    path.write_bytes("\r\n".join(lines).encode("cp1252").replace(b"@", b"\x81") + b"\r\n")
    [problem] = read_legend(path).problems
    assert (problem.row, problem.column, problem.found) == (2, "remark", "byte 0x81 at line 2")
    assert problem.expected == "text in UTF-8 or Windows-1252"


# -- point 2: invisible characters -----------------------------------------------------------------


@pytest.mark.parametrize(("char", "name"), [
    ("\u200b", "U+200B ZERO WIDTH SPACE"), ("\u200c", "U+200C ZERO WIDTH NON-JOINER"),
    ("\u200d", "U+200D ZERO WIDTH JOINER"), ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK"), ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING"), ("\u202c", "U+202C POP DIRECTIONAL FORMATTING"),
    ("\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE"), ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("\u2068", "U+2068 FIRST STRONG ISOLATE"), ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"), ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\u2060", "U+2060 WORD JOINER"), ("\x07", "U+0007 BELL"), ("\x1b", "U+001B ESCAPE"),
    ("\x7f", "U+007F DELETE"), ("\x85", "U+0085 control character"),
])
def test_each_invisible_character_is_named_by_its_code_point(char: str, name: str) -> None:
    assert character_name(char) == name
    assert invisible_characters(f"Ge{char}el{char}") == [name]


@pytest.mark.parametrize("text", ["Geel", "Sint-Niklaas", "regel 1\nregel 2\r\n", "a\tb",
                                  "Braine-l\u2019Alleud", "Ĳzer – Ørsted 東京", "\u00a0Mol"])
def test_visible_text_has_no_invisible_characters(text: str) -> None:
    assert invisible_characters(text) == []


@pytest.mark.parametrize("writer", [write_utf8_bom_csv, write_xlsx])
def test_invisible_characters_in_identifying_cells_are_errors(tmp_path: Path,
                                                               writer: object) -> None:
    """Read from a real file, checked as rows.py checks a row (the identifying cells only)."""
    header = ["kind", "number", "name", "place", "link_from", "link_to", "source_actor",
              "year", "remark"]
    grid = [header,
            ["point\ufeff", "1\u200d", "\u202eOTIV", "Ge\u200bel", "", "", "RESOC Kempen",
             "2009", "vrije tekst\u200b met \x07"],
            ["link", "", "Naar Leuven", "", "Ge\u2066el\u2069", "Leu\u200fven",
             "RESOC\x1b Kempen", "2009", ""],
            ["point", "2", "VITO", "vito-mol", "", "", "RESOC Kempen", "2009", "\u202e"]]
    if writer is write_xlsx:  # Excel stores control characters as _xHHHH_ escapes
        path = write_xlsx(tmp_path / "t.xlsx", [[xlsx_text(c) for c in row] for row in grid])
    else:
        path = write_utf8_bom_csv(tmp_path / "t.csv", grid)
    table = read_table(path)
    found = [(p.row, p.column, p.suggestion.split(", which")[0], p.code)
             for number, row in zip(table.row_numbers, table.rows, strict=True)
             for p in invisible_character_problems(str(path), number, row)]
    assert found == [
        (2, "kind", "the cell holds U+FEFF ZERO WIDTH NO-BREAK SPACE", "invisible-character"),
        (2, "number", "the cell holds U+200D ZERO WIDTH JOINER", "invisible-character"),
        (2, "name", "the cell holds U+202E RIGHT-TO-LEFT OVERRIDE", "invisible-character"),
        (2, "place", "the cell holds U+200B ZERO WIDTH SPACE", "invisible-character"),
        (3, "link_from", "the cell holds U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL "
         "ISOLATE", "invisible-character"),
        (3, "link_to", "the cell holds U+200F RIGHT-TO-LEFT MARK", "invisible-character"),
        (3, "source_actor", "the cell holds U+001B ESCAPE", "invisible-character"),
    ]
    # Free text keeps what was typed, control characters included.
    assert table.rows[0]["remark"] == "vrije tekst\u200b met \x07"
    assert table.rows[2]["remark"] == "\u202e"


def test_an_invisible_character_in_a_dutch_workbook_is_named_as_typed(tmp_path: Path) -> None:
    grid = [["soort", "nummer", "naam", "plaats", "bron_actor", "jaar", "opmerking"],
            ["punt", "1", "\u202eOTIV", "vito-mol", "RESOC Kempen", "2009", "tekst\u200b"],
            ["punt", "2", "Thomas More", "Geel", "RESOC Kempen", "2009", ""]]
    legend = read_legend(write_xlsx(tmp_path / "t.xlsx", grid))
    [problem] = legend.problems
    assert str(problem).startswith(f"{tmp_path / 't.xlsx'}, row 2, column 'naam'")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in str(problem)
    assert [row.row for row in legend.rows] == [3] and legend.rejected == [2]


def test_control_characters_in_free_text_are_kept_and_can_be_shown() -> None:
    assert control_pictures("bel\x07 esc\x1b del\x7f\ttab\nregel") == \
        "bel\u2407 esc\u241b del\u2421\ttab\nregel"


def test_the_field_limit_of_the_csv_module_is_left_as_it_was(tmp_path: Path) -> None:
    before = csv.field_size_limit()
    path = tmp_path / "t.csv"
    path.write_bytes(b'kind;name\r\npoint;"' + b"x" * 200_000 + b'"\r\n')
    assert len(read_table(path).rows[0]["name"]) == 200_000
    assert csv.field_size_limit() == before

