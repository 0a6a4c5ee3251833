"""speerpunt_map: maps of the spearhead sectors (speerpuntsectoren) of Flanders.

The pipeline, one module a step: legend tables (:mod:`~speerpunt_map.legend`) → places
(:mod:`~speerpunt_map.gazetteer`, :mod:`~speerpunt_map.boundaries`) → GeoDataFrames
(:mod:`~speerpunt_map.geometry`, :mod:`~speerpunt_map.atlas`) → maps and figures.
"""

from importlib.metadata import PackageNotFoundError, version

from ._errors import BoundaryError, GeodataError, LegendError, OutputError, Problem, SpeerpuntError
from .atlas import Atlas, MapLayers, load_atlas
from .boundaries import Boundaries, load_boundaries
from .gazetteer import Gazetteer, PlaceRef, load_gazetteer
from .legend import Catalogue, Legend, MapSpec, read_catalogue, read_legend, validate
from .vocab import Vocabulary, load_vocabulary

try:
    __version__ = version("speerpunt_map")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "Atlas",
    "Boundaries",
    "BoundaryError",
    "Catalogue",
    "Gazetteer",
    "GeodataError",
    "Legend",
    "LegendError",
    "MapLayers",
    "MapSpec",
    "OutputError",
    "PlaceRef",
    "Problem",
    "SpeerpuntError",
    "Vocabulary",
    "__version__",
    "load_atlas",
    "load_boundaries",
    "load_gazetteer",
    "load_vocabulary",
    "read_catalogue",
    "read_legend",
    "validate",
]
