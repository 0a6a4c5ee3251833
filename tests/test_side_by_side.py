"""Side-by-side maps (issue 11.2): ``side_by_side(a, b)`` and ``speerpunt-map compare A B``.

What a reader of the page sees without a browser: one file with Leaflet once and two maps, the
numbers of ``compare_regions`` in its tables, every side form (map ids, a region with a sector,
one region in two periods), and clear errors for unknown ids (exit 2 on the command line). The
page in Chromium is in ``test_side_by_side_browser.py``. The comparison notebook's
side-by-side cell is run here too.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from speerpunt_map import Atlas, compare_regions, load_atlas
from speerpunt_map._errors import OutputError
from speerpunt_map._leaflet import leaflet_assets
from speerpunt_map.cli import main
from speerpunt_map.side_by_side import SideBySide, comparison_atlas, side_by_side

from .test_notebook import kernel, run  # noqa: F401  (the notebook's kernel fixture)

HOSTILE = "<img src=x onerror=alert(1)>"


class _Tables(HTMLParser):
    """The text of every cell of the page's comparison tables, by table class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and (found.get("class") or "").startswith("spmc-"):
            self._table = str(found["class"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


@pytest.fixture(scope="module")
def both(atlas: Atlas) -> Atlas:
    """The report's maps and the vision maps, on the session's boundaries."""
    return comparison_atlas(atlas)


@pytest.fixture(scope="module")
def logistics(both: Atlas) -> SideBySide:
    return side_by_side("antwerpen/logistiek", "limburg/logistiek", atlas=both)


def test_one_file_with_leaflet_once_and_two_maps(logistics: SideBySide) -> None:
    page = logistics.html()
    script, css = leaflet_assets()
    assert page.count(script[:300]) == 1 and page.count(css[:300]) == 1
    assert len(re.findall(r'<div class="spm" data-spm="map_\w+"', page)) == 2
    # Nothing is fetched: no script, style sheet or image from elsewhere (the browser test
    # checks that no request is made).
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|url\((['\"])?https?:", page)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_the_tables_hold_the_comparison_of_compare_regions(both: Atlas,
                                                          logistics: SideBySide) -> None:
    expected = compare_regions(both, "antwerpen@2013", "limburg@2013", sector="logistiek")
    tables = _tables(logistics.html())
    sectors = {row[0]: row[1:] for row in tables["spmc-sectors"][1:]}
    assert len(sectors) == 4  # the three bases and "any"
    assert all(cells[0] == "Logistiek" for cells in sectors.values())
    counts = tables["spmc-counts"][1:]
    assert [row[0] for row in counts] == expected.counts["sector_label"].tolist()
    row = expected.counts.iloc[0]
    wanted = [str(row[f"{kind}_{side}"]) for side in "ab" for kind in ("points", "zones",
                                                                      "links")]
    assert counts[0][2:8] == wanted
    overlap = expected.overlap.iloc[0]
    assert counts[0][8:] == [f"{overlap[k]:.1f}" for k in ("zones_a_km2", "zones_b_km2",
                                                          "overlap_km2")]
    assert len(tables["spmc-links"]) - 1 == len(expected.links) >= 1
    assert tables["spmc-links"][1][0] == expected.links.iloc[0]["name"]


def test_a_map_id_side_is_that_map(both: Atlas, logistics: SideBySide) -> None:
    for drawn, map_id in zip(logistics.layers, ("antwerpen/logistiek", "limburg/logistiek"),
                             strict=True):
        layers = both.map(map_id)
        assert drawn.spec.id == map_id
        for kind in ("points", "zones", "links"):
            assert getattr(drawn, kind)["name"].tolist() == getattr(layers, kind)["name"].tolist()
    assert logistics.names == ("provincie Antwerpen (2013)", "provincie Limburg (2013)")


def test_two_regions_with_a_sector_in_either_form(both: Atlas) -> None:
    flag = side_by_side("resoc-kempen", "limburg", sector="cleantech", atlas=both)
    colon = side_by_side("resoc-kempen:cleantech", "limburg", atlas=both)
    expected = compare_regions(both, "resoc-kempen", "limburg", sector="cleantech")
    for view in (flag, colon):
        assert view.comparison.shared("drawn") == expected.shared("drawn") == ["cleantech"]
        assert view.comparison.overlap_km2 == expected.overlap_km2
        pd.testing.assert_frame_equal(view.comparison.counts, expected.counts)
    assert flag.html() == colon.html()


def test_a_region_map_draws_the_rows_the_table_counts(both: Atlas) -> None:
    view = side_by_side("resoc-kempen", "resoc-limburg", sector="cleantech", atlas=both)
    counts = view.comparison.counts.set_index("sector").loc["cleantech"]
    for layers, side in zip(view.layers, "ab", strict=True):
        for kind in ("points", "zones", "links"):
            assert len(getattr(layers, kind)) == counts[f"{kind}_{side}"]
        assert set(layers.points["map_id"]) <= {"antwerpen/cleantech", "limburg/cleantech"}
    assert sum(counts[f"points_{s}"] for s in "ab") > 0
    assert view.layers[0].regions["actor_id"].tolist() == ["resoc-kempen"]
    assert "RESOC Kempen: Cleantech" in view.html()


def test_a_region_that_draws_nothing_of_the_sector_shows_its_region(both: Atlas) -> None:
    view = side_by_side("resoc-kempen:toerisme", "limburg", atlas=both)
    kempen, limburg = view.layers
    assert len(kempen.points) + len(kempen.zones) + len(kempen.links) == 0
    assert kempen.regions["actor_id"].tolist() == ["resoc-kempen"]
    assert len(limburg.points) + len(limburg.zones) > 0
    assert "<p>Toerisme / Tourism</p>" in view.html()  # its sector, not another map's
    assert _tables(view.html())["spmc-counts"][1][2:5] == ["0", "0", "0"]


def test_online_links_leaflet_once_instead(both: Atlas) -> None:
    page = side_by_side("antwerpen/cleantech", "limburg/cleantech", atlas=both,
                        online=True).html()
    assert page.count('<script src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js" '
                      'integrity="sha384-') == 1
    assert leaflet_assets()[0][:300] not in page


def test_one_region_in_two_periods(both: Atlas) -> None:
    view = side_by_side("resoc-zuidwest@2013", "resoc-zuidwest@2019", atlas=both,
                        language="en")
    assert view.comparison.only_b("catalogue") == ["creatieve-maakindustrie"]
    rows = {row[0]: row for row in _tables(view.html())["spmc-sectors"][1:]}
    catalogue = rows["catalogue (actors that chose the sector)"]
    assert catalogue[3] == "Creative manufacturing industry"
    assert set(catalogue[2].split(", ")) == {
        both.vocabulary.sectors[s].label_en for s in view.comparison.only_a("catalogue")}
    # A report map against a vision map of the same region.
    maps = side_by_side("west-vlaanderen/materialen",
                        "zuid-west-vlaanderen-2019/creatieve-maakindustrie", atlas=both)
    assert maps.comparison.a.period == "2013" and maps.comparison.b.period == "2019"


def test_basis_chooses_the_rows_of_the_sector_table(both: Atlas) -> None:
    view = side_by_side("antwerpen/cleantech", "limburg/cleantech", atlas=both,
                        basis=["drawn", "any"], language="en")
    assert [row[0] for row in _tables(view.html())["spmc-sectors"][1:]] == [
        "drawn rows (source actors)", "any basis"]
    with pytest.raises(ValueError, match="basis"):
        side_by_side("antwerpen/cleantech", "limburg/cleantech", atlas=both,
                     basis="drawing")  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "b", "message"), [
    ("antwerpen/logistek", "limburg/logistiek", "did you mean antwerpen/logistiek"),
    ("resoc-kemp", "limburg", "did you mean resoc-kempen"),
    ("resoc-kempen:clentech", "limburg", "did you mean cleantech"),
    ("resoc-kempen:", "limburg", "nothing after ':'"),
])
def test_unknown_ids_name_close_matches(both: Atlas, a: str, b: str, message: str) -> None:
    with pytest.raises(KeyError, match=re.escape(message)):
        side_by_side(a, b, atlas=both)


def test_a_side_against_itself_and_a_period_without_a_year(both: Atlas) -> None:
    with pytest.raises(ValueError, match="the same side"):
        side_by_side("limburg", "limburg", atlas=both)
    with pytest.raises(ValueError, match="names no year"):
        side_by_side("resoc-zuidwest@then", "resoc-zuidwest@2019", atlas=both)


def test_save_and_the_notebook_view(logistics: SideBySide, tmp_path: Path) -> None:
    path = logistics.save(tmp_path / "compare.html")
    assert path.read_text(encoding="utf-8") == logistics.html()
    with pytest.raises(OutputError):
        logistics.save(path, overwrite=False)
    shown = logistics._repr_html_()
    assert shown.startswith("<iframe srcdoc=\"&lt;!DOCTYPE html&gt;")
    assert "<script" not in shown  # the page is inside the attribute, escaped once


def test_names_from_tables_show_as_text(tmp_path: Path, atlas: Atlas) -> None:
    legends = tmp_path / "legends"
    shutil.copytree(Path(__file__).parents[1] / "legends", legends)
    actors = pd.read_csv(legends / "actors.csv", dtype=str, keep_default_na=False)
    actors.loc[actors["id"] == "resoc-kempen", "name_nl"] = HOSTILE
    actors.to_csv(legends / "actors.csv", index=False)
    own = load_atlas(legends, boundaries=atlas.boundaries)
    page = side_by_side("resoc-kempen:cleantech", "resoc-limburg", atlas=own).html()
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert _tables(page)["spmc-sectors"][0][2] == f"Enkel A · {HOSTILE}"


# -- the command line ------------------------------------------------------------------------

def test_compare_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "logistiek.html"
    assert main(["compare", "antwerpen/logistiek", "limburg/logistiek", "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    tables = _tables(out.read_text(encoding="utf-8"))
    assert [row[0] for row in tables["spmc-counts"][1:]] == ["Logistiek"]
    # Not over an existing file unless asked.
    assert main(["compare", "antwerpen/logistiek", "limburg/logistiek", "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["compare", "antwerpen/logistiek", "limburg/logistiek", "-o", str(out),
                 "--overwrite", "--language", "en", "--basis", "drawn"]) == 0
    tables = _tables(out.read_text(encoding="utf-8"))
    assert [row[0] for row in tables["spmc-sectors"][1:]] == ["drawn rows (source actors)"]


def test_compare_regions_with_a_sector_and_periods(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "resoc-kempen", "resoc-limburg", "--sector", "cleantech"]) == 0
    assert (tmp_path / "compare-resoc-kempen-resoc-limburg.html").is_file()
    assert main(["compare", "resoc-zuidwest@2013", "resoc-zuidwest@2019", "-o", "z.html"]) == 0
    rows = _tables((tmp_path / "z.html").read_text(encoding="utf-8"))["spmc-sectors"]
    assert "Creatieve maakindustrie" in rows[2][3]  # catalogue basis, only B (2019)


@pytest.mark.parametrize(("argv", "message"), [
    (["antwerpen/logistek", "limburg/logistiek"], "did you mean antwerpen/logistiek"),
    (["resoc-kemp", "limburg"], "did you mean resoc-kempen"),
    (["resoc-kempen", "limburg", "--sector", "clentech"], "did you mean cleantech"),
    (["limburg", "limburg"], "the same side"),
    (["antwerpen/logistiek", "limburg/logistiek", "-o", "page.pdf"], "expected an .html"),
])
def test_compare_usage_errors_exit_2(argv: list[str], message: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["compare", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_compare_help_documents_the_side_forms(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    out = capsys.readouterr().out
    assert "REGION[:SECTOR][@PERIOD]" in out and "resoc-zuidwest@2013" in out
    assert "--basis" in out and "--sector" in out


# -- the notebook ----------------------------------------------------------------------------

def test_the_two_regions_notebook_shows_the_maps_side_by_side(
        kernel: Path, both: Atlas) -> None:  # noqa: F811  (kernel: the imported fixture)
    result = run("two_regions", kernel)
    expected = compare_regions(both, "resoc-kempen", "limburg", sector="cleantech")
    assert result.line("shared (drawn):").startswith(", ".join(expected.shared("drawn")))
    assert f"links between: {len(expected.links)}" in result.line("shared (drawn):")
    assert "wrote kempen-limburg-cleantech.html" in result.text
    shown = [o["data"]["text/html"] for o in result.outputs
             if "text/html" in o.get("data", {}) and "<iframe srcdoc=" in o["data"]["text/html"]]
    assert len(shown) == 1 and "spmc-counts" in shown[0]
