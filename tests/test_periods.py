"""Vintages honoured: every catalogue entry's ``period``, the municipality vintage it gives,
the problems of a malformed one, and overviews that mix maps of one period only."""

from __future__ import annotations

from pathlib import Path

import pytest

from speerpunt_map import Boundaries, load_atlas
from speerpunt_map.catalogue import period_years, read_catalogue, vintage_of_period

from .conftest import map_entry
from .test_validate import write_excel_belgian_csv


def test_every_shipped_map_is_of_2013() -> None:
    catalogue = read_catalogue()
    assert catalogue.problems == []
    assert len(catalogue.maps) == 39
    assert {spec.period for spec in catalogue.maps.values()} == {"2013"}
    assert {spec.vintage for spec in catalogue.maps.values()} == {2013}


@pytest.mark.parametrize(("period", "years", "vintage"), [
    ("2013", (2013, 2013), 2013),
    ("2016-2019", (2016, 2019), 2013),   # the municipalities of its first year
    ("2016–2019", (2016, 2019), 2013),   # an en dash, as Word types it
    ("2018", (2018, 2018), 2013),
    ("2019", (2019, 2019), 2019),
    ("2020-2030", (2020, 2030), 2019),
    ("2024", (2024, 2024), 2019),
    ("2025", (2025, 2025), 2025),
    ("c. 2016", (2016, 2016), 2013),
    ("ca. 2013", (2013, 2013), 2013),
    ("", None, 2013),                    # no period: the report's time
])
def test_a_period_gives_its_vintage(period: str, years: tuple[int, int] | None,
                                    vintage: int) -> None:
    assert period_years(period) == years
    assert vintage_of_period(period) == vintage


def _catalogue(folder: Path, period_line: str) -> Path:
    write_excel_belgian_csv(folder / "t.csv", [["kind", "number", "name", "place",
                                                 "source_actor", "year"],
                                                ["point", "1", "VITO", "vito-mol",
                                                 "RESOC Kempen", "2009"]])
    path = folder / "catalogue.toml"
    path.write_text(map_entry("t.csv") + period_line, encoding="utf-8")
    return path


@pytest.mark.parametrize("line", ['period = "2013"\n', 'period = "2016-2019"\n',
                                  'period = 2013\n', 'period = "c. 2016"\n', ""])
def test_good_periods_are_read(line: str, tmp_path: Path) -> None:
    catalogue = read_catalogue(_catalogue(tmp_path, line))
    assert catalogue.problems == []
    spec = catalogue.maps["antwerpen/test"]
    assert spec.period == (line.split("=")[1].strip().strip('"') if line else "")


@pytest.mark.parametrize("line", ['period = "2013/14"\n', 'period = "2019-2016"\n',
                                  'period = "dertien"\n', 'period = "13"\n',
                                  'period = true\n', 'period = ["2013"]\n',
                                  'period = "2013-"\n', 'period = 2013.5\n'])
def test_a_malformed_period_is_a_clear_problem(line: str, tmp_path: Path) -> None:
    path = _catalogue(tmp_path, line)
    catalogue = read_catalogue(path)
    assert catalogue.maps == {}
    (problem,) = catalogue.problems
    assert problem.code == "bad-period"
    assert problem.severity == "error"
    assert problem.row == 1  # the line of the entry's [[map]]
    assert "period" in problem.column
    assert '"2013"' in problem.expected and '"2016-2019"' in problem.expected


def _two_periods(folder: Path) -> Path:
    """Two logistics maps: one of 2013 (Kempen), one of 2019 (a second time slice)."""
    rows = [["kind", "number", "name", "place", "source_actor", "year"],
            ["point", "1", "VITO", "vito-mol", "RESOC Kempen", "2009"]]
    write_excel_belgian_csv(folder / "a.csv", rows)
    write_excel_belgian_csv(folder / "b.csv", rows[:1] + [["point", "1", "Geel", "Geel",
                                                           "RESOC Kempen", "2019"]])
    first = map_entry("a.csv") + 'period = "2013"\n'
    second = map_entry("b.csv").replace("antwerpen/test", "antwerpen/test-2019") + \
        'period = "2019"\n'
    (folder / "catalogue.toml").write_text(first + "\n" + second, encoding="utf-8")
    return folder


def test_an_overview_mixes_maps_of_one_period(tmp_path: Path,
                                              default_boundaries: Boundaries) -> None:
    atlas = load_atlas(_two_periods(tmp_path), boundaries=default_boundaries)
    assert atlas.overview_ids() == ["vlaanderen/logistiek-2013", "vlaanderen/logistiek-2019"]
    early = atlas.overview("vlaanderen/logistiek-2013")
    late = atlas.overview("vlaanderen/logistiek-2019")
    assert (early.spec.period, late.spec.period) == ("2013", "2019")
    assert set(early.points["map_id"]) == {"antwerpen/test"}
    assert set(late.points["map_id"]) == {"antwerpen/test-2019"}
    assert early.spec.id == "vlaanderen/logistiek-2013"
    with pytest.raises(KeyError, match="several periods"):
        atlas.overview("logistiek")


def test_an_overview_of_one_period_keeps_its_plain_id(atlas) -> None:
    assert "vlaanderen/logistiek" in atlas.overview_ids()
    overview = atlas.overview("logistiek")
    assert overview.spec.id == "vlaanderen/logistiek"
    assert overview.spec.period == "2013"


def test_periods_are_compared_by_their_years(tmp_path: Path,
                                             default_boundaries: Boundaries) -> None:
    """'c. 2013' and '2013' are one period: one overview, with both maps."""
    folder = _two_periods(tmp_path)
    catalogue = folder / "catalogue.toml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace('"2019"', '"c. 2013"'),
                         encoding="utf-8")
    atlas = load_atlas(folder, boundaries=default_boundaries)
    assert atlas.overview_ids() == ["vlaanderen/logistiek"]
    points = atlas.overview("logistiek").points
    assert set(points["map_id"]) == {"antwerpen/test", "antwerpen/test-2019"}
