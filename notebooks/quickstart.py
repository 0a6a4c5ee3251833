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
# # speerpunt_map — quickstart
#
# Flemish provinces and their RESOC regions each chose *spearhead sectors*
# (speerpuntsectoren: logistics, cleantech, care, …) and named, for each sector, the
# **points** (actors, organisations, places), **zones** (economic zones, areas a policy
# targets) and **links** (infrastructure or organisational connections) that matter. The
# report behind this toolkit (c. 2013) prints one *legend table* per map: 39 maps, one per
# province and sector. `speerpunt_map` turns those tables into GeoDataFrames.
#
# This notebook walks through the basics:
#
# 1. open the atlas, list its maps and validate its legend tables;
# 2. load the two Antwerpen maps of the report (Figures 13 and 14) as points, zones and links;
# 3. compute what an analyst would: link lengths, zone areas, what the two maps share;
# 4. export a map to a GeoPackage for QGIS;
# 5. show a map inline; 6. the region × sector matrix.
#
# The other notebooks go further: `two_regions.py` (RESOC Kempen and Limburg on cleantech),
# `flanders_by_sector.py` (the matrix and an overview), `west_flanders_2013_2019.py` (two
# periods) and `link_network.py` (the links as a graph).
#
# The maps only *indicate* the geography of policy initiatives; they are no inventory.

# %%
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

import speerpunt_map
from speerpunt_map import load_atlas, map_from_layers, sector_matrix, validate
from speerpunt_map.resources import shipped_legends

pd.set_option("display.max_colwidth", 60)
print("speerpunt_map", speerpunt_map.__version__)

# %% [markdown]
# ## 1. The atlas and its maps
#
# `load_atlas(folder)` opens the catalogue of a legends folder — here the shipped one
# (`legends/catalogue.toml`, found with `shipped_legends()`) — and the gazetteer. It reads
# nothing heavy until a map is asked for. Without a boundary file, the administrative
# areas are unions of the shipped 2019 municipalities (derived from the CC0 belgium-topojson
# map): Flanders, its provinces and the RESOC regions as sets of whole municipalities. Pass
# `boundary_file="…/municipalities.geojson"` (any municipality file GDAL reads) to draw on
# your own municipality boundaries instead.

# %%
atlas = load_atlas(shipped_legends())

maps = pd.DataFrame(
    [
        {
            "id": spec.id,
            "province": spec.scope,
            "sector": spec.sector.label_nl,
            "figure": spec.figure,
            "actors": ", ".join(actor.name_nl for actor in spec.actors),
        }
        for spec in atlas.maps.values()
    ]
)
print(len(maps), "maps")
maps.head(12)

# %% [markdown]
# `validate` checks every table of the catalogue, as `speerpunt-map validate` does: errors
# would keep a row off the map; warnings are the report's own quirks, documented in the
# tables (`accept`).

# %%
problems = validate([atlas.catalogue.path], vocabulary=atlas.vocabulary, gazetteer=atlas.gazetteer)
errors = [p for p in problems if p.severity == "error"]
print(f"{len(errors)} errors, {len(problems) - len(errors)} warnings")

# %% [markdown]
# How many maps per province, and which sectors recur across provinces?

# %%
maps.groupby("province").size().rename("maps")

# %%
(
    maps.groupby("sector")["province"]
    .agg(["count", lambda p: ", ".join(sorted(p))])
    .set_axis(["provinces", "which"], axis=1)
    .sort_values("provinces", ascending=False)
    .head(8)
)

# %% [markdown]
# ## 2. One map as GeoDataFrames
#
# `atlas.map(id)` reads and checks the legend table, resolves every name to a place and
# returns the layers: `points`, `zones`, `links` and `regions` (the region of each actor that
# chose the sector). All are in EPSG:4326 and keep every column of the legend as typed, plus
# the resolved place (`place_id`) and how its geometry was obtained (`geometry_method`).

# %%
logistics = atlas.map("antwerpen/logistiek")
chemistry = atlas.map("antwerpen/chemie-life-sciences")
for layers in (logistics, chemistry):
    print(layers.spec.id, "(figure", f"{layers.spec.figure}):", layers.counts)

# %%
logistics.points[["number", "name", "place_id", "source_actor", "year", "geometry"]].head()

# %%
logistics.zones[["name", "place_id", "place_kind", "source_actor", "area_km2"]].head(8)

# %%
logistics.links[["name", "from_name", "to_name", "link_type", "source_actor"]].head(6)

