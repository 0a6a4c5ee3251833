"""Text helpers: the normalised comparison of names, and splitting multi-valued cells."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ",
    }
)
_SPACES = re.compile(r"[\s\-_/]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """A key for comparing names: accents, case, quotes, dashes and spacing folded.

    ``"Sint-Niklaas"``, ``"sint niklaas"`` and ``"Sint\u2011Niklaas"`` give the same key, so
    what a user typed matches the gazetteer, while the name is still shown as typed.
    """
    text = _INVISIBLE.sub("", text.translate(_QUOTES))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell on ``|`` (and ``;``), dropping empty parts."""
    return [part.strip() for part in re.split(r"[|;]", cell) if part.strip()]


def slug(text: str) -> str:
    """An ascii, lowercase, hyphenated id for a name (``"Waas & Dender"`` → ``waas-dender``)."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")


def close_matches(word: str, options: Iterable[str], n: int = 2) -> list[str]:
    """The options closest to ``word`` (difflib's ratio ≥ 0.6), best first."""
    return difflib.get_close_matches(word, list(options), n=n, cutoff=0.6)


def did_you_mean(names: list[str]) -> str:
    """``"did you mean 'a' or 'b'?"`` for suggestions, or ``""`` when there are none."""
    return "did you mean " + " or ".join(repr(n) for n in names) + "?" if names else ""
