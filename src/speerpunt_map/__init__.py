"""speerpunt_map: maps of the spearhead sectors (speerpuntsectoren) of Flanders.

The pipeline, one module a step (the README's "How the code is laid out" lists them all):
resources (:class:`Resources`) → catalogue and legend tables (:func:`read_catalogue`,
:func:`read_legend`) → places and boundaries (:class:`Gazetteer`, :func:`load_boundaries`) →
GeoDataFrames (:func:`load_atlas`, :class:`MapLayers`) → what a map says (:func:`describe`) →
pages and figures (:func:`map_from_layers`, :func:`html_from_layers`, :func:`save_figure`; one's
own GeoDataFrames: :func:`map_from_frames`) →
the whole atlas (:func:`build_atlas`); across the atlas, the analysis (:func:`sector_matrix`,
:func:`compare_regions`, :func:`atlas_links`, :func:`link_graph`).

The renderers and the build are imported on first use, so that ``import speerpunt_map`` (and
the command line) does not load folium and matplotlib until a map is drawn.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ._errors import BoundaryError, GeodataError, LegendError, OutputError, Problem, SpeerpuntError
from .analysis import atlas_links, combine_atlases, matrix_table, sector_matrix, write_selection
from .atlas import Atlas, MapLayers, load_atlas
from .boundaries import Boundaries, load_boundaries
from .catalogue import Catalogue, MapSpec, read_catalogue
from .comparison import Comparison, compare_regions
from .description import FeatureText, MapDescription, describe
from .gazetteer import Gazetteer, PlaceRef, load_gazetteer
from .legend import Legend, read_legend, validate
from .options import BoundaryOptions
from .resources import Resources
from .vocab import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from .build import BuildResult, build_atlas
    from .frames import map_from_frames
    from .interactive import (
        fragment_from_layers,
        fragment_from_map,
        html_from_layers,
        html_from_map,
        map_from_layers,
        save_html,
    )
    from .network import (
        degree_by_region,
        graph_from_links,
        leaving_flanders,
        link_graph,
        plot_link_graph,
        strongest_pairs,
    )
    from .side_by_side import SideBySide, side_by_side
    from .static import figure_bytes, figure_from_layers, save_figure

try:
    __version__ = version("speerpunt_map")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

_LAZY = {
    "BuildResult": "build", "build_atlas": "build",
    "fragment_from_layers": "interactive", "html_from_layers": "interactive",
    "map_from_layers": "interactive", "save_html": "interactive",
    "fragment_from_map": "interactive", "html_from_map": "interactive",
    "map_from_frames": "frames",
    "figure_bytes": "static", "figure_from_layers": "static", "save_figure": "static",
    "degree_by_region": "network", "graph_from_links": "network",
    "leaving_flanders": "network", "link_graph": "network", "plot_link_graph": "network",
    "strongest_pairs": "network",
    "SideBySide": "side_by_side", "side_by_side": "side_by_side",
}


def __getattr__(name: str) -> Any:
    """The renderers and the build, imported when first asked for."""
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Atlas",
    "Boundaries",
    "BoundaryError",
    "BoundaryOptions",
    "BuildResult",
    "Catalogue",
    "Comparison",
    "FeatureText",
    "Gazetteer",
    "GeodataError",
    "Legend",
    "LegendError",
    "MapDescription",
    "MapLayers",
    "MapSpec",
    "OutputError",
    "PlaceRef",
    "Problem",
    "Resources",
    "SideBySide",
    "SpeerpuntError",
    "Vocabulary",
    "__version__",
    "atlas_links",
    "build_atlas",
    "combine_atlases",
    "compare_regions",
    "degree_by_region",
    "describe",
    "figure_bytes",
    "figure_from_layers",
    "fragment_from_layers",
    "fragment_from_map",
    "graph_from_links",
    "html_from_layers",
    "html_from_map",
    "leaving_flanders",
    "link_graph",
    "load_atlas",
    "load_boundaries",
    "load_gazetteer",
    "load_vocabulary",
    "map_from_frames",
    "map_from_layers",
    "matrix_table",
    "plot_link_graph",
    "read_catalogue",
    "read_legend",
    "save_figure",
    "save_html",
    "side_by_side",
    "sector_matrix",
    "strongest_pairs",
    "validate",
    "write_selection",
]
