"""Everything a build reads, in one object passed explicitly: :class:`Resources`.

The shipped data (``legends/`` and ``geodata/`` at the top of the repository) is installed as
package data and found through :mod:`importlib.resources`, so an installed wheel finds it as
an editable checkout does. A legends or geodata folder of one's own replaces the shipped files
it holds, file by file: a folder with its own ``sectors.csv``, ``labels.csv`` and
``palette.csv`` gets its own sectors, words and colours, and the shipped ones for the rest.

>>> resources = Resources.load()                      # doctest: +SKIP
>>> resources.vocabulary.sector("logistiek").label_en  # doctest: +SKIP
'logistics'
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ._paths import shipped_geodata, shipped_legends
from ._types import Language
from ._workspace_merge import Merged, merge_rows, read_rows, vocabulary_from_rows
from .catalogue import with_actor_scopes
from .gazetteer import Gazetteer, load_gazetteer
from .options import BoundaryOptions
from .style import Labels, Palette, load_label_table, load_palette
from .vocab import Vocabulary, load_vocabulary
from .workspace import OWN_FILES, Workspace

__all__ = ["LEGEND_FILES", "Resources", "shipped_geodata", "shipped_legends"]

#: The files of a legends folder that the resources read (beside catalogue and tables).
LEGEND_FILES = ("sectors.csv", "actors.csv", "scopes.csv", "labels.csv", "palette.csv",
                "inventory.csv", "overviews.csv")


def _merged_rows(shipped: Path, own: Path | None, merged: Merged) -> list[dict[str, str]]:
    """The rows of a shipped file, with a workspace's own file of that name added."""
    with shipped.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if own is None:
        return rows
    return merge_rows(rows, shipped, read_rows(own), own, OWN_FILES[own.name], merged)


def _pick(folder: Path | None, name: str) -> Path:
    """``folder/name`` when the folder has that file, else the shipped one."""
    if folder is not None and (folder / name).is_file():
        return (folder / name).resolve()
    return shipped_legends() / name


@dataclass(frozen=True)
class Resources:
    """The vocabulary, words, colours, geography and boundary options of a build.

    Build it with :meth:`Resources.load`; an :class:`~speerpunt_map.Atlas` carries one, and
    every renderer reads its words and colours from the one its map was made with.

    Attributes
    ----------
    files
        The legend files read, by name (``"sectors.csv"`` → its path): shipped or one's own.
    geodata
        The geodata folder (gazetteer, zones, municipalities, RESOC membership).
    vocabulary
        Sectors, actors and scopes.
    gazetteer
        Places, custom zones, municipalities and the crosswalk between vintages.
    palette
        The colour schemes (``palette.csv``).
    boundary_options
        How the boundaries are loaded (a municipality file, or the built-in ones).
    workspace
        The workspace whose files were added to the shipped ones, if any.
    label_table
        The words (``labels.csv`` rows by key) when a workspace adds its own.
    overrides
        The workspace rows that replace shipped ones ("file, row N overrides …").
    """

    files: dict[str, Path]
    geodata: Path
    vocabulary: Vocabulary
    gazetteer: Gazetteer
    palette: Palette
    boundary_options: BoundaryOptions = field(default_factory=BoundaryOptions)
    workspace: Workspace | None = None
    label_table: dict[str, dict[str, str]] | None = None
    overrides: tuple[str, ...] = ()

    @classmethod
    def load(cls, legends: str | Path | None = None, geodata: str | Path | None = None, *,
             boundary_options: BoundaryOptions | None = None,
             workspace: Workspace | None = None) -> Resources:
        """Read the resources: the shipped data, with the files of one's own folders over it.

        Parameters
        ----------
        legends
            A legends folder (or a ``catalogue.toml`` in one). Each of :data:`LEGEND_FILES` it
            holds replaces the shipped file of that name.
        geodata
            A folder laid out like the shipped ``geodata/`` (the shipped one by default).
        boundary_options
            How to load the boundaries (default: the built-in boundaries).
        workspace
            A workspace (:class:`speerpunt_map.workspace.Workspace`) whose places, zones,
            actors, sectors, scopes, words and colours are *added* to the others: a row that
            would replace one is an error unless it says ``override = yes``.

        Returns
        -------
        Resources

        Raises
        ------
        GeodataError
            When a vocabulary, gazetteer or palette file is malformed, or a workspace row
            clashes with a shipped one.
        """
        folder = Path(legends) if legends is not None else None
        if folder is not None and folder.suffix.lower() == ".toml":
            folder = folder.parent
        if folder is not None and workspace is not None and folder.resolve() == workspace.root:
            folder = None  # a workspace's own files are added, not swapped in
        files = {name: _pick(folder, name) for name in LEGEND_FILES}
        merged = Merged()
        own = workspace.own_files() if workspace is not None else {}
        rows = {name: _merged_rows(files[name], own.get(name), merged) for name in OWN_FILES}
        if own:
            merged.raise_mistakes()
            vocabulary = vocabulary_from_rows(rows["sectors.csv"], rows["actors.csv"],
                                              rows["scopes.csv"])
        else:
            vocabulary = load_vocabulary(files["sectors.csv"].parent, files=files)
        vocabulary = with_actor_scopes(vocabulary)
        geodata_folder = Path(geodata).resolve() if geodata is not None else shipped_geodata()
        gazetteer = load_gazetteer(geodata_folder, vocabulary=vocabulary,
                                   places=workspace.places if workspace else None,
                                   zones=workspace.zones if workspace else None)
        palette: Palette = {}
        for row in rows["palette.csv"]:
            palette.setdefault(row["scheme"], {})[row["key"]] = row["colour"]
        return cls(files=files, geodata=geodata_folder, vocabulary=vocabulary,
                   gazetteer=gazetteer,
                   palette=palette if own else load_palette(files["palette.csv"]),
                   boundary_options=boundary_options or BoundaryOptions(), workspace=workspace,
                   label_table={r["key"]: r for r in rows["labels.csv"]} if own else None,
                   overrides=(*merged.overrides, *gazetteer.overrides))

    def labels(self, language: Language = "nl") -> Labels:
        """The words of maps and figures in ``language``."""
        table = self.label_table or load_label_table(self.files["labels.csv"])
        return Labels(table, language)

    @property
    def inventory_path(self) -> Path:
        """The region × sector inventory table (``inventory.csv``)."""
        return self.files["inventory.csv"]

    @cached_property
    def overview_figures(self) -> dict[str, int]:
        """The report's figure number of each Flanders overview (``overviews.csv``)."""
        with self.files["overviews.csv"].open(encoding="utf-8-sig", newline="") as handle:
            return {row["id"]: int(row["figure"]) for row in csv.DictReader(handle)}

    def inventory(self) -> pd.DataFrame:
        """The region × sector inventory, checked against the vocabulary."""
        from .compare import load_inventory

        return load_inventory(self.inventory_path, vocabulary=self.vocabulary)
