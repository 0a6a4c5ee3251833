"""Read a table (CSV or XLSX) as text, exactly as the user typed it.

Every cell is read as a string: no library guesses types, so ``NA``, ``None``, ``#N/A`` and
``007`` stay as typed. CSV files saved by Excel on a Belgian machine (semicolon separator,
Windows-1252 or UTF-8 with BOM) read correctly; the encoding and separator used are recorded on
the result (:meth:`Table.describe`). Rows are numbered as a spreadsheet shows them: the header is
row 1. What cannot be read faithfully is a :class:`~speerpunt_map.Problem` — a ragged row, an
Excel error cell, a formula without a saved value, merged cells — never a silent guess.

The one change made to a cell: the ``'`` our exports put before text a spreadsheet would run as
a formula is removed again (:func:`restore_formula`), so an export reads back as typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import LegendError, Problem

__all__ = ["FORMULA_START", "Table", "neutralise_formula", "read_table", "restore_formula",
           "xlsx_text"]

log = logging.getLogger(__name__)

_SEPARATORS = (";", ",", "\t")
# Characters a spreadsheet reads as the start of a formula; export prefixes them with "'".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# A legend table is small: refuse what can only be a mistake (or a zip bomb).
MAX_BYTES = 50_000_000
MAX_XLSX_UNCOMPRESSED = 200_000_000
MAX_CELLS = 2_000_000
ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252",
                  "utf-16": "UTF-16"}
SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab"}


@dataclass
class Table:
    """The text cells of a table.

    Attributes
    ----------
    path
        The file read.
    header
        Column names as typed (stripped of surrounding spaces).
    rows
        One dict per non-empty row after the header, column name → cell text. Ragged rows are
        not here: they are in ``problems``.
    row_numbers
        The spreadsheet row number of each entry of ``rows``.
    encoding, separator
        What the CSV reader detected (``None`` for XLSX): a codec name (``utf-8-sig``,
        ``utf-8``, ``cp1252``, ``utf-16``) and ``;``, ``,`` or a tab.
    problems
        Rows and cells that could not be read (ragged rows, error cells, …).
    header_row
        The spreadsheet row of the header (the first non-empty row).
    blank_rows
        Empty rows between the header and the last non-empty row (ignored).
    records
        The cells of each entry of ``rows`` as a list, in header order (nothing lost when two
        columns carry the same name).
    sheet, sheets
        XLSX: the sheet read (the first) and the names of all sheets.
    notes
        The rows after the header whose first cell starts with the ``notes`` prefix given to
        :func:`read_table` (ignored, but counted).
    """

    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    encoding: str | None = None
    separator: str | None = None
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 1
    blank_rows: list[int] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """How the file was read, for the user: ``Windows-1252, separator ';'``."""
        if self.sheet is not None:
            others = [s for s in self.sheets if s != self.sheet]
            text = f"Excel workbook, sheet {self.sheet!r}"
            if others:
                text += " (other sheets not read: " + ", ".join(map(repr, others)) + ")"
            return text
        encoding = ENCODING_NAMES.get(self.encoding or "", self.encoding or "?")
        separator = SEPARATOR_NAMES.get(self.separator or "", repr(self.separator))
        return f"{encoding}, separator {separator}"


def restore_formula(cell: str) -> str:
    """Undo the ``'`` our exports put before a cell that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return after any apostrophes — and only there, so
    ``'s-Hertogenbosch`` stays, and ``''=1`` (text typed as ``'=1``) becomes ``'=1``."""
    if cell[:1] == "'" and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (what exports write).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``; so does one that starts with apostrophes followed by one of those (``'=x`` becomes
    ``''=x``), so that :func:`restore_formula`, which drops one ``'`` before such a start,
    gives back what was typed, and ``'s-Hertogenbosch`` is left alone.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


# Characters XML (and so XLSX) cannot hold, or turns into another (a carriage return becomes a
# line feed); OOXML writes them as _xHHHH_, which Excel reads back as the character.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# An underscore that a reader could take for the start of such an escape is itself escaped.
_OOXML_UNDERSCORE = re.compile(r"_(?=x[0-9A-Fa-f]{4})")


def xlsx_text(text: str) -> str:
    """Text for an XLSX cell: formulas neutralised, control characters as OOXML escapes
    (the reader decodes them again)."""
    text = _OOXML_UNDERSCORE.sub("_x005F_", neutralise_formula(text))
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


