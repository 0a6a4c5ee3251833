"""Read a table (CSV or XLSX) as text, exactly as the user typed it.

Every cell is read as a string: no library guesses types, so ``NA``, ``#N/A`` and ``007`` stay
as typed. CSV files saved by Excel on a Belgian machine (semicolon separator, Windows-1252 or
UTF-8 with BOM) read correctly; the encoding and separator used are recorded on the result.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import LegendError, Problem

__all__ = ["Table", "read_table"]

_SEPARATORS = (";", ",", "\t")
# Characters a spreadsheet reads as the start of a formula; export prefixes them with "'".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        One dict per non-empty row, column name → cell text.
    row_numbers
        The spreadsheet row number of each entry of ``rows``.
    encoding, separator
        What the CSV reader detected (``None`` for XLSX).
    problems
        Rows and cells that could not be read (ragged rows, error cells, …).
    """

    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    encoding: str | None = None
    separator: str | None = None
    problems: list[Problem] = field(default_factory=list)


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX table as text.

    Parameters
    ----------
    path
        A ``.csv``, ``.txt`` or ``.xlsx`` file. The first row holds the column names.

    Raises
    ------
    LegendError
        When the file cannot be read at all (missing, not decodable, no header).
    """
    path = Path(path)
    if not path.is_file():
        raise LegendError([Problem(str(path), None, None, str(path), "an existing file",
                                   code="missing-file")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes: a BOM decides; else strict UTF-8; else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LegendError([Problem(
            str(path), line, None, f"byte 0x{data[error.start]:02x}",
            "text in UTF-8 or Windows-1252 (save the file as CSV UTF-8 from Excel)",
            code="encoding")]) from None


def _sniff_separator(first_line: str) -> str:
    """The separator that splits the header line into the most fields."""
    counts = {sep: len(next(csv.reader([first_line], delimiter=sep))) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ","


def _read_csv(path: Path) -> Table:
    try:
        text, encoding = _decode(path, path.read_bytes())
    except UnicodeDecodeError as error:
        raise LegendError([Problem(str(path), None, None, str(error.reason),
                                   "text in UTF-8 or Windows-1252", code="encoding")]) from None
    if "\x00" in text:
        raise LegendError([Problem(str(path), None, None, "a NUL byte",
                                   "a text table (CSV), not a binary file", code="encoding")])
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    separator = _sniff_separator(first)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise LegendError([Problem(str(path), None, None, str(error),
                                   "a well-formed CSV file", code="csv")]) from None
    return _from_records(path, records, encoding=encoding, separator=separator)


def _from_records(path: Path, records: list[list[str]], *, encoding: str | None,
                  separator: str | None, start_row: int = 1,
                  problems: list[Problem] | None = None) -> Table:
    """Build a :class:`Table` from raw records; reject ragged rows by number."""
    problems = list(problems or [])
    numbered = [(start_row + i, rec) for i, rec in enumerate(records)]
    numbered = [(n, rec) for n, rec in numbered if any(cell.strip() for cell in rec)]
    if not numbered:
        raise LegendError([Problem(str(path), None, None, "an empty file",
                                   "a header row with column names", code="empty")])
    header_row, header = numbered[0]
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    # Trailing empty header cells come from Excel selections that went one column too far.
    while header and not header[-1]:
        header.pop()
    rows: list[dict[str, str]] = []
    row_numbers: list[int] = []
    for number, record in numbered[1:]:
        cells = list(record)
        while len(cells) > len(header) and not cells[-1].strip():
            cells.pop()
        if len(cells) != len(header):
            problems.append(Problem(
                str(path), number, None, f"{len(cells)} fields",
                f"{len(header)} fields, as in the header (row {header_row})",
                "a separator or quote inside a cell may be unbalanced", code="ragged-row"))
            continue
        rows.append(dict(zip(header, cells, strict=True)))
        row_numbers.append(number)
    return Table(path, header, rows, row_numbers, encoding, separator, problems)


def _cell_text(value: object) -> str:
    """The text of an Excel cell value as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values_book = openpyxl.load_workbook(path, data_only=True, read_only=False)
        formula_book = openpyxl.load_workbook(path, data_only=False, read_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise LegendError([Problem(str(path), None, None, type(error).__name__,
                                   "an Excel workbook (.xlsx)", code="xlsx")]) from None
    sheet = values_book.worksheets[0]
    formulas = formula_book.worksheets[0]
    problems: list[Problem] = []
    for merged in sheet.merged_cells.ranges:
        problems.append(Problem(str(path), merged.min_row, None, f"merged cells {merged.coord}",
                                "one value per cell (unmerge the cells)", code="merged-cells"))
    records: list[list[str]] = []
    for row in sheet.iter_rows():
        record = []
        for cell in row:
            value = cell.value
            raw = formulas[cell.coordinate].value
            if isinstance(raw, str) and raw.startswith("=") and value is None:
                problems.append(Problem(str(path), cell.row, None, f"{cell.coordinate}: {raw}",
                                        "a value (the formula has no saved result: open and "
                                        "save the file in Excel)", code="formula"))
            if isinstance(value, str) and value.startswith("#") and value.endswith(("!", "?", "A")) \
                    and cell.data_type == "e":
                problems.append(Problem(str(path), cell.row, None, f"{cell.coordinate}: {value}",
                                        "a value, not an Excel error", code="error-cell"))
                value = ""
            record.append(_cell_text(value))
        records.append(record)
    return _from_records(path, records, encoding=None, separator=None, problems=problems)
