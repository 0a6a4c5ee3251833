"""Property-based tests of the table reader and the validator (hypothesis).

1. Any bytes — random, or a valid table with bytes inserted, deleted and replaced, or a workbook
   whose sheet XML is mangled — give a :class:`~speerpunt_map.Legend` whose problems say what is
   wrong, never another exception.
2. Every row is accounted for: a table of arbitrary cells yields each non-blank row after the
   header as a notes row, a drawn row or a rejected row (with an error), exactly once.
3. Valid legends — rows of valid kinds, actors, years and places drawn from the shipped
   vocabularies, with arbitrary text in the free columns — survive a write/read round trip
   unchanged: CSV ``;`` UTF-8 with BOM, CSV ``;`` Windows-1252 (where the text is
   representable) and XLSX.

The example counts are modest so the suite stays fast. For a fuzzing run, raise them::

    SPEERPUNT_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_properties.py \\
        --hypothesis-show-statistics

(README, "Bad input", records the last such run.)
"""

from __future__ import annotations

import csv
import functools
import io
import os
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from speerpunt_map import Legend, LegendError, Problem, read_legend
from speerpunt_map._characters import free_text_pictures, invisible_characters
from speerpunt_map._tables import FORMULA_START, read_table, restore_formula
from speerpunt_map.gazetteer import Gazetteer, PlaceRef, load_gazetteer
from speerpunt_map.legend import COLUMNS, KINDS, LINK_TYPES, NOTES_PREFIX
from speerpunt_map.rows import _same_place
from speerpunt_map.vocab import Vocabulary, load_vocabulary

FUZZ = int(os.environ.get("SPEERPUNT_FUZZ_EXAMPLES", "0"))


def examples(default: int) -> settings:
    """Hypothesis settings: ``default`` examples, or ``SPEERPUNT_FUZZ_EXAMPLES``."""
    return settings(max_examples=FUZZ or default, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="module")
def places(vocabulary: Vocabulary) -> Gazetteer:
    return load_gazetteer(vocabulary=vocabulary)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def check_legend(legend: Legend) -> None:
    """What must hold for any legend read from any input."""
    assert isinstance(legend, Legend)
    assert all(isinstance(p, Problem) for p in legend.problems)
    assert all(p.severity in ("error", "warning") and p.code for p in legend.problems)
    kept = [row.row for row in legend.rows]
    assert len(kept) == len(set(kept))
    assert len(kept) + len(legend.rejected) == legend.rows_read
    assert set(legend.rejected) <= {p.row for p in legend.errors}
    assert not set(kept) & {p.row for p in legend.errors}
    if not legend.read_as:  # not read at all: one problem says why
        assert legend.rows == [] and legend.errors


def read(path: Path, vocabulary: Vocabulary, places: Gazetteer) -> Legend:
    legend = read_legend(path, vocabulary=vocabulary, gazetteer=places)
    check_legend(legend)
    return legend


# -- 1. any bytes ----------------------------------------------------------------------------------


@examples(150)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_any_bytes_give_a_legend_or_problems(data: bytes, suffix: str, folder: Path,
                                             vocabulary: Vocabulary, places: Gazetteer) -> None:
    path = folder / f"any{suffix}"
    path.write_bytes(data)
    read(path, vocabulary, places)
    try:
        read_table(path)
    except LegendError as error:
        assert error.problems


def _valid_csv(encoding: str = "utf-8-sig", separator: str = ";") -> bytes:
    rows = [["kind", "number", "name", "place", "link_to", "link_type", "source_actor", "year",
             "remark"],
            ["point", "1", "VITO", "vito-mol", "", "", "RESOC Kempen", "2009", "Café"],
            ["zone", "", "Haven", "haven-antwerpen", "", "", "RESOC Kempen|RESOC Mechelen",
             "2009|2010", 'zegt "ja"; of niet'],
            ["link", "", "Naar Leuven", "", "Leuven", "organisation", "RESOC Kempen", "2009",
             "regel 1\nregel 2"],
            ["#", "", "notitie", "", "", "", "", "", ""]]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


