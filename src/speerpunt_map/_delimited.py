"""Read a CSV file (or Excel's "Unicode text") as rows of text: encoding, separator, quotes.

The encoding: a byte-order mark decides (UTF-8, or UTF-16 as Excel's "Unicode text" writes
it); without one, strict UTF-8 is tried, then Windows-1252. A byte that fits none is an error
naming its row, column and line. The separator: the one a first line ``sep=;`` states (Excel
honours that line, and does not show it as a row), else ``;``, ``,`` or a tab, whichever splits
the header line into the most fields. A cell may be as long as the file (the csv module's own
limit of 131,072 characters is lifted while a file is read).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ._cells import restore_formula
from ._errors import LegendError, Problem
from ._records import Record, column_letter, file_problem, shorten

__all__ = ["EXCEL_CELL_LIMIT", "Delimited", "cell_warnings", "read_delimited"]

_SEPARATORS = (";", ",", "\t")
# The most characters an Excel cell holds: a longer CSV cell is read, but Excel would cut it.
EXCEL_CELL_LIMIT = 32_767
# Lines as CSV ends them (str.splitlines would also split on form feeds and U+2028).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Excel's separator line: "sep=;" (a spreadsheet that saved it as a row may pad it: "sep=;;;").
_SEP_LINE = re.compile(r'"?sep=(?P<sep>[^"\r\n])"?(?P=sep)*', re.IGNORECASE)
# Undecodable bytes are decoded as U+DC00 + byte: strictly decoded text never holds these.
_MARK_HANDLER = "speerpunt-map-mark"
_MARKED = re.compile("[\udc00-\udcff]")
_SHOWN_BAD_CELLS = 20
_LIMIT_LOCK = threading.Lock()
_BOMS = ((b"\xef\xbb\xbf", "utf-8", "utf-8-sig", "UTF-8 (the file starts with a UTF-8 BOM)"),
         (b"\xff\xfe", "utf-16-le", "utf-16", "UTF-16 (the file starts with a UTF-16 BOM)"),
         (b"\xfe\xff", "utf-16-be", "utf-16", "UTF-16 (the file starts with a UTF-16 BOM)"))


@dataclass
class Delimited:
    """The rows of a CSV file, and how it was read.

    Attributes
    ----------
    records
        The rows, numbered as a spreadsheet shows them (a ``sep=`` line is not a row).
    encoding
        ``utf-8-sig``, ``utf-8``, ``cp1252`` or ``utf-16``.
    separator
        The separator character.
    stated
        Whether the separator was stated by a first line ``sep=…``.
    """

    records: list[Record]
    encoding: str
    separator: str
    stated: bool


def read_delimited(path: Path, data: bytes) -> Delimited:
    """Decode and split a CSV file; raise :class:`~speerpunt_map.LegendError` when it cannot
    be read (undecodable bytes, NUL bytes, a malformed ``sep=`` line)."""
    text, encoding = _decode(path, data)
    if "\x00" in text:
        raise _binary(path)
    separator, stated, body, skipped = _separator(path, text)
    return Delimited(_parse(path, body, separator, skipped), encoding, separator, stated)


def _binary(path: Path) -> LegendError:
    return file_problem(path, "NUL bytes", "a text table (CSV), not a binary file",
                        "encoding", suggestion="if it is UTF-16 text without a byte-order "
                        "mark, save it as 'CSV UTF-8' from Excel")


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields of up to ``size`` characters. Its limit (131,072 by
    default) is one for the whole process, so it is raised under a lock and put back after."""
    with _LIMIT_LOCK:
        before = csv.field_size_limit()
        csv.field_size_limit(max(before, size))
        try:
            yield
        finally:
            csv.field_size_limit(before)


def _parse(path: Path, body: str, separator: str, skipped: int) -> list[Record]:
    """The records of CSV text; ``skipped`` lines (a ``sep=`` line) came before it."""
    records: list[Record] = []
    line = 0
    with _field_limit(len(body) + 1):
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
        try:
            for number, cells in enumerate(reader, start=1):
                records.append(Record(number, [restore_formula(c) for c in cells],
                                      (skipped + line + 1, skipped + reader.line_num)))
                line = reader.line_num
        except csv.Error as error:  # not expected: no field limit, no strict mode
            raise file_problem(path, f"{error} (after line {skipped + line})",
                               "a CSV file Python's csv module can read", "csv",
                               row=len(records) + 1) from None
    return records


def _separator(path: Path, text: str) -> tuple[str, bool, str, int]:
    """The separator, whether a ``sep=`` line stated it, the text after that line and the
    number of lines before that text."""
    end = _LINE_BREAK.search(text)
    first = text[:end.start()] if end else text
    if first.lstrip('"').lower().startswith("sep="):
        stated = _SEP_LINE.fullmatch(first)
        if stated is None:
            raise file_problem(path, shorten(first), "a first line 'sep=' and one separator "
                               "character, such as 'sep=;'", "csv", row=1,
                               suggestion="Excel takes that line for the separator of the "
                               "file: correct it, or delete the line")
        return stated["sep"], True, text[end.end():] if end else "", 1
    header = next((line for line in _LINE_BREAK.split(text) if line.strip()), "")
    return _sniff_separator(header), False, text, 0


