"""The printable figure's base map, names, symbols and colours, as a reader sees them.

Four maps of the issue are drawn (antwerpen/logistiek, west-vlaanderen/materialen,
limburg/cleantech, vlaanderen/logistiek). The names' boxes are the rendered text extents from
the figure itself; the colours are sampled from the rendered Agg buffer. The cities expected on
a map are read here from ``geodata/basemap/labels.csv`` and projected with pyproj, independently
of the figure's code. The atlas comes from ``conftest.py``.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from speerpunt_map import Atlas, MapLayers
from speerpunt_map._colour_science import ciede2000, srgb_to_lab
from speerpunt_map._types import FLANDERS
from speerpunt_map.static import figure_from_layers, save_figure
from speerpunt_map.style import style_for, zone_fill

ROOT = Path(__file__).resolve().parents[1]
MAPS = ("antwerpen/logistiek", "west-vlaanderen/materialen", "limburg/cleantech",
        "vlaanderen/logistiek")
CENTRUMSTEDEN = {"Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven",
                 "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout"}


def _layers(atlas: Atlas, map_id: str) -> MapLayers:
    scope, sector = map_id.split("/")
    return atlas.overview(sector) if scope == FLANDERS else atlas.map(map_id)


@pytest.fixture(scope="module")
def drawn(atlas: Atlas) -> dict[str, tuple[MapLayers, Figure]]:
    """Each map with its figure, drawn once on its Agg canvas."""
    out = {}
    for map_id in MAPS:
        layers = _layers(atlas, map_id)
        figure = figure_from_layers(layers)
        figure.canvas.draw()
        out[map_id] = (layers, figure)
    return out


def _map_axes(figure: Figure) -> Axes:
    return figure.axes[0]


def _names(figure: Figure, kind: str | None = None) -> list[Text]:
    return [t for t in _map_axes(figure).texts if t.get_label().startswith("name-")
            and (kind is None or t.get_label() == f"name-{kind}")]


def _flat(text: Text) -> str:
    return " ".join(text.get_text().split())


def _box(artist: Text, figure: Figure) -> tuple[float, float, float, float]:
    extent = artist.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]
    return extent.x0, extent.y0, extent.x1, extent.y1


def _apart(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def _symbols(figure: Figure, label: str) -> list[tuple[float, float, float]]:
    """Centre (display pixels) and radius (pixels) of the map's markers with ``label``."""
    ax = _map_axes(figure)
    out = []
    for line in ax.get_children():
        if isinstance(line, Line2D) and line.get_label() == label:
            x, y = ax.transData.transform((line.get_xdata()[0], line.get_ydata()[0]))
            out.append((float(x), float(y), line.get_markersize() * figure.dpi / 72 / 2))
    return out


def _cities_in_view(figure: Figure) -> set[str]:
    """The city labels of labels.csv whose place lies in the map's view."""
    with (ROOT / "geodata" / "basemap" / "labels.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "city"]
    where = gpd.GeoSeries([shapely.Point(float(r["lon"]), float(r["lat"])) for r in rows],
                          crs="EPSG:4326").to_crs("EPSG:31370")
    (x0, x1), (y0, y1) = _map_axes(figure).get_xlim(), _map_axes(figure).get_ylim()
    return {r["name_nl"] for r, p in zip(rows, where, strict=True)
            if x0 <= p.x <= x1 and y0 <= p.y <= y1}


@pytest.mark.parametrize("map_id", MAPS)
def test_names_do_not_overlap_each_other_the_symbols_or_the_legend(
        drawn: dict[str, tuple[MapLayers, Figure]], map_id: str) -> None:
    _, figure = drawn[map_id]
    names = _names(figure)
    assert len(names) >= 8
    boxes = [_box(t, figure) for t in names]
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, names, strict=True), 2):
        assert _apart(a, b), f"{_flat(ta)!r} overlaps {_flat(tb)!r}"
    frame = _map_axes(figure).get_window_extent()
    legend = figure.axes[1].get_window_extent()
    for box, text in zip(boxes, names, strict=True):
        assert frame.x0 <= box[0] and box[2] <= frame.x1, _flat(text)
        assert frame.y0 <= box[1] and box[3] <= frame.y1, _flat(text)
        assert _apart(box, (legend.x0, legend.y0, legend.x1, legend.y1)), _flat(text)
    symbols = [s for kind in ("marker-point", "marker-zone", "link-end", "city")
               for s in _symbols(figure, kind)]
    for box, text in zip(boxes, names, strict=True):
        for x, y, r in symbols:
            assert _apart(box, (x - r + 1, y - r + 1, x + r - 1, y + r - 1)), _flat(text)


