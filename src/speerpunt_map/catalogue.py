"""The catalogue (``catalogue.toml``): which maps there are, and what each one shows.

Each ``[[map]]`` entry names a map's id (``<scope>/<name>``, also its output path), scope,
sector, the actors that chose the sector ("Speerpuntsector in"), its legend table and the
period its sources describe (``period = "2013"``, ``"2016-2019"``, ``"c. 2016"``): the period
decides which municipalities the table's names mean (:func:`vintage_of_period`).
:func:`read_catalogue` never raises for a user's mistake: it collects
:class:`~speerpunt_map.Problem` records, with the line of the entry.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ._errors import Problem
from ._file_kinds import os_path
from ._paths import shipped_legends
from ._text import did_you_mean, normalise, slug
from ._types import FLANDERS
from .options import Vintage
from .vocab import Actor, Scope, Sector, Vocabulary, load_vocabulary

__all__ = ["Catalogue", "MapSpec", "catalogue_tables", "period_years", "read_catalogue",
           "scope_id", "vintage_of_period", "with_actor_scopes"]

_CATALOGUE_KEYS = {"id", "scope", "sector", "sector_as_printed", "figure", "annex", "actors",
                   "focus", "table", "source", "title", "subtitle", "period"}
# A map id: lowercase words of letters and digits joined by hyphens, in parts joined by "/".
_MAP_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*")
_SCOPE_KINDS = ("province", "resoc")
_REQUIRED_KEYS = ("id", "scope", "sector", "actors", "table")
# Yes/no keys: ``empty = true`` lets a map be built with nothing on it (a legend table with
# only a header); without it, such a map is a problem (issue 13.4).
_FLAG_KEYS = ("empty",)
# A year ("2013"), a range ("2016-2019", "2016–2019") or a year known roughly ("c. 2016").
_YEAR = r"((?:19|20)[0-9]{2})"
_PERIOD = re.compile(rf"(?:(?:c|ca|circa)\.?\s*)?{_YEAR}(?:\s*[-–]\s*{_YEAR})?", re.IGNORECASE)
#: The vintage of a map whose entry names no period: the report's (c. 2013), as the analysis
#: reads such a map too (``speerpunt_map._drawn.REPORT_PERIOD``).
DEFAULT_VINTAGE: Vintage = 2013


def period_years(period: str) -> tuple[int, int] | None:
    """The first and last year of a period (``"2016-2019"`` → ``(2016, 2019)``), or ``None``
    when the text is not a period (or its range runs backwards)."""
    match = _PERIOD.fullmatch(period.strip())
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return (first, last) if first <= last else None


def vintage_of_period(period: str) -> Vintage:
    """The municipality vintage a period's names refer to.

    The municipalities of the period's first year, since a document cannot name the mergers
    that came after it: before 2019 the 2013 set (before the 2019 mergers), 2019-2024 the 2019
    set, from 2025 the 2025 set. A map without a period (``""``) is of the report's time
    (:data:`DEFAULT_VINTAGE`, 2013).

    >>> vintage_of_period("2013"), vintage_of_period("2016-2019"), vintage_of_period("2020")
    (2013, 2013, 2019)
    """
    years = period_years(period) if period else None
    if years is None:
        if period:
            raise ValueError(f"{period!r} is not a period such as '2013' or '2016-2019'")
        return DEFAULT_VINTAGE
    if years[0] < 2019:
        return 2013
    if years[0] < 2025:
        return 2019
    return 2025


@dataclass(frozen=True)
class MapSpec:
    """One map of the catalogue.

    ``period`` is the period its sources describe, as written in the catalogue (``"2013"``,
    ``"2016-2019"``; ``""`` when the entry gives none); :attr:`vintage` the municipality set its
    names refer to.
    """

    id: str
    scope: str
    sector: Sector
    sector_as_printed: str
    actors: tuple[Actor, ...]
    table: Path
    focus: str = ""
    figure: int | None = None
    annex: int | None = None
    source: str = ""
    title: str = ""
    period: str = ""
    #: The map may be built with nothing on it (``empty = true``): no problem for a table with
    #: only a header.
    empty: bool = False
    subtitle: str = ""

    from_report: bool = False

    @property
    def is_report(self) -> bool:
        """Whether the map is one of the report's (it has a figure or annex number, or is an
        overview of the report's maps): only then does it show the report as its source."""
        return self.from_report or self.figure is not None or self.annex is not None

    @property
    def vintage(self) -> Vintage:
        """The municipality vintage of the map's period (:func:`vintage_of_period`)."""
        return vintage_of_period(self.period)


