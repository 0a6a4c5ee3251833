"""Colour differences as a reader sees them: sRGB → CIELAB, CIEDE2000, simulated deuteranopia.

Small and dependency-free on purpose (the palette test and the shade function use it):

- :func:`srgb_to_lab`: IEC 61966-2-1 sRGB (D65) to CIE 1976 L*a*b* (D65 white).
- :func:`ciede2000`: the CIEDE2000 colour difference, written after Sharma, Wu & Dalal (2005),
  "The CIEDE2000 color-difference formula: implementation notes, supplementary test data, and
  mathematical observations", Color Res. Appl. 30(1), 21–30 (k_L = k_C = k_H = 1); checked
  against all 34 of their published pairs (``tests/data/ciede2000_sharma_2005.csv``).
- :func:`deuteranopia`: Machado, Oliveira & Fernandes (2009), "A physiologically-based model
  for simulation of color vision deficiency", IEEE TVCG 15(6), 1291–1298: the deuteranomaly
  matrix at severity 1.0, applied to linear RGB.

>>> round(ciede2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)), 4)
2.0425
>>> round(difference("#000000", "#FFFFFF"), 4)
100.0
"""

from __future__ import annotations

import math

__all__ = ["DEUTERANOPIA", "ciede2000", "deuteranopia", "difference", "srgb_to_lab"]

Lab = tuple[float, float, float]
RGB = tuple[float, float, float]

#: Machado et al. (2009), Table 1, deuteranomaly, severity 1.0 (linear RGB → linear RGB).
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968),
                (0.280085, 0.672501, 0.047413),
                (-0.011820, 0.042940, 0.968881))
_SRGB_TO_XYZ = ((0.4124564, 0.3575761, 0.1804375),
                (0.2126729, 0.7151522, 0.0721750),
                (0.0193339, 0.1191920, 0.9503041))
_WHITE = (0.95047, 1.0, 1.08883)  # D65, Y = 1


def _rgb(colour: str) -> RGB:
    """``#RRGGBB`` as three channels in 0–1."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {colour!r}: expected #RRGGBB")
    return int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encoded(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _times(matrix: tuple[RGB, RGB, RGB], vector: RGB) -> RGB:
    x, y, z = (sum(m * v for m, v in zip(row, vector, strict=True)) for row in matrix)
    return x, y, z


def _lab_from_linear(linear: RGB) -> Lab:
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    x, y, z = (c / w for c, w in zip(_times(_SRGB_TO_XYZ, linear), _WHITE, strict=True))
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def srgb_to_lab(colour: str) -> Lab:
    """CIELAB (D65) of an sRGB colour ``#RRGGBB``."""
    red, green, blue = _rgb(colour)
    return _lab_from_linear((_linear(red), _linear(green), _linear(blue)))


def deuteranopia(colour: str) -> str:
    """``colour`` as a person with deuteranopia sees it (Machado et al. 2009, severity 1)."""
    red, green, blue = _rgb(colour)
    seen = _times(DEUTERANOPIA, (_linear(red), _linear(green), _linear(blue)))
    return "#" + "".join(f"{round(_encoded(c) * 255):02X}" for c in seen)


def _hue(b: float, a: float) -> float:
    return 0.0 if a == 0 and b == 0 else math.degrees(math.atan2(b, a)) % 360


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """The CIEDE2000 difference of two CIELAB colours (Sharma, Wu & Dalal 2005, eq. 1–21)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = _hue(b1, a1p), _hue(b2, a2p)
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30))
         + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
         - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    dl, dc, dh = dlp / s_l, dcp / s_c, dhp_big / s_h
    return math.sqrt(dl * dl + dc * dc + dh * dh + r_t * dc * dh)


def difference(colour1: str, colour2: str, *, deuteranope: bool = False) -> float:
    """CIEDE2000 between two sRGB colours; with ``deuteranope``, as simulated for deuteranopia."""
    if deuteranope:
        colour1, colour2 = deuteranopia(colour1), deuteranopia(colour2)
    return ciede2000(srgb_to_lab(colour1), srgb_to_lab(colour2))
