"""What a map says, computed once: its title, subtitle, years, sources and notes
(:class:`MapDescription`), and the text of each feature (:class:`FeatureText`).

The page, the fragment, the printable figure, the text table under the map and the index all
show these same values; years are shown one way everywhere (:func:`format_years`: runs as
ranges, ``"2007–2009, 2013"``), and multi-valued fields are tuples up to the renderer.

>>> description = describe(load_atlas().map("antwerpen/logistiek"))  # doctest: +SKIP
>>> description.title                                                 # doctest: +SKIP
'Logistiek in provincie Antwerpen'
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ._types import FLANDERS, Kind, Language, LinkType
from .style import Labels

if TYPE_CHECKING:
    from .atlas import MapLayers

__all__ = ["FeatureText", "MapDescription", "describe", "feature_texts", "format_years"]


def format_years(years: tuple[int, ...] | list[int] | set[int]) -> str:
    """Years as runs: ``(2007, 2008, 2009, 2013)`` → ``"2007–2009, 2013"``."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@dataclass(frozen=True)
class FeatureText:
    """What a popup, a tooltip, a legend entry and a table row show of one feature.

    Plain text, as typed in the table: every renderer escapes it on its own terms.

    Attributes
    ----------
    kind
        ``point``, ``zone``, ``link``, or ``region`` (an actor's region).
    name
        The name to show.
    label
        The number printed on the map (points), else empty.
    kind_label
        The kind in the page's language ("punt", "infrastructurele verbinding", …).
    actors
        The names of the source actor(s).
    years
        The source years.
    source
        The source document (as normalised, else as printed).
    remark
        The table's remark.
    link_type, link_from, link_to
        For a link: its type and the names of its ends.
    file, row
        Where the feature's row is (empty for a region).
    """

    kind: Kind | Literal["region"]
    name: str
    label: str
    kind_label: str
    actors: tuple[str, ...]
    years: tuple[int, ...]
    source: str
    remark: str
    link_type: LinkType | None = None
    link_from: str = ""
    link_to: str = ""
    file: str = ""
    row: int = 0

    @property
    def years_text(self) -> str:
        """The years as :func:`format_years` shows them."""
        return format_years(self.years)

    @property
    def is_link(self) -> bool:
        """Whether the feature is a link (it has two ends to show)."""
        return self.kind == "link"


@dataclass(frozen=True)
class MapDescription:
    """What one map says, in one language.

    Attributes
    ----------
    map_id, language
        The map and the language of the words.
    title
        The catalogue's title, else "<sector> in <scope>", or the overview title.
    own_subtitle
        The catalogue's subtitle (shown instead of the sector line), else empty.
    sector, sector_other, sector_as_printed
        The sector's label in the page's language, in the other language, and as the source
        printed it.
    years
        The source years of the map's rows.
    focus
        The catalogue's focus note, introduced by "Bijkomende focus" unless it starts so.
    sources
        The sources shown under the map (each with its licence where it has one): the report
        for its own maps; for others the catalogue entry's source and the table rows' sources
        (:func:`map_sources`); then the boundaries and the gazetteer.
    notes
        The report's warning that the map is no inventory, and what the boundaries lack.
    approximate
        Whether the regions are only approximate.
    """

    map_id: str
    language: Language
    title: str
    sector: str
    sector_other: str
    sector_as_printed: str
    years: tuple[int, ...]
    focus: str
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    approximate: bool
    years_label: str
    own_subtitle: str = ""

    @property
    def years_text(self) -> str:
        """The years as :func:`format_years` shows them."""
        return format_years(self.years)

    @property
    def sector_line(self) -> str:
        """The sector in both languages, and as printed where that differs."""
        line = (f"{self.sector} / {self.sector_other}" if self.language == "nl"
                else f"{self.sector_other} / {self.sector}") \
            if self.sector_other != self.sector else self.sector
        if self.sector_as_printed and self.sector_as_printed.casefold() != \
                self.sector.casefold():
            line += f" ({self.sector_as_printed})"
        return line

    @property
    def years_line(self) -> str:
        """``"Bronjaren: 2007–2009"``, or empty when no row has a year."""
        return f"{self.years_label}: {self.years_text}" if self.years else ""

    @property
    def subtitle(self) -> str:
        """The page's subtitle: the catalogue's ``subtitle`` (else the sector line) and the
        years."""
        first = self.own_subtitle or self.sector_line
        return " · ".join(part for part in (first, self.years_line) if part)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _years_of(frame: pd.DataFrame) -> set[int]:
    return {y for cell in (frame["years"] if len(frame) else []) for y in cell}


