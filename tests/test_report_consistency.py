"""The shipped legends against what Part 3 of the report says about each figure.

``legends/report_prose.csv`` lists, per figure, what the prose of Part 3 states: counts
(``points``, ``zones``, ``links``), the ``actors`` that chose the sector, and items it names as
being on the map (``named-point``, ``named-zone``, ``named-link``). Every row is checked against
the map's legend table as transcribed (``atlas.legend(map_id).rows``; every shipped row
validates, so these are also the rows of ``atlas.map(map_id)``) and the catalogue:

- **counts**: the prose number equals the number of legend rows of that kind;
- **actors**: the prose's actors equal the catalogue's ``actors`` of the map, as sets of actor
  ids (both sides resolved with ``load_vocabulary().actor(name)``);
- **named items**: the item matches at least one legend row of that kind (a ``named-zone`` only
  a zone row, and so on), by this rule. Both texts are normalised with
  ``speerpunt_map._text.normalise`` (case, accents, quotes, dashes, spacing) and cut into
  *significant words*: runs of letters and digits, less one-letter words and the function words
  in ``STOPWORDS``. The prose value matches a row when, for one of the row's fields ``name``,
  ``name_as_printed``, ``place``, ``link_from``, ``link_to`` or ``remark``,

  (a) every significant word of the value occurs in the field (the value is contained in the
      field, word order aside: "Mechelen" in "Centrumsteden (Antwerpen, Turnhout, Mechelen)",
      "zone Hoogstraten" in "Hoogstraten-zone"), or
  (b) every significant word of the field occurs in the value (the field is contained in the
      value: "Haven van Antwerpen" in "de belangrijke chemische cluster in de Haven van
      Antwerpen"), provided the field has at least two significant words or at least half as
      many as the value, so that a bare place such as "Leuven" does not match a long
      description that merely mentions Leuven.

  There is no spelling tolerance and no stemming: "Inham" does not match "In-Ham", "Antwerpse
  regio" does not match "Regio Antwerpen". Such misses are listed like real disagreements, with
  a reason that says they are wording only.

The annex is the data, so the prose and the legends may disagree, but never silently: every
mismatch must be listed in ``legends/prose_disagreements.csv`` (figure, map_id, item, prose,
legend, reason), with a non-empty reason. The test fails for a mismatch that is not listed, for a
listed row that no longer mismatches (a stale explanation), for a listed count or actor set that
no longer is the legend's, and for a listed row that names no row of ``report_prose.csv``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from speerpunt_map import Atlas, Vocabulary, load_vocabulary
from speerpunt_map._text import normalise
from speerpunt_map.legend import LegendRow

from .conftest import LEGENDS

PROSE_FILE = LEGENDS / "report_prose.csv"
DISAGREEMENTS_FILE = LEGENDS / "prose_disagreements.csv"
NOTES_FILE = LEGENDS / "PROSE-NOTES.md"

PROSE_COLUMNS = ["figure", "map_id", "item", "value", "quote", "line"]
DISAGREEMENT_COLUMNS = ["figure", "map_id", "item", "prose", "legend", "reason"]
COUNT_KINDS = {"points": "point", "zones": "zone", "links": "link"}
NAMED_KINDS = {"named-point": "point", "named-zone": "zone", "named-link": "link"}
ITEMS = ["actors", *COUNT_KINDS, *NAMED_KINDS]
MATCH_FIELDS = ("name", "name_as_printed", "place", "link_from", "link_to", "remark")
STOPWORDS = frozenset({
    "de", "het", "een", "en", "of", "van", "in", "op", "aan", "met", "naar", "rond", "tussen",
    "voor", "door", "via", "te", "bij", "tot", "als", "nu", "om", "die", "dat", "der", "den",
    "the", "and"})


def _read(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == columns, f"{path.name}: columns must be {columns}"
        return list(reader)


PROSE_ROWS = _read(PROSE_FILE, PROSE_COLUMNS)


def _key(figure: str, map_id: str, item: str, value: str) -> tuple[str, str, str, str]:
    return (figure.strip(), map_id.strip(), item.strip(), value.strip())


# -- the matching rule ----------------------------------------------------------------------------
def significant_words(text: str) -> set[str]:
    """The words of ``text`` that carry meaning, normalised (see the module docstring)."""
    return {word for word in re.findall(r"[a-z0-9]+", normalise(text))
            if len(word) > 1 and word not in STOPWORDS}


def text_matches(value: str, field: str) -> bool:
    """Whether a prose value and a legend cell name the same thing (rules (a) and (b))."""
    value_words, field_words = significant_words(value), significant_words(field)
    if not value_words or not field_words:
        return False
    if value_words <= field_words:
        return True
    return field_words <= value_words and (
        len(field_words) >= 2 or 2 * len(field_words) >= len(value_words))


def row_matches(value: str, row: LegendRow) -> bool:
    return any(text_matches(value, row.cells.get(field, "")) for field in MATCH_FIELDS)


# -- one check ------------------------------------------------------------------------------------
class Check(NamedTuple):
    agrees: bool
    legend: str  # what the legend says, in the form prose_disagreements.csv uses


def _actor_ids(names: str, vocabulary: Vocabulary) -> frozenset[str]:
    ids = set()
    for name in names.split("|"):
        actor = vocabulary.actor(name.strip())
        assert actor is not None, f"unknown actor {name!r}"
        ids.add(actor.id)
    return frozenset(ids)


def check(prose: dict[str, str], atlas: Atlas, vocabulary: Vocabulary) -> Check:
    map_id, item, value = prose["map_id"], prose["item"], prose["value"]
    if item == "actors":
        actors = atlas.maps[map_id].actors
        return Check(_actor_ids(value, vocabulary) == {a.id for a in actors},
                     "|".join(a.name_nl for a in actors))
    rows = atlas.legend(map_id).rows
    if item in COUNT_KINDS:
        count = sum(row.kind == COUNT_KINDS[item] for row in rows)
        return Check(int(value) == count, str(count))
    kind = NAMED_KINDS[item]
    hits = [row for row in rows if row.kind == kind and row_matches(value, row)]
    return Check(bool(hits), "; ".join(f"{kind} row {row.row}: {row.cells['name']}"
                                       for row in hits))


def _closest(prose: dict[str, str], atlas: Atlas) -> str:
    """For a failure message: the legend row of the right kind that shares most words."""
    kind = NAMED_KINDS[prose["item"]]
    words = significant_words(prose["value"])
    scored = [(len(words & significant_words(" ".join(row.cells.get(f, "")
                                                      for f in MATCH_FIELDS))), row)
              for row in atlas.legend(prose["map_id"]).rows if row.kind == kind]
    if not scored:
        return f"no {kind} row"
    best, row = max(scored, key=lambda pair: pair[0])
    return f"{kind} row {row.row}: {row.cells['name']}" if best else f"no matching {kind} row"


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="module")
def listed() -> dict[tuple[str, str, str, str], dict[str, str]]:
    """The explained disagreements, by (figure, map_id, item, prose value)."""
    rows = _read(DISAGREEMENTS_FILE, DISAGREEMENT_COLUMNS)
    keys = Counter(_key(r["figure"], r["map_id"], r["item"], r["prose"]) for r in rows)
    doubled = [key for key, n in keys.items() if n > 1]
    assert not doubled, f"{DISAGREEMENTS_FILE.name} lists these twice: {doubled}"
    return {_key(r["figure"], r["map_id"], r["item"], r["prose"]): r for r in rows}


# -- tests ----------------------------------------------------------------------------------------
def test_prose_table_is_well_formed(atlas: Atlas, vocabulary: Vocabulary) -> None:
    keys = Counter(_key(r["figure"], r["map_id"], r["item"], r["value"]) for r in PROSE_ROWS)
    assert [key for key, n in keys.items() if n > 1] == []
    for number, row in enumerate(PROSE_ROWS, start=2):
        where = f"{PROSE_FILE.name} row {number}"
        assert row["item"] in ITEMS, f"{where}: unknown item {row['item']!r}"
        assert row["map_id"] in atlas.maps, f"{where}: unknown map {row['map_id']!r}"
        assert atlas.maps[row["map_id"]].figure == int(row["figure"]), f"{where}: figure"
        assert row["value"].strip() and row["quote"].strip(), f"{where}: empty value or quote"
        if row["item"] in COUNT_KINDS:
            assert row["value"].isdigit(), f"{where}: a count must be a whole number"
        if row["item"] == "actors":
            _actor_ids(row["value"], vocabulary)


def test_every_listed_disagreement_is_a_prose_row_with_a_reason(
        listed: dict[tuple[str, str, str, str], dict[str, str]]) -> None:
    prose_keys = {_key(r["figure"], r["map_id"], r["item"], r["value"]) for r in PROSE_ROWS}
    unknown = [key for key in listed if key not in prose_keys]
    assert unknown == [], (
        f"{DISAGREEMENTS_FILE.name} lists rows that are not in {PROSE_FILE.name} "
        f"(figure, map_id, item and prose must equal figure, map_id, item and value): {unknown}")
    for key, row in listed.items():
        assert row["reason"].strip(), f"{key}: the reason is empty"
        assert row["legend"].strip(), f"{key}: say what the legend has (or 'no … row')"


@pytest.mark.parametrize(
    "prose",
    [pytest.param(row, id=f"row{n}-fig{row['figure']}-{row['item']}")
     for n, row in enumerate(PROSE_ROWS, start=2)])
def test_prose_agrees_with_legend_or_is_explained(
        prose: dict[str, str], atlas: Atlas, vocabulary: Vocabulary,
        listed: dict[tuple[str, str, str, str], dict[str, str]]) -> None:
    key = _key(prose["figure"], prose["map_id"], prose["item"], prose["value"])
    result = check(prose, atlas, vocabulary)
    explanation = listed.get(key)
    if result.agrees:
        assert explanation is None, (
            f"stale explanation: {key} now agrees with the legend ({result.legend}); "
            f"remove it from {DISAGREEMENTS_FILE.name}")
        return
    if explanation is None:
        legend = result.legend if prose["item"] not in NAMED_KINDS else _closest(prose, atlas)
        line = ",".join(f'"{cell}"' for cell in (*key, legend, "REASON"))
        pytest.fail(
            f"Figure {prose['figure']} ({prose['map_id']}): the prose (seed line "
            f"{prose['line']}) says {prose['item']} = {prose['value']!r}, the legend has "
            f"{legend!r}. Fix the legend if it is a transcription error, or explain it in "
            f"{DISAGREEMENTS_FILE.name}:\n{line}")
    assert explanation["reason"].strip(), f"{key}: the reason is empty"
    if prose["item"] == "actors":
        assert _actor_ids(explanation["legend"], vocabulary) == _actor_ids(result.legend,
                                                                           vocabulary), (
            f"{key}: listed with catalogue actors {explanation['legend']!r}, "
            f"but the catalogue now has {result.legend!r}: update the explanation")
    elif prose["item"] in COUNT_KINDS:
        assert explanation["legend"].strip() == result.legend, (
            f"{key}: listed with legend count {explanation['legend']}, but the legend now has "
            f"{result.legend}: update the explanation")


def summary(atlas: Atlas, vocabulary: Vocabulary) -> str:
    """The totals line that PROSE-NOTES.md carries (checks, agreeing, explained by item)."""
    mismatches = Counter(row["item"] for row in PROSE_ROWS
                         if not check(row, atlas, vocabulary).agrees)
    by_item = ", ".join(f"{item} {mismatches[item]}" for item in ITEMS)
    total = sum(mismatches.values())
    return (f"{len(PROSE_ROWS)} checks, {len(PROSE_ROWS) - total} agree, {total} explained "
            f"disagreements ({by_item})")


def test_prose_notes_give_the_current_totals(atlas: Atlas, vocabulary: Vocabulary) -> None:
    line = summary(atlas, vocabulary)
    assert line in NOTES_FILE.read_text(encoding="utf-8"), (
        f"{NOTES_FILE.name} should state the current totals of the consistency check: {line}")
