"""Legend tables: read them, check them, and report every problem at once.

Each map's legend table (CSV or XLSX, read as text by :mod:`speerpunt_map._tables`) lists its
points, zones and links; the columns and the checks of one row are in
:mod:`speerpunt_map.rows`, the catalogue that names the maps in :mod:`speerpunt_map.catalogue`.
:func:`read_legend` never raises for a user's mistake: it collects
:class:`~speerpunt_map.Problem` records. :func:`validate` checks whole folders and files;
:func:`load_legend` raises :class:`~speerpunt_map.LegendError`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._errors import LegendError, Problem
from ._paths import shipped_geodata, shipped_legends
from ._tables import Table, read_table
from ._text import close_matches, did_you_mean, normalise
from .catalogue import Catalogue, MapSpec, read_catalogue
from .gazetteer import Gazetteer, load_gazetteer
from .rows import (
    COLUMNS,
    DUTCH_COLUMNS,
    KINDS,
    LINK_TYPES,
    NOTES_PREFIX,
    LegendRow,
    check_duplicates,
    check_has_rows,
    check_row,
)
from .vocab import Vocabulary, load_vocabulary

__all__ = [
    "COLUMNS",
    "KINDS",
    "LINK_TYPES",
    "NOTES_PREFIX",
    "Catalogue",
    "Legend",
    "LegendRow",
    "MapSpec",
    "load_legend",
    "read_catalogue",
    "read_legend",
    "validate",
]

log = logging.getLogger(__name__)


@dataclass
class Legend:
    """A read legend table: its rows, its map (when read through the catalogue), its problems.

    Every row of the file is accounted for: ``rows_read`` counts the data rows (every
    non-empty row after the header that is not a notes row, ragged rows included), and each of
    them is either in ``rows`` (to be drawn) or in ``rejected`` (it has an error in
    ``problems``). Notes rows (``notes``) and blank rows (``blank_rows``) are listed apart.

    Attributes
    ----------
    read_as
        How the file was read: ``"Windows-1252, separator ';'"`` or ``"Excel workbook, sheet
        'legend'"`` (empty when the file could not be read).
    """

    path: Path
    rows: list[LegendRow]
    spec: MapSpec | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    read_as: str = ""
    encoding: str | None = None
    separator: str | None = None
    notes: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    data_rows: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def rejected(self) -> list[int]:
        """The data rows left out because they have an error."""
        kept = {row.row for row in self.rows}
        return sorted(set(self.data_rows) - kept)

    def summary(self) -> str:
        """One line for the user: how the file was read and what became of every row."""
        if not self.read_as:
            return f"{self.path}: not read"
        text = (f"{self.path}: read as {self.read_as}; {self.rows_read} row(s): "
                f"{len(self.rows)} valid, {len(self.rejected)} with errors")
        if self.notes:
            text += f"; notes row(s) ignored: {_row_list(self.notes)}"
        if self.blank_rows:
            text += f"; blank row(s) ignored: {_row_list(self.blank_rows)}"
        return text


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" … ({len(rows)} in all)" if len(rows) > 10 else "")


# -- legend tables -----------------------------------------------------------------------------
def read_legend(path: str | Path, *, spec: MapSpec | None = None,
                vocabulary: Vocabulary | None = None,
                gazetteer: Gazetteer | None = None) -> Legend:
    """Read and check one legend table; problems are collected on the result, not raised.

    Parameters
    ----------
    path
        A CSV or XLSX legend table.
    spec
        The catalogue entry of the table's map, when known: its actors are the actors a link
        without a start may begin from.
    vocabulary, gazetteer
        The sectors and actors, and the places, names resolve to (the shipped ones by
        default; an atlas passes its own, see :class:`speerpunt_map.Resources`).

    Returns
    -------
    Legend
        Every data row either in ``rows`` (to be drawn) or in ``rejected`` (with its problem).

    Examples
    --------
    >>> legend = read_legend("legends/antwerpen/logistiek.csv")  # doctest: +SKIP
    >>> legend.summary()                                         # doctest: +SKIP
    """
    path = Path(path)
    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    gazetteer = gazetteer or load_gazetteer(shipped_geodata(), vocabulary=vocabulary)
    try:
        table = read_table(path, notes=NOTES_PREFIX)
    except LegendError as error:
        return Legend(path, [], spec, error.problems)
    where = str(path)
    problems = list(table.problems)
    columns = _header(where, table, problems)
    rows: list[LegendRow] = []
    for number, record in zip(table.row_numbers, table.records, strict=True):
        cells = _cells(where, number, record, columns, problems)
        row = check_row(where, number, cells, spec, vocabulary, gazetteer, problems)
        if row is not None:
            rows.append(row)
    check_duplicates(where, rows, spec, gazetteer, problems)
    # A row with any error is not drawn (the duplicate checks come after the row checks).
    rejected = {p.row for p in problems if p.severity == "error" and p.file == where}
    rows = [row for row in rows if row.row not in rejected]
    # Problems name the columns as the table types them (e.g. Dutch headers), and in a
    # workbook the cell ("F7").
    problems = [_as_typed(p, table, columns) if p.file == where else p for p in problems]
    ragged = [p.row for p in table.problems if p.code == "ragged-row" and p.row is not None]
    # A header and nothing below it is no map (unless the catalogue says it may be empty).
    check_has_rows(where, table.header_row, len(table.rows) + len(ragged), spec, problems)
    legend = Legend(path, rows, spec, problems, rows_read=len(table.rows) + len(ragged),
                    read_as=table.describe(), encoding=table.encoding,
                    separator=table.separator, notes=table.notes, blank_rows=table.blank_rows,
                    data_rows=sorted([*table.row_numbers, *ragged]))
    log.info("%s", legend.summary())
    return legend


def _as_typed(problem: Problem, table: Table, columns: dict[str, list[int]]) -> Problem:
    """A row's problem with the column named as typed and, in a workbook, its cell address."""
    from openpyxl.utils import get_column_letter

    if problem.column is None or problem.column not in columns:
        return problem
    index = columns[problem.column][0]
    cell = problem.cell
    if table.sheet is not None and problem.row is not None and not cell:
        cell = f"{get_column_letter(index + 1)}{problem.row}"
    return replace(problem, column=table.header[index], cell=cell)


