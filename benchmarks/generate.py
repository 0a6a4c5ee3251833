"""Synthetic map data for the benchmark: N points, N/10 zones, N/5 links inside Flanders.

Every feature has a ``name``, an ``actor`` (the Dutch name of an actor of the shipped
vocabulary, so that our page can colour it) and a ``remark`` of 40–120 characters. Zones are
star-shaped polygons of 30–60 vertices (0.3–3 km across), links are lines of 20 vertices
(2–30 km long, gently curved); every vertex lies inside Flanders, here the union of the five
province areas of :func:`speerpunt_map.load_boundaries` (the shipped boundaries).

The data depend only on N and the seed: ``generate(n)`` gives the same frames on every
machine with the same numpy.

Run ``.venv/bin/python benchmarks/generate.py 1000 out.gpkg`` to write them for a look in QGIS.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

SEED = 20240612
_METRES_PER_DEGREE = 111_320.0
_WORDS = ("haven", "logistiek", "cluster", "campus", "terrein", "netwerk", "kennis", "centrum",
          "bedrijven", "zone", "innovatie", "verbinding", "spoor", "kanaal", "energie", "water",
          "regio", "project", "samenwerking", "onderzoek", "productie", "voeding", "chemie",
          "textiel", "bouw", "zorg", "toerisme", "digitaal", "circulair", "materialen")
_PLACES = ("Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven",
           "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout", "Geel", "Ieper")


@dataclass(frozen=True)
class Frames:
    """The three layers of one synthetic map (EPSG:4326; columns name, actor, remark)."""

    points: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    links: gpd.GeoDataFrame

    @property
    def features(self) -> int:
        return len(self.points) + len(self.zones) + len(self.links)

    @property
    def vertices(self) -> int:
        return sum(int(shapely.get_num_coordinates(f.geometry.values).sum())
                   for f in (self.points, self.zones, self.links))


@cache
def flanders() -> shapely.Geometry:
    """Flanders as one polygon: the union of the five province areas of the shipped data."""
    from speerpunt_map import load_boundaries

    areas = load_boundaries().areas
    provinces = areas.loc[areas["level"] == "province", "geometry"]
    shape = shapely.union_all(provinces.values)
    shapely.prepare(shape)
    return shape


@cache
def actor_names() -> tuple[str, ...]:
    """The Dutch names of the shipped vocabulary's actors (provinces, RESOCs, plans)."""
    from speerpunt_map import load_vocabulary

    return tuple(sorted(a.name_nl for a in load_vocabulary().actors.values()))


