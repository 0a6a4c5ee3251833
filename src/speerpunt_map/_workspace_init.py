"""``speerpunt-map init DIR``: the files of a new workspace (see :mod:`speerpunt_map.workspace`).

The example map is a real one: the 2019 vision of RESOC Zuid-West-Vlaanderen ("Just Make it!",
creative manufacturing), the shipped table of ``legends/visions/``, with its rows and sources.
Its table is written as Excel saves it in Belgium (CSV: ``;``-separated, Windows-1252) and as
a workbook, so that either can be opened, edited and saved in Excel.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ._paths import shipped_legends
from .options import CONFIG_FILE
from .rows import PLACE_COLUMNS

__all__ = ["EXAMPLE_TABLE", "ZONE_COLUMNS", "write_workspace"]

EXAMPLE_TABLE = "zuid-west-vlaanderen-2019-creatieve-maakindustrie"
#: The columns of a workspace's ``zones.csv`` (as the shipped ``geodata/zones/*.csv``).
ZONE_COLUMNS = ("id", "name", "aliases", "definition", "members", "buffer_m", "wkt", "source",
                "approximation")

_CONFIG = """\
# The config file of a speerpunt-map workspace (see README.md). The [workspace] table makes
# this folder a workspace: every speerpunt-map command run here reads the maps of the
# catalogue below, and the shipped places, zones and vocabularies with this folder's added.
[workspace]
catalogue = "catalogue.toml"

# A municipality boundary file of your own (optional; default: the shipped 2019 ones):
# [boundaries]
# path = "gemeenten.gpkg"
# columns = { refnis = "NISCODE", name_nl = "NAAM" }
"""

_CATALOGUE = f"""\
# The maps of this workspace: one [[map]] entry per map (see README.md).
# The example is the 2019 vision of RESOC Zuid-West-Vlaanderen ("Just Make it!").

[[map]]
id = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"
scope = "RESOC Zuid-West-Vlaanderen"
sector = "creatieve-maakindustrie"
sector_as_printed = "creatieve maakindustrie"
actors = ["RESOC Zuid-West-Vlaanderen"]
period = "2019"
title = "Creatieve maakindustrie in Zuid-West-Vlaanderen (2019)"
subtitle = "Just Make it! – socio-economische streekvisie 2020-2030"
focus = "Fabrieken voor de Toekomst; crossover met de bouw- en zorgsector"
table = "legends/{EXAMPLE_TABLE}.csv"
# table = "legends/{EXAMPLE_TABLE}.xlsx"   # the same table as an Excel workbook
source = "RESOC Zuid-West-Vlaanderen, 'Just Make it!', streekvisie 2020-2030 (mei 2019)"
"""


def _readme() -> str:
    return (Path(__file__).parent / "templates" / "workspace-README.md").read_text(
        encoding="utf-8")


def _example_rows() -> list[list[str]]:
    """The example table's rows (header first), read from the shipped visions table."""
    path = shipped_legends() / "visions" / f"{EXAMPLE_TABLE}.csv"
    text = path.read_text(encoding="utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text), delimiter=";") if row]


def _excel_csv(rows: list[list[str]]) -> bytes:
    """A table as a Belgian Excel saves "CSV (gescheiden door puntkomma's)"."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("cp1252")


def _workbook(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook has its one sheet
    sheet.title = "legend"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    # Numbers stay text where the table's column is text (a point number "007" stays so).
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header_csv(columns: tuple[str, ...]) -> bytes:
    return ("\ufeff" + ",".join((*columns, "override")) + "\r\n").encode("utf-8")


def write_workspace(folder: Path, *, force: bool = False) -> list[Path]:
    """Write the files of a new workspace into ``folder`` (see
    :func:`speerpunt_map.workspace.init_workspace`)."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder}: a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise FileExistsError(f"{folder}: the folder is not empty; choose a new folder, or pass "
                              "--force to add the workspace's files beside the ones there "
                              "(no file is ever replaced)")
    rows = _example_rows()
    files = {
        CONFIG_FILE: _CONFIG.encode("utf-8"),
        "catalogue.toml": _CATALOGUE.encode("utf-8"),
        f"legends/{EXAMPLE_TABLE}.csv": _excel_csv(rows),
        f"legends/{EXAMPLE_TABLE}.xlsx": _workbook(rows),
        "places.csv": _header_csv(PLACE_COLUMNS),
        "zones.csv": _header_csv(ZONE_COLUMNS),
        "README.md": _readme().encode("utf-8"),
    }
    existing = [name for name in files if (folder / name).exists()]
    if existing:
        raise FileExistsError(f"{folder}: {', '.join(existing)} already exist(s); init never "
                              "replaces a file: move them away, or choose a new folder")
    written = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x": never replace a file, even one that appeared since the check above.
        with path.open("xb") as handle:
            handle.write(data)
        written.append(path)
    return written
