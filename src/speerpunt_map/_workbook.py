"""Read one sheet of an Excel workbook (``.xlsx``) as text, as Excel last saved it.

The sheet read is the first *visible* one (a hidden sheet, often an old version of the legend,
is skipped and named), or the one asked for by name. Cells are read as Excel shows them (the
cached values of formulas; ``_x000D_`` escapes decoded; ``7`` not ``7.0``; dates as
``2013-05-01``). Cells that cannot be read faithfully — an error value, a formula without a
saved result, merged cells holding a value — are returned as :class:`CellProblem` records, to
be named by column once the header is known.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ._cells import ooxml_text, restore_formula
from ._file_kinds import unsafe_member_names
from ._records import Record, file_problem, shorten
from ._text import close_matches, did_you_mean

__all__ = ["CellProblem", "Sheet", "read_workbook"]


class CellProblem(NamedTuple):
    """A cell that cannot be read as text: its row, column (0 for ``A``) and address."""

    row: int
    column: int
    address: str
    found: str
    expected: str
    code: str


@dataclass
class Sheet:
    """The sheet read from a workbook.

    Attributes
    ----------
    title
        The sheet read.
    sheets
        The names of all sheets, in order.
    hidden
        The hidden sheets ("hidden" or "very hidden" in Excel).
    choice
        How the sheet was chosen: ``"first"`` (the first sheet), ``"first visible"`` (hidden
        sheets come before it) or ``"named"`` (asked for by name).
    records
        Its rows, as text.
    cell_of
        The address (``"C7"``) of each (row, column index) read.
    pending
        The cells that cannot be read as text.
    """

    title: str
    sheets: list[str]
    hidden: list[str]
    choice: str
    records: list[Record] = field(default_factory=list)
    cell_of: dict[tuple[int, int], str] = field(default_factory=dict)
    pending: list[CellProblem] = field(default_factory=list)


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
        return restore_formula(ooxml_text(value))
    return str(value)


def read_workbook(path: Path, data: bytes, *, sheet: str | None, max_unpacked: int,
                  max_cells: int) -> Sheet:
    """Read the legend sheet of a workbook.

    Parameters
    ----------
    path
        The file, for messages.
    data
        Its bytes (a zip archive).
    sheet
        The sheet to read; ``None`` for the first visible one.
    max_unpacked, max_cells
        The size above which the workbook is refused: bytes unpacked, cells of the sheet.
    """
    import openpyxl

    _check_archive(path, data, max_unpacked)
    try:
        # openpyxl warns about features it drops on reading (data validation extensions,
        # conditional formats): we read values only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values_book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            formula_book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise file_problem(path, f"an unreadable workbook ({type(error).__name__}: "
                           f"{shorten(str(error), 120)})", "an Excel workbook (.xlsx)",
                           "xlsx", suggestion="open it in Excel and save it again") from None
    worksheets = values_book.worksheets
    if not worksheets:
        raise file_problem(path, "a workbook without worksheets", "a legend on the first "
                           "sheet", "empty")
    chosen = _choose(path, values_book, sheet)
    found = Sheet(chosen.title, list(values_book.sheetnames),
                  [s.title for s in worksheets if s.sheet_state != "visible"],
                  "named" if sheet is not None else
                  "first" if chosen is worksheets[0] else "first visible")
    if chosen.max_row * chosen.max_column > max_cells:
        raise file_problem(path, f"{chosen.max_row:,} rows × {chosen.max_column:,} columns",
                           "a legend table", "too-large",
                           suggestion="delete the rows and columns below and right of the table")
    _read_cells(chosen, formula_book[chosen.title], found)
    if not found.records:
        raise file_problem(path, f"an empty sheet ({chosen.title!r})", "a header row with "
                           "column names", "empty", suggestion=sheet_hint(found))
    return found


def sheet_hint(sheet: Sheet) -> str:
    """Where the legend must be, for a message about an empty sheet."""
    if sheet.choice == "named" or len(sheet.sheets) < 2:
        return ""
    which = "first sheet" if sheet.choice == "first" else "first visible sheet"
    return f"the legend must be on the {which} ({sheet.title!r})"


def _check_archive(path: Path, data: bytes, max_unpacked: int) -> None:
    """A zip archive that holds a workbook, of a sane size, with sane member names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise file_problem(path, f"a damaged zip archive ({error})",
                           "an Excel workbook (.xlsx)", "xlsx") from None
    unsafe = unsafe_member_names(names)
    if unsafe:
        raise file_problem(path, f"a zip archive with member names outside it ({unsafe[0]!r}"
                           f"{', …' if len(unsafe) > 1 else ''})", "an Excel workbook "
                           "(.xlsx): Excel never writes such names", "unsafe-archive",
                           suggestion="this is no workbook Excel saved, and unpacking it could "
                           "overwrite other files: do not unpack it; ask for the legend again, "
                           "saved from Excel")
    if "xl/workbook.xml" not in names:
        raise file_problem(path, "a zip archive without a workbook",
                           "an Excel workbook (.xlsx)", "xlsx")
    if unpacked > max_unpacked:
        raise file_problem(path, f"{unpacked:,} bytes unpacked", "a legend table (a few MB "
                           "at most)", "too-large")


