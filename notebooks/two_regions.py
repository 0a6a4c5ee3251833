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
# # Two regions compared: RESOC Kempen and Limburg
#
# RESOC Kempen (the north-east of the province of Antwerp) and Limburg border each other and
# both name cleantech among their spearhead sectors. This notebook compares them with
# `compare_regions`:
#
# 1. the sectors they have in common and those only one of them has, on each *basis* — the
#    report's inventory (Tables 5–9), the catalogue (the actors each map lists as having
#    chosen its sector) and the drawn rows (the source actors of the points, zones and links);
# 2. cleantech in detail: what each draws, where their zones overlap (km², computed in
#    Belgian Lambert 72, EPSG:31370) and the links between them;
# 3. a picture and an export;
# 4. the two maps side by side, panning and zooming together, with the comparison beneath.
#
# A side is an actor (`"resoc-kempen"`: that actor alone) or a province scope (`"limburg"`:
# every actor of the province — provincie Limburg, RESOC Limburg and SALK, whose annex
# tables say "RESOC/Provincie Limburg" and cite SALK as the source of most rows).

# %%
import tempfile
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from speerpunt_map import compare_regions, load_atlas
from speerpunt_map.resources import shipped_legends
from speerpunt_map.side_by_side import side_by_side

pd.set_option("display.max_colwidth", 50)
atlas = load_atlas(shipped_legends())

# %% [markdown]
# ## 1. Sectors in common, per basis

# %%
overall = compare_regions(atlas, "resoc-kempen", "limburg")
overall.summary()

# %%
for basis in ("inventory", "catalogue", "drawn"):
    print(f"shared on the {basis} basis: {', '.join(overall.shared(basis))}")
for basis in ("inventory", "catalogue", "drawn"):
    print(f"only RESOC Kempen ({basis}): {', '.join(overall.only_a(basis))}")

# %% [markdown]
# The bases differ for reasons the data records: the inventory holds Limburg's 2008 sectors
# that were later folded into manufacturing (chemistry, metal, food), which no map draws; the
# annex lists "RESOC Kempen?" for the creative industries, with a question mark.
#
# By sector *group* (the overview groups of `sectors.csv`), Kempen's "chemie en life
# sciences" and Limburg's "life sciences" are one:

# %%
groups = compare_regions(atlas, "resoc-kempen", "limburg", by="group")
print("shared sector groups (any basis):", ", ".join(groups.shared()))

# %% [markdown]
# What each draws per sector (the columns ending in `_a` are RESOC Kempen's, `_b` Limburg's):

# %%
display(overall.counts)

# %% [markdown]
# ## 2. Cleantech

# %%
cleantech = compare_regions(atlas, "resoc-kempen", "limburg", sector="cleantech")
display(cleantech)

# %% [markdown]
# The zones of each side, with their area:

# %%
zones = cleantech.zones.to_crs("EPSG:31370")
zones.assign(km2=(zones.area / 1e6).round(1))[["side", "name", "map_id", "km2"]]

# %% [markdown]
# Where they overlap. The figure depends on the geography the zones are drawn with: the
# Campina project (Mol, Geel, Dessel, Retie) is the union of its municipalities' polygons,
# Limburg's Proeftuin Quadratic the province; where two zones share a border rather than
# ground, the overlap is (close to) 0 km². `geometry_method` on each zone says how it was
# drawn.

# %%
print(f"cleantech zones overlap: {cleantech.overlap_km2:.1f} km²")
cleantech.overlaps[["zone_a", "zone_b", "area_km2"]]

# %% [markdown]
# The links with one end in each region (whoever names them):

# %%
print(f"links between RESOC Kempen and Limburg: {len(cleantech.links)}")
cleantech.links[["map_id", "name", "actor_name", "from_name", "to_name", "link_type",
                 "length_km"]]

# %% [markdown]
# ## 3. A picture and an export

# %%
fig, ax = plt.subplots(figsize=(8, 5))
atlas.boundaries.level("province").plot(ax=ax, facecolor="#f4f4f4", edgecolor="#999999")
for side, colour in (("a", "#1b9e77"), ("b", "#7570b3")):
    cleantech.zones[cleantech.zones["side"] == side].plot(ax=ax, color=colour, alpha=0.35)
if len(cleantech.overlaps):
    cleantech.overlaps.plot(ax=ax, color="#d95f02")
cleantech.links.plot(ax=ax, color="#333333", linewidth=1.5)
west, south, east, north = pd.concat([cleantech.zones, cleantech.links]).total_bounds
ax.set_xlim(west - 0.1, east + 0.1)
ax.set_ylim(south - 0.1, north + 0.1)
ax.set_title("Cleantech: RESOC Kempen (green), Limburg (purple), overlap (orange)")
ax.set_aspect(1.6)

# %% [markdown]
# `to_gpkg` writes the comparison's table and its layers for QGIS; `to_csv` / `to_xlsx` the
# table for a spreadsheet (a cell a spreadsheet would run as a formula gets a leading `'`).

# %%
with tempfile.TemporaryDirectory() as folder:
    path = cleantech.to_gpkg(Path(folder) / "kempen-limburg-cleantech.gpkg")
    print("wrote", path.name, "with layers", ", ".join(sorted(gpd.list_layers(path)["name"])))

# %% [markdown]
# ## 4. Side by side
#
# `side_by_side` draws each side's map — here the cleantech rows credited to RESOC Kempen and
# to Limburg, with their regions — next to each other; pan or zoom one and the other follows.
# The comparison above is beneath them. A side may also be a map id
# (`"antwerpen/logistiek"`) or a region in a period (`"resoc-zuidwest@2019"`: the vision maps
# of `legends/visions/` are read too). `save` writes the page as one offline file, the same
# page as `speerpunt-map compare resoc-kempen limburg --sector cleantech`.

# %%
view = side_by_side("resoc-kempen", "limburg", sector="cleantech", atlas=atlas)
print("shared (drawn):", ", ".join(view.comparison.shared("drawn")),
      f"| zone overlap: {view.comparison.overlap_km2:.1f} km²",
      f"| links between: {len(view.comparison.links)}")
with tempfile.TemporaryDirectory() as folder:
    page = view.save(Path(folder) / "kempen-limburg-cleantech.html")
    print("wrote", page.name, f"({page.stat().st_size / 1e6:.1f} MB, opens offline)")
display(view)
