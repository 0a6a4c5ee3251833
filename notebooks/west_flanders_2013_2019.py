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
# # West-Vlaanderen, 2013 against 2019
#
# The report's maps are of c. 2013. `legends/visions/` holds a second time slice: maps of the
# regional vision documents, transcribed from the documents themselves (see
# `legends/visions/NOTES.md`) — above all RESOC Zuid-West-Vlaanderen's "Just Make it!" of May
# 2019, which makes the region a *topregio voor de creatieve maakindustrie*.
#
# The vision maps have their own catalogue (`legends/visions/catalogue.toml`, each entry with
# its `period`). `combine_atlases` reads both catalogues as one atlas, drawn on the same
# boundaries, and `compare_regions` compares a region in two periods: `"resoc-zuidwest@2013"`
# against `"resoc-zuidwest@2019"`. What only 2013 has was *dropped*, what only 2019 has is
# *new* — on each basis, with one caveat: the report's inventory (Tables 5–9) exists for
# 2013 only.

# %%
import pandas as pd
from IPython.display import display

from speerpunt_map import (
    combine_atlases,
    compare_regions,
    load_atlas,
    map_from_layers,
    matrix_table,
    sector_matrix,
)
from speerpunt_map.analysis import map_period
from speerpunt_map.resources import shipped_legends

pd.set_option("display.max_colwidth", 60)
report = load_atlas(shipped_legends())
visions = load_atlas(shipped_legends() / "visions", boundaries=report.boundaries)
atlas = combine_atlases(report, visions)

shown = [spec for spec in atlas.maps.values()
         if spec.scope == "west-vlaanderen" or spec.id in visions.maps]
display(pd.DataFrame([{"map": spec.id, "period": map_period(spec),
                       "sector": spec.sector.label_nl,
                       "actors": ", ".join(a.name_nl for a in spec.actors)} for spec in shown]))

# %% [markdown]
# ## Zuid-West-Vlaanderen then and now

# %%
change = compare_regions(atlas, "resoc-zuidwest@2013", "resoc-zuidwest@2019")
display(change)

# %%
print("sectors of 2013 (any basis):", ", ".join(change.only_a("any") + change.shared("any")))
print("dropped by 2019 (any basis):", ", ".join(change.only_a("any")) or "none")
print("new in 2019 (any basis):", ", ".join(change.only_b("any")) or "none")
print("kept (any basis):", ", ".join(change.shared("any")) or "none")

# %% [markdown]
# Per basis: the 2019 side has no inventory, so on that basis every 2013 sector shows as
# dropped; the catalogue and the drawn rows compare like with like.

# %%
change.sectors.pivot_table(index="sector_label", columns="basis", values="status",
                           aggfunc="first", fill_value="")

# %% [markdown]
# What each period draws per sector (`_a` 2013, `_b` 2019), and how much of the ground the
# 2019 zones cover that the 2013 zones covered too (whatever the sector):

# %%
display(change.counts)
print(f"ground named in both periods: {change.overlap_any_km2:.1f} km²")

# %% [markdown]
# ## The province in both periods
#
# Every West-Vlaanderen region on the catalogue and drawn bases, one row per region and
# period (Midden-West-Vlaanderen c. 2013 and Westhoek c. 2016 name spearhead sectors without
# saying which: "Speerpuntbeleid (sectoren niet genoemd)").

# %%
west = sector_matrix(atlas, province="west-vlaanderen", basis=["catalogue", "drawn"])
matrix_table(west)

# %% [markdown]
# ## The 2019 map
#
# The vision names points in Kortrijk (the UNESCO Design Region, Hangar K, the campuses and
# knowledge centres), the region as the *topregio*, the axes of its map as schematic
# corridors, and two cross-border labour-market links.

# %%
vision = atlas.map("zuid-west-vlaanderen-2019/creatieve-maakindustrie")
print(vision.counts)
vision.links[["name", "from_name", "to_name", "link_type", "length_km"]]

# %%
map_from_layers(vision)