@pytest.mark.parametrize("map_id", MAPS)
def test_every_city_in_view_is_named(drawn: dict[str, tuple[MapLayers, Figure]],
                                     map_id: str) -> None:
    _, figure = drawn[map_id]
    expected = _cities_in_view(figure)
    named = {_flat(t) for t in _names(figure, "city")}
    assert expected and expected <= named
    assert named <= expected  # and no city out of view


def test_the_overview_names_the_centrumsteden_brussels_and_the_neighbours(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    _, figure = drawn["vlaanderen/logistiek"]
    cities = {_flat(t) for t in _names(figure, "city")}
    assert CENTRUMSTEDEN | {"Brussel", "Rijsel", "Aken"} <= cities
    areas = {_flat(t) for kind in ("country", "region", "sea") for t in _names(figure, kind)}
    assert {"NEDERLAND", "FRANKRIJK", "DUITSLAND", "Noordzee", "Wallonië"} <= areas
    assert {_flat(t) for t in _names(figure, "river")} >= {"Schelde", "Leie", "Maas"}


def test_province_maps_name_the_neighbouring_country(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    countries = {m: {_flat(t) for t in _names(f, "country")} for m, (_, f) in drawn.items()}
    assert "NEDERLAND" in countries["antwerpen/logistiek"]
    assert {"FRANKRIJK", "NEDERLAND"} <= countries["west-vlaanderen/materialen"]
    assert "NEDERLAND" in countries["limburg/cleantech"]
    assert "Noordzee" in {_flat(t) for t in _names(drawn["west-vlaanderen/materialen"][1],
                                                     "sea")}


@pytest.mark.parametrize("map_id", MAPS)
def test_every_link_end_has_a_symbol_and_a_name_and_lies_in_view(
        drawn: dict[str, tuple[MapLayers, Figure]], map_id: str) -> None:
    layers, figure = drawn[map_id]
    ax = _map_axes(figure)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    links = layers.links.to_crs("EPSG:31370")
    named = {_flat(t).casefold() for t in _names(figure)}
    ends = 0
    for metric, wgs, row in zip(links.geometry, layers.links.geometry, links.itertuples(),
                                strict=True):
        coords, lonlat = shapely.get_coordinates(metric), shapely.get_coordinates(wgs)
        for i, name in ((0, row.from_name), (-1, row.to_name)):
            lon, lat = lonlat[i]
            if not (2.3 <= lon <= 6.5 and 50.4 <= lat <= 51.95):  # beyond the base map
                assert f"{name} (buiten de kaart)".casefold() in named, name
                continue
            x, y = coords[i]
            assert x0 <= x <= x1 and y0 <= y <= y1, f"{name} lies outside the view"
            assert name.casefold() in named, f"link end {name!r} has no name"
            ends += 1
    assert len(_symbols(figure, "link-end")) == ends


def test_a_link_to_paris_is_named_at_the_frame(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    _, figure = drawn["vlaanderen/logistiek"]
    assert "Parijs (buiten de kaart)" in {_flat(t) for t in _names(figure, "end")}


def test_stacked_points_are_spread_a_marker_apart(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    for map_id in ("west-vlaanderen/materialen", "limburg/cleantech", "vlaanderen/logistiek"):
        markers = _symbols(drawn[map_id][1], "marker-point") + \
            _symbols(drawn[map_id][1], "marker-zone")
        for (xa, ya, ra), (xb, yb, rb) in itertools.combinations(markers, 2):
            assert np.hypot(xa - xb, ya - yb) >= ra + rb - 0.5, map_id
    layers = drawn["west-vlaanderen/materialen"][0]
    places = {(round(g.x, 4), round(g.y, 4)) for g in layers.points.geometry}
    assert len(places) < len(layers.points)  # some points do stand at one place


def test_zones_are_lettered_on_the_map_and_in_the_legend(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    layers, figure = drawn["antwerpen/logistiek"]
    letters = [chr(ord("A") + i) for i in range(len(layers.zones))]
    on_map = [t.get_text() for t in _map_axes(figure).texts]
    in_legend = [t.get_text() for t in figure.axes[1].texts]
    assert all(on_map.count(letter) == 1 for letter in letters)
    assert all(letter in in_legend for letter in letters)
    assert len(_symbols(figure, "marker-zone")) == len(layers.zones)


def _pixel(buffer: np.ndarray, figure: Figure, x: float, y: float) -> str:
    """The colour at display point (x, y) of the rendered buffer, as #RRGGBB."""
    row, column = int(round(figure.bbox.height - y)), int(round(x))
    red, green, blue = buffer[row, column, :3]
    return f"#{red:02X}{green:02X}{blue:02X}"


def test_a_zone_seen_on_the_map_is_its_legend_swatch(
        drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    layers, figure = drawn["antwerpen/logistiek"]
    style = style_for(layers.spec.actors, overview=False, palette=layers.resources.palette)
    buffer = np.asarray(figure.canvas.buffer_rgba())  # type: ignore[attr-defined]
    ax = _map_axes(figure)
    zone = layers.zones.reset_index(drop=True)
    index = int(zone.index[zone["name"] == "ENA-netwerk (zone rond Geel)"][0])
    inner = gpd.GeoSeries([zone.geometry[index]], crs=zone.crs).to_crs("EPSG:31370")
    inner = inner.buffer(-800).iloc[0]
    xmin, ymin, xmax, ymax = inner.bounds
    seen = []
    for x, y in itertools.product(np.linspace(xmin, xmax, 15), np.linspace(ymin, ymax, 9)):
        if inner.contains(shapely.Point(x, y)):
            seen.append(_pixel(buffer, figure, *ax.transData.transform((x, y))))
    most = max(set(seen), key=seen.count)
    assert seen.count(most) > len(seen) / 2  # the zone's interior shows one colour
    expected = zone_fill(style.colour(zone["actor_id"][index]))
    assert ciede2000(srgb_to_lab(most), srgb_to_lab(expected)) < 3
    # The legend's swatch of that zone (its letter F) is drawn in the same colour.
    legend = figure.axes[1]
    swatches = [p for p in legend.patches if isinstance(p, Rectangle)
                and matplotlib_hex(p.get_facecolor()) == expected]
    assert swatches
    box = swatches[0].get_window_extent()
    in_swatch = _pixel(buffer, figure, box.x0 + 3, (box.y0 + box.y1) / 2)
    assert ciede2000(srgb_to_lab(in_swatch), srgb_to_lab(most)) < 3


def matplotlib_hex(rgba: tuple[float, float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgba[:3])


def test_the_footnote_credits_the_base_map(drawn: dict[str, tuple[MapLayers, Figure]],
                                           atlas: Atlas) -> None:
    _, figure = drawn["antwerpen/logistiek"]
    footer = " ".join(t.get_text() for t in figure.texts)
    assert "GSHHG 2.3.7 (Wessel & Smith), LGPL-3+" in footer
    english = figure_from_layers(_layers(atlas, "limburg/cleantech"), language="en")
    footer = " ".join(t.get_text() for t in english.texts)
    assert "Coast, rivers and national borders: GSHHG 2.3.7" in footer
    assert "Eindhoven" in {_flat(t) for t in _names(english, "city")}


def test_the_scale_bar_is_metric(drawn: dict[str, tuple[MapLayers, Figure]]) -> None:
    texts = {t.get_text() for t in _map_axes(drawn["antwerpen/logistiek"][1]).texts}
    assert "km" in texts and not texts & {"mi", "miles", "ft"}


def test_a_png_with_the_base_map_is_rebuilt_byte_identical(atlas: Atlas,
                                                             tmp_path: Path) -> None:
    layers = _layers(atlas, "west-vlaanderen/materialen")
    first = save_figure(layers, tmp_path / "a.png").read_bytes()
    second = save_figure(layers, tmp_path / "b.png").read_bytes()
    assert first == second
