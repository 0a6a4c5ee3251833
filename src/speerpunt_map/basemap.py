"""The orienting base map: the North Sea, the coast, the main rivers, national borders, names.

The geometry is the project's derivation of GSHHG 2.3.7 (Wessel & Smith, LGPL-3+) in the
shipped ``geodata/basemap/`` (see its README and ``geodata/tools/derive_basemap.py``); the names
and their positions are ``geodata/basemap/labels.csv``, one row per label with its source. Both
the page and the figure draw from :func:`load_basemap`, in one order: sea, land and regions,
rivers, coastline, borders, the map's own features, then the labels.

Examples
--------
>>> from speerpunt_map.basemap import load_basemap
>>> base = load_basemap()
>>> sorted(base.layers)
['borders', 'coastline', 'rivers', 'sea']
>>> base.label("gent").name("en")
'Ghent'
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from ._errors import GeodataError
from ._paths import shipped_geodata
from ._types import Language

__all__ = ["BASEMAP_KINDS", "BaseLabel", "BaseMap", "load_basemap"]

#: The layers of the base map, in drawing order (bottom first).
BASEMAP_KINDS = ("sea", "rivers", "coastline", "borders")
#: Label kinds, in the order they are placed (the first get the best positions).
LABEL_KINDS = ("city", "country", "region", "sea", "river")


@dataclass(frozen=True)
class BaseLabel:
    """One name of the base map, at its position (WGS84 longitude / latitude)."""

    id: str
    name_nl: str
    name_en: str
    kind: str
    lon: float
    lat: float
    source: str

    def name(self, language: Language) -> str:
        """The name in ``language``."""
        return self.name_en if language == "en" else self.name_nl


@dataclass(frozen=True)
class BaseMap:
    """The base map's layers (one geometry each, WGS84) and its labels."""

    layers: dict[str, BaseGeometry]
    labels: tuple[BaseLabel, ...]
    folder: Path

    def label(self, label_id: str) -> BaseLabel:
        """The label with id ``label_id``."""
        for label in self.labels:
            if label.id == label_id:
                return label
        raise KeyError(label_id)

    def clipped(self, bounds: tuple[float, float, float, float]) -> dict[str, BaseGeometry]:
        """Each layer cut to ``bounds`` (west, south, east, north); empty layers left out."""
        box = shapely.box(*bounds)
        out = {}
        for kind in BASEMAP_KINDS:
            part = shapely.intersection(self.layers[kind], box)
            if not part.is_empty:
                out[kind] = part
        return out

    def labels_in(self, bounds: tuple[float, float, float, float]) -> list[BaseLabel]:
        """The labels inside ``bounds``, in placing order (cities first)."""
        west, south, east, north = bounds
        inside = [label for label in self.labels
                  if west <= label.lon <= east and south <= label.lat <= north]
        return sorted(inside, key=lambda label: LABEL_KINDS.index(label.kind)
                      if label.kind in LABEL_KINDS else len(LABEL_KINDS))


def _layer(path: Path) -> BaseGeometry:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        parts = [shapely.geometry.shape(feature["geometry"])
                 for feature in collection["features"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GeodataError(f"{path}: not a base-map GeoJSON layer ({error})") from error
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _labels(path: Path) -> tuple[BaseLabel, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = []
    for number, row in enumerate(rows, start=2):
        try:
            labels.append(BaseLabel(row["id"], row["name_nl"], row["name_en"], row["kind"],
                                    float(row["lon"]), float(row["lat"]), row["source"]))
        except (KeyError, TypeError, ValueError) as error:
            raise GeodataError(f"{path}, row {number}: {error}") from error
    return tuple(labels)


@cache
def _load(folder: Path) -> BaseMap:
    layers = {kind: _layer(folder / f"{'sea' if kind == 'sea' else kind}.geojson")
              for kind in BASEMAP_KINDS}
    return BaseMap(layers, _labels(folder / "labels.csv"), folder)


def load_basemap(geodata: str | Path | None = None) -> BaseMap:
    """The base map of a geodata folder (the shipped one by default), read once per process.

    Parameters
    ----------
    geodata
        A folder with a ``basemap/`` sub-folder laid out as the shipped one (one without it
        gets the shipped base map).

    Returns
    -------
    BaseMap
    """
    folder = Path(geodata) if geodata is not None else shipped_geodata()
    if not (folder / "basemap").is_dir():  # a geodata folder of one's own without a base map
        folder = shipped_geodata()
    return _load((folder / "basemap").resolve())
