"""The legend format, and the checks of one legend row: common columns, then per kind.

A row is a point, a zone or a link (:data:`KINDS`, Dutch names accepted). Every row names a
source actor and year (:func:`check_row`); a point or a zone names a place
(:func:`_check_placed`); a link names its end, perhaps its start, and its type
(:func:`_check_link`). :func:`check_duplicates` then looks across the rows of one table.
Problems are appended to a list, never raised: a table reports every mistake at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ._characters import free_text_pictures, invisible_character_problems
from ._errors import Problem
from ._place_names import ambiguity_hint
from ._text import close_matches, did_you_mean, normalise, slug, split_multi
from ._types import Kind, LinkType, Severity
from .catalogue import MapSpec
from .gazetteer import Gazetteer, PlaceRef
from .options import Vintage
from .vocab import Actor, Vocabulary

__all__ = ["ACCEPT_CODES", "COLUMNS", "DUTCH_COLUMNS", "KINDS", "LINK_TYPES", "NOTES_PREFIX",
           "LegendRow", "check_duplicates", "check_has_rows", "check_row"]

COLUMNS: Final = ("kind", "number", "name", "name_as_printed", "place", "link_from", "link_to",
                  "link_type", "link_type_reason", "source_actor", "year", "source_document",
                  "source_as_printed", "remark", "annex_x", "accept", "note")
# Dutch column names a policy officer may type instead (the template offers the English ones).
DUTCH_COLUMNS: Final = {
    "soort": "kind", "nummer": "number", "naam": "name", "naam_zoals_gedrukt": "name_as_printed",
    "plaats": "place", "van": "link_from", "naar": "link_to", "type_verbinding": "link_type",
    "reden_type": "link_type_reason", "bron_actor": "source_actor", "jaar": "year",
    "brondocument": "source_document", "bron_zoals_gedrukt": "source_as_printed",
    "opmerking": "remark", "opmerkingen": "remark", "x_in_annex": "annex_x",
    "aanvaard": "accept", "notitie": "note",
}
KINDS: Final[dict[str, Kind]] = {"point": "point", "punt": "point", "zone": "zone",
                                 "link": "link", "verbinding": "link"}
LINK_TYPES: Final[dict[str, LinkType]] = {
    "infrastructure": "infrastructure", "infrastructuur": "infrastructure",
    "infrastructureel": "infrastructure", "infrastructural": "infrastructure",
    "organisation": "organisation", "organization": "organisation",
    "organisatie": "organisation", "organisatorisch": "organisation",
    "organisational": "organisation"}
ACCEPT_CODES: Final = frozenset({"no-source", "uncertain-source", "unnumbered-point",
                                 "duplicate-row", "duplicate-number", "project-end",
                                 "actor-not-listed"})
# A row whose first cell starts with this is a notes row (the template's second row is one).
NOTES_PREFIX: Final = "#"
_YEAR = re.compile(r"(19[5-9][0-9]|20[0-9][0-9])")
_PLACE = "a gazetteer name, a municipality, a custom zone or an actor's region"


@dataclass
class LegendRow:
    """One row of a legend table, with its references resolved.

    ``cells`` holds every column as typed (missing optional columns as ``""``);
    the other attributes are the normalised reading of those cells.
    """

    file: str
    row: int
    cells: dict[str, str]
    kind: Kind
    number: int | None
    actors: tuple[Actor, ...]
    years: tuple[int, ...]
    accept: frozenset[str]
    place: PlaceRef | None = None
    link_from: PlaceRef | None = None
    link_to: PlaceRef | None = None
    link_type: LinkType | None = None


class _Report:
    """Appends the problems of one row; an ``accept`` code turns an error into a warning."""

    def __init__(self, where: str, number: int, accept: frozenset[str],
                 problems: list[Problem]) -> None:
        self.where, self.number, self.accept, self.problems = where, number, accept, problems

    def __call__(self, column: str, found: str, expected: str, suggestion: str = "", *,
                 code: str, accepted_by: str = "") -> None:
        severity: Severity = "warning" if accepted_by and accepted_by in self.accept else "error"
        self.problems.append(Problem(self.where, self.number, column, found, expected,
                                     suggestion, severity, code))

    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def check_row(where: str, number: int, cells: dict[str, str], spec: MapSpec | None,
              vocabulary: Vocabulary, gazetteer: Gazetteer,
              problems: list[Problem]) -> LegendRow | None:
    """Check one row; append its problems; return the row when it can be drawn.

    Parameters
    ----------
    where, number
        The file and row (as a spreadsheet numbers it) the cells come from.
    cells
        Every legend column of the row, as typed.
    spec
        The map's catalogue entry, when known: its actors may start a link.

    Returns
    -------
    LegendRow or None
        ``None`` when the row has an error (the problem says which).
    """
    accept = frozenset(split_multi(cells["accept"]))
    report = _Report(where, number, accept, problems)
    before = report.errors()
    for code in sorted(accept - ACCEPT_CODES):
        report("accept", code, f"one of {sorted(ACCEPT_CODES)}", code="unknown-accept")
    # A zero-width or bidi character would make a name look like another (or like itself).
    problems.extend(invisible_character_problems(where, number, cells))
    # Control characters in free text (BEL in a remark) are shown as pictures (␇), here,
    # once: the page, the figure and the exports then show the same text.
    free_text_pictures(cells)
    kind = KINDS.get(normalise(cells["kind"]))
    if kind is None:
        report("kind", cells["kind"], "point, zone or link (punt, zone, verbinding)",
               _suggest(cells["kind"], KINDS), code="bad-kind")
    if not cells["name"].strip():
        report("name", "", "the name of the point, zone or link", code="missing-value")
    point_number = _check_number(cells["number"].strip(), kind, report)
    actors = _check_actors(cells["source_actor"], spec, vocabulary, report)
    years = _check_years(cells["year"], report)
    if cells["annex_x"].strip() not in ("", "x", "X"):
        report("annex_x", cells["annex_x"], "'x' or empty", code="bad-flag")
    if kind is None:
        return None
    row = LegendRow(where, number, cells, kind, point_number, actors, years, accept)
    if kind == "link":
        _check_link(row, spec, gazetteer, report)
        _check_ends(row, spec, report)
    else:
        _check_placed(row, gazetteer, report, spec.vintage if spec else None)
    return row if report.errors() == before else None


def _suggest(typed: str, values: Mapping[str, str]) -> str:
    """"did you mean 'infrastructure'?" for a controlled value typed short or misspelt."""
    key = normalise(typed)
    if not key:
        return ""
    starts = sorted({value for name, value in values.items() if name.startswith(key)})
    close = starts or sorted({values[n] for n in close_matches(key, values, n=3)})
    return did_you_mean(close)


def _check_number(text: str, kind: Kind | None, report: _Report) -> int | None:
    """Points carry the number printed on the map; zones and links none."""
    if text:
        if not (text.isascii() and text.isdigit()):
            report("number", text, "a whole number, as printed on the map", code="bad-number")
        elif kind in ("zone", "link"):
            report("number", text, "no number: only points are numbered", code="bad-number")
        else:
            return int(text)
    elif kind == "point":
        report("number", "", "the number printed on the map", code="missing-number",
               accepted_by="unnumbered-point")
    return None


def _check_actors(cell: str, spec: MapSpec | None, vocabulary: Vocabulary,
                  report: _Report) -> tuple[Actor, ...]:
    """The source actor(s) of a row: known, and (unless accepted) among the map's actors."""
    actors: list[Actor] = []
    for name in split_multi(cell):
        actor = vocabulary.actor(name)
        if actor is None:
            report("source_actor", name, "an actor of actors.csv",
                   did_you_mean(vocabulary.suggest_actor(name)), code="unknown-actor")
        else:
            actors.append(actor)
    if not cell.strip():
        report("source_actor", "", "the actor whose document names this row",
               code="missing-value", accepted_by="no-source")
    elif spec is not None and actors and not set(actors) & set(spec.actors):
        report("source_actor", cell,
               f"an actor of this map ({', '.join(a.name_nl for a in spec.actors)})",
               code="actor-not-listed", accepted_by="actor-not-listed")
    return tuple(actors)