def _inside(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` uniformly random (lon, lat) inside Flanders."""
    shape = flanders()
    west, south, east, north = shape.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        batch = max(1024, int((count - total) * 1.7))
        xy = np.column_stack([rng.uniform(west, east, batch), rng.uniform(south, north, batch)])
        xy = xy[shapely.contains_xy(shape, xy[:, 0], xy[:, 1])]
        found.append(xy)
        total += len(xy)
    return np.concatenate(found)[:count]


def _metres(lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Degrees of longitude and latitude per metre at ``lat``."""
    return 1 / (_METRES_PER_DEGREE * np.cos(np.radians(lat))), np.full_like(lat, 1 / 111_320.0)


def _all_inside(coords: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """For each of ``count`` shapes, whether every vertex (``coords`` of shape ``owner``) is
    inside Flanders."""
    ok = shapely.contains_xy(flanders(), coords[:, 0], coords[:, 1])
    bad = np.zeros(count, dtype=bool)
    bad[owner[~ok]] = True
    return ~bad


def _zones(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` star-shaped polygons of 30–60 vertices, every vertex inside Flanders."""
    done: list[np.ndarray] = []
    left = count
    while left:
        centres = _inside(rng, left)
        sizes = rng.integers(30, 61, left)
        owner = np.repeat(np.arange(left), sizes)
        angles = np.sort(rng.uniform(0, 2 * np.pi, owner.size) + owner * 10.0) - owner * 10.0
        radius = np.repeat(rng.uniform(150, 1500, left), sizes) * rng.uniform(0.6, 1.0,
                                                                               owner.size)
        dx, dy = _metres(centres[owner, 1])
        coords = centres[owner] + np.column_stack([np.cos(angles) * radius * dx,
                                                   np.sin(angles) * radius * dy])
        keep = _all_inside(coords, owner, left)
        rings = shapely.linearrings(coords, indices=owner)
        done.append(shapely.polygons(rings)[keep])
        left -= int(keep.sum())
    return np.concatenate(done)[:count]


def _links(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` lines of 20 vertices, 2–30 km long and bowed, every vertex inside Flanders."""
    done: list[np.ndarray] = []
    left = count
    steps = np.linspace(0, 1, 20)
    while left:
        start = _inside(rng, left)
        length = rng.uniform(2_000, 30_000, left)
        heading = rng.uniform(0, 2 * np.pi, left)
        bow = rng.uniform(-0.15, 0.15, left) * length
        dx, dy = _metres(start[:, 1])
        along = length[:, None] * steps[None, :]
        side = bow[:, None] * np.sin(np.pi * steps)[None, :]
        x = start[:, :1] + (np.cos(heading)[:, None] * along
                            - np.sin(heading)[:, None] * side) * dx[:, None]
        y = start[:, 1:] + (np.sin(heading)[:, None] * along
                            + np.cos(heading)[:, None] * side) * dy[:, None]
        coords = np.column_stack([x.ravel(), y.ravel()])
        owner = np.repeat(np.arange(left), steps.size)
        keep = _all_inside(coords, owner, left)
        done.append(shapely.linestrings(coords, indices=owner)[keep])
        left -= int(keep.sum())
    return np.concatenate(done)[:count]


def _remarks(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` remarks of 40–120 characters made of words."""
    lengths = rng.integers(40, 121, count)
    words = rng.integers(0, len(_WORDS), (count, 40))
    remarks = []
    for target, row in zip(lengths, words, strict=True):
        text = ""
        for index in row:
            text = f"{text} {_WORDS[index]}" if text else _WORDS[index].capitalize()
            if len(text) >= target:
                break
        remarks.append((text[:target - 1].rstrip() + ".").ljust(40, "."))
    return remarks


def _frame(rng: np.random.Generator, geometry: np.ndarray, noun: str) -> gpd.GeoDataFrame:
    count = len(geometry)
    actors = actor_names()
    places = rng.integers(0, len(_PLACES), count)
    words = rng.integers(0, len(_WORDS), count)
    return gpd.GeoDataFrame({
        "name": [f"{noun} {_WORDS[w]} {_PLACES[p]} {i + 1}"
                 for i, (w, p) in enumerate(zip(words, places, strict=True))],
        "actor": [actors[a] for a in rng.integers(0, len(actors), count)],
        "remark": _remarks(rng, count),
    }, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")


def generate(n: int, seed: int = SEED) -> Frames:
    """N points, N/10 zones and N/5 links (rounded down; at least one of each)."""
    rng = np.random.default_rng([seed, n])
    points = shapely.points(_inside(rng, n))
    zones = _zones(rng, max(1, n // 10))
    links = _links(rng, max(1, n // 5))
    return Frames(points=_frame(rng, points, "Punt"), zones=_frame(rng, zones, "Zone"),
                  links=_frame(rng, links, "Verbinding"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="the number of points")
    parser.add_argument("output", type=Path, help="a GeoPackage to write (layers points, "
                        "zones, links)")
    args = parser.parse_args(argv)
    frames = generate(args.n)
    for layer in ("points", "zones", "links"):
        getattr(frames, layer).to_file(args.output, layer=layer, driver="GPKG")
    print(f"{frames.features} features, {frames.vertices} vertices → {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