MUTATION = st.tuples(st.sampled_from(["insert", "delete", "replace", "repeat"]),
                     st.integers(min_value=0, max_value=10_000),
                     st.binary(min_size=1, max_size=8))


def _mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    for op, position, chunk in mutations:
        at = position % (len(data) + 1)
        if op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(chunk):]
        elif op == "replace":
            data = data[:at] + chunk + data[at + len(chunk):]
        else:  # repeat a stretch: doubled separators, quotes, line ends
            data = data[:at] + data[at:at + len(chunk)] * 2 + data[at + len(chunk):]
    return data


@examples(150)
@given(base=st.sampled_from([("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","),
                             ("utf-16", "\t")]),
       mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_a_mangled_csv_gives_a_legend_or_problems(base: tuple[str, str],
                                                  mutations: list[tuple[str, int, bytes]],
                                                  folder: Path, vocabulary: Vocabulary,
                                                  places: Gazetteer) -> None:
    path = folder / "mangled.csv"
    path.write_bytes(_mutate(_valid_csv(*base), mutations))
    read(path, vocabulary, places)


@pytest.fixture(scope="module")
def workbook_members(folder: Path) -> dict[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(_valid_csv("utf-8").decode("utf-8"), newline=""),
                          delimiter=";"):
        sheet.append(row)
    sheet["J3"] = "=1/0"
    sheet.merge_cells("I2:I3")
    path = folder / "base.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@examples(100)
@given(member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                               "xl/styles.xml", "[Content_Types].xml"]),
       mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_a_mangled_workbook_gives_a_legend_or_problems(member: str,
                                                       mutations: list[tuple[str, int, bytes]],
                                                       folder: Path,
                                                       workbook_members: dict[str, bytes],
                                                       vocabulary: Vocabulary,
                                                       places: Gazetteer) -> None:
    members = dict(workbook_members)
    members[member] = _mutate(members[member], mutations)
    path = folder / "mangled.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    read(path, vocabulary, places)


# -- 2. every row accounted for --------------------------------------------------------------------

# Header names a user may type: ours, Dutch ones, and unknown ones (no separators in them, so
# the separator is decided by the header, as in a real table).
HEADER_NAMES = st.sampled_from([*COLUMNS, "naam", "plaats", "Soort", "Name", "remarks", "x",
                                "kolom 7", "NAAM"])
CELL = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12),
    st.sampled_from(["", " ", "point", "zone", "link", "punt", "1", "2", "007", "2009",
                     "RESOC Kempen", "Geel", "vito-mol", "haven-antwerpen", "infrastructure",
                     "#", "# notitie", "=1+1", "'=1", "#N/A", "NA", '"', ";", "\r\n", "x"]),
)


@examples(120)
@given(header=st.lists(HEADER_NAMES, min_size=2, max_size=8),
       body=st.lists(st.lists(CELL, max_size=10), max_size=15),
       leading_blank=st.integers(min_value=0, max_value=2),
       encoding=st.sampled_from(["utf-8-sig", "utf-16"]))
def test_every_row_is_accounted_for(header: list[str], body: list[list[str]],
                                    leading_blank: int, encoding: str, folder: Path,
                                    vocabulary: Vocabulary, places: Gazetteer) -> None:
    grid = [[]] * leading_blank + [header] + body
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(grid)
    path = folder / "grid.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    legend = read(path, vocabulary, places)
    # Every non-blank row after the header is a notes row or a data row, read once.
    rows = [leading_blank + 2 + i for i, row in enumerate(body) if any(c.strip() for c in row)]
    filled = [r for r in body if any(c.strip() for c in r)]
    notes = [n for n, row in zip(rows, filled, strict=True)
             if restore_formula(row[0]).lstrip().startswith(NOTES_PREFIX)]
    assert legend.notes == notes
    assert sorted([*legend.data_rows, *legend.notes]) == rows
    assert legend.rows_read == len(rows) - len(notes)
    # Rows drawn carry a known kind; nothing drawn has an error.
    assert all(row.kind in KINDS.values() for row in legend.rows)


# -- 3. round trips --------------------------------------------------------------------------------


def _escaped(text: str) -> bool:
    """A cell of apostrophes before a formula character is our exports' escape, not text."""
    return text[:1] == "'" and text.lstrip("'").startswith(FORMULA_START)


