"""The closed sets of values the pipeline passes around, as types that a type checker checks.

A legend row is a point, a zone or a link; a link is infrastructural or organisational; a
problem is an error or a warning; a page is in Dutch or English. The Flanders-wide overview maps
have the scope :data:`FLANDERS`.
"""

from __future__ import annotations

from typing import Final, Literal, TypeGuard, get_args

__all__ = ["FLANDERS", "Kind", "Language", "LinkType", "Severity", "is_language"]

Kind = Literal["point", "zone", "link"]
LinkType = Literal["infrastructure", "organisation"]
Severity = Literal["error", "warning"]
Language = Literal["nl", "en"]

#: The scope of the Flanders overview maps (``vlaanderen/<sector group>``).
FLANDERS: Final = "vlaanderen"


def is_language(value: str) -> TypeGuard[Language]:
    """Whether ``value`` is a language the maps are written in (``"nl"`` or ``"en"``)."""
    return value in get_args(Language)
