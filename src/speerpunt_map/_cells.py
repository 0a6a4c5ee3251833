"""The text of one cell: the formula guard of our exports and its undoing, Excel's escapes.

A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is written with a leading ``'`` (:func:`neutralise_formula`); the
reader removes that one ``'`` again (:func:`restore_formula`), so an export reads back as typed.
In a workbook, the characters XML cannot hold are written as OOXML's ``_xHHHH_`` escapes
(:func:`xlsx_text`) and read back (:func:`ooxml_text`).
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "neutralise_formula", "ooxml_text", "restore_formula",
           "xlsx_text"]

# Characters a spreadsheet reads as the start of a formula; export prefixes them with "'".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def restore_formula(cell: str) -> str:
    """Undo the ``'`` our exports put before a cell that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return after any apostrophes — and only there, so
    ``'s-Hertogenbosch`` stays, and ``''=1`` (text typed as ``'=1``) becomes ``'=1``."""
    if cell[:1] == "'" and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (what exports write).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``; so does one that starts with apostrophes followed by one of those (``'=x`` becomes
    ``''=x``), so that :func:`restore_formula`, which drops one ``'`` before such a start,
    gives back what was typed, and ``'s-Hertogenbosch`` is left alone.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


# Characters XML (and so XLSX) cannot hold, or turns into another (a carriage return becomes a
# line feed); OOXML writes them as _xHHHH_, which Excel reads back as the character.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# An underscore that a reader could take for the start of such an escape is itself escaped.
_OOXML_UNDERSCORE = re.compile(r"_(?=x[0-9A-Fa-f]{4})")


def xlsx_text(text: str) -> str:
    """Text for an XLSX cell: formulas neutralised, control characters as OOXML escapes
    (the reader decodes them again)."""
    text = _OOXML_UNDERSCORE.sub("_x005F_", neutralise_formula(text))
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


# OOXML writes characters XML cannot hold as _xHHHH_ (a carriage return as _x000D_), and a
# literal "_x" as _x005F_x; openpyxl leaves them encoded.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_text(text: str) -> str:
    """Text of a workbook cell with OOXML's ``_xHHHH_`` escapes decoded (as Excel shows it)."""
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _OOXML_ESCAPE.sub(decode, text) if "_x" in text else text
