"""Regions × sectors: which province or RESOC chose which spearhead sector.

The report's Tables 5–9 (summarised in its Figures 11–12) are kept as
``legends/inventory.csv``: one row per (region, sector) cell, with what it was reconstructed
from. :func:`inventory_matrix` turns it into a regions × sectors table; :func:`write_matrix`
writes it as CSV and as an HTML heat map (``speerpunt-map matrix``, and every build).
:func:`actor_sector_counts` counts what the legends draw per actor and sector.

For analysis, :func:`speerpunt_map.analysis.sector_matrix` gives the same inventory in long
form beside what the catalogue and the drawn rows say, and
:func:`speerpunt_map.comparison.compare_regions` compares two regions.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ._errors import GeodataError
from ._io import OutputFolder
from ._paths import shipped_legends
from ._tables import neutralise_formula
from ._types import Language
from .atlas import Atlas
from .pages import matrix_page
from .resources import Resources
from .style import Labels
from .vocab import Vocabulary, load_vocabulary

__all__ = ["actor_sector_counts", "inventory_matrix", "load_inventory", "write_matrix",
           "write_matrix_into"]

# The inventory's basis codes, each with a label ``matrix_basis_<code>`` in labels.csv.
_BASIS = ("table", "prose", "annex", "unknown")
_COLUMNS = ("region", "sector", "sector_as_printed", "document", "period", "recent", "basis",
            "evidence", "source")


def load_inventory(path: str | Path | None = None, *,
                   vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """The region × sector inventory, checked against the vocabularies.

    Parameters
    ----------
    path
        An ``inventory.csv`` (the shipped one by default).
    vocabulary
        The actors and sectors its rows must name (the shipped ones by default).

    Returns
    -------
    pandas.DataFrame
        One row per (region, sector) cell, every column as text.

    Raises
    ------
    GeodataError
        When a row names an unknown region or sector, or ``recent`` is not yes/unknown.
    """
    path = Path(path) if path is not None else shipped_legends() / "inventory.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise GeodataError(f"{path}: missing column(s) {missing}")
    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        if row.region not in vocabulary.actors:
            raise GeodataError(f"{path}, row {number}: region {row.region!r} is not an actor id")
        if row.sector not in vocabulary.sectors:
            raise GeodataError(f"{path}, row {number}: sector {row.sector!r} is not a sector id")
        if row.recent not in ("yes", "unknown"):
            raise GeodataError(f"{path}, row {number}: recent {row.recent!r}: expected yes or "
                               "unknown")
    duplicated = frame[frame.duplicated(["region", "sector"], keep=False)]
    if not duplicated.empty:
        raise GeodataError(f"{path}: (region, sector) listed twice: "
                           f"{sorted(set(zip(duplicated.region, duplicated.sector, strict=True)))}")
    return frame


def inventory_matrix(inventory: pd.DataFrame | None = None, *, language: Language = "nl",
                     vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """The inventory as regions (rows, grouped by province) × sectors (columns).

    A cell is ``"x"`` where the region chose the sector, ``"x (recent)"`` where the report says
    it came up in the 2013 update, and empty otherwise.

    Parameters
    ----------
    inventory
        From :func:`load_inventory` (the shipped inventory by default).
    language
        The language of the region and sector labels.
    vocabulary
        The actors and sectors (the shipped ones by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by region name; one column per sector label.

    Examples
    --------
    >>> resources = Resources.load()                                        # doctest: +SKIP
    >>> inventory_matrix(resources.inventory(), vocabulary=resources.vocabulary)  # doctest: +SKIP
    """
    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    inventory = load_inventory(vocabulary=vocabulary) if inventory is None else inventory
    actors = [a for a in vocabulary.actors.values() if a.id in set(inventory["region"])]
    actors.sort(key=lambda a: (a.province, a.kind != "province", a.name_nl))
    sectors = [s for s in vocabulary.sectors.values() if s.id in set(inventory["sector"])]
    cells = {(r.region, r.sector): "x (recent)" if r.recent == "yes" else "x"
             for r in inventory.itertuples(index=False)}
    matrix = pd.DataFrame(
        [[cells.get((a.id, s.id), "") for s in sectors] for a in actors],
        index=pd.Index([a.name(language) for a in actors], name="region"),
        columns=[s.label(language) for s in sectors])
    return matrix


def write_matrix(output: str | Path, *, language: Language = "nl",
                 inventory: pd.DataFrame | None = None, overwrite: bool = False,
                 resources: Resources | None = None, atlas: Atlas | None = None) -> list[Path]:
    """Write ``matrix.csv`` (for spreadsheets) and ``matrix.html`` (a heat map) into ``output``.

    Both are written atomically and recorded in the folder's manifest, like a build's files: a
    ``matrix.csv`` that speerpunt-map did not write is replaced only with ``overwrite``.

    Parameters
    ----------
    output
        The folder.
    language
        ``"nl"`` or ``"en"``.
    inventory
        The cells (default: the inventory of ``resources``).
    overwrite
        Replace files speerpunt-map did not write.
    resources
        The vocabulary, words and inventory (the shipped ones by default).
    atlas
        The atlas of the catalogue in use. For a catalogue other than the shipped one (a
        workspace's), the matrix covers *its* maps: one cell per region and sector that a map
        names (basis ``catalogue``) or draws rows of (basis ``drawn``), as
        :func:`speerpunt_map.analysis.sector_matrix` defines them; ``matrix.csv`` is then that
        long form, with its ``basis`` column, and ``matrix.html`` the grid of
        :func:`speerpunt_map.analysis.matrix_table` (``C``, ``D``, ``CD``). For the shipped
        catalogue, the report's inventory.

    Returns
    -------
    list of Path
        The two paths.
    """
    return write_matrix_into(OutputFolder(output, overwrite=overwrite),
                             resources or (atlas.resources if atlas else Resources.load()),
                             language=language, inventory=inventory, atlas=atlas)


def write_matrix_into(folder: OutputFolder, resources: Resources, *, language: Language = "nl",
                      inventory: pd.DataFrame | None = None,
                      atlas: Atlas | None = None) -> list[Path]:
    """:func:`write_matrix` into an output folder a build is writing (one manifest)."""
    output = folder.path
    for file_name in ("matrix.csv", "matrix.html"):
        folder.check(output / file_name)
    if atlas is not None and inventory is None and not _is_shipped(atlas):
        return _write_catalogue_matrix(folder, atlas, language)
    inventory = resources.inventory() if inventory is None else inventory
    matrix = inventory_matrix(inventory, language=language, vocabulary=resources.vocabulary)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([matrix.index.name, *matrix.columns])
    for name, values in matrix.iterrows():
        writer.writerow([neutralise_formula(str(v)) for v in (str(name), *values)])
    csv_path = folder.write_bytes(output / "matrix.csv", buffer.getvalue().encode("utf-8-sig"))
    html_path = folder.write_text(output / "matrix.html",
                                  _matrix_html(inventory, matrix, language, resources))
    return [csv_path, html_path]


def _basis(value: str, t: Labels) -> str:
    """The inventory's ``basis`` (``table|prose|annex``) in the page's language; a value that
    is not made of those codes as written."""
    codes = value.split("|")
    if value and all(c in _BASIS for c in codes):
        return t("matrix_basis", basis=", ".join(t(f"matrix_basis_{c}") for c in codes))
    return value


def _matrix_html(inventory: pd.DataFrame, matrix: pd.DataFrame, language: Language,
                 resources: Resources) -> str:
    t = resources.labels(language)
    vocabulary = resources.vocabulary
    details: dict[tuple[str, str], str] = {}
    for cell in inventory.to_dict("records"):
        actor = vocabulary.actors[cell["region"]].name(language)
        sector = vocabulary.sectors[cell["sector"]].label(language)
        details[actor, sector] = (f"{cell['sector_as_printed']} — {cell['document']} "
                                  f"{cell['period']} ({_basis(cell['basis'], t)})").strip()
    kinds = {a.name(language): a.kind for a in vocabulary.actors.values()}
    shown = {"": "", "x": t("matrix_cell"), "x (recent)": t("matrix_cell_recent")}
    rows = [{"name": name, "kind": kinds.get(name, ""),
             "cells": [{"value": shown[value], "recent": value == "x (recent)",
                        "title": details.get((name, column), "")}
                       for column, value in zip(matrix.columns, values, strict=True)]}
            for name, values in zip(map(str, matrix.index), matrix.to_numpy().tolist(),
                                    strict=True)]
    totals = [int((matrix[c] != "").sum()) for c in matrix.columns]
    return matrix_page(t, list(matrix.columns), rows, totals)


def actor_sector_counts(atlas: Atlas) -> pd.DataFrame:
    """Points, zones and links the legends draw per source actor and sector.

    One row per (actor, sector) with columns ``points``, ``zones``, ``links``: who names what
    where, across all maps of the atlas; rows that name no source count for ``(no source)``.
    (:func:`speerpunt_map.analysis.sector_matrix` with ``basis="drawn"`` gives the same counts
    per region, with links that name no source credited as the legend's convention draws
    them.)
    """
    records = []
    for map_id, spec in atlas.maps.items():
        layers = atlas.map(map_id, strict=False)
        for kind, frame in (("points", layers.points), ("zones", layers.zones),
                            ("links", layers.links)):
            for actor_ids in frame["actor_ids"] if len(frame) else []:
                for actor in actor_ids or ("(no source)",):
                    records.append({"actor": actor, "sector": spec.sector.id, "kind": kind})
    frame = pd.DataFrame(records, columns=["actor", "sector", "kind"])
    counts = frame.groupby(["actor", "sector", "kind"]).size().unstack("kind", fill_value=0)
    return counts.reindex(columns=["points", "zones", "links"], fill_value=0).reset_index()


def _is_shipped(atlas: Atlas) -> bool:
    """Whether the atlas is the shipped catalogue's (whose matrix is the report's inventory)."""
    shipped = (shipped_legends() / "catalogue.toml").resolve()
    return atlas.resources.workspace is None and atlas.catalogue.path.resolve() == shipped


#: What the cells of a catalogue's matrix say, in each language.
_CATALOGUE_NOTE = {
    "nl": "Per cel de basis: C = catalogus (de kaart noemt de regio bij 'Speerpuntsector in'), "
          "D = getekend (de regio is bron van punten, zones of verbindingen van de kaart). "
          "Alle kaarten van de catalogus; per cel de kaarten en bronnen in matrix.csv.",
    "en": "Each cell gives its basis: C = catalogue (the map lists the region as having chosen "
          "the sector), D = drawn (the region is the source of points, zones or links of the "
          "map). Every map of the catalogue; the maps and sources per cell in matrix.csv.",
}
_LONG_COLUMNS = ("region_name", "region", "sector_label", "sector", "basis", "period", "maps",
                 "points", "zones", "links", "as_printed", "source")


class _Words(Labels):
    """The words of a catalogue's matrix page: the labels, with its own note."""

    def __init__(self, labels: Labels) -> None:
        super().__init__(labels._table, labels.language)

    def __call__(self, key: str, **values: object) -> str:
        if key == "matrix_note":
            return _CATALOGUE_NOTE[self.language]
        return super().__call__(key, **values)


def _write_catalogue_matrix(folder: OutputFolder, atlas: Atlas,
                            language: Language) -> list[Path]:
    """``matrix.csv`` (long form, with the basis) and ``matrix.html`` (the grid) of the maps
    of the atlas's own catalogue."""
    from .analysis import matrix_table, sector_matrix

    output = folder.path
    matrix = sector_matrix(atlas, basis=("catalogue", "drawn"), language=language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_LONG_COLUMNS)
    for record in matrix.to_dict("records"):
        cells = ["|".join(v) if isinstance(v, tuple) else "" if pd.isna(v) else str(v)
                 for v in (record[c] for c in _LONG_COLUMNS)]
        writer.writerow([neutralise_formula(c) for c in cells])
    csv_path = folder.write_bytes(output / "matrix.csv", buffer.getvalue().encode("utf-8-sig"))
    grid = matrix_table(matrix) if len(matrix) else pd.DataFrame()
    details: dict[tuple[str, str], list[str]] = {}
    for record in matrix.to_dict("records"):
        details.setdefault((record["region_name"], record["sector_label"]), []).append(
            f"{record['basis']}: {', '.join(record['maps'])}")
    kinds = {a.name(language): a.kind for a in atlas.vocabulary.actors.values()}
    rows = [{"name": name, "kind": kinds.get(name, ""),
             "cells": [{"value": value, "recent": False,
                        "title": "; ".join(details.get((name, column), []))}
                       for column, value in zip(grid.columns, values, strict=True)]}
            for name, values in zip(map(str, grid.index), grid.to_numpy().tolist(),
                                    strict=True)]
    totals = [int((grid[c] != "").sum()) for c in grid.columns]
    words = _Words(atlas.resources.labels(language))
    html_path = folder.write_text(output / "matrix.html",
                                  matrix_page(words, list(grid.columns), rows, totals))
    return [csv_path, html_path]
