"""Characters no one sees: zero-width and bidi controls, and control characters.

A name with a zero-width space (U+200B) in it looks like the name without, in Excel and on
the page, and a right-to-left override (U+202E) shows text in another order than it is
stored. In the cells that identify a row (:data:`IDENTIFYING_COLUMNS`) such characters are
an error naming the code point (:func:`invisible_character_problems`); in free text (remarks,
notes) they are kept as typed.
Control characters (BEL, ESC, …; not tab or line breaks) count as invisible in the identifying
cells too. In every other cell they are shown visibly, once, where a legend row is read
(:func:`free_text_pictures`): a C0 control as Unicode's control picture (U+2400–U+2421, BEL as
``␇``), a C1 control by its code point (``⟨U+0085⟩``), so that no page, figure or export holds
a raw control character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ._errors import Problem

__all__ = ["IDENTIFYING_COLUMNS", "character_name", "control_pictures", "free_text_pictures",
           "invisible_character_problems", "invisible_characters"]

# The cells that say what a row is and where it is drawn (legend column names).
IDENTIFYING_COLUMNS = ("kind", "number", "name", "place", "link_from", "link_to",
                       "source_actor")
# Zero-width characters, bidi embeddings, overrides and isolates, the BOM inside text, the
# soft hyphen, the Arabic letter mark, the word joiner and invisible operators; C0 controls
# but tab, line feed and carriage return; DEL and the C1 controls.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters but tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE")
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)
                     if chr(code) not in "\t\n\r"} | {0x7F: "\u2421"}
# The C1 controls (U+0080-U+009F) have no picture: shown by their code point, ⟨U+0085⟩.
_C1_SHOWN = {code: f"\u27e8U+{code:04X}\u27e9" for code in range(0x80, 0xA0)}


def character_name(char: str) -> str:
    """A character as a person can look it up: ``U+200B ZERO WIDTH SPACE``."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DELETE"
    else:
        name = unicodedata.name(char, "control character" if code <= 0x9F else "")
    return f"U+{code:04X} {name}".rstrip()


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in ``text``, each once, in order, as :func:`character_name`
    gives them (``[]`` for text without any)."""
    seen = dict.fromkeys(_INVISIBLE.findall(text))
    return [character_name(char) for char in seen]


def invisible_character_problems(where: str, number: int,
                                 cells: Mapping[str, str]) -> list[Problem]:
    """An error for each identifying cell of a row that holds invisible characters.

    Parameters
    ----------
    where, number
        The file and the row (as a spreadsheet numbers it) the cells come from.
    cells
        The row's cells by legend column name (``kind``, ``name``, …); other columns and
        absent ones are not looked at.
    """
    problems = []
    for column in IDENTIFYING_COLUMNS:
        found = invisible_characters(cells.get(column, ""))
        if found:
            problems.append(Problem(
                where, number, column, cells[column], "text without invisible characters",
                f"the cell holds {', '.join(found)}, which Excel and the map do not show "
                "(pasted from a web page or a PDF?): retype the cell", code="invisible-character"))
    return problems


def control_pictures(text: str) -> str:
    """``text`` with each C0 control (but tab and line breaks) and DEL shown as its control
    picture: BEL as ``␇``, ESC as ``␛``; a C1 control (U+0080–U+009F), which has no picture, as
    its code point: ``⟨U+0085⟩``."""
    return text.translate(_CONTROL_PICTURES | _C1_SHOWN)


def free_text_pictures(cells: dict[str, str]) -> None:
    """Show the control characters of a row's free-text cells (every column but
    :data:`IDENTIFYING_COLUMNS`) as pictures (:func:`control_pictures`), in place.

    Applied once, where a legend row is read, so the page, the figure and the exports show
    the same text: a BEL typed in a remark is ``␇`` everywhere, never a raw control character.
    """
    for column, text in cells.items():
        if column not in IDENTIFYING_COLUMNS and _CONTROL.search(text):
            cells[column] = control_pictures(text)
