"""Read a table (CSV or XLSX) as text, exactly as the user typed it.

Every cell is read as a string: no library guesses types, so ``NA``, ``None``, ``#N/A`` and
``007`` stay as typed. CSV files saved by Excel on a Belgian machine (semicolon separator,
Windows-1252 or UTF-8 with BOM) read correctly; the encoding and separator used are recorded on
the result (:meth:`Table.describe`). Rows are numbered as a spreadsheet shows them: the header is
row 1. What cannot be read faithfully is a :class:`~speerpunt_map.Problem` — a ragged row, a
value in a column without a name, an Excel error cell, a formula without a saved value, merged
cells — never a silent guess. A file that is no table (an old ``.xls``, a password-protected
workbook, a web page, a lock file, …) is one problem that says what it is.

The pieces: :mod:`~speerpunt_map._delimited` reads CSV, :mod:`~speerpunt_map._workbook` reads
XLSX, :mod:`~speerpunt_map._file_kinds` tells what a file really is, and
:mod:`~speerpunt_map._cells` holds the formula guard (the one change made to a cell: the ``'``
our exports put before text a spreadsheet would run as a formula is removed again).
"""

from __future__ import annotations

import logging
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ._cells import FORMULA_START, neutralise_formula, restore_formula, xlsx_text
from ._delimited import cell_warnings, read_delimited
from ._errors import Problem
from ._file_kinds import content_kind, disguise_problem, is_workbook, os_path
from ._records import Record, column_letter, file_problem, shorten
from ._workbook import read_workbook, sheet_hint

__all__ = ["FORMULA_START", "Table", "neutralise_formula", "read_table", "restore_formula",
           "xlsx_text"]

log = logging.getLogger(__name__)

XLSX_SUFFIXES = (".xlsx", ".xlsm")
# A legend table is a few hundred rows (the largest shipped one is under 20 kB): a larger file
# is the wrong file, and a workbook that unpacks to more is a zip bomb. Cells have no limit of
# their own: a cell may be as long as the file.
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
        ``utf-8``, ``cp1252``, ``utf-16``) and ``;``, ``,``, a tab, or the character a first
        line ``sep=…`` states.
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
        XLSX: the sheet read and the names of all sheets.
    notes
        The rows after the header whose first cell starts with the ``notes`` prefix given to
        :func:`read_table` (ignored, but counted).
    separator_stated
        CSV: the separator was stated by the file's first line (``sep=;``).
    hidden_sheets
        XLSX: the sheets hidden in Excel.
    sheet_choice
        XLSX: ``"first"``, ``"first visible"`` (hidden sheets came before it) or ``"named"``.
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
    separator_stated: bool = False
    hidden_sheets: list[str] = field(default_factory=list)
    sheet_choice: str = ""

    def describe(self) -> str:
        """How the file was read, for the user: ``Windows-1252, separator ';'``, or
        ``Excel workbook, sheet 'legend' (other sheets not read: 'lists')``."""
        if self.sheet is not None:
            return self._describe_sheet()
        encoding = ENCODING_NAMES.get(self.encoding or "", self.encoding or "?")
        separator = SEPARATOR_NAMES.get(self.separator or "", repr(self.separator))
        text = f"{encoding}, separator {separator}"
        if self.separator_stated:
            text += f" (as its first line {'sep=' + (self.separator or '')!r} says)"
        return text

    def _describe_sheet(self) -> str:
        text = f"Excel workbook, sheet {self.sheet!r}"
        skipped: list[str] = []
        if self.sheet_choice == "first visible":
            text += ", the first visible one"
            skipped = self.sheets[:self.sheets.index(self.sheet or "")]
        elif self.sheet_choice == "named":
            text += ", a hidden one" if self.sheet in self.hidden_sheets else ""
            text += ", as asked"
        others = [s for s in self.sheets if s != self.sheet and s not in skipped]
        notes = []
        if skipped:
            notes.append("hidden sheet(s) not read: " + ", ".join(map(repr, skipped)))
        if others:
            notes.append("other sheets not read: " + ", ".join(map(repr, others)))
        return text + (" (" + "; ".join(notes) + ")" if notes else "")


def read_table(path: str | Path, *, notes: str | None = None,
               sheet: str | None = None) -> Table:
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
    sheet
        XLSX: the sheet to read; by default the first visible one.

    Raises
    ------
    LegendError
        When the file cannot be read at all (missing, a folder, unreadable, not decodable,
        empty, of another format).
    """
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise file_problem(path, "an empty file", "a header row with column names", "empty")
    disguised = disguise_problem(path, data)
    if disguised is not None:
        raise disguised
    suffix = path.suffix.lower()
    if suffix in (".ods", ".numbers", ".xls"):
        raise file_problem(path, f"a {suffix} file", "a CSV or .xlsx table", "wrong-format",
                           suggestion="save it as .xlsx or CSV")
    if content_kind(data) == "zip":
        if suffix in XLSX_SUFFIXES:
            return _from_workbook(path, data, notes, sheet)
        workbook = is_workbook(data)
        raise file_problem(path, "an Excel workbook" if workbook else "a zip archive",
                           "a text (CSV) table, as the name says", "wrong-format",
                           suggestion="rename it to .xlsx" if workbook else "")
    if suffix in XLSX_SUFFIXES:
        raise file_problem(path, "a text file with an Excel name",
                           "an Excel workbook (.xlsx)", "wrong-format",
                           suggestion="the file is text: rename it to .csv")
    return _from_delimited(path, data, notes)


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES`, or a problem naming it."""
    system = os_path(path)
    try:
        info = system.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise file_problem(path, str(path), "an existing file", "missing-file") from None
    except ValueError:  # a NUL in the name
        raise file_problem(path, repr(str(path)), "a file name without NUL characters",
                           "missing-file") from None
    except OSError as error:
        raise file_problem(path, error.strerror or str(error), "a file the toolkit may read",
                           "unreadable") from None
    if stat.S_ISDIR(info.st_mode):
        raise file_problem(path, "a folder", "a table file (CSV or XLSX), not a folder",
                           "not-a-file")
    if not stat.S_ISREG(info.st_mode):
        raise file_problem(path, "a special file", "a regular table file (CSV or XLSX)",
                           "not-a-file")
    if info.st_size > MAX_BYTES:
        raise file_problem(path, f"{info.st_size:,} bytes", f"a legend table under "
                           f"{MAX_BYTES // 1_000_000} MB (legend tables are a few hundred "
                           "rows: a larger file is not a legend)", "too-large")
    try:
        return system.read_bytes()
    except OSError as error:
        raise file_problem(path, error.strerror or str(error), "a file the toolkit may read",
                           "unreadable") from None