def _check_years(cell: str, report: _Report) -> tuple[int, ...]:
    years: list[int] = []
    for part in split_multi(cell):
        if _YEAR.fullmatch(part):
            years.append(int(part))
        else:
            report("year", part, "a four-digit year between 1950 and 2099", code="bad-year")
    if not cell.strip():
        report("year", "", "the year of the source document", code="missing-value",
               accepted_by="no-source")
    return tuple(years)


def _check_placed(row: LegendRow, gazetteer: Gazetteer, report: _Report,
                  vintage: Vintage | None = None) -> None:
    """A point or a zone: its place (the ``place`` cell, else its name); no link columns.

    A zone's place may name several municipalities (``Ieper|Poperinge``): their union."""
    cells = row.cells
    text = cells["place"] or cells["name"]
    if "|" in cells["place"]:
        row.place = _union(cells["place"], row.kind, gazetteer, report, vintage)
    else:
        row.place = _resolve(text, "place", gazetteer, report, vintage)
    for column in ("link_from", "link_to", "link_type"):
        if cells[column].strip():
            report(column, cells[column], f"empty: only links have a {column}",
                   code="not-a-link")


def _check_link(row: LegendRow, spec: MapSpec | None, gazetteer: Gazetteer,
                report: _Report) -> None:
    """A link: its end, its start (or an actor whose region it starts from), its type."""
    cells = row.cells
    vintage = spec.vintage if spec else None
    row.link_to = _resolve(cells["link_to"], "link_to", gazetteer, report, vintage)
    if cells["link_from"].strip():
        row.link_from = _resolve(cells["link_from"], "link_from", gazetteer, report, vintage)
    elif not row.actors and not (spec and spec.actors):
        report("link_from", "", "a start, or a source actor whose region the link starts "
               "from", code="unresolvable-link")
    row.link_type = LINK_TYPES.get(normalise(cells["link_type"]))
    if row.link_type is None:
        report("link_type", cells["link_type"], "infrastructure or organisation",
               _suggest(cells["link_type"], LINK_TYPES), code="bad-link-type")