def _sniff_separator(first_line: str) -> str:
    """The separator that splits the header line into the most fields (``;`` on a tie)."""
    with _field_limit(len(first_line) + 1):
        counts = {sep: len(next(csv.reader([first_line], delimiter=sep)))
                  for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ","


# -- encodings ---------------------------------------------------------------------------------
def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes: a BOM decides; else strict UTF-8; else Windows-1252."""
    found = next((entry for entry in _BOMS if data.startswith(entry[0])), None)
    if found is None:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            found = (b"", "cp1252", "cp1252", "text in UTF-8 or Windows-1252")
    bom, codec, label, expected = found
    try:
        return data[len(bom):].decode(codec), label
    except UnicodeDecodeError:
        raise _undecodable(path, data[len(bom):], codec, expected, len(bom) > 0) from None


@functools.cache
def _register_mark_handler() -> str:
    def mark(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        bad = error.object[error.start:error.end]
        return "".join(chr(0xDC00 + byte) for byte in bad), error.end

    codecs.register_error(_MARK_HANDLER, mark)
    return _MARK_HANDLER


def _undecodable(path: Path, data: bytes, codec: str, expected: str,
                 bom: bool) -> LegendError:
    """The cells that hold bytes the encoding cannot decode, by row, column and line."""
    text = data.decode(codec, errors=_register_mark_handler())
    if "\x00" in text:
        return _binary(path)
    separator, _, body, skipped = _separator(path, text)
    records = _parse(path, body, separator, skipped)
    header_record = next((r for r in records if any(c.strip() for c in r.cells)), None)
    header = [_shown(c.strip()) for c in header_record.cells] if header_record else []
    advice = "the file mixes encodings" if bom else "the file is in no encoding we know"
    problems: list[Problem] = []
    more_cells = 0
    for record in records:
        for index, cell in enumerate(record.cells):
            first = _MARKED.search(cell)
            if first is None:
                continue
            if len(problems) == _SHOWN_BAD_CELLS:  # enough to see the pattern: count the rest
                more_cells += 1
                continue
            before = "".join(record.cells[:index]) + cell[:first.start()]
            line = (record.lines[0] if record.lines else 1) + len(_LINE_BREAK.findall(before))
            count = len(_MARKED.findall(cell))
            more = f" (and {count - 1} more in the cell)" if count > 1 else ""
            named = header_record is not None and record.number > header_record.number
            column = header[index] if named and index < len(header) and header[index] else None
            problems.append(Problem(
                str(path), record.number, column,
                f"byte 0x{ord(first.group()) - 0xDC00:02x} at line {line}{more}", expected,
                f"the cell reads {shorten(_shown(cell))!r} (� for the byte): {advice}; retype "
                "the character and save the file as 'CSV UTF-8' from Excel", code="encoding",
                cell=f"{column_letter(index)}{record.number}"))
    if not problems:  # the byte is in no cell (it cannot be, but say what was found)
        problems.append(Problem(str(path), None, None, "an undecodable byte", expected,
                                code="encoding"))
    if more_cells:
        problems.append(Problem(str(path), None, None,
                                f"{more_cells:,} more cell(s) with such bytes", expected,
                                "save the file as 'CSV UTF-8' from Excel", code="encoding"))
    return LegendError(problems)


def _shown(text: str) -> str:
    return _MARKED.sub("\ufffd", text)


# -- warnings about cells that were read -------------------------------------------------------
def cell_warnings(path: Path, header: list[str], row_numbers: list[int],
                  records: list[list[str]]) -> list[Problem]:
    """Warnings about cells read from a CSV file: text that looks decoded twice
    (``CafÃ©``), and cells longer than an Excel cell holds."""
    problems = []
    for number, record in zip(row_numbers, records, strict=True):
        for name, cell in zip(header, record, strict=False):
            if len(cell) > EXCEL_CELL_LIMIT:
                problems.append(Problem(
                    str(path), number, name, f"{len(cell):,} characters",
                    f"at most {EXCEL_CELL_LIMIT:,} characters, what an Excel cell holds",
                    "the whole text is read, but Excel cuts it when it opens this file: "
                    "saving the file from Excel would lose the rest", severity="warning",
                    code="long-cell"))
            repaired = _mojibake(cell)
            if repaired:
                problems.append(Problem(
                    str(path), number, name, cell, "text in one encoding",
                    f"did you mean {repaired!r}? The file was probably opened in the wrong "
                    "encoding and saved again", severity="warning", code="mojibake"))
    return problems


def _mojibake(cell: str) -> str:
    """The likely text of a cell that looks like UTF-8 decoded as Windows-1252 once too often
    (``CafÃ©`` → ``Café``), or ``""``."""
    if cell.isascii():
        return ""
    try:
        repaired = cell.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return ""
    return repaired if repaired != cell else ""
