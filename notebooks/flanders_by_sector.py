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
# # Flanders by sector: the region × sector matrix and an overview
#
# Which province or RESOC chose which spearhead sector? `sector_matrix` answers in long form,
# one row per region, sector and *basis*:
#
# - `inventory`: the report's Tables 5–9 (`legends/inventory.csv`, with the evidence for each
#   cell);
# - `catalogue`: the actors a map lists as having chosen its sector ("Speerpuntsector in");
# - `drawn`: the source actors of the points, zones and links a map of the sector draws.
#
# Then the grid, where the bases disagree, and a Flanders overview map of one sector.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from speerpunt_map import load_atlas, map_from_layers, matrix_table, sector_matrix, write_selection
from speerpunt_map.analysis import BASES
from speerpunt_map.resources import shipped_legends

pd.set_option("display.max_colwidth", 40)
atlas = load_atlas(shipped_legends())

# %%
matrix = sector_matrix(atlas)
print(f"{matrix['region'].nunique()} regions, {matrix['sector'].nunique()} sectors, "
      f"{len(matrix)} cells")
matrix.head()

# %% [markdown]
# ## How many regions chose each sector, per basis

# %%
per_sector = matrix.pivot_table(index="sector_label", columns="basis", values="region",
                                aggfunc="nunique", fill_value=0)[list(BASES)]
per_sector.sort_values("inventory", ascending=False)

# %% [markdown]
# ## The grid
#
# A cell holds the initials of its bases: `I` inventory, `C` catalogue, `D` drawn.

# %%
grid = matrix_table(matrix)
display(grid)

# %%
fig, ax = plt.subplots(figsize=(11, 8))
bases = grid.apply(lambda column: column.str.len())
ax.imshow(bases.to_numpy(), cmap="Greens", vmin=0, vmax=3, aspect="auto")
ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=60, ha="right", fontsize=8)
ax.set_yticks(range(len(grid.index)), grid.index, fontsize=8)
ax.set_title("Number of bases that say a region chose a sector (0–3)")
fig.tight_layout()

# %% [markdown]
# ## Where the bases disagree
#
# A cell that only the inventory holds is a sector chosen without a map of it (Limburg's
# 2008 sectors, folded into manufacturing); a cell that is drawn but not in the catalogue is
# an actor the rows cite as their source while the map does not list it (SALK; the annex's
# `actor-not-listed` rows).

# %%
bases_per_cell = matrix.groupby(["region_name", "sector_label"])["basis"].agg(
    lambda b: "+".join(sorted(set(b), key=BASES.index)))
bases_per_cell.value_counts()

# %%
bases_per_cell[bases_per_cell == "inventory"].reset_index().groupby("region_name")[
    "sector_label"].agg(", ".join)

# %% [markdown]
# ## A Flanders overview
#
# `atlas.overview` gathers every province map of a sector group into one Flanders map; here
# cleantech (Figure 53 of the report).

# %%
overview = atlas.overview("cleantech")
print(overview.spec.id, overview.counts)
map_from_layers(overview)

# %% [markdown]
# ## Export
#
# Any result goes to a spreadsheet with `write_selection`; cells a spreadsheet would run as a
# formula get a leading `'`, tuples (the `maps` column) are written `|`-separated.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = write_selection(matrix, Path(folder) / "matrix.xlsx")
    print("wrote", path.name, "with", len(matrix), "rows")