def _resolve(text: str, column: str, gazetteer: Gazetteer, report: _Report,
             vintage: Vintage | None = None) -> PlaceRef | None:
    """The place a cell names; a problem when it is empty, unknown or ambiguous."""
    text = text.strip()
    if not text:
        report(column, "", f"a place: {_PLACE}", code="missing-value")
        return None
    ref = gazetteer.resolve(text)
    if ref is None:
        hint = did_you_mean(gazetteer.suggest_places(text))
        report(column, text, "a place known to the gazetteer, a municipality, a custom zone "
               "or an actor's region", (hint + "; " if hint else "") + how_to_add_place(text),
               code="unknown-place")
        return None
    candidates = gazetteer.candidates(text, vintage)
    if len(candidates) > 1:
        report(column, text, "a name that means one place",
               ambiguity_hint(text, candidates, gazetteer), code="ambiguous-place")
        return None
    return ref


def _union(cell: str, kind: Kind, gazetteer: Gazetteer, report: _Report,
           vintage: Vintage | None) -> PlaceRef | None:
    """A zone over several municipalities, ``|``-separated: each part one municipality."""
    parts = split_multi(cell)
    if kind != "zone":
        report("place", cell, "one place: only a zone may name several municipalities "
               "(separated by '|')", code="several-places")
        return None
    refs = [_resolve(part, "place", gazetteer, report, vintage) for part in parts]
    for part, ref in zip(parts, refs, strict=True):
        if ref is not None and ref.kind != "municipality":
            report("place", part, "a municipality: a zone written as 'A|B|C' is the union of "
                   f"those municipalities, and {part!r} is a {gazetteer.describe_ref(ref)}",
                   "name one municipality per part, or define the zone in zones.csv",
                   code="not-a-municipality")
            return None
    if any(ref is None for ref in refs):
        return None
    return gazetteer.municipality_union([r for r in refs if r is not None], cell)


def _check_ends(row: LegendRow, spec: MapSpec | None, report: _Report) -> None:
    """A link whose two ends are the same place (Gent to Gent) has no length: an error."""
    end = row.link_to
    if end is None:
        return
    if row.link_from is not None:
        start, how = row.link_from, "starts"
    else:
        actor = row.actors[0] if row.actors else (spec.actors[0] if spec and spec.actors
                                                   else None)
        if actor is None:
            return
        start = PlaceRef("region", actor.region, actor.name_nl)
        how = f"starts (link_from is empty: the region of {actor.name_nl})"
    if _same_place(start, end):
        report("link_to", row.cells["link_to"].strip(), "a place other than the link's start",
               f"the link {how} at {start.name} too: name the other end, or make the row a "
               "point or a zone", code="same-ends")


