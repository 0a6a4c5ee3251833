"""The toolkit's exceptions, and the problem records that validation reports.

Every exception subclasses a built-in (``ValueError`` or ``OSError``), so a notebook user can
catch what they already know. A user's mistake is described by :class:`Problem` records: the
file, row and column, the value found, what was expected and, where one exists, a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BoundaryError",
    "GeodataError",
    "LegendError",
    "OutputError",
    "Problem",
    "SpeerpuntError",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input file.

    Parameters
    ----------
    file
        The file the problem is in, as the user named it.
    row
        The row as a spreadsheet shows it (the header is row 1), or ``None`` for the whole file.
    column
        The column name, or a catalogue key, or ``None``.
    found
        The value found, as typed.
    expected
        What would have been accepted.
    suggestion
        A likely fix ("did you mean 'Geel'?"), or empty.
    severity
        ``"error"`` or ``"warning"``. Warnings are documented exceptions of the source
        (``accept`` codes) and never fail validation.
    code
        A short machine-readable code, e.g. ``unknown-place``.
    cell
        The spreadsheet address of the cell (``"C7"``) or range (``"B3:C3"``), for problems
        of an Excel workbook; empty otherwise.
    """

    file: str
    row: int | None
    column: str | None
    found: str
    expected: str
    suggestion: str = ""
    severity: str = "error"
    code: str = ""
    cell: str = ""

    def location(self) -> str:
        """``file, row N, column C`` as far as known."""
        parts = [_shown_path(self.file)]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            column = self.column if len(self.column) <= _SHOWN_FOUND else \
                self.column[:_SHOWN_FOUND // 4] + "…"
            parts.append(f"column {column!r}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    def __str__(self) -> str:
        found = repr(self.found)
        if len(self.found) > _SHOWN_FOUND:  # a 1 MB cell is shown by its start and length
            found = f"{self.found[:_SHOWN_FOUND // 2]!r}… ({len(self.found):,} characters)"
        text = f"{self.location()}: {self.severity}: found {found}; expected {self.expected}"
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


# The most characters of a value found that a message quotes.
_SHOWN_FOUND = 200


def _shown_path(file: str) -> str:
    """A path relative to the working directory when it lies below it (as a user typed it)."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return file


class SpeerpuntError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class LegendError(SpeerpuntError, ValueError):
    """A legend table or catalogue has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem], message: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        if message is None:
            shown = "\n".join(f"  {p}" for p in errors[:20])
            more = f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else ""
            message = f"{len(errors)} problem(s) in the legend input:\n{shown}{more}"
        super().__init__(message)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors (not warnings)."""
        return [p for p in self.problems if p.severity == "error"]


class GeodataError(SpeerpuntError, ValueError):
    """A geodata file of the project (gazetteer, zones, membership) is inconsistent."""


class BoundaryError(SpeerpuntError, ValueError):
    """A boundary file cannot be used: unreadable, unknown columns, bad CRS, broken geometry."""


class OutputError(SpeerpuntError, OSError):
    """An output file could not be written; nothing half-written is left behind."""


def raise_if_errors(problems: Sequence[Problem]) -> None:
    """Raise :class:`LegendError` when any problem is an error."""
    if any(p.severity == "error" for p in problems):
        raise LegendError(problems)
