"""Legend tables and the catalogue: read them, check them, and report every problem at once.

The catalogue (``catalogue.toml``) names the maps; each map's legend table (CSV or XLSX) lists
its points, zones and links. :func:`read_catalogue` and :func:`read_legend` never raise for a
user's mistake: they collect :class:`~speerpunt_map.Problem` records. :func:`validate` checks
whole folders and files; :func:`load_legend` raises :class:`~speerpunt_map.LegendError`.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._errors import LegendError, Problem
from ._paths import legends_dir
from ._tables import Table, read_table
from ._text import normalise, split_multi
from .gazetteer import Gazetteer, PlaceRef, load_gazetteer
from .vocab import Actor, Sector, Vocabulary, load_vocabulary

__all__ = [
    "COLUMNS",
    "Catalogue",
    "Legend",
    "LegendRow",
    "MapSpec",
    "load_legend",
    "read_catalogue",
    "read_legend",
    "validate",
]

COLUMNS = ("kind", "number", "name", "name_as_printed", "place", "link_from", "link_to",
           "link_type", "link_type_reason", "source_actor", "year", "source_document",
           "source_as_printed", "remark", "annex_x", "accept", "note")
# Dutch column names a policy officer may type instead (the template offers the English ones).
DUTCH_COLUMNS = {
    "soort": "kind", "nummer": "number", "naam": "name", "naam_zoals_gedrukt": "name_as_printed",
    "plaats": "place", "van": "link_from", "naar": "link_to", "type_verbinding": "link_type",
    "reden_type": "link_type_reason", "bron_actor": "source_actor", "jaar": "year",
    "brondocument": "source_document", "bron_zoals_gedrukt": "source_as_printed",
    "opmerking": "remark", "opmerkingen": "remark", "x_in_annex": "annex_x",
    "aanvaard": "accept", "notitie": "note",
}
KINDS = {"point": "point", "punt": "point", "zone": "zone", "link": "link",
         "verbinding": "link"}
LINK_TYPES = {"infrastructure": "infrastructure", "infrastructuur": "infrastructure",
              "infrastructureel": "infrastructure", "infrastructural": "infrastructure",
              "organisation": "organisation", "organization": "organisation",
              "organisatie": "organisation", "organisatorisch": "organisation",
              "organisational": "organisation"}
ACCEPT_CODES = {"no-source", "uncertain-source", "unnumbered-point", "duplicate-row",
                "duplicate-number", "project-end", "actor-not-listed"}
_CATALOGUE_KEYS = {"id", "scope", "sector", "sector_as_printed", "figure", "annex", "actors",
                   "focus", "table", "source", "title"}
_REQUIRED_KEYS = ("id", "scope", "sector", "actors", "table")
_YEAR = re.compile(r"(19[5-9][0-9]|20[0-9][0-9])")
# A row whose first cell starts with this is a notes row (the template's second row is one).
NOTES_PREFIX = "#"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MapSpec:
    """One map of the catalogue."""

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


@dataclass
class LegendRow:
    """One row of a legend table, with its references resolved.

    ``cells`` holds every column as typed (missing optional columns as ``""``);
    the other attributes are the normalised reading of those cells.
    """

    file: str
    row: int
    cells: dict[str, str]
    kind: str
    number: int | None
    actors: tuple[Actor, ...]
    years: tuple[int, ...]
    accept: frozenset[str]
    place: PlaceRef | None = None
    link_from: PlaceRef | None = None
    link_to: PlaceRef | None = None
    link_type: str = ""


@dataclass
class Legend:
    """A read legend table: its rows, its map (when read through the catalogue), its problems.

    Every row of the file is accounted for: ``rows_read`` counts the data rows (every
    non-empty row after the header that is not a notes row, ragged rows included), and each of
    them is either in ``rows`` (to be drawn) or in ``rejected`` (it has an error in
    ``problems``). Notes rows (``notes``) and blank rows (``blank_rows``) are listed apart.

    Attributes
    ----------
    read_as
        How the file was read: ``"Windows-1252, separator ';'"`` or ``"Excel workbook, sheet
        'legend'"`` (empty when the file could not be read).
    """

    path: Path
    rows: list[LegendRow]
    spec: MapSpec | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    read_as: str = ""
    encoding: str | None = None
    separator: str | None = None
    notes: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    data_rows: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def rejected(self) -> list[int]:
        """The data rows left out because they have an error."""
        kept = {row.row for row in self.rows}
        return sorted(set(self.data_rows) - kept)

    def summary(self) -> str:
        """One line for the user: how the file was read and what became of every row."""
        if not self.read_as:
            return f"{self.path}: not read"
        text = (f"{self.path}: read as {self.read_as}; {self.rows_read} row(s): "
                f"{len(self.rows)} valid, {len(self.rejected)} with errors")
        if self.notes:
            text += f"; notes row(s) ignored: {_row_list(self.notes)}"
        if self.blank_rows:
            text += f"; blank row(s) ignored: {_row_list(self.blank_rows)}"
        return text


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" … ({len(rows)} in all)" if len(rows) > 10 else "")


@dataclass
class Catalogue:
    """The maps of a catalogue file, in the order it lists them."""

    path: Path
    maps: dict[str, MapSpec]
    problems: list[Problem] = field(default_factory=list)


# -- catalogue ---------------------------------------------------------------------------------
def read_catalogue(path: str | Path | None = None, *,
                   vocabulary: Vocabulary | None = None) -> Catalogue:
    """Read a catalogue; problems are collected on the result, not raised.

    Parameters
    ----------
    path
        A ``catalogue.toml`` file, or a folder holding one (the shipped legends by default).
    """
    path = Path(path) if path is not None else legends_dir() / "catalogue.toml"
    if path.is_dir():
        path = path / "catalogue.toml"
    vocabulary = vocabulary or load_vocabulary()
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

    for key in sorted(set(entry) - _CATALOGUE_KEYS):
        bad(key, key, f"one of {sorted(_CATALOGUE_KEYS)}", code="unknown-key")
    for key in _REQUIRED_KEYS:
        if key not in entry or entry[key] in ("", []):
            bad(key, "", "a value", code="missing-value")
    for key in ("id", "scope", "sector", "sector_as_printed", "focus", "table", "source", "title"):
        if key in entry and not isinstance(entry[key], str):
            bad(key, entry[key], "text (in quotes)")
    for key in ("figure", "annex"):
        if key in entry and (not isinstance(entry[key], int) or isinstance(entry[key], bool)):
            bad(key, entry[key], "a whole number")
    if len(problems) > before:
        return None
    # The id names the output file <scope>/<sector>.html: keep it to a safe, readable form.
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*", entry["id"]) or \
            entry["id"].split("/")[0] != entry["scope"]:
        bad("id", entry["id"], f"'{entry['scope']}/<name>' in lowercase letters, digits and "
            "hyphens", code="bad-id")
    sector = vocabulary.sector(entry["sector"])
    if sector is None:
        bad("sector", entry["sector"], "a sector of sectors.csv",
            _did_you_mean(vocabulary.suggest_sector(entry["sector"])), "unknown-sector")
    if entry["scope"] not in vocabulary.scopes:
        bad("scope", entry["scope"], f"one of {sorted(vocabulary.scopes)}",
            code="unknown-scope")
    actors: list[Actor] = []
    names = entry["actors"]
    if not isinstance(names, list) or not all(isinstance(a, str) for a in names):
        bad("actors", entry["actors"], 'a list of actor names, e.g. ["RESOC Kempen"]')
    else:
        for name in entry["actors"]:
            actor = vocabulary.actor(name)
            if actor is None:
                bad("actors", name, "an actor of actors.csv",
                    _did_you_mean(vocabulary.suggest_actor(name)), "unknown-actor")
            else:
                actors.append(actor)
        duplicated = [a.name_nl for a, n in Counter(actors).items() if n > 1]
        if duplicated:
            bad("actors", ", ".join(duplicated), "each actor once", code="duplicate-actor")
    table = (path.parent / entry["table"]).resolve()
    if not table.is_file():
        bad("table", entry["table"], f"a legend table relative to {path.parent}",
            code="missing-file")
    if len(problems) > before or sector is None:
        return None
    return MapSpec(
        id=entry["id"], scope=entry["scope"], sector=sector,
        sector_as_printed=entry.get("sector_as_printed", ""), actors=tuple(actors), table=table,
        focus=entry.get("focus", ""), figure=entry.get("figure"), annex=entry.get("annex"),
        source=entry.get("source", ""), title=entry.get("title", ""))


def _did_you_mean(names: list[str]) -> str:
    return "did you mean " + " or ".join(repr(n) for n in names) + "?" if names else ""


# -- legend tables -----------------------------------------------------------------------------
def read_legend(path: str | Path, *, spec: MapSpec | None = None,
                vocabulary: Vocabulary | None = None,
                gazetteer: Gazetteer | None = None) -> Legend:
    """Read and check one legend table; problems are collected on the result, not raised.

    Parameters
    ----------
    path
        A CSV or XLSX legend table.
    spec
        The catalogue entry of the table's map, when known: its actors are the actors a link
        without a start may begin from.
    """
    path = Path(path)
    vocabulary = vocabulary or load_vocabulary()
    gazetteer = gazetteer or load_gazetteer(vocabulary=vocabulary)
    try:
        table = read_table(path, notes=NOTES_PREFIX)
    except LegendError as error:
        return Legend(path, [], spec, error.problems)
    where = str(path)
    problems = list(table.problems)
    columns = _header(where, table, problems)
    rows: list[LegendRow] = []
    for number, record in zip(table.row_numbers, table.records, strict=True):
        cells = _cells(where, number, record, columns, problems)
        row = _check_row(where, number, cells, spec, vocabulary, gazetteer, problems)
        if row is not None:
            rows.append(row)
    _check_duplicates(where, rows, spec, gazetteer, problems)
    # A row with any error is not drawn (the duplicate checks come after the row checks).
    rejected = {p.row for p in problems if p.severity == "error" and p.file == where}
    rows = [row for row in rows if row.row not in rejected]
    # Problems name the columns as the table types them (e.g. Dutch headers).
    typed = {ours: table.header[indices[0]] for ours, indices in columns.items()
             if table.header[indices[0]] != ours}
    problems = [replace(p, column=typed.get(p.column, p.column)) if p.file == where else p
                for p in problems]
    ragged = [p.row for p in table.problems if p.code == "ragged-row" and p.row is not None]
    legend = Legend(path, rows, spec, problems, rows_read=len(table.rows) + len(ragged),
                    read_as=table.describe(), encoding=table.encoding,
                    separator=table.separator, notes=table.notes, blank_rows=table.blank_rows,
                    data_rows=sorted([*table.row_numbers, *ragged]))
    log.info("%s", legend.summary())
    return legend


def _canonical(typed: str) -> str:
    """Our name of a column as typed: ``Name``, ``source-actor``, Dutch ``naam`` → ``name``."""
    key = normalise(typed).replace(" ", "_")
    return key if key in COLUMNS else DUTCH_COLUMNS.get(key, typed)


def _header(where: str, table: Table, problems: list[Problem]) -> dict[str, list[int]]:
    """Our column name → the positions of the table's columns that carry it; header problems."""
    from openpyxl.utils import get_column_letter

    row = table.header_row
    columns: dict[str, list[int]] = defaultdict(list)
    for index, typed in enumerate(table.header):
        if not typed:
            problems.append(Problem(where, row, None, "(no column name)",
                                    "a name for every column that holds values",
                                    f"name column {get_column_letter(index + 1)} or delete it",
                                    code="unknown-column"))
            continue
        ours = _canonical(typed)
        if ours not in COLUMNS:
            problems.append(Problem(where, row, typed, typed, "one of the legend columns",
                                    _did_you_mean(_close(typed, COLUMNS)),
                                    code="unknown-column"))
            continue
        columns[ours].append(index)
    for ours, indices in columns.items():
        if len(indices) > 1:
            names = " and ".join(repr(table.header[i]) for i in indices)
            problems.append(Problem(where, row, ours, names, f"one column {ours!r}",
                                    "delete or rename one of them", code="duplicate-column"))
    for column in ("kind", "name", "source_actor", "year"):
        if column not in columns:
            problems.append(Problem(where, row, column, "(no such column)",
                                    f"a column {column!r}", code="missing-column"))
    return dict(columns)