def _same_place(a: PlaceRef, b: PlaceRef) -> bool:
    """Whether two references name one place (a municipality in any vintage by its code)."""
    if a.kind != b.kind:
        return False
    return a.refnis == b.refnis if a.kind == "municipality" else a.id == b.id


def check_has_rows(where: str, header_row: int, rows_read: int, spec: MapSpec | None,
                   problems: list[Problem]) -> None:
    """A table with a header and no data rows is a warning (``empty-table``), unless its
    catalogue entry says the map may be empty (``empty = true``); ``build`` does not publish a
    map with nothing on it without that flag.

    Parameters
    ----------
    where, header_row
        The file and the row of its header.
    rows_read
        The data rows the table holds (notes rows and empty rows not counted).
    spec
        The map's catalogue entry, when known.
    """
    if rows_read or (spec is not None and spec.empty):
        return
    problems.append(Problem(
        where, header_row, None, "a header and no data rows",
        "at least one row below the header: a point, a zone or a link",
        "fill in the table (a map with nothing on it is not built); if the map is meant to be "
        "empty, add 'empty = true' to its [[map]] entry in the catalogue", "warning",
        code="empty-table"))


#: The columns of a workspace's ``places.csv`` (as the shipped ``geodata/gazetteer/*.csv``).
PLACE_COLUMNS: Final = ("id", "name", "aliases", "kind", "lon", "lat", "country",
                        "municipality", "method", "precision_m", "source", "note")


def how_to_add_place(name: str) -> str:
    """What to do about an unknown place: the file, its columns, and a row to paste."""
    row = [slug(name) or "my-place", name, "", "site", "LON", "LAT", "BE", "", "METHOD",
           "PRECISION_M", "SOURCE", "", ""]
    cells = ",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in row)
    return ("if it is a place of your own, add it to places.csv in your workspace (create "
            "one with `speerpunt-map init DIR`; columns "
            f"{','.join((*PLACE_COLUMNS, 'override'))}), e.g. the row: {cells} — with its "
            "WGS84 longitude/latitude, how you found them and how precise they are")


def check_duplicates(where: str, rows: list[LegendRow], spec: MapSpec | None,
                      gazetteer: Gazetteer, problems: list[Problem]) -> None:
    """Point numbers used twice, and the same place (or link) listed twice.

    Two rows are the same when they are of the same kind, resolve to the same place (a link:
    the same start, end and type) and carry the same name — or names that resolve to the same
    place ("Haven van Antwerpen", "Port of Antwerp"). Five organisations in one town are five
    points, not duplicates.
    """
    seen_numbers: dict[int, LegendRow] = {}
    seen_rows: dict[tuple[str, ...], LegendRow] = {}
    for row in rows:
        if row.number is not None:
            first = seen_numbers.setdefault(row.number, row)
            if first is not row:
                severity: Severity = ("warning" if "duplicate-number" in row.accept
                                      else "error")
                problems.append(Problem(where, row.row, "number", row.cells["number"].strip(),
                                        f"a number not used before (row {first.row} has it)",
                                        severity=severity, code="duplicate-number"))
        first_row = seen_rows.setdefault(_identity(row, spec, gazetteer), row)
        if first_row is not row:
            repeated: Severity = "warning" if "duplicate-row" in row.accept else "error"
            problems.append(Problem(where, row.row, "name", row.cells["name"],
                                    f"each {row.kind} listed once (row {first_row.row} has the "
                                    "same)", "remove it, or mark both with accept "
                                    "'duplicate-row' if the source prints it twice",
                                    severity=repeated, code="duplicate-row"))


def _identity(row: LegendRow, spec: MapSpec | None, gazetteer: Gazetteer) -> tuple[str, ...]:
    """What a row stands for on the map: its kind, resolved place(s) and name."""
    name = row.cells["name"]
    named = gazetteer.resolve(name) if name.strip() else None
    name_key = f"{named.kind}:{named.id}" if named else normalise(name)
    if row.kind == "link":
        if row.link_from is not None:
            start = row.link_from.id
        elif row.actors:
            start = row.actors[0].region
        else:
            start = spec.actors[0].region if spec and spec.actors else ""
        end = row.link_to.id if row.link_to else normalise(row.cells["link_to"])
        return ("link", start, end, row.link_type or "", name_key)
    place = row.place.id if row.place else normalise(row.cells["place"])
    return (row.kind, place, name_key)