# %% [markdown]
# A link whose row names no start begins in the region of the actor that named it (the
# report draws "RESOC Kempen → Haven van Antwerpen" that way). `geometry_method` says so,
# and how precise each end is.

# %%
for link in logistics.links.head(3).itertuples():
    print(f"{link.name}: {link.from_name} → {link.to_name}\n   {link.geometry_method[:150]}…")

# %%
chemistry.points[["number", "name", "place_id", "source_actor", "geometry"]].head(8)

# %% [markdown]
# ## 3. A little analysis
#
# Distances and areas are computed in Belgian Lambert 72 (EPSG:31370), a metric CRS. The
# layers already carry `length_km` and `area_km2`; here they are recomputed to show how.

# %%
METRIC = "EPSG:31370"

links = logistics.links.to_crs(METRIC)
links = links.assign(km=(links.length / 1000).round(1))
links[["name", "from_name", "to_name", "link_type", "km", "length_km"]].sort_values(
    "km", ascending=False
)

# %%
links.groupby("link_type")["km"].agg(["count", "sum", "mean"]).round(1)

# %%
zones = chemistry.zones.to_crs(METRIC)
zones.assign(km2=(zones.area / 1e6).round(1))[
    ["name", "annex_x", "place_kind", "km2", "geometry_method"]
].sort_values("km2", ascending=False)

# %% [markdown]
# How far is each chemistry point from the Port of Antwerp? (the report calls the port the
# anchor of the chemical cluster).

# %%
points = chemistry.points.to_crs(METRIC)
port = points.loc[points["place_id"] == "haven-antwerpen", "geometry"].iloc[0]
points.assign(km_to_port=(points.distance(port) / 1000).round(1))[
    ["number", "name", "km_to_port"]
].sort_values("km_to_port")

# %% [markdown]
# Which places appear on both Antwerpen maps, and which actors named them?

# %%
shared = sorted(set(logistics.points["place_id"]) & set(chemistry.points["place_id"]))
both = pd.concat([logistics.rows(), chemistry.rows()])
both[both["place_id"].isin(shared)][["map_id", "kind", "name", "source_actor", "year"]]

# %% [markdown]
# The actors' regions, with their size. `approximate` says whether a region only
# approximates the real one (RESOC regions built from whole judicial cantons were); a map
# drawn from such regions says so.

# %%
regions = logistics.regions.to_crs(METRIC)
regions.assign(km2=(regions.area / 1e6).round(0))[["name", "kind", "approximate", "km2"]]

# %% [markdown]
# ## 4. Export
#
# `to_gpkg` writes the four layers to one GeoPackage (open it in QGIS); `to_csv` writes every
# row with its geometry as WKT, for a spreadsheet. Neither overwrites an existing file unless
# `overwrite=True`.

# %%
with tempfile.TemporaryDirectory() as folder:
    target = logistics.to_gpkg(Path(folder) / "antwerpen-logistiek.gpkg")
    print("wrote", target.name)
    for layer in gpd.list_layers(target)["name"]:
        print(f"  {layer}: {len(gpd.read_file(target, layer=layer))} features")

# %% [markdown]
# ## 5. The interactive map, inline
#
# `map_from_layers` returns a `folium.Map`: it displays here, offline (Leaflet is inlined).
# The legend panel on the map is also its layer control: tick actors and kinds on and off.

# %%
map_from_layers(logistics)

# %% [markdown]
# ## 6. Comparing regions and sectors
#
# `sector_matrix` says which region chose which sector, on three bases: the report's
# inventory (its Tables 5–9), the catalogue (the actors each map lists) and the drawn rows
# (the source actors of a map's points, zones and links). How many regions chose each
# sector, by the inventory?

# %%
matrix = sector_matrix(atlas)
inventory = matrix[matrix["basis"] == "inventory"]
inventory.groupby("sector_label")["region"].count().sort_values(ascending=False).head(8)

# %% [markdown]
# What the legends draw per actor in logistics:

# %%
drawn = matrix[(matrix["basis"] == "drawn") & (matrix["sector"] == "logistiek")]
drawn[["region_name", "points", "zones", "links", "maps"]].sort_values("points", ascending=False)

# %% [markdown]
# ## Next
#
# - `speerpunt-map validate my-table.xlsx` checks a legend table you wrote
#   (start from `speerpunt-map template my-table.xlsx`);
# - `atlas.overview("logistiek")` gathers every province map of a sector into a Flanders
#   overview;
# - `speerpunt-map list` prints all maps with their counts.