def describe(layers: MapLayers, language: Language = "nl") -> MapDescription:
    """What a map says: its title, sector, years, focus, sources and notes.

    Parameters
    ----------
    layers
        The map, from :meth:`Atlas.map <speerpunt_map.Atlas.map>` or
        :meth:`Atlas.overview <speerpunt_map.Atlas.overview>`.
    language
        ``"nl"`` (default) or ``"en"``.

    Returns
    -------
    MapDescription
    """
    t = layers.resources.labels(language)
    spec = layers.spec
    sector = spec.sector.label(language)
    if spec.title:
        title = spec.title
    elif spec.scope == FLANDERS:
        title = t("overview_title", sector=sector)
    else:
        scope = layers.resources.vocabulary.scopes.get(spec.scope)
        title = t("title", sector=sector, scope=scope.name(language) if scope else spec.scope)
    focus, heading = " ".join(spec.focus.split()), t("focus")
    if focus and not focus.casefold().startswith(heading.casefold()):
        focus = f"{heading}: {focus}"
    boundaries = layers.boundaries
    borders = t("source_boundaries") if boundaries.is_default else \
        t("source_file", file=boundaries.source, vintage=boundaries.vintage)
    notes = (t("disclaimer"), *((t("approximate"),) if boundaries.approximate else ()),
             *not_drawn(layers, t))
    years: set[int] = set()
    for frame in (layers.points, layers.zones, layers.links):
        years |= _years_of(frame)
    return MapDescription(
        map_id=spec.id, language=language, title=title, sector=sector,
        sector_other=spec.sector.label("en" if language == "nl" else "nl"),
        sector_as_printed=spec.sector_as_printed, years=tuple(sorted(years)), focus=focus,
        sources=(*map_sources(layers, t), borders, t("source_gazetteer")), notes=notes,
        approximate=boundaries.approximate, years_label=t("years"),
        own_subtitle=" ".join(spec.subtitle.split()))


def map_sources(layers: MapLayers, t: Labels) -> tuple[str, ...]:
    """The documents a map is drawn from: the report for the report's maps; otherwise the
    catalogue entry's ``source`` and the sources the table's rows name, each once."""
    spec = layers.spec
    if spec.is_report:
        return (t("source_report"),)
    overview = spec.scope == FLANDERS and spec.source.startswith("overview of ")
    found: list[str] = [] if overview or not spec.source.strip() else [spec.source.strip()]
    for frame in (layers.points, layers.zones, layers.links):
        for document, printed in zip(frame.get("source_document", []),
                                     frame.get("source_as_printed", []), strict=False):
            text = " ".join((_text(document) or _text(printed)).split())
            if text and text not in found:
                found.append(text)
    return tuple(found)


def not_drawn(layers: MapLayers, t: Labels) -> list[str]:
    """A notice for every legend row left out of the map for an error: file, row, reason.

    A map never loses a row silently: the page and the figure show these notices, and the
    build lists them (and exits 1 unless told to allow it).
    """
    reasons: dict[tuple[str, int], list[str]] = {}
    for problem in layers.problems:
        if problem.severity == "error" and problem.row is not None:
            where = f"{problem.column}: " if problem.column else ""
            reasons.setdefault((problem.file, problem.row), []).append(
                f"{where}{problem.found!r} ({problem.expected})")
    return [t("not_drawn", file=Path(file).name, row=row, reason="; ".join(found))
            for (file, row), found in sorted(reasons.items())]


def actor_names(layers: MapLayers, language: Language) -> dict[str, str]:
    """Actor id → name, the map's own actors over the vocabulary's."""
    names = {a.id: a.name(language) for a in layers.resources.vocabulary.actors.values()}
    names.update({a.id: a.name(language) for a in layers.spec.actors})
    return names


def feature_texts(frame: pd.DataFrame, kind: Kind, t: Labels,
                  names: dict[str, str]) -> Iterator[FeatureText]:
    """The text of each row of a layer, in the layer's order."""
    for row in frame.itertuples(index=False):
        record: Any = row  # a namedtuple of the layer's columns (see speerpunt_map.geometry)
        link_type: LinkType | None = record.link_type if kind == "link" else None
        if kind == "link":
            kind_label = t("link_infrastructure") if link_type == "infrastructure" else \
                t("link_organisation")
        else:
            kind_label = t(kind)
        yield FeatureText(
            kind=kind, name=_text(record.name), label=_text(getattr(record, "label", "")),
            kind_label=kind_label, actors=tuple(names.get(a, a) for a in record.actor_ids),
            years=tuple(record.years),
            source=_text(record.source_document) or _text(record.source_as_printed),
            remark=_text(record.remark), link_type=link_type,
            link_from=_text(getattr(record, "from_name", "")),
            link_to=_text(getattr(record, "to_name", "")), file=str(record.file),
            row=int(record.row))


def region_text(name: str, method: str, t: Labels) -> FeatureText:
    """The text of an actor's region: its name, and how its outline was made."""
    return FeatureText(kind="region", name=name, label="", kind_label=t("regions"),
                       actors=(name,), years=(), source=method, remark="")