# OOXML writes characters XML cannot hold as _xHHHH_ (a carriage return as _x000D_), and a
# literal "_x" as _x005F_x; openpyxl leaves them encoded.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _ooxml_text(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _OOXML_ESCAPE.sub(decode, text) if "_x" in text else text


def _problem(path: Path, found: str, expected: str, code: str, *, row: int | None = None,
             suggestion: str = "") -> LegendError:
    return LegendError([Problem(str(path), row, None, found, expected, suggestion, code=code)])


def read_table(path: str | Path, *, notes: str | None = None) -> Table:
    """Read a CSV or XLSX table as text.

    Parameters
    ----------
    path
        A ``.csv``, ``.txt`` or ``.xlsx`` file. The first non-empty row holds the column names.
        The format is decided by the content, checked against the name: an ``.xlsx`` that is
        really a CSV (or the reverse) is reported, not misread.
    notes
        A prefix (e.g. ``"#"``) that marks a row after the header as a notes row when its first
        cell starts with it: such rows are listed in ``Table.notes``, not in ``rows``.

    Raises
    ------
    LegendError
        When the file cannot be read at all (missing, a folder, unreadable, not decodable,
        empty, of another format).
    """
    path = Path(path)
    if not path.exists():
        raise _problem(path, str(path), "an existing file", "missing-file")
    if path.is_dir():
        raise _problem(path, "a folder", "a table file (CSV or XLSX), not a folder",
                       "not-a-file")
    if not path.is_file():
        raise _problem(path, "a special file", "a regular table file (CSV or XLSX)",
                       "not-a-file")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _problem(path, f"{path.stat().st_size:,} bytes",
                           f"a legend table under {MAX_BYTES // 1_000_000} MB", "too-large")
        data = path.read_bytes()
    except OSError as error:
        raise _problem(path, error.strerror or str(error), "a file the toolkit may read",
                       "unreadable") from None
    suffix = path.suffix.lower()
    content = _content_kind(data)
    if not data.strip():
        raise _problem(path, "an empty file", "a header row with column names", "empty")
    if content == "ole":
        raise _problem(path, "an old Excel (.xls) or other Office 97-2003 file",
                       "a CSV or .xlsx table", "wrong-format",
                       suggestion="open it in Excel and save it as .xlsx or CSV")
    if suffix in (".ods", ".numbers", ".xls"):
        raise _problem(path, f"a {suffix} file", "a CSV or .xlsx table", "wrong-format",
                       suggestion="save it as .xlsx or CSV")
    if content == "zip":
        if suffix in XLSX_SUFFIXES:
            return _read_xlsx(path, data, notes)
        workbook = _is_workbook(data)
        raise _problem(path, "an Excel workbook" if workbook else "a zip archive",
                       "a text (CSV) table, as the name says", "wrong-format",
                       suggestion="rename it to .xlsx" if workbook else "")
    if suffix in XLSX_SUFFIXES:
        raise _problem(path, "a text file with an Excel name", "an Excel workbook (.xlsx)",
                       "wrong-format", suggestion="the file is text: rename it to .csv")
    return _read_csv(path, data, notes)


def _content_kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


# -- CSV ----------------------------------------------------------------------------------------
def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes: a BOM decides; else strict UTF-8; else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(path, data, 3, "utf-8", "UTF-8 (the file starts with a UTF-8 BOM)"), \
            "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, data, 0, "utf-16", "UTF-16 (the file starts with a UTF-16 BOM)"), \
            "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _strict(path, data, 0, "cp1252", "text in UTF-8 or Windows-1252"), "cp1252"


def _strict(path: Path, data: bytes, start: int, codec: str, expected: str) -> str:
    try:
        return data[start:].decode(codec)
    except UnicodeDecodeError as error:
        offset = start + error.start
        line = data[:offset].count(b"\n") + 1
        raise _problem(path, f"byte 0x{data[offset]:02x} at line {line}", expected,
                       "encoding", suggestion="save the file as 'CSV UTF-8' from Excel"
                       ) from None


