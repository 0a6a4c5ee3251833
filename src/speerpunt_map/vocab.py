"""The controlled vocabularies: sectors and actors, read from ``legends/``.

A sector has an id, Dutch and English labels, synonyms and an overview group (the Flanders
overview "life sciences en chemie" gathers chemistry, life sciences and lifetech). An actor is a
province, a RESOC or a plan that chooses sectors; it stands for a region on the map.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from ._errors import GeodataError
from ._paths import shipped_legends
from ._text import normalise
from ._types import Language

__all__ = ["Actor", "Scope", "Sector", "Vocabulary", "load_vocabulary"]

T = TypeVar("T")


@dataclass(frozen=True)
class Sector:
    """A spearhead sector of the controlled vocabulary."""

    id: str
    label_nl: str
    label_en: str
    synonyms: tuple[str, ...]
    overview: str
    source: str

    def label(self, language: Language = "nl") -> str:
        """The label in ``"nl"`` or ``"en"``."""
        return self.label_en if language == "en" else self.label_nl


@dataclass(frozen=True)
class Scope:
    """What a map covers: a province, or Flanders."""

    id: str
    region: str
    name_nl: str
    name_en: str
    short: str
    source: str

    def name(self, language: Language = "nl") -> str:
        """The name in ``"nl"`` or ``"en"``."""
        return self.name_en if language == "en" else self.name_nl


@dataclass(frozen=True)
class Actor:
    """An actor that chooses sectors: a province, a RESOC or a plan."""

    id: str
    name_nl: str
    name_en: str
    kind: str
    province: str
    region: str
    aliases: tuple[str, ...]
    source: str

    def name(self, language: Language = "nl") -> str:
        """The name in ``"nl"`` or ``"en"``."""
        return self.name_en if language == "en" else self.name_nl


class _Lookup(Generic[T]):
    """Names, ids and aliases → item, compared after :func:`normalise`."""

    def __init__(self, kind: str, items: dict[str, T], names: dict[str, list[str]]) -> None:
        self.kind = kind
        self.items = items
        self._index: dict[str, str] = {}
        for item_id, item_names in names.items():
            for name in [item_id, *item_names]:
                key = normalise(name)
                other = self._index.setdefault(key, item_id)
                if other != item_id:
                    raise GeodataError(f"{kind} name {name!r} is used by both {other!r} and "
                                       f"{item_id!r}")
        self._display = {name: item_id for item_id, ns in names.items() for name in ns}

    def get(self, name: str) -> T | None:
        item_id = self._index.get(normalise(name))
        return None if item_id is None else self.items[item_id]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The closest known names."""
        return difflib.get_close_matches(name, list(self._display), n=n, cutoff=0.6)


class Vocabulary:
    """Sectors and actors, with look-up by id, label, name, synonym or alias."""

    def __init__(self, sectors: dict[str, Sector], actors: dict[str, Actor],
                 scopes: dict[str, Scope]) -> None:
        self.sectors = sectors
        self.actors = actors
        self.scopes = scopes
        self._sectors = _Lookup(
            "sector", sectors,
            {s.id: [s.label_nl, s.label_en, *s.synonyms] for s in sectors.values()})
        self._actors = _Lookup(
            "actor", actors, {a.id: [a.name_nl, a.name_en, *a.aliases] for a in actors.values()})

    def sector(self, name: str) -> Sector | None:
        """The sector for an id, label or synonym, or ``None``."""
        return self._sectors.get(name)

    def actor(self, name: str) -> Actor | None:
        """The actor for an id, name or alias, or ``None``."""
        return self._actors.get(name)

    def suggest_sector(self, name: str) -> list[str]:
        """Known sector names close to ``name``."""
        return self._sectors.suggest(name)

    def suggest_actor(self, name: str) -> list[str]:
        """Known actor names close to ``name``."""
        return self._actors.suggest(name)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_vocabulary(folder: str | Path | None = None, *,
                    files: Mapping[str, Path] | None = None) -> Vocabulary:
    """Read ``sectors.csv``, ``actors.csv`` and ``scopes.csv``.

    Parameters
    ----------
    folder
        A legends folder holding the three files (the shipped legends by default).
    files
        The files by name, where they do not all sit in one folder (as
        :meth:`speerpunt_map.Resources.load` picks them); overrides ``folder``.

    Returns
    -------
    Vocabulary
    """
    if files is None:
        base = Path(folder).resolve() if folder is not None else shipped_legends()
        files = {name: base / name for name in _FILES}
    return _load_vocabulary(*(Path(files[name]).resolve() for name in _FILES))


_FILES = ("sectors.csv", "actors.csv", "scopes.csv")


@cache
def _load_vocabulary(sectors_csv: Path, actors_csv: Path, scopes_csv: Path) -> Vocabulary:
    sectors = {
        row["id"]: Sector(row["id"], row["label_nl"], row["label_en"],
                          _aliases(row["synonyms"]), row["overview"] or row["id"],
                          row["source"])
        for row in _read_csv(sectors_csv)
    }
    actors = {
        row["id"]: Actor(row["id"], row["name_nl"], row["name_en"], row["kind"], row["province"],
                         row["region"], _aliases(row["aliases"]), row["source"])
        for row in _read_csv(actors_csv)
    }
    scopes = {row["id"]: Scope(row["id"], row["region"], row["name_nl"], row["name_en"],
                               row["short"], row["source"])
              for row in _read_csv(scopes_csv)}
    return Vocabulary(sectors, actors, scopes)


def _aliases(cell: str) -> tuple[str, ...]:
    """Aliases are ``|``-separated (names may hold commas)."""
    return tuple(part.strip() for part in cell.split("|") if part.strip())