@dataclass
class Catalogue:
    """The maps of a catalogue file, in the order it lists them."""

    path: Path
    maps: dict[str, MapSpec]
    problems: list[Problem] = field(default_factory=list)


def read_catalogue(path: str | Path | None = None, *,
                   vocabulary: Vocabulary | None = None) -> Catalogue:
    """Read a catalogue; problems are collected on the result, not raised.

    Parameters
    ----------
    path
        A ``catalogue.toml`` file, or a folder holding one (the shipped legends by default).
    """
    path = Path(path) if path is not None else shipped_legends() / "catalogue.toml"
    if path.is_dir():
        path = path / "catalogue.toml"
    vocabulary = vocabulary or load_vocabulary(shipped_legends())
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return Catalogue(path, {}, [Problem(where, None, None, str(path),
                                            "an existing catalogue.toml", code="missing-file")])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        line = _toml_line(str(error))
        return Catalogue(path, {}, [Problem(where, line, None, str(error),
                                            "valid TOML", code="toml")])
    entries = data.get("map", [])
    problems: list[Problem] = []
    for key in sorted(set(data) - {"map"}):
        problems.append(Problem(where, None, key, key, "only [[map]] entries", code="unknown-key"))
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(where, None, "map", str(entries)[:60], "one or more [[map]] "
                                "entries", code="no-maps"))
        return Catalogue(path, {}, problems)
    maps: dict[str, MapSpec] = {}
    text = path.read_text(encoding="utf-8-sig")
    lines = [n for n, line in enumerate(text.splitlines(), start=1)
             if line.strip().replace(" ", "") == "[[map]]"]
    for position, entry in enumerate(entries, start=1):
        line = lines[position - 1] if position <= len(lines) else None
        spec = _map_spec(entry, path, position, line, vocabulary, problems)
        if spec is None:
            continue
        if spec.id in maps:
            problems.append(Problem(where, line, f"map #{position}: id", spec.id,
                                    "a map id used once", code="duplicate-map"))
            continue
        maps[spec.id] = spec
    return Catalogue(path, maps, problems)


def _toml_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _map_spec(entry: object, path: Path, position: int, line: int | None,
              vocabulary: Vocabulary, problems: list[Problem]) -> MapSpec | None:
    """Check one [[map]] entry (starting at ``line``); ``None`` when it cannot be used."""
    where = str(path)
    if not isinstance(entry, dict):
        problems.append(Problem(where, line, f"map #{position}", str(entry)[:60], "a table"))
        return None
    label = f"map #{position}" + (f" ({entry['id']})" if isinstance(entry.get("id"), str) else "")
    before = len(problems)

    def bad(key: str, found: object, expected: str, suggestion: str = "", code: str = "") -> None:
        problems.append(Problem(where, line, f"{label}: {key}", str(found), expected,
                                suggestion, code=code or "catalogue"))

    for key in sorted(set(entry) - _CATALOGUE_KEYS - set(_FLAG_KEYS)):
        bad(key, key, f"one of {sorted(_CATALOGUE_KEYS | set(_FLAG_KEYS))}", code="unknown-key")
    for key in _REQUIRED_KEYS:
        if key not in entry or entry[key] in ("", []):
            bad(key, "", "a value", code="missing-value")
    for key in ("id", "scope", "sector", "sector_as_printed", "focus", "table", "source", "title",
                "subtitle"):
        if key in entry and not isinstance(entry[key], str):
            bad(key, entry[key], "text (in quotes)")
    for key in ("figure", "annex"):
        if key in entry and (not isinstance(entry[key], int) or isinstance(entry[key], bool)):
            bad(key, entry[key], "a whole number")
    for key in _FLAG_KEYS:
        if key in entry and not isinstance(entry[key], bool):
            bad(key, entry[key], "true or false (without quotes)")
    period = _period(entry.get("period", ""))
    if period is None:
        bad("period", entry["period"], 'the period the sources describe, in quotes: a year '
            '("2013"), a range ("2016-2019") or a rough year ("c. 2016")',
            code="bad-period")
    if len(problems) > before:
        return None
    # The id names the output file <id>.html: keep it to a safe, readable form.
    if not _MAP_ID.fullmatch(entry["id"]) or entry["id"] in ("index", "matrix"):
        bad("id", entry["id"], "a lowercase path of letters, digits and hyphens, e.g. "
            f"'{slug(entry['scope']) or 'antwerpen'}/<name>' or 'westhoek-2016/duurzaam-bouwen'",
            code="bad-id")
    sector = vocabulary.sector(entry["sector"])
    if sector is None:
        bad("sector", entry["sector"], "a sector of sectors.csv",
            did_you_mean(vocabulary.suggest_sector(entry["sector"])), "unknown-sector")
    scope = scope_id(entry["scope"], vocabulary)
    if scope is None:
        bad("scope", entry["scope"], "a province, a RESOC region or Vlaanderen (a name, alias "
            f"or id of actors.csv), or one of {sorted(vocabulary.scopes)}",
            did_you_mean(vocabulary.suggest_actor(entry["scope"])), code="unknown-scope")
    actors: list[Actor] = []
    names = entry["actors"]
    if not isinstance(names, list) or not all(isinstance(a, str) for a in names):
        bad("actors", entry["actors"], 'a list of actor names, e.g. ["RESOC Kempen"]')
    else:
        for name in entry["actors"]:
            actor = vocabulary.actor(name)
            if actor is None:
                bad("actors", name, "an actor of actors.csv",
                    did_you_mean(vocabulary.suggest_actor(name)), "unknown-actor")
            else:
                actors.append(actor)
        duplicated = [a.name_nl for a, n in Counter(actors).items() if n > 1]
        if duplicated:
            bad("actors", ", ".join(duplicated), "each actor once", code="duplicate-actor")
    table = os_path(path.parent / entry["table"]).resolve()
    if not table.is_file():
        bad("table", entry["table"], f"a legend table relative to {path.parent}",
            code="missing-file")
    if len(problems) > before or sector is None or scope is None:
        return None
    return MapSpec(
        empty=entry.get("empty", False),
        id=entry["id"], scope=scope, sector=sector, subtitle=entry.get("subtitle", ""),
        sector_as_printed=entry.get("sector_as_printed", ""), actors=tuple(actors), table=table,
        focus=entry.get("focus", ""), figure=entry.get("figure"), annex=entry.get("annex"),
        source=entry.get("source", ""), title=entry.get("title", ""), period=period or "")