def _choose(path: Path, book: Any, name: str | None) -> Any:
    """The worksheet named, or the first visible one."""
    from openpyxl.worksheet.worksheet import Worksheet

    if name is None:
        visible = [s for s in book.worksheets if s.sheet_state == "visible"]
        if not visible:
            raise file_problem(path, "a workbook whose sheets are all hidden", "a visible "
                               "sheet holding the legend", "empty", suggestion="unhide the "
                               "legend's sheet in Excel (right-click a sheet tab > Unhide)")
        return visible[0]
    if name not in book.sheetnames:
        shown = ", ".join(map(repr, book.sheetnames))
        raise file_problem(path, f"no sheet {name!r}", f"one of its sheets: {shown}",
                           "missing-sheet",
                           suggestion=did_you_mean(close_matches(name, book.sheetnames)))
    if not isinstance(book[name], Worksheet):
        raise file_problem(path, f"a chart sheet ({name!r})", "a worksheet holding the "
                           "legend", "wrong-format")
    return book[name]


def _read_cells(values: Any, formulas: Any, sheet: Sheet) -> None:
    """Every row of the sheet as text; the cells that cannot be read as text as pending."""
    for merged in values.merged_cells.ranges:
        top = values.cell(merged.min_row, merged.min_col).value
        if top is None or not str(top).strip():
            continue  # merged empty cells are formatting
        for row in range(merged.min_row, merged.max_row + 1):
            sheet.pending.append(CellProblem(row, merged.min_col - 1, merged.coord,
                                             f"merged cells {merged.coord}",
                                             "one value per cell (unmerge the cells)",
                                             "merged-cells"))
    for row in values.iter_rows():
        cells = []
        for index, cell in enumerate(row):
            value = cell.value
            if getattr(cell, "data_type", None) == "e":
                sheet.pending.append(CellProblem(
                    cell.row, index, cell.coordinate, str(value),
                    "a value, not an Excel error (fix the formula or type the value)",
                    "error-cell"))
            elif value is None:
                raw = formulas.cell(cell.row, cell.column).value
                if raw is not None and (not isinstance(raw, str) or raw.startswith("=")):
                    sheet.pending.append(CellProblem(
                        cell.row, index, cell.coordinate, str(getattr(raw, "text", raw)),
                        "a value (the formula has no saved result: open and save the file in "
                        "Excel)", "formula"))
            cells.append(_cell_text(value))
            sheet.cell_of[(cell.row, index)] = cell.coordinate
        sheet.records.append(Record(row[0].row if row else len(sheet.records) + 1, cells))
