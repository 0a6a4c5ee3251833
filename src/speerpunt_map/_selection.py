"""Results of the analysis as files: :func:`write_selection` to GeoPackage, CSV or XLSX.

Reuses :mod:`speerpunt_map.exports` for the spreadsheets (the formula guard, text never a
formula) and :func:`speerpunt_map._io.atomic_path` for the GeoPackage, so a file is written
whole or not at all, and never over an existing one unless asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from ._io import atomic_path, refuse_own_inputs
from .exports import write_csv, write_xlsx

if TYPE_CHECKING:
    from .atlas import Atlas

__all__ = ["write_selection"]

_CELL_LIMIT = 32_767  # characters in one spreadsheet cell


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Tuple cells as ``|``-separated text (as :mod:`speerpunt_map.exports` writes them)."""
    tuples = [c for c in frame.columns if c != "geometry" and frame[c].dtype == object
              and any(isinstance(v, tuple) for v in frame[c])]
    return frame.assign(**{c: ["|".join(str(v) for v in cell) if isinstance(cell, tuple)
                               else cell for cell in frame[c]] for c in tuples})


def _cell_wkt(geometry: shapely.Geometry) -> str:
    """WKT that fits in a spreadsheet cell: simplified step by step until it does."""
    text, tolerance = shapely.to_wkt(geometry, rounding_precision=6), 0.0001
    while len(text) > _CELL_LIMIT:
        simpler = shapely.simplify(geometry, tolerance, preserve_topology=True)
        text, tolerance = shapely.to_wkt(simpler, rounding_precision=5), tolerance * 2
    return text


def _sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for a spreadsheet: tuples as text, a geometry as ``lon``/``lat`` and ``wkt``."""
    table = _flat(frame)
    if isinstance(frame, gpd.GeoDataFrame):
        anchors = [g.representative_point() if g is not None else None for g in frame.geometry]
        table = pd.DataFrame(table.drop(columns=frame.geometry.name))
        table["lon"] = [round(p.x, 6) if p is not None else None for p in anchors]
        table["lat"] = [round(p.y, 6) if p is not None else None for p in anchors]
        table["wkt"] = [_cell_wkt(g) if g is not None else "" for g in frame.geometry]
    return table


def _tables_of(frames: Mapping[str, pd.DataFrame]) -> dict[Path, str]:
    """The legend tables the rows of ``frames`` were read from (their ``file`` column)."""
    tables: dict[Path, str] = {}
    for name, frame in frames.items():
        if "file" in frame.columns:
            for file in frame["file"].dropna().unique():
                if isinstance(file, str) and file:
                    tables.setdefault(Path(file), f"a legend table the rows of {name!r} come "
                                                  "from")
    return tables


def write_selection(selection: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | Path, *,
                    overwrite: bool = False, atlas: Atlas | None = None) -> Path:
    """Write a result of the analysis — or several, one layer each — to a file.

    ``.gpkg``: one layer per frame (a GeoDataFrame as features, any other frame as an
    attribute table), for QGIS. ``.csv`` and ``.xlsx``: one table, through
    :func:`speerpunt_map.exports.write_csv` / :func:`~speerpunt_map.exports.write_xlsx`, so a
    cell that a spreadsheet would run as a formula gets a leading ``'``; a geometry becomes
    ``lon``/``lat`` (a point on it) and ``wkt``. Tuples are written ``|``-separated.
    Written atomically, and never over an existing file unless asked.

    Parameters
    ----------
    selection
        A frame, or frames by layer name (``{"links": …, "matrix": …}``; GeoPackage only).
    path
        The file; its suffix chooses the format.
    overwrite
        Replace an existing file.
    atlas
        The atlas the selection comes from: then no file it reads (catalogue, legend tables,
        vocabularies, geodata, a workspace's files) is written over either.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        For another suffix, or several frames for a CSV or XLSX file.
    OutputError
        When the file exists (without ``overwrite``) or cannot be written; and, even with
        ``overwrite``, when it is a legend table the selection's rows come from (their
        ``file`` column) or a file ``atlas`` reads.

    Examples
    --------
    >>> links = atlas_links(load_atlas())                                  # doctest: +SKIP
    >>> write_selection({"links": links}, "links.gpkg")                    # doctest: +SKIP
    >>> write_selection(links[links["leaves_flanders"]], "abroad.xlsx")    # doctest: +SKIP
    """
    target = Path(path)
    suffix = target.suffix.lower()
    frames = dict(selection) if isinstance(selection, Mapping) else {"selection": selection}
    inputs = _tables_of(frames)
    if atlas is not None:
        from .build import build_inputs

        inputs |= build_inputs(atlas)
    refuse_own_inputs([target], inputs)
    if suffix == ".gpkg":
        import pyogrio

        with atomic_path(target, overwrite=overwrite) as temporary:
            for name, frame in frames.items():
                if isinstance(frame, gpd.GeoDataFrame):
                    gpd.GeoDataFrame(_flat(frame)).to_file(temporary, layer=name, driver="GPKG")
                else:
                    pyogrio.write_dataframe(_flat(frame), temporary, layer=name, driver="GPKG")
        return target
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{target.name}: expected a .gpkg, .csv or .xlsx file")
    if len(frames) != 1:
        raise ValueError(f"{target.name}: a {suffix} file holds one table, not "
                         f"{sorted(frames)}; write them to a .gpkg, or one at a time")
    (name, frame), = frames.items()
    if suffix == ".csv":
        return write_csv(_sheet(frame), target, overwrite=overwrite)
    return write_xlsx(_sheet(frame), target, overwrite=overwrite, sheet_name=name[:31])