def _canonical(typed: str) -> str:
    """Our name of a column as typed: ``Name``, ``source-actor``, Dutch ``naam`` → ``name``."""
    key = normalise(typed).replace(" ", "_")
    return key if key in COLUMNS else DUTCH_COLUMNS.get(key, typed)


def _header(where: str, table: Table, problems: list[Problem]) -> dict[str, list[int]]:
    """Our column name → the positions of the table's columns that carry it; header problems."""
    from openpyxl.utils import get_column_letter

    row = table.header_row
    columns: dict[str, list[int]] = defaultdict(list)
    for index, typed in enumerate(table.header):
        if not typed:
            problems.append(Problem(where, row, None, "(no column name)",
                                    "a name for every column that holds values",
                                    f"name column {get_column_letter(index + 1)} or delete it",
                                    code="unknown-column"))
            continue
        ours = _canonical(typed)
        if ours not in COLUMNS:
            key = normalise(typed).replace(" ", "_")
            known = [*COLUMNS, *DUTCH_COLUMNS]
            close = [n for n in known if key and key in n][:3] or close_matches(key, known, n=3)
            problems.append(Problem(where, row, typed, typed, "one of the legend columns",
                                    did_you_mean(_with_meaning(close)) or
                                    f"the columns are {', '.join(COLUMNS)} (or their Dutch "
                                    "names, see legends/README.md)", code="unknown-column"))
            continue
        columns[ours].append(index)
    for ours, indices in columns.items():
        if len(indices) > 1:
            names = " and ".join(repr(table.header[i]) for i in indices)
            problems.append(Problem(where, row, ours, names, f"one column {ours!r}",
                                    "delete or rename one of them", code="duplicate-column"))
    for column in ("kind", "name", "source_actor", "year"):
        if column not in columns:
            problems.append(Problem(where, row, column, "(no such column)",
                                    f"a column {column!r}", code="missing-column"))
    return dict(columns)


def _with_meaning(names: list[str]) -> list[str]:
    """Dutch column names with the column they stand for: ``bron_actor (source_actor)``."""
    return [f"{n} ({DUTCH_COLUMNS[n]})" if n in DUTCH_COLUMNS else n for n in names]


def _cells(where: str, number: int, record: list[str], columns: dict[str, list[int]],
           problems: list[Problem]) -> dict[str, str]:
    """Every legend column of one row (``""`` when absent); two columns of one name must agree."""
    cells = {c: "" for c in COLUMNS}
    for ours, indices in columns.items():
        values = [record[i] for i in indices if record[i].strip()]
        if len({v.strip() for v in values}) > 1:
            problems.append(Problem(where, number, ours, " / ".join(values),
                                    f"one value for {ours!r}",
                                    "the table has two columns of that name",
                                    code="duplicate-column"))
        cells[ours] = values[0] if values else record[indices[0]]
    return cells


# -- whole inputs ------------------------------------------------------------------------------
def validate(paths: list[str | Path] | None = None, *, vocabulary: Vocabulary | None = None,
             gazetteer: Gazetteer | None = None) -> list[Problem]:
    """Check catalogues and legend tables; return every problem (errors and warnings).

    Parameters
    ----------
    paths
        Catalogue files, legend tables, or folders holding a ``catalogue.toml``. The shipped
        legends when empty.
    vocabulary, gazetteer
        The sectors and actors, and the places, names resolve to (the shipped ones by
        default; an atlas passes its own, see :class:`speerpunt_map.Resources`).

    Returns
    -------
    list of Problem
        In file order; ``severity`` tells errors from warnings.
    """
    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    gazetteer = gazetteer or load_gazetteer(shipped_geodata(), vocabulary=vocabulary)
    problems: list[Problem] = []
    for path in [Path(p) for p in (paths or [shipped_legends()])]:
        if path.is_dir() or path.suffix.lower() == ".toml":
            catalogue = read_catalogue(path, vocabulary=vocabulary)
            problems += catalogue.problems
            for spec in catalogue.maps.values():
                problems += read_legend(spec.table, spec=spec, vocabulary=vocabulary,
                                        gazetteer=gazetteer).problems
        else:
            problems += read_legend(path, vocabulary=vocabulary, gazetteer=gazetteer).problems
    return problems


def load_legend(path: str | Path, *, spec: MapSpec | None = None,
                vocabulary: Vocabulary | None = None,
                gazetteer: Gazetteer | None = None) -> Legend:
    """Read a legend table and raise :class:`LegendError` if it has any error.

    Parameters
    ----------
    path, spec, vocabulary, gazetteer
        As for :func:`read_legend`.

    Returns
    -------
    Legend

    Raises
    ------
    LegendError
        With every problem of the table, when one of them is an error.
    """
    legend = read_legend(path, spec=spec, vocabulary=vocabulary, gazetteer=gazetteer)
    if legend.errors:
        raise LegendError(legend.problems)
    return legend