def _text(alphabet: st.SearchStrategy[str],
          pieces: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Free text of ``alphabet``, mixed with whole ``pieces`` where given."""
    text = st.text(alphabet, max_size=15)
    if pieces:
        text = st.lists(st.one_of(st.text(alphabet, max_size=6), st.sampled_from(pieces)),
                        max_size=4).map("".join)
    return text.filter(lambda t: not _escaped(t))


UNICODE = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t")
CP1252 = st.characters(codec="cp1252", exclude_categories=("Cc",), include_characters="\n\t")


@st.composite
def legends(draw: st.DrawFn, alphabet: st.SearchStrategy[str],
            pieces: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a valid legend: vocabulary values where they are checked, free text elsewhere."""
    actor_names, names = _vocabulary_values()
    free = _text(alphabet, pieces)
    rows = []
    numbers = draw(st.lists(st.integers(1, 99), unique=True, min_size=12, max_size=12))
    for index in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["point", "zone", "link"]))
        typed_kind = draw(st.sampled_from([k for k, v in KINDS.items() if v == kind]
                                          + [kind.upper(), f" {kind}"]))
        actors = draw(st.lists(st.sampled_from(actor_names), min_size=1, max_size=2,
                               unique=True))
        years = draw(st.lists(st.integers(1950, 2099), min_size=1, max_size=2))
        row = {column: draw(free) for column in ("name_as_printed", "link_type_reason",
                                                  "source_document", "source_as_printed",
                                                  "remark", "note")}
        row.update(kind=typed_kind, number="", place="", link_from="", link_to="",
                   link_type="", annex_x="", accept="",
                   name=f"{draw(free).strip()} ({index})".strip(),
                   source_actor="|".join(actors), year="|".join(map(str, years)))
        if kind == "point":
            row["number"] = f"{numbers[index]:0{draw(st.integers(1, 3))}d}"
        if kind in ("point", "zone"):
            row["place"] = draw(st.sampled_from(names))
            row["annex_x"] = draw(st.sampled_from(["", "x"])) if kind == "zone" else ""
        else:
            row["link_to"] = draw(st.sampled_from(names))
            row["link_from"] = draw(st.sampled_from(["", *names]))
            row["link_type"] = draw(st.sampled_from(sorted(LINK_TYPES)))
            # (a link whose two ends are one place is an error, issue 13.4: not a valid row)
            assume(not _one_place(row["link_from"], row["link_to"], actors[0]))
        assume(not _escaped(row["name"]))
        # (a name with a zero-width, bidi or control character is an error: not a valid row)
        assume(not invisible_characters(row["name"]))
        rows.append(row)
    return rows


@functools.cache
def _resolver() -> tuple[Vocabulary, Gazetteer]:
    vocabulary = load_vocabulary()
    return vocabulary, load_gazetteer(vocabulary=vocabulary)


def _one_place(start: str, end: str, actor_name: str) -> bool:
    """Whether a link from ``start`` (empty: the actor's region) to ``end`` has one place at
    both ends."""
    vocabulary, gazetteer = _resolver()
    actor = vocabulary.actor(actor_name)
    a = gazetteer.resolve(start) if start else (
        PlaceRef("region", actor.region, actor.name_nl) if actor else None)
    b = gazetteer.resolve(end)
    return a is not None and b is not None and _same_place(a, b)


@functools.cache
def _vocabulary_values() -> tuple[list[str], list[str]]:
    vocabulary = load_vocabulary()
    gazetteer = load_gazetteer(vocabulary=vocabulary)
    actors = sorted({a.name_nl for a in vocabulary.actors.values()})
    chosen = random.Random(20130101)
    places = (list(gazetteer.places["id"]) + list(gazetteer.places["name"])
              + list(gazetteer.zones["id"])
              + chosen.sample(sorted(set(gazetteer.municipalities["name_nl"])), 40)
              + ["Vlaanderen", "RESOC Kempen", "provincie Limburg", "Sint\u00a0Niklaas",
                 "Braine-l\u2019Alleud"])
    return actors, sorted(set(places))


