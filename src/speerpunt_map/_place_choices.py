"""What a name may mean, for messages: the candidates of an ambiguous name, how to write each,
close names for an unknown one, and zones written as several municipalities in one cell.

:class:`PlaceChoices` is a part of :class:`speerpunt_map.Gazetteer` (which it is mixed into);
the rule it applies is in :mod:`speerpunt_map._place_names`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pandas as pd

from ._place_names import PlaceIndex, other_language_name, qualified_names
from ._text import normalise
from .options import Vintage

if TYPE_CHECKING:
    from .gazetteer import PlaceRef

__all__ = ["PlaceChoices"]


class PlaceChoices:
    """The methods of :class:`~speerpunt_map.Gazetteer` that choose between places."""

    places: pd.DataFrame
    zones: pd.DataFrame
    _index: PlaceIndex

    if TYPE_CHECKING:  # the Gazetteer's own methods, which these use
        def in_vintage(self, ref: PlaceRef, vintage: Vintage) -> PlaceRef: ...

        def suggest(self, name: str, n: int = 3) -> list[str]: ...

        def municipality(self, ref: PlaceRef) -> pd.Series: ...

    def candidates(self, name: str, vintage: Vintage | None = None) -> list[PlaceRef]:
        """Every place a name may mean on a map of ``vintage`` (2013 when ``None``).

        More than one means the name is ambiguous (see :mod:`speerpunt_map._place_names`): an
        id means itself; the municipalities carrying the name count once per vintage; a
        Belgian town centre named after its municipality is that municipality.
        """
        target: Vintage = vintage or 2013
        found: list[PlaceRef] = []
        towns = set()
        for ref in self._index.refs(name):
            if ref.kind == "municipality":
                ref = self.in_vintage(ref, target)
            elif ref.kind == "place" and self._is_town_centre(ref):
                towns.add(normalise(ref.name))
            if ref not in found:
                found.append(ref)
        municipal = [r for r in found if r.kind == "municipality"]
        # A name in several vintages means the one of the map's vintage (else its own).
        keep = [r for r in municipal if r.vintage == target] or municipal[:1]
        return [r for r in found if r.kind != "municipality" or
                (r in keep and normalise(r.name) not in towns)]

    def municipality_union(self, refs: list[PlaceRef], cell: str) -> PlaceRef:
        """A zone that is the union of municipalities named in one legend cell
        (``Ieper|Poperinge|Diksmuide|Veurne``), drawn as their polygons in the map's vintage.

        The zone is added to :attr:`zones` (once per set of municipalities) and says, in its
        ``approximation``, that it is that union.
        """
        from .gazetteer import PlaceRef

        codes = [r.refnis for r in refs]
        zone_id = "union-" + "-".join(codes)
        if zone_id not in self.zones.index:
            names = ", ".join(r.name for r in refs)
            row = {"id": zone_id, "name": " | ".join(r.name for r in refs), "aliases": "",
                   "definition": "municipalities", "members": "|".join(codes), "buffer_m": "",
                   "wkt": "", "source": f"the legend cell {cell!r}",
                   "approximation": f"union of the municipality polygons of {names}, as one "
                                    "cell of the legend names them", "file": "", "line": ""}
            added = pd.DataFrame([row]).set_index("id", drop=False)
            self.zones = pd.concat([self.zones, added])
            self._index.add(zone_id, PlaceRef("zone", zone_id, row["name"]), is_id=True)
        return PlaceRef("zone", zone_id, str(self.zones.loc[zone_id, "name"]))

    def _is_town_centre(self, ref: PlaceRef) -> bool:
        """A Belgian town in the municipality of its own name (or of none given): that
        municipality's centre, not a second place of the name."""
        place = cast("pd.Series[str]", self.places.loc[ref.id])
        within = str(place.get("municipality", "")).strip() or ref.name
        from .gazetteer import _is_municipality_place

        return _is_municipality_place(place) and normalise(within) == normalise(ref.name)

    def describe_ref(self, ref: PlaceRef) -> str:
        """A place for a message: what it is, its id, and the file and row that define it."""
        if ref.kind in ("place", "zone"):
            frame = self.places if ref.kind == "place" else self.zones
            row = frame.loc[ref.id]
            where = f"{row.get('path', row['file'])}, row {row.get('line', '?')}"
            what = "gazetteer place" if ref.kind == "place" else "custom zone"
            return f"{what} {ref.id!r} ({ref.name}; {where})"
        if ref.kind == "municipality":
            return f"municipality {ref.name} (REFNIS {ref.refnis}, vintage {ref.vintage})"
        return f"region {ref.id!r} ({ref.name})"

    def pick_by(self, ref: PlaceRef) -> str:
        """What to write in a cell to mean ``ref`` and nothing else."""
        if ref.kind == "municipality":
            return f"{ref.refnis!r} or {qualified_names(ref.name)[0]!r}"
        return repr(ref.id)

    def suggest_places(self, name: str, n: int = 3) -> list[str]:
        """Close names for an unknown one, each with its other-language name where the data
        gives one (``Rijssel`` → ``Rijsel / Lille``), one per place."""
        shown: list[str] = []
        seen: list[PlaceRef] = []
        for match in self.suggest(name, n=n + 3):
            ref = self._index.first(match)
            if ref is None or ref in seen:
                continue
            seen.append(ref)
            other = ""
            if ref.kind == "place":
                aliases = str(self.places.loc[ref.id, "aliases"]).split("|")
                other = other_language_name(match, aliases)
            elif ref.kind == "municipality":
                row = self.municipality(ref)
                names = [str(row["name_nl"]), str(row["name_fr"])]
                other = next((x for x in names if x and normalise(x) != normalise(match)), "")
            shown.append(f"{match} / {other}" if other else match)
        return shown[:n]