def _sniff_separator(first_line: str) -> str:
    """The separator that splits the header line into the most fields (``;`` on a tie)."""
    counts = {sep: len(next(csv.reader([first_line], delimiter=sep))) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ","


@dataclass
class _Record:
    number: int
    cells: list[str]
    lines: tuple[int, int] | None = None  # physical lines of a CSV record


def _read_csv(path: Path, data: bytes, notes: str | None) -> Table:
    text, encoding = _decode(path, data)
    if "\x00" in text:
        raise _problem(path, "NUL bytes", "a text table (CSV), not a binary file", "encoding",
                       suggestion="if it is UTF-16 text without a byte-order mark, save it as "
                       "'CSV UTF-8' from Excel")
    # Lines as CSV ends them (str.splitlines would also split on form feeds and U+2028).
    first = next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")
    separator = _sniff_separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: list[_Record] = []
    line = 0
    try:
        for number, cells in enumerate(reader, start=1):
            records.append(_Record(number, [restore_formula(c) for c in cells],
                                   (line + 1, reader.line_num)))
            line = reader.line_num
    except csv.Error as error:
        raise _problem(path, str(error), "a well-formed CSV file", "csv",
                       row=len(records) + 1,
                       suggestion="a quote (\") may be unbalanced") from None
    table = _assemble(path, records, notes, encoding=encoding, separator=separator)
    table.problems += _mojibake(path, table)
    log.debug("read %s as %s", path, table.describe())
    return table


def _mojibake(path: Path, table: Table) -> list[Problem]:
    """Cells that look like UTF-8 decoded as Windows-1252 once too often (``CafÃ©``)."""
    problems = []
    for number, record in zip(table.row_numbers, table.records, strict=True):
        for name, cell in zip(table.header, record, strict=False):
            if cell.isascii():
                continue
            try:
                repaired = cell.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if repaired != cell:
                problems.append(Problem(
                    str(path), number, name, cell, "text in one encoding",
                    f"did you mean {repaired!r}? The file was probably opened in the wrong "
                    "encoding and saved again", severity="warning", code="mojibake"))
    return problems


def _assemble(path: Path, records: list[_Record], notes: str | None, *,
              encoding: str | None = None, separator: str | None = None,
              problems: list[Problem] | None = None,
              sheet: str | None = None, sheets: list[str] | None = None,
              cell_of: dict[tuple[int, int], str] | None = None) -> Table:
    """Build a :class:`Table` from raw records; reject ragged rows by number."""
    problems = list(problems or [])
    filled = [r for r in records if any(cell.strip() for cell in r.cells)]
    if not filled:
        raise _problem(path, "no cells with text", "a header row with column names", "empty",
                       suggestion=_other_sheets_hint(sheet, sheets))
    head = filled[0]
    width = len(head.cells)
    header = [cell.strip().lstrip("\ufeff\u200b") for cell in head.cells]
    # Trailing empty header cells come from selections that went one column too far.
    while header and not header[-1]:
        header.pop()
    last = filled[-1].number
    blank_rows = [r.number for r in records if head.number < r.number < last
                  and not any(cell.strip() for cell in r.cells)]
    rows: list[dict[str, str]] = []
    row_numbers: list[int] = []
    kept: list[list[str]] = []
    notes_rows: list[int] = []
    for record in filled[1:]:
        cells = list(record.cells)
        if notes and cells and cells[0].lstrip().startswith(notes):
            notes_rows.append(record.number)
            continue
        # Empty cells right of the last named column are fine as far as the header row
        # reaches (a selection one column too wide); a row wider than that is ragged.
        while width >= len(cells) > len(header) and not cells[-1].strip():
            cells.pop()
        if len(cells) != len(header):
            problems.append(_ragged(path, record, cells, header, head.number, separator,
                                    cell_of))
            continue
        rows.append(dict(zip(header, cells, strict=True)))
        row_numbers.append(record.number)
        kept.append(cells)
    return Table(path, header, rows, row_numbers, encoding, separator, problems,
                 header_row=head.number, blank_rows=blank_rows, records=kept, sheet=sheet,
                 sheets=list(sheets or []), notes=notes_rows)


def _ragged(path: Path, record: _Record, cells: list[str], header: list[str], header_row: int,
            separator: str | None, cell_of: dict[tuple[int, int], str] | None) -> Problem:
    """A row with more or fewer fields than the header."""
    if cell_of is not None:  # a workbook: values to the right of the last named column
        extra = [i for i in range(len(header), len(cells)) if cells[i].strip()]
        address = cell_of.get((record.number, extra[0]), "") if extra else ""
        return Problem(str(path), record.number, None, _shorten(cells[extra[0]]),
                       f"no value right of the last named column ({header[-1]!r})",
                       "name the column in the header row, or delete the value",
                       code="ragged-row", cell=address)
    found = f"{len(cells)} fields: " + ", ".join(repr(_shorten(c, 20)) for c in cells[:4])
    if len(cells) > 4:
        found += ", …"
    if record.lines and record.lines[1] > record.lines[0]:
        hint = (f"the row runs over lines {record.lines[0]}–{record.lines[1]} of the file: a "
                'quote (") may be unbalanced')
    elif len(cells) > len(header):
        hint = f"a {SEPARATOR_NAMES.get(separator or '', separator)} inside a cell must be " \
               "quoted"
    else:
        hint = "a field is missing (or a quote is unbalanced)"
    return Problem(str(path), record.number, None, found,
                   f"{len(header)} fields, as in the header (row {header_row})", hint,
                   code="ragged-row")


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _other_sheets_hint(sheet: str | None, sheets: list[str] | None) -> str:
    if sheet is None or not sheets or len(sheets) < 2:
        return ""
    return f"the legend must be on the first sheet ({sheet!r})"


# -- XLSX ---------------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    """The text of an Excel cell value as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return restore_formula(_ooxml_text(value))
    return str(value)


def _read_xlsx(path: Path, data: bytes, notes: str | None) -> Table:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _problem(path, f"a damaged zip archive ({error})", "an Excel workbook (.xlsx)",
                       "xlsx") from None
    if "xl/workbook.xml" not in names:
        raise _problem(path, "a zip archive without a workbook", "an Excel workbook (.xlsx)",
                       "xlsx")
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise _problem(path, f"{unpacked:,} bytes unpacked", "a legend table (a few MB at "
                       "most)", "too-large")
    try:
        # openpyxl warns about features it drops on reading (data validation extensions,
        # conditional formats): we read values only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values_book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            formula_book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise _problem(path, f"an unreadable workbook ({type(error).__name__}: "
                       f"{_shorten(str(error), 120)})", "an Excel workbook (.xlsx)",
                       "xlsx", suggestion="open it in Excel and save it again") from None
    if not values_book.worksheets:
        raise _problem(path, "a workbook without worksheets", "a legend on the first sheet",
                       "empty")
    sheet = values_book.worksheets[0]
    formulas = formula_book.worksheets[0]
    sheets = [s.title for s in values_book.worksheets]
    if sheet.max_row * sheet.max_column > MAX_CELLS:
        raise _problem(path, f"{sheet.max_row:,} rows × {sheet.max_column:,} columns",
                       "a legend table", "too-large",
                       suggestion="delete the rows and columns below and right of the table")
    # Problems of single cells, located once the header (and so the column names) is known.
    pending: list[tuple[int, int, str, str, str, str]] = []
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col).value
        if top is None or not str(top).strip():
            continue  # merged empty cells are formatting
        for row in range(merged.min_row, merged.max_row + 1):
            pending.append((row, merged.min_col - 1, merged.coord,
                            f"merged cells {merged.coord}",
                            "one value per cell (unmerge the cells)", "merged-cells"))
    records: list[_Record] = []
    cell_of: dict[tuple[int, int], str] = {}
    for row in sheet.iter_rows():
        cells = []
        for index, cell in enumerate(row):
            value = cell.value
            if getattr(cell, "data_type", None) == "e":
                pending.append((cell.row, index, cell.coordinate, str(value),
                                "a value, not an Excel error (fix the formula or type the "
                                "value)", "error-cell"))
            elif value is None:
                raw = formulas.cell(cell.row, cell.column).value
                if raw is not None and (not isinstance(raw, str) or raw.startswith("=")):
                    pending.append((cell.row, index, cell.coordinate,
                                    str(getattr(raw, "text", raw)),
                                    "a value (the formula has no saved result: open and save "
                                    "the file in Excel)", "formula"))
            cells.append(_cell_text(value))
            cell_of[(cell.row, index)] = cell.coordinate
        records.append(_Record(row[0].row if row else len(records) + 1, cells))
    if not records:
        raise _problem(path, f"an empty first sheet ({sheet.title!r})", "a header row with "
                       "column names", "empty", suggestion=_other_sheets_hint(sheet.title,
                                                                              sheets))
    table = _assemble(path, records, notes, sheet=sheet.title, sheets=sheets, cell_of=cell_of)
    for row, index, address, found, expected, code in pending:
        column = table.header[index] if index < len(table.header) else get_column_letter(
            index + 1)
        table.problems.append(Problem(str(path), row, column or get_column_letter(index + 1),
                                      found, expected, code=code, cell=address))
    table.problems.sort(key=lambda p: (p.row or 0, p.cell))
    log.debug("read %s: %s", path, table.describe())
    return table