def _cells(where: str, number: int, record: list[str], columns: dict[str, list[int]],
           problems: list[Problem]) -> dict[str, str]:
    """Every legend column of one row (``""`` when absent); two columns of one name must agree."""
    cells = {c: "" for c in COLUMNS}
    for ours, indices in columns.items():
        values = [record[i] for i in indices if record[i].strip()]
        if len({v.strip() for v in values}) > 1:
            problems.append(Problem(where, number, ours, " / ".join(values),
                                    f"one value for {ours!r}",
                                    "the table has two columns of that name",
                                    code="duplicate-column"))
        cells[ours] = values[0] if values else record[indices[0]]
    return cells


def _close(word: str, options: tuple[str, ...] | list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, list(options), n=2, cutoff=0.6)


def _check_row(where: str, number: int, cells: dict[str, str], spec: MapSpec | None,
               vocabulary: Vocabulary, gazetteer: Gazetteer,
               problems: list[Problem]) -> LegendRow | None:
    """Check one row; append its problems; return the row when it can be drawn."""
    before = sum(p.severity == "error" for p in problems)
    accept = frozenset(split_multi(cells["accept"]))

    def report(column: str, found: str, expected: str, suggestion: str = "", *,
               code: str, accepted_by: str = "") -> None:
        severity = "warning" if accepted_by and accepted_by in accept else "error"
        problems.append(Problem(where, number, column, found, expected, suggestion, severity,
                                code))

    for code in sorted(accept - ACCEPT_CODES):
        report("accept", code, f"one of {sorted(ACCEPT_CODES)}", code="unknown-accept")
    kind = KINDS.get(normalise(cells["kind"]))
    if kind is None:
        report("kind", cells["kind"], "point, zone or link", code="bad-kind")
    if not cells["name"].strip():
        report("name", "", "the name of the point, zone or link", code="missing-value")
    # Numbers: points carry the number printed on the map.
    point_number: int | None = None
    text = cells["number"].strip()
    if text:
        if not (text.isascii() and text.isdigit()):
            report("number", text, "a whole number, as printed on the map", code="bad-number")
        elif kind in ("zone", "link"):
            report("number", text, "no number: only points are numbered", code="bad-number")
        else:
            point_number = int(text)
    elif kind == "point":
        report("number", "", "the number printed on the map", code="missing-number",
               accepted_by="unnumbered-point")
    # Source actor(s) and year(s).
    actors: list[Actor] = []
    for name in split_multi(cells["source_actor"]):
        actor = vocabulary.actor(name)
        if actor is None:
            report("source_actor", name, "an actor of actors.csv",
                   _did_you_mean(vocabulary.suggest_actor(name)), code="unknown-actor")
        else:
            actors.append(actor)
    if not cells["source_actor"].strip():
        report("source_actor", "", "the actor whose document names this row",
               code="missing-value", accepted_by="no-source")
    elif spec is not None and actors and not set(actors) & set(spec.actors):
        report("source_actor", cells["source_actor"],
               f"an actor of this map ({', '.join(a.name_nl for a in spec.actors)})",
               code="actor-not-listed", accepted_by="actor-not-listed")
    years: list[int] = []
    for part in split_multi(cells["year"]):
        if _YEAR.fullmatch(part):
            years.append(int(part))
        else:
            report("year", part, "a four-digit year between 1950 and 2099", code="bad-year")
    if not cells["year"].strip():
        report("year", "", "the year of the source document", code="missing-value",
               accepted_by="no-source")
    if cells["annex_x"].strip() not in ("", "x", "X"):
        report("annex_x", cells["annex_x"], "'x' or empty", code="bad-flag")
    row = LegendRow(where, number, cells, kind or "", point_number, tuple(actors), tuple(years),
                    accept)
    # Places.
    if kind in ("point", "zone"):
        row.place = _resolve(where, number, "place", cells["place"] or cells["name"], gazetteer,
                             problems, required=True)
        for column in ("link_from", "link_to", "link_type"):
            if cells[column].strip():
                report(column, cells[column], f"empty: only links have a {column}",
                       code="not-a-link")
    elif kind == "link":
        row.link_to = _resolve(where, number, "link_to", cells["link_to"], gazetteer, problems,
                               required=True)
        if cells["link_from"].strip():
            row.link_from = _resolve(where, number, "link_from", cells["link_from"], gazetteer,
                                     problems, required=True)
        elif not actors and not (spec and spec.actors):
            report("link_from", "", "a start, or a source actor whose region the link starts "
                   "from", code="unresolvable-link")
        link_type = LINK_TYPES.get(normalise(cells["link_type"]))
        if link_type is None:
            report("link_type", cells["link_type"], "infrastructure or organisation",
                   code="bad-link-type")
        row.link_type = link_type or ""
    errors_now = sum(p.severity == "error" for p in problems)
    return row if errors_now == before else None