def _header() -> list[str]:
    return list(COLUMNS)


def _write_csv(path: Path, rows: list[dict[str, str]], encoding: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header())
    writer.writerows([row[c] for c in _header()] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _excel_text(text: str) -> str:
    """Text as Excel stores it in a workbook: a literal ``_xHHHH`` as ``_x005F_xHHHH``, and
    the control characters XML cannot hold (a carriage return would become a line feed) as
    ``_xHHHH_``. The ``_`` is escaped whatever follows the four digits: ``_x0000`` followed by
    a carriage return must not become ``_x0000_x000D_``."""
    text = re.sub(r"_(?=x[0-9A-Fa-f]{4})", "_x005F_", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f]", lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _write_xlsx(path: Path, rows: list[dict[str, str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(_header())
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(_header(), start=1):
            if row[column] == "":
                continue
            cell = sheet.cell(row=r, column=c, value=_excel_text(row[column]))
            cell.data_type = "s"  # text, as typed (a leading "=" is not a formula)
    book.save(path)


def _round_trip(path: Path, rows: list[dict[str, str]], vocabulary: Vocabulary,
                places: Gazetteer) -> None:
    legend = read(path, vocabulary, places)
    assert [p for p in legend.problems if p.code != "mojibake"] == []
    assert legend.rows_read == len(rows)
    # Control characters of free text are shown as pictures (\x01 as ␁, issue 13.2).
    shown = [dict(row) for row in rows]
    for row in shown:
        free_text_pictures(row)
    assert [row.cells for row in legend.rows] == shown
    assert [row.row for row in legend.rows] == list(range(2, len(rows) + 2))


@examples(60)
@given(rows=legends(UNICODE))
def test_a_valid_legend_survives_csv_utf8_with_bom(rows: list[dict[str, str]], folder: Path,
                                                   vocabulary: Vocabulary,
                                                   places: Gazetteer) -> None:
    path = folder / "roundtrip-utf8.csv"
    _write_csv(path, rows, "utf-8-sig")
    _round_trip(path, rows, vocabulary, places)


def _also_utf8(data: bytes) -> bool:
    """Whether non-ASCII bytes are valid UTF-8 too."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


@examples(60)
@given(rows=legends(CP1252))
def test_a_valid_legend_survives_csv_windows_1252(rows: list[dict[str, str]], folder: Path,
                                                  vocabulary: Vocabulary,
                                                  places: Gazetteer) -> None:
    try:
        data = "".join(v for row in rows for v in row.values()).encode("cp1252")
    except UnicodeEncodeError:
        assume(False)  # the place names of the vocabulary include a few non-cp1252 ones
    # Windows-1252 text whose bytes are also valid UTF-8 ("Ã©", "Â¡") is read as UTF-8: no
    # detector can tell them apart (legends/README.md says so).
    assume(not _also_utf8(data))
    path = folder / "roundtrip-1252.csv"
    _write_csv(path, rows, "cp1252")
    _round_trip(path, rows, vocabulary, places)


# What XML cannot hold as such, and what looks like Excel's escape of it.
OOXML_PIECES = ("\r", "\r\n", "_x000D_", "_x0041_", "_x005F_", "_xD800_", "\x01", "_")


@examples(40)
@given(rows=legends(UNICODE, OOXML_PIECES))
def test_a_valid_legend_survives_xlsx(rows: list[dict[str, str]], folder: Path,
                                      vocabulary: Vocabulary, places: Gazetteer) -> None:
    path = folder / "roundtrip.xlsx"
    _write_xlsx(path, rows)
    _round_trip(path, rows, vocabulary, places)


@examples(200)
@given(text=st.text(st.sampled_from("'=+-@\t\rs x"), max_size=8) | st.text(max_size=8))
def test_the_formula_escape_is_undone_exactly(text: str) -> None:
    """What our exports write (``neutralise_formula``: one more ``'`` before apostrophes and a
    formula start) is read back as typed; nothing else loses a character."""
    escaped = "'" + text if text.lstrip("'").startswith(FORMULA_START) else text
    assert restore_formula(escaped) == text
    if not _escaped(text):
        assert restore_formula(text) == text
