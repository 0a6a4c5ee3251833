# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The link network: every link of the atlas as a graph
#
# The legends name *links*: infrastructure (a motorway, a port's hinterland) or cooperation
# (a knowledge network, a cross-border partnership). `atlas_links` puts every link of every
# map in one GeoDataFrame, with the region each end lies in (its RESOC or province in
# Flanders, its country abroad) and the actor it is credited to; `link_graph` turns them into
# a networkx graph with places as nodes. This notebook answers what a policy analyst asks:
# which regions are the busiest, which links leave Flanders and where to, and which places
# are joined most often.

# %%
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from speerpunt_map import (
    atlas_links,
    degree_by_region,
    leaving_flanders,
    link_graph,
    load_atlas,
    plot_link_graph,
    strongest_pairs,
    write_selection,
)
from speerpunt_map.resources import shipped_legends

pd.set_option("display.max_colwidth", 45)
atlas = load_atlas(shipped_legends())

# %% [markdown]
# ## The links, one table

# %%
links = atlas_links(atlas)
print(f"{len(links)} links on {links['map_id'].nunique()} maps")
links.groupby("link_type").size()

# %% [markdown]
# Every link has its actor. Some Limburg rows print no source: the legend's convention
# draws such a link (when it names no start either) from the region of the map's first
# actor, and credits it accordingly; `actor_basis` says which rule gave each link its actor.

# %%
links.groupby("actor_basis").size()

# %%
links[links["actor_basis"] != "row's source actor"][
    ["map_id", "name", "actor", "actor_basis"]]

# %% [markdown]
# ## The graph

# %%
graph = link_graph(atlas)
print(f"{graph.number_of_nodes()} places, {graph.number_of_edges()} links")
degree_by_region(graph).head(10)

# %% [markdown]
# ## Links that leave Flanders, and where to
#
# An end outside Flanders is in its country; Brussels and Wallonia are "België (buiten
# Vlaanderen)".

# %%
abroad = leaving_flanders(graph)
print(f"{len(abroad)} links leave Flanders")
abroad.groupby("destination_region_name").size().sort_values(ascending=False)

# %%
abroad[["map_id", "name", "flemish_region", "destination_name", "destination_country",
        "length_km"]]

# %% [markdown]
# ## The strongest pairs
#
# The places (or regions) most links join, in either direction:

# %%
strongest_pairs(graph, top=8)[["a_name", "b_name", "links", "sectors"]]

# %%
strongest_pairs(graph, level="region", top=8)[["a_name", "b_name", "links", "sectors"]]

# %% [markdown]
# ## A picture of the graph
#
# Each place where it lies, sized by its number of links; squares lie outside Flanders;
# dashed lines are organisational links. Drawn with matplotlib, offline.

# %%
ax = plot_link_graph(graph, boundaries=atlas.boundaries)
ax.set_title("Links of the spearhead-sector maps (c. 2013)")

# %% [markdown]
# ## Export
#
# The links to a GeoPackage for QGIS (one layer per frame) and those leaving Flanders to a
# spreadsheet:

# %%
with tempfile.TemporaryDirectory() as folder:
    gpkg = write_selection({"links": links, "leaving_flanders": abroad},
                           Path(folder) / "links.gpkg")
    print("wrote", gpkg.name, "with layers", ", ".join(sorted(gpd.list_layers(gpkg)["name"])))
    xlsx = write_selection(links[links["leaves_flanders"]], Path(folder) / "abroad.xlsx")
    print("wrote", xlsx.name)
