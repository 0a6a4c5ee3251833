"""An empty legend table in Excel, with headers, a notes row and drop-down lists.

A policy officer starts from this file: the first sheet is the legend (one row per point, zone
or link), the second describes the map for the catalogue, and a hidden sheet holds the lists
the drop-downs offer (kinds, link types, actors, sectors, scopes, accept codes).
"""

from __future__ import annotations

from pathlib import Path

from ._io import atomic_path
from ._paths import shipped_legends
from .rows import ACCEPT_CODES, COLUMNS, LINK_TYPES
from .vocab import Vocabulary, load_vocabulary

__all__ = ["write_template"]

NOTES = {
    "kind": "# point, zone or link (notes row: starts with #, ignored)",
    "number": "points: the number printed on the map",
    "name": "the name, normalised",
    "name_as_printed": "the name exactly as printed (optional)",
    "place": "points and zones: a place, municipality, custom zone or actor region",
    "link_from": "links: the start (empty = the source actor's region)",
    "link_to": "links: the end",
    "link_type": "links: infrastructure or organisation",
    "link_type_reason": "why that type (optional)",
    "source_actor": "the actor(s) whose document names it; several: separate with |",
    "year": "year of the source document; several: separate with |",
    "source_document": "the source, e.g. RESOC Kempen (2009)",
    "source_as_printed": "the source as printed (optional)",
    "remark": "remark (Opmerkingen)",
    "annex_x": "x if the annex marks the zone with an x",
    "accept": "documented exceptions of the source (see legends/README.md)",
    "note": "your note",
}
MAP_FIELDS = (
    ("id", "<scope>/<sector>, e.g. antwerpen/logistiek"),
    ("scope", "a province (antwerpen, limburg, …) or vlaanderen"),
    ("sector", "a sector of the vocabulary"),
    ("sector_as_printed", "the sector as your document names it"),
    ("actors", "the actors that chose the sector, separated by |"),
    ("focus", "optional focus note"),
    ("source", "the document(s) the table rests on"),
)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_template(path: str | Path, *, overwrite: bool = False,
                   vocabulary: Vocabulary | None = None) -> Path:
    """Write an empty legend workbook.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (atomically).
    overwrite
        Replace an existing file; without it an existing file is an error.
    vocabulary
        The sectors and actors of its drop-down lists (the shipped ones by default).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    book = Workbook()
    legend = book.worksheets[0]  # a new workbook has its one sheet
    legend.title = "legend"
    legend.append(list(COLUMNS))
    legend.append([NOTES[c] for c in COLUMNS])
    for cell in legend[1]:
        cell.font = Font(bold=True)
    for cell in legend[2]:
        cell.font = Font(italic=True, color="666666")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    legend.freeze_panes = "A3"
    for index, column in enumerate(COLUMNS, start=1):
        legend.column_dimensions[_column_letter(index)].width = max(12, min(40, len(column) + 8))

    # The lists behind the drop-downs, on a hidden sheet (Excel limits inline lists to 255
    # characters, which the actor names exceed).
    lists = book.create_sheet("lists")
    columns: dict[str, list[str]] = {
        "kind": ["point", "zone", "link"],
        "link_type": sorted(set(LINK_TYPES.values())),
        "actor": sorted(a.name_nl for a in vocabulary.actors.values()),
        "sector": sorted(s.label_nl for s in vocabulary.sectors.values()),
        "scope": sorted(vocabulary.scopes),
        "accept": sorted(ACCEPT_CODES),
    }
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = _column_letter(index)
        lists.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    def drop_down(sheet: Worksheet, source: str, cells: str, allow_other: bool = False) -> None:
        validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
        validation.showErrorMessage = not allow_other
        validation.add(cells)
        sheet.add_data_validation(validation)

    def column_range(name: str) -> str:
        letter = _column_letter(COLUMNS.index(name) + 1)
        return f"{letter}3:{letter}1000"

    drop_down(legend, ranges["kind"], column_range("kind"))
    drop_down(legend, ranges["link_type"], column_range("link_type"))
    # Several actors or accept codes may share a cell: offer the list, allow other text.
    drop_down(legend, ranges["actor"], column_range("source_actor"), allow_other=True)
    drop_down(legend, ranges["accept"], column_range("accept"), allow_other=True)

    about = book.create_sheet("map", 1)
    about.append(["field", "value", "meaning (copy these into legends/catalogue.toml)"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for name, meaning in MAP_FIELDS:
        about.append([name, "", meaning])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 40
    about.column_dimensions["C"].width = 60
    field_row = {name: i for i, (name, _) in enumerate(MAP_FIELDS, start=2)}
    drop_down(about, ranges["sector"], f"B{field_row['sector']}")
    drop_down(about, ranges["scope"], f"B{field_row['scope']}")
    drop_down(about, ranges["actor"], f"B{field_row['actors']}", allow_other=True)

    with atomic_path(path, overwrite=overwrite) as temporary:
        book.save(temporary)
    return Path(path)