def _resolve(where: str, number: int, column: str, text: str, gazetteer: Gazetteer,
             problems: list[Problem], *, required: bool) -> PlaceRef | None:
    text = text.strip()
    if not text:
        if required:
            problems.append(Problem(where, number, column, "", "a place: a gazetteer name, a "
                                    "municipality, a custom zone or an actor's region",
                                    code="missing-value"))
        return None
    ref = gazetteer.resolve(text)
    if ref is None:
        problems.append(Problem(where, number, column, text, "a place known to the gazetteer, "
                                "a municipality, a custom zone or an actor's region",
                                _did_you_mean(gazetteer.suggest(text)), code="unknown-place"))
    return ref


def _check_duplicates(where: str, rows: list[LegendRow], spec: MapSpec | None,
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
                severity = "warning" if "duplicate-number" in row.accept else "error"
                problems.append(Problem(where, row.row, "number", str(row.number),
                                        f"a number not used before (row {first.row} has it)",
                                        severity=severity, code="duplicate-number"))
        first_row = seen_rows.setdefault(_identity(row, spec, gazetteer), row)
        if first_row is not row:
            severity = "warning" if "duplicate-row" in row.accept else "error"
            problems.append(Problem(where, row.row, "name", row.cells["name"],
                                    f"each {row.kind} listed once (row {first_row.row} has the "
                                    "same)", "remove it, or mark both with accept "
                                    "'duplicate-row' if the source prints it twice",
                                    severity=severity, code="duplicate-row"))


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
        return ("link", start, end, row.link_type, name_key)
    place = row.place.id if row.place else normalise(row.cells["place"])
    return (row.kind, place, name_key)


# -- whole inputs ------------------------------------------------------------------------------
def validate(paths: list[str | Path] | None = None, *, vocabulary: Vocabulary | None = None,
             gazetteer: Gazetteer | None = None) -> list[Problem]:
    """Check catalogues and legend tables; return every problem (errors and warnings).

    Parameters
    ----------
    paths
        Catalogue files, legend tables, or folders holding a ``catalogue.toml``. The shipped
        legends when empty.
    """
    vocabulary = vocabulary or load_vocabulary()
    gazetteer = gazetteer or load_gazetteer(vocabulary=vocabulary)
    problems: list[Problem] = []
    for path in [Path(p) for p in (paths or [legends_dir()])]:
        if path.is_dir() or path.suffix.lower() == ".toml":
            catalogue = read_catalogue(path, vocabulary=vocabulary)
            problems += catalogue.problems
            for spec in catalogue.maps.values():
                problems += read_legend(spec.table, spec=spec, vocabulary=vocabulary,
                                        gazetteer=gazetteer).problems
        else:
            problems += read_legend(path, vocabulary=vocabulary, gazetteer=gazetteer).problems
    return problems


def load_legend(path: str | Path, *, spec: MapSpec | None = None,
                vocabulary: Vocabulary | None = None,
                gazetteer: Gazetteer | None = None) -> Legend:
    """Read a legend table and raise :class:`LegendError` if it has any error."""
    legend = read_legend(path, spec=spec, vocabulary=vocabulary, gazetteer=gazetteer)
    if legend.errors:
        raise LegendError(legend.problems)
    return legend