def _from_delimited(path: Path, data: bytes, notes: str | None) -> Table:
    read = read_delimited(path, data)
    table = _assemble(path, read.records, notes, encoding=read.encoding,
                      separator=read.separator)
    table.separator_stated = read.stated
    table.problems += cell_warnings(path, table.header, table.row_numbers, table.records)
    log.debug("read %s as %s", path, table.describe())
    return table


def _from_workbook(path: Path, data: bytes, notes: str | None, name: str | None) -> Table:
    sheet = read_workbook(path, data, sheet=name, max_unpacked=MAX_XLSX_UNCOMPRESSED,
                          max_cells=MAX_CELLS)
    table = _assemble(path, sheet.records, notes, cell_of=sheet.cell_of,
                      hint=sheet_hint(sheet))
    table.sheet, table.sheets = sheet.title, sheet.sheets
    table.hidden_sheets, table.sheet_choice = sheet.hidden, sheet.choice
    # Problems of single cells, located now that the header (and so the column names) is known.
    for pending in sheet.pending:
        column = table.header[pending.column] if pending.column < len(table.header) else ""
        table.problems.append(Problem(str(path), pending.row,
                                      column or column_letter(pending.column), pending.found,
                                      pending.expected, code=pending.code,
                                      cell=pending.address))
    table.problems.sort(key=lambda p: (p.row or 0, p.cell))
    log.debug("read %s: %s", path, table.describe())
    return table


def _assemble(path: Path, records: list[Record], notes: str | None, *,
              encoding: str | None = None, separator: str | None = None,
              cell_of: dict[tuple[int, int], str] | None = None, hint: str = "") -> Table:
    """Build a :class:`Table` from raw records; reject ragged rows by number."""
    filled = [r for r in records if any(cell.strip() for cell in r.cells)]
    if not filled:
        raise file_problem(path, "no cells with text", "a header row with column names",
                           "empty", suggestion=hint)
    head = filled[0]
    width = len(head.cells)
    header = [cell.strip().lstrip("\ufeff\u200b") for cell in head.cells]
    # Trailing empty header cells come from selections that went one column too far.
    while header and not header[-1]:
        header.pop()
    last = filled[-1].number
    blank_rows = [r.number for r in records if head.number < r.number < last
                  and not any(cell.strip() for cell in r.cells)]
    table = Table(path, header, [], [], encoding, separator, header_row=head.number,
                  blank_rows=blank_rows)
    for record in filled[1:]:
        cells = list(record.cells)
        if notes and cells and cells[0].lstrip().startswith(notes):
            table.notes.append(record.number)
            continue
        # Empty cells right of the last named column are fine as far as the header row
        # reaches (a selection one column too wide); a row wider than that is ragged.
        while width >= len(cells) > len(header) and not cells[-1].strip():
            cells.pop()
        if len(cells) != len(header):
            table.problems.append(_ragged(path, record, cells, header, head.number, width,
                                          separator, cell_of))
            continue
        table.rows.append(dict(zip(header, cells, strict=True)))
        table.row_numbers.append(record.number)
        table.records.append(cells)
    return table


def _ragged(path: Path, record: Record, cells: list[str], header: list[str], header_row: int,
            width: int, separator: str | None,
            cell_of: dict[tuple[int, int], str] | None) -> Problem:
    """A row with more or fewer fields than the header, or a value in a column the header
    does not name (code ``ragged-row``: the row is not read)."""
    extra = [i for i in range(len(header), len(cells)) if cells[i].strip()]
    if extra and (cell_of is not None or len(cells) <= width):
        # The header row reaches this column but leaves it without a name.
        index = extra[0]
        letter = column_letter(index)
        address = (cell_of or {}).get((record.number, index), f"{letter}{record.number}")
        return Problem(str(path), record.number, None, shorten(cells[index]),
                       f"no value in column {letter}: the header (row {header_row}) names no "
                       f"column there (the last named column is {header[-1]!r})",
                       f"name column {letter} in the header row, or delete the value",
                       code="ragged-row", cell=address)
    found = f"{len(cells)} fields: " + ", ".join(repr(shorten(c, 20)) for c in cells[:4])
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
