"""The raw rows of a table file, before they become a :class:`~speerpunt_map._tables.Table`.

The CSV reader (:mod:`speerpunt_map._delimited`) and the workbook reader
(:mod:`speerpunt_map._workbook`) both give a list of :class:`Record`: the cells of one
spreadsheet row as text, numbered as a spreadsheet numbers it. A file that cannot be read at
all is one :class:`~speerpunt_map.Problem` in a :class:`~speerpunt_map.LegendError`
(:func:`file_problem`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._errors import LegendError, Problem

__all__ = ["Record", "column_letter", "file_problem", "shorten"]


@dataclass
class Record:
    """One row of a table file.

    Attributes
    ----------
    number
        The row as a spreadsheet numbers it (the first row is 1).
    cells
        The cells as text, as typed.
    lines
        The physical lines of the file the row spans (CSV only: a quoted line break makes a
        row span several lines).
    """

    number: int
    cells: list[str]
    lines: tuple[int, int] | None = None


def file_problem(path: Path, found: str, expected: str, code: str, *, row: int | None = None,
                 suggestion: str = "", cell: str = "") -> LegendError:
    """The error for a file (or one place in it) that cannot be read at all."""
    return LegendError([Problem(str(path), row, None, found, expected, suggestion, code=code,
                                cell=cell)])


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def shorten(text: str, width: int = 60) -> str:
    """``text``, cut to ``width`` characters with an ellipsis when longer."""
    return text if len(text) <= width else text[: width - 1] + "…"
