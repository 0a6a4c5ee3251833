"""The wrong part of a file (issue 13.5): a GeoPackage of several layers, none of them named
``municipalities``, is not read by its first layer: the error lists the layers and says how to
pick one (``--layer``), from Python and on the command line. The GeoPackages are written with
geopandas, as QGIS users have them.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from speerpunt_map import BoundaryError
from speerpunt_map.boundaries import load_boundaries
from speerpunt_map.cli import main


@pytest.fixture(scope="module")
def two_layers(user_municipalities: gpd.GeoDataFrame,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``provinces`` (one dissolved polygon) first, then ``gemeenten_2019``."""
    path = tmp_path_factory.mktemp("layers") / "grenzen.gpkg"
    provinces = user_municipalities.dissolve()[["geometry"]].assign(name="Vlaanderen")
    provinces.to_file(path, layer="provinces", driver="GPKG")
    user_municipalities.to_file(path, layer="gemeenten_2019", driver="GPKG")
    return path


def test_two_layers_without_a_layer_is_an_error_listing_them(two_layers: Path) -> None:
    with pytest.raises(BoundaryError) as raised:
        load_boundaries(two_layers, use_cache=False)
    message = str(raised.value)
    assert "grenzen.gpkg" in message and "2 layers ('provinces', 'gemeenten_2019')" in message
    assert "--layer provinces" in message


def test_the_layer_named_is_read(two_layers: Path) -> None:
    boundaries = load_boundaries(two_layers, layer="gemeenten_2019", use_cache=False)
    assert boundaries.municipality("13008") is not None  # Geel


def test_a_layer_called_municipalities_needs_no_option(user_municipalities: gpd.GeoDataFrame,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "grenzen.gpkg"
    user_municipalities.dissolve()[["geometry"]].to_file(path, layer="flanders", driver="GPKG")
    user_municipalities.to_file(path, layer="municipalities", driver="GPKG")
    assert load_boundaries(path, use_cache=False).municipality("13008") is not None


def test_the_command_line_lists_the_layers(two_layers: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "antwerpen/logistiek", str(tmp_path / "out.gpkg"),
                 "--boundaries", str(two_layers)])
    err = capsys.readouterr().err
    assert code != 0 and not (tmp_path / "out.gpkg").exists()
    assert "'provinces', 'gemeenten_2019'" in err and "--layer" in err
    assert "Traceback" not in err
