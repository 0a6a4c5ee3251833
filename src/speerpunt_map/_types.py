"""The closed sets of values the pipeline passes around, as types that a type checker checks.

A legend row is a point, a zone or a link; a link is infrastructural or organisational; a
problem is an error or a warning; a page is in Dutch or English. The Flanders-wide overview maps
have the scope :data:`FLANDERS`.
"""

from __future__ import annotations

from typing import Final, Literal, TypeGuard, get_args

__all__ = ["FLANDERS", "Basis", "Kind", "Language", "LinkType", "NodeLevel", "SectorLevel",
           "Severity", "is_language"]

Kind = Literal["point", "zone", "link"]
LinkType = Literal["infrastructure", "organisation"]
Severity = Literal["error", "warning"]
Language = Literal["nl", "en"]
# What says that a region chose a sector (speerpunt_map.analysis): the report's inventory,
# the catalogue's actor lists, or the rows the legends draw.
Basis = Literal["inventory", "catalogue", "drawn"]
# Sectors one by one, or by overview group (chemistry, life sciences and lifetech together).
SectorLevel = Literal["sector", "group"]
# Link ends as places, or as the regions they lie in (speerpunt_map.network).
NodeLevel = Literal["place", "region"]

#: The scope of the Flanders overview maps (``vlaanderen/<sector group>``).
FLANDERS: Final = "vlaanderen"


def is_language(value: str) -> TypeGuard[Language]:
    """Whether ``value`` is a language the maps are written in (``"nl"`` or ``"en"``)."""
    return value in get_args(Language)
