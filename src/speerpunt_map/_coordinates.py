"""Coordinates that should lie in Belgium or a neighbour, and the likely mistake when not.

Used for the gazetteer, the custom zones and municipality points (:mod:`speerpunt_map.gazetteer`)
and for the middle of a boundary file (:mod:`speerpunt_map.boundaries`): latitude and longitude
swapped, metres of a Belgian projected CRS given as degrees, a lost decimal point or minus sign.
"""

from __future__ import annotations

import math

__all__ = ["COUNTRY_EXTENTS", "NEIGHBOURHOOD", "coordinate_problem", "metric_crs_of"]

# Extents (lon min, lat min, lon max, lat max) of Belgium and its neighbours, a little generous;
# metropolitan France. A coordinate outside them is a mistake, and the likely one is named.
COUNTRY_EXTENTS = {
    "BE": (2.5, 49.45, 6.45, 51.55),
    "NL": (3.3, 50.7, 7.25, 53.6),
    "LU": (5.7, 49.4, 6.55, 50.2),
    "FR": (-5.2, 41.3, 9.6, 51.1),
    "DE": (5.85, 47.25, 15.05, 55.1),
}
NEIGHBOURHOOD = (-5.2, 41.3, 15.05, 55.1)
# Projected CRSs a Belgian user may have copied numbers from, with the extent (x min, y min,
# x max, y max, in metres) Belgium has in each.
_METRIC_CRSS = (
    ("Belgian Lambert 72 metres (EPSG:31370)", "EPSG:31370", (15e3, 15e3, 300e3, 250e3)),
    ("Belgian Lambert 2008 metres (EPSG:3812)", "EPSG:3812", (500e3, 500e3, 800e3, 760e3)),
    ("UTM zone 31N metres (EPSG:32631)", "EPSG:32631", (300e3, 5.3e6, 900e3, 6.1e6)),
    ("Web Mercator metres (EPSG:3857)", "EPSG:3857", (200e3, 6.2e6, 1e6, 6.9e6)),
)


def _inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def metric_crs_of(x: float, y: float) -> tuple[str, str] | None:
    """``(description, EPSG code)`` of the Belgian projected CRS whose range holds ``x, y``."""
    for description, code, box in _METRIC_CRSS:
        if _inside(x, y, box):
            return description, code
    return None


def coordinate_problem(lon: float, lat: float, country: str | None = None) -> str | None:
    """What is wrong with a longitude/latitude pair meant to lie in Belgium or a neighbour.

    ``None`` when it lies in the country's extent (``country`` an ISO code of
    :data:`COUNTRY_EXTENTS`) or, without a known country, in the extent of Belgium and its
    neighbours. Otherwise a message naming the likely mistake: latitude and longitude swapped,
    metres of a Belgian projected CRS (Lambert 72, Lambert 2008, UTM 31N, Web Mercator) given as
    degrees, a lost decimal point, a lost minus sign.
    """
    box = COUNTRY_EXTENTS.get((country or "").upper(), NEIGHBOURHOOD)
    where = f"{country.upper()}'s extent" if box is not NEIGHBOURHOOD and country else \
        "Belgium and its neighbours"
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return "not finite numbers"
    if _inside(lon, lat, box):
        return None
    if _inside(lat, lon, box):
        return f"latitude and longitude swapped? (longitude comes first: {lat}, {lon})"
    metric = metric_crs_of(lon, lat)
    if metric is not None:
        description, code = metric
        try:
            from pyproj import Transformer

            x, y = Transformer.from_crs(code, "EPSG:4326", always_xy=True).transform(lon, lat)
            converted = f" (as such: lon {x:.5f}, lat {y:.5f})"
        except Exception:  # pyproj without its database: the hint is enough
            converted = ""
        return f"these look like {description}, not degrees{converted}"
    for power in range(1, 8):
        scale = 10.0 ** power
        if _inside(lon / scale, lat / scale, box):
            return (f"the decimal point seems lost (did you mean {lon / scale:g}, "
                    f"{lat / scale:g}?)")
    if _inside(-lon, lat, box) or _inside(lon, -lat, box):
        return "a minus sign too many or too few?"
    if box is not NEIGHBOURHOOD and _inside(lon, lat, NEIGHBOURHOOD):
        return f"outside {where} (is the country right?)"
    return (f"outside {where} (lon {box[0]}…{box[2]}, lat {box[1]}…{box[3]}, in decimal "
            "degrees)")
