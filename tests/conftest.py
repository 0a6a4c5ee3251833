"""Shared fixtures: an isolated cache, the boundaries (built-in, and from a user's file made
from the shipped layer), the gazetteer and the atlas — each built once per test session.

Everything here is made from files of this repository: the tests need nothing beside the
checkout. A "user's boundary file" is the shipped layer
(``geodata/boundaries/municipalities-2019.topojson``) written out in the column names of its
source, bmesuere/belgium-topojson (``nis``, ``name_nl``, ``name_fr``, and ``reg_nis`` with that
file's known mistake: Mesen, a Flemish exclave, labelled Walloon).
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

import speerpunt_map
from speerpunt_map import Atlas, Boundaries, Gazetteer, load_atlas, load_boundaries, load_gazetteer

REPO = Path(__file__).resolve().parents[1]
LEGENDS = REPO / "legends"
GEODATA = REPO / "geodata"
SHIPPED_LAYER = GEODATA / "boundaries" / "municipalities-2019.topojson"
# The folder that holds the ``speerpunt_map`` package, for subprocesses and notebook kernels
# when the package is run from a source tree rather than installed.
PACKAGE_PARENT = Path(speerpunt_map.__file__).resolve().parents[1]


def map_entry(table: str, *, sector: str = "logistiek",
              actors: tuple[str, ...] = ("RESOC Kempen",)) -> str:
    """A catalogue entry ``antwerpen/test`` for a test table (TOML text)."""
    quoted = ", ".join(f'"{a}"' for a in actors)
    return (f'[[map]]\nid = "antwerpen/test"\nscope = "antwerpen"\nsector = "{sector}"\n'
            f'actors = [{quoted}]\ntable = "{table}"\n')


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python process that must import this ``speerpunt_map``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_PARENT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session boundary cache, so tests never read or write the user's cache.

    Variables that would point the toolkit at other data (another project home, a boundary
    file) are removed for the session.
    """
    path = tmp_path_factory.mktemp("speerpunt-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPEERPUNT_MAP_CACHE", str(path))
        patch.delenv("SPEERPUNT_MAP_HOME", raising=False)
        patch.delenv("SPEERPUNT_MAP_BOUNDARIES", raising=False)
        yield path


def read_layer(path: Path = SHIPPED_LAYER) -> gpd.GeoDataFrame:
    """A municipality TopoJSON as GDAL reads it, in EPSG:4326 (TopoJSON states no CRS)."""
    return gpd.read_file(path, layer="municipalities").set_crs("EPSG:4326", allow_override=True)


@pytest.fixture(scope="session")
def user_municipalities() -> gpd.GeoDataFrame:
    """The shipped 2019 layer in the column names of its source (``nis``, ``name_nl``,
    ``name_fr``, ``reg_nis``), as a user's file would have them. ``reg_nis`` follows the REFNIS
    code, except for Mesen (33016), which the source labels Walloon (``03000``)."""
    with (GEODATA / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        region = {r["refnis"]: r["region"] for r in csv.DictReader(handle)
                  if r["vintage"] == "2019"}
    frame = read_layer().rename(columns={"refnis": "nis"})
    frame = frame[["nis", "name_nl", "name_fr", "geometry"]].astype({"nis": str})
    frame.insert(3, "reg_nis", frame["nis"].map(region))
    frame.loc[frame["nis"] == "33016", "reg_nis"] = "03000"
    return frame


@pytest.fixture(scope="session")
def user_file(user_municipalities: gpd.GeoDataFrame,
                       tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's municipality file: :func:`user_municipalities` as a GeoJSON file."""
    path = tmp_path_factory.mktemp("user-file") / "gemeenten-2019.geojson"
    user_municipalities.to_file(path, driver="GeoJSON")
    return path


@pytest.fixture(scope="session")
def default_boundaries(cache_dir: Path) -> Boundaries:
    """The built-in boundaries (the shipped 2019 municipalities)."""
    return load_boundaries()


@pytest.fixture(scope="session")
def file_boundaries(cache_dir: Path, user_file: Path) -> Boundaries:
    """Boundaries built from a user's municipality file (:func:`user_file`)."""
    return load_boundaries(user_file)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def atlas(default_boundaries: Boundaries) -> Atlas:
    """The shipped catalogue on the built-in boundaries."""
    return load_atlas(boundaries=default_boundaries)


@pytest.fixture(scope="session")
def file_atlas(file_boundaries: Boundaries) -> Atlas:
    """The shipped catalogue on a user's municipality file."""
    return load_atlas(boundaries=file_boundaries)


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(f"none of {names} is installed: apt-get install chromium "
                         "chromium-driver (see .ci/run)")


def start_chromium(profile: Path) -> webdriver.Chrome:
    """Debian's headless Chromium with the network blocked: every request goes to a proxy
    that is not there, so a page that needed the network would show it."""
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900",
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One headless Chromium per test module (:func:`start_chromium`), quit at its end."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    try:
        yield driver
    finally:
        driver.quit()