def _period(value: object) -> str | None:
    """The catalogue's ``period`` as text (a bare whole-number year is accepted), or ``None``
    when it is not a period."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return ""
    return text if period_years(text) is not None else None


def scope_id(text: str, vocabulary: Vocabulary) -> str | None:
    """The scope a catalogue entry names: a scope id of ``scopes.csv``, else a province, a
    RESOC region or Flanders by an actor's name, alias or id (a province gives its scope of
    ``scopes.csv``, a RESOC its actor id); ``None`` when it names none of these."""
    if text in vocabulary.scopes:
        return text
    if normalise(text) in ("vlaanderen", "flanders", "vlaams gewest", "flemish region"):
        return FLANDERS
    actor = vocabulary.actor(text)
    if actor is None or actor.kind not in _SCOPE_KINDS:
        return None
    if actor.kind == "province":
        for scope in vocabulary.scopes.values():
            if scope.region == actor.region and scope.id != actor.id:
                return scope.id
    return actor.id


@cache
def with_actor_scopes(vocabulary: Vocabulary) -> Vocabulary:
    """The vocabulary with a scope for every province and RESOC that ``scopes.csv`` lacks
    (its id the actor's), so that a map may cover any of them."""
    scopes = dict(vocabulary.scopes)
    for actor in vocabulary.actors.values():
        if actor.kind in _SCOPE_KINDS and actor.id not in scopes:
            short = "".join(w[0] for w in actor.name_nl.split() if w[:1].isupper())
            scopes[actor.id] = Scope(actor.id, actor.region, actor.name_nl, actor.name_en,
                                     short or actor.id[:3].upper(), actor.source)
    if len(scopes) == len(vocabulary.scopes):
        return vocabulary
    return Vocabulary(vocabulary.sectors, vocabulary.actors, scopes)


def catalogue_tables(path: Path) -> list[Path]:
    """Every legend table a catalogue's entries name, usable entries or not (so that
    ``validate`` reports a table's problems even when its entry has some of its own)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    entries = data.get("map", [])
    tables = [entry.get("table") for entry in entries if isinstance(entry, dict)] \
        if isinstance(entries, list) else []
    found = [os_path(path.parent / t).resolve() for t in tables if isinstance(t, str) and t]
    return [table for table in found if table.is_file()]
