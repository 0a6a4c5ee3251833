"""Names → every place they may mean: the index behind :class:`speerpunt_map.Gazetteer`.

One rule decides what a name means, for a legend's cell and for a workspace's own places alike:

- an id (a gazetteer or zone id, an actor id, a REFNIS code) always means itself;
- a name or alias means every place that carries it: gazetteer places, custom zones, actors'
  regions, Flanders, and the municipalities of the map's vintage (one municipality per vintage,
  however many vintages carry its name); a Belgian town centre named after its municipality
  is that municipality, not a second place;
- a name that then means more than one place is ambiguous, and the cell must say which
  (:func:`ambiguity_hint`): by an id, or by a qualified name (``gemeente Beveren``).

The first place added for a name is the one :meth:`PlaceIndex.first` gives (the gazetteer's
order of priority), which is all that code needing *a* meaning (a zone's members) asks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from ._text import normalise

if TYPE_CHECKING:
    from .gazetteer import PlaceRef

__all__ = ["PlaceIndex", "ambiguity_hint", "other_language_name", "qualified_names"]

# "Lille (FR)": a name with the country it lies in.
_QUALIFIED_BY_COUNTRY = re.compile(r"(?P<name>.+?)\s*\((?:[A-Z]{2}|Frankrijk|Nederland|"
                                   r"Duitsland|France|Germany)\)")

#: How a municipality may be named when its bare name means more than one place.
_QUALIFIED = ("gemeente {name}", "{name} (gemeente)", "municipality {name}")


def qualified_names(name: str) -> list[str]:
    """The qualified names of a municipality (``gemeente Beveren``, ``Beveren (gemeente)``)."""
    return [pattern.format(name=name) for pattern in _QUALIFIED]


class PlaceIndex:
    """Normalised name → the places it may mean, in order of priority."""

    def __init__(self) -> None:
        self._refs: dict[str, list[PlaceRef]] = {}
        self._ids: set[str] = set()
        #: The names (not ids) as typed, for suggestions.
        self.names: list[str] = []

    def add(self, name: str, ref: PlaceRef, *, is_id: bool = False, exact_only: bool = False,
            first: bool = False) -> None:
        """Record that ``name`` may mean ``ref``.

        Parameters
        ----------
        is_id
            ``name`` is an id: it means ``ref`` only, whatever else carries the same text.
        exact_only
            Not offered as a suggestion (ids, codes, qualified names).
        first
            Put ``ref`` before the places already recorded (an explicit override).
        """
        key = normalise(name)
        if not key:
            return
        refs = self._refs.setdefault(key, [])
        if is_id and key not in self._ids:
            self._ids.add(key)
            refs.insert(0, ref)
        elif ref not in refs:
            refs.insert(0, ref) if first else refs.append(ref)
        if not (exact_only or is_id):
            self.names.append(name)

    def first(self, name: str) -> PlaceRef | None:
        """The place of highest priority a name means, or ``None``."""
        refs = self._refs.get(normalise(name))
        return refs[0] if refs else None

    def refs(self, name: str) -> list[PlaceRef]:
        """Every place a name may mean (one only for an id)."""
        key = normalise(name)
        refs = self._refs.get(key, [])
        return refs[:1] if key in self._ids else list(refs)


class _Describer(Protocol):
    def describe_ref(self, ref: PlaceRef) -> str: ...

    def pick_by(self, ref: PlaceRef) -> str: ...


def ambiguity_hint(name: str, candidates: list[PlaceRef], gazetteer: _Describer) -> str:
    """What an ambiguous name may mean, and how to write each meaning instead."""
    listed = "; ".join(f"{gazetteer.describe_ref(ref)} — write {gazetteer.pick_by(ref)}"
                       for ref in candidates)
    return (f"{name!r} means {len(candidates)} places: {listed}. Write the id (or the "
            "qualified name) of the one you mean in this cell")


def other_language_name(name: str, aliases: list[str]) -> str:
    """A place's name in the other language, as its aliases give it, or ``""``.

    The gazetteer writes it as a pair (``Rijsel/Lille``) or with the place's country
    (``Lille (FR)``): ``Rijsel`` → ``Lille``. Other aliases (``Port of Terneuzen``) are names
    of their own, not translations.
    """
    key = normalise(name)
    for alias in aliases:
        parts = [p.strip() for p in alias.split("/")]
        if len(parts) == 2 and key in (normalise(parts[0]), normalise(parts[1])):
            other = parts[1] if normalise(parts[0]) == key else parts[0]
            if other and normalise(other) != key:
                return other
        match = _QUALIFIED_BY_COUNTRY.fullmatch(alias.strip())
        if match and normalise(match["name"]) != key and len(match["name"].split()) <= 2:
            return match["name"]
    return ""
