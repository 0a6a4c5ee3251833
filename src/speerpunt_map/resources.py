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
from .gazetteer import Gazetteer, load_gazetteer
from .options import BoundaryOptions
from .style import Labels, Palette, load_label_table, load_palette
from .vocab import Vocabulary, load_vocabulary

__all__ = ["LEGEND_FILES", "Resources", "shipped_geodata", "shipped_legends"]

#: The files of a legends folder that the resources read (beside catalogue and tables).
LEGEND_FILES = ("sectors.csv", "actors.csv", "scopes.csv", "labels.csv", "palette.csv",
                "inventory.csv", "overviews.csv")


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
    """

    files: dict[str, Path]
    geodata: Path
    vocabulary: Vocabulary
    gazetteer: Gazetteer
    palette: Palette
    boundary_options: BoundaryOptions = field(default_factory=BoundaryOptions)

    @classmethod
    def load(cls, legends: str | Path | None = None, geodata: str | Path | None = None, *,
             boundary_options: BoundaryOptions | None = None) -> Resources:
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

        Returns
        -------
        Resources

        Raises
        ------
        GeodataError
            When a vocabulary, gazetteer or palette file is malformed.
        """
        folder = Path(legends) if legends is not None else None
        if folder is not None and folder.suffix.lower() == ".toml":
            folder = folder.parent
        files = {name: _pick(folder, name) for name in LEGEND_FILES}
        vocabulary = load_vocabulary(files["sectors.csv"].parent, files=files)
        geodata_folder = Path(geodata).resolve() if geodata is not None else shipped_geodata()
        return cls(files=files, geodata=geodata_folder, vocabulary=vocabulary,
                   gazetteer=load_gazetteer(geodata_folder, vocabulary=vocabulary),
                   palette=load_palette(files["palette.csv"]),
                   boundary_options=boundary_options or BoundaryOptions())

    def labels(self, language: Language = "nl") -> Labels:
        """The words of maps and figures in ``language``."""
        return Labels(load_label_table(self.files["labels.csv"]), language)

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
