"""A map's layers as files: GeoPackage for QGIS, CSV and XLSX for spreadsheets.

Every export is written atomically and never over an existing file unless asked. Text that a
spreadsheet would run as a formula gets a leading ``'`` (:func:`speerpunt_map._tables.
neutralise_formula`); the toolkit's own reader (:mod:`speerpunt_map._tables`) removes it again,
so a round trip is lossless. Numbers (coordinates, areas, lengths, row numbers) are written as
numbers, without that guard (:func:`is_number`): ``-1.5536`` is a number in the spreadsheet. A
point's ``number`` is text, as typed (``007``). Multi-valued columns (``actor_ids``,
``years``) are written with ``|`` between the values.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._io import atomic_path, refuse_own_inputs, write_bytes
from ._tables import neutralise_formula, xlsx_text

if TYPE_CHECKING:
    from .atlas import MapLayers
    from .resources import Resources

__all__ = ["MULTI_VALUED", "flatten", "inputs_of", "is_number", "resource_inputs",
           "rows_table", "write_csv", "write_gpkg", "write_xlsx"]

_CELL_LIMIT = 32_767  # characters in one spreadsheet cell
LAYER_NAMES = ("points", "zones", "links", "regions")
#: The columns of a layer that hold a tuple of values (see :mod:`speerpunt_map.geometry`).
MULTI_VALUED = ("actor_ids", "years")


def rows_table(layers: MapLayers) -> pd.DataFrame:
    """Every drawn row of the three kinds in one table, in file and row order.

    ``lon``/``lat`` give a point on the feature (the point itself, a point inside a zone,
    the middle of a link); ``wkt`` the geometry, simplified where needed so that a cell
    stays within a spreadsheet's 32,767 characters.
    """
    frames = []
    for frame in (layers.points, layers.zones, layers.links):
        if len(frame):
            table = pd.DataFrame(flatten(frame).drop(columns="geometry"))
            anchors = [g if g.geom_type == "Point" else
                       (g.interpolate(0.5, normalized=True) if g.geom_type == "LineString"
                        else g.representative_point()) for g in frame.geometry]
            table["lon"] = [round(p.x, 6) for p in anchors]
            table["lat"] = [round(p.y, 6) for p in anchors]
            table["wkt"] = [_cell_wkt(g) for g in frame.geometry]
            frames.append(table)
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def resource_inputs(resources: Resources) -> dict[Path, str]:
    """The files a run reads besides its legend tables: legend files (sectors, actors, …),
    every file of the geodata folder, the workspace's own files, the boundary file."""
    from .boundaries import BOUNDARY_FILE_ENV

    inputs = {Path(path): f"the legend file {name}" for name, path in resources.files.items()}
    geodata = Path(resources.geodata)
    if geodata.is_dir():
        inputs |= {path: "a file of the geodata folder" for path in geodata.rglob("*")
                   if path.is_file()}
    workspace = resources.workspace
    if workspace is not None:
        own = {"places.csv": workspace.places, "zones.csv": workspace.zones,
               "config": workspace.config}
        inputs |= {Path(path): f"the workspace's {name}" for name, path in own.items()
                   if path is not None}
    boundary = resources.boundary_options.path or os.environ.get(BOUNDARY_FILE_ENV)
    if boundary:
        inputs[Path(boundary)] = "the boundary file"
    return inputs


def inputs_of(layers: MapLayers) -> dict[Path, str]:
    """The files a map's layers were made from (:func:`resource_inputs`, and its tables)."""
    inputs = resource_inputs(layers.resources)
    tables = {str(layers.spec.table)} | {str(f) for frame in (layers.points, layers.zones,
                                                              layers.links)
                                         for f in frame.get("file", [])}
    inputs |= {Path(t): f"a legend table of {layers.spec.id}" for t in sorted(tables) if t}
    return inputs


def write_gpkg(layers: MapLayers, path: str | Path, *, overwrite: bool = False) -> Path:
    """The layers ``points``, ``zones``, ``links`` and ``regions`` in one GeoPackage; never
    over a file the layers were made from (:func:`inputs_of`)."""
    refuse_own_inputs([path], inputs_of(layers))
    with atomic_path(path, overwrite=overwrite) as temporary:
        for name in LAYER_NAMES:
            flatten(getattr(layers, name)).to_file(temporary, layer=name, driver="GPKG")
    return Path(path)


def write_csv(table: pd.DataFrame, path: str | Path, *, overwrite: bool = False,
              inputs: Mapping[Path, str] | None = None) -> Path:
    """A table as CSV that a spreadsheet opens safely: UTF-8 with BOM, ``;``, formulas
    neutralised; never over one of ``inputs`` (the files the table was made from)."""
    refuse_own_inputs([path], inputs or {})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(table.columns))
    for record in table.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in record])
    return write_bytes(path, buffer.getvalue().encode("utf-8-sig"), overwrite=overwrite)


def write_xlsx(table: pd.DataFrame, path: str | Path, *, overwrite: bool = False,
               sheet_name: str = "rows", inputs: Mapping[Path, str] | None = None) -> Path:
    """A table as an Excel workbook: text as text (never a formula), numbers as numbers;
    never over one of ``inputs`` (the files the table was made from)."""
    refuse_own_inputs([path], inputs or {})
    import openpyxl
    from openpyxl.cell.cell import TYPE_STRING

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = sheet_name
    sheet.append([xlsx_text(str(c)) for c in table.columns])
    for r, record in enumerate(table.itertuples(index=False), start=2):
        for c, value in enumerate(record, start=1):
            if _missing(value) or value == "":
                continue
            cell = sheet.cell(row=r, column=c)
            if not is_number(value):
                cell.value = xlsx_text(str(value))
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            else:
                cell.value = value.item() if isinstance(value, np.generic) else value
    sheet.freeze_panes = "A2"
    with atomic_path(path, overwrite=overwrite) as temporary:
        book.save(temporary)
    return Path(path)


def flatten(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame with its multi-valued columns (tuples) as ``|``-separated text, for files."""
    tuples = [c for c in MULTI_VALUED if c in frame.columns]
    if not tuples:
        return frame
    return frame.assign(**{c: ["|".join(str(v) for v in cell) for cell in frame[c]]
                           for c in tuples})


def is_number(value: object) -> bool:
    """Whether an export writes ``value`` as a number (an int or a float, not a bool): numbers
    are written as they are, never with the formula guard (``-1.5536`` stays a number)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def _csv_cell(value: object) -> str:
    """A CSV cell: empty for a missing value, a number as it is, text with the formula guard."""
    if _missing(value):
        return ""
    if is_number(value):
        return str(value)
    return neutralise_formula(str(value))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        value is pd.NA or value is pd.NaT


def _cell_wkt(geometry: shapely.Geometry) -> str:
    """WKT that fits in a spreadsheet cell: simplified step by step until it does."""
    text = shapely.to_wkt(geometry, rounding_precision=6)
    tolerance = 0.0001
    while len(text) > _CELL_LIMIT:
        simpler = shapely.simplify(geometry, tolerance, preserve_topology=True)
        text = shapely.to_wkt(simpler, rounding_precision=5)
        tolerance *= 2
    return text
