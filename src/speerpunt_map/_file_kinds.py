"""What a file really is, whatever its name says; and a name the operating system can open.

A table is a CSV (text) or an Excel workbook (a zip archive). Files that users give instead are
recognised by their bytes and named, with what to do (:func:`disguise_problem`): an old
``.xls`` or a password-protected workbook (both OLE compound files, told apart by the names in
their directory: ``Workbook``/``Book`` against ``EncryptedPackage``/``EncryptionInfo``), a web
page or an Excel 2003 XML spreadsheet saved under a table's name, a PDF, and the lock file
Excel (``~$legend.xlsx``) or LibreOffice (``.~lock.legend.xlsx#``) keeps beside an open file.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from ._errors import LegendError
from ._records import file_problem

__all__ = ["content_kind", "disguise_problem", "is_workbook", "ole_stream_names", "os_path",
           "unsafe_member_names"]

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                   re.DOTALL)
_TITLE = re.compile(r"<title[^>]*>\s*([^<]{1,120}?)\s*</title>", re.IGNORECASE)
_SAVE_AS = "open it in Excel and save it as .xlsx or CSV"


def os_path(path: Path) -> Path:
    """``path`` as the operating system can name it.

    Under a C locale without UTF-8 mode (``LC_ALL=C PYTHONUTF8=0``) Python names files in
    ASCII, so a name typed with ``ë`` (in a catalogue, a notebook) cannot be passed to the
    system, though the file exists: Linux stores its name as UTF-8 bytes. Such a name is
    re-encoded as those bytes; any other path is returned as it is.
    """
    try:
        os.fsencode(path)
    except UnicodeEncodeError:
        return Path(os.fsdecode(str(path).encode("utf-8", "surrogateescape")))
    return path


def content_kind(data: bytes) -> str:
    """``zip``, ``ole``, ``pdf``, ``html``, ``xml-spreadsheet`` or ``text``, from the bytes."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(_OLE_SIGNATURE):
        return "ole"
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = _head_text(data)
    if _HTML.match(head):
        return "html"
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml-spreadsheet"
    return "text"


def _head_text(data: bytes) -> str:
    """The start of a text file, lower case, without a byte-order mark or leading spaces."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    return text.lstrip("\ufeff \t\r\n").lower()


def is_workbook(data: bytes) -> bool:
    """Whether a zip archive holds an Excel workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def unsafe_member_names(names: list[str]) -> list[str]:
    """Member names of a zip archive that point outside it (``../x``, ``/etc/x``, ``C:\\x``):
    Excel never writes them; an archive that holds them was made to be unpacked somewhere."""
    return [name for name in names
            if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name)
            or ".." in re.split(r"[/\\]", name)]


def ole_stream_names(data: bytes) -> list[str]:
    """The names of the storages and streams of an OLE compound file (old Office files).

    Directory entries are 128 bytes long and start at a multiple of 128 bytes after the
    512-byte header (sectors are 512 or 4096 bytes), so every such position is tried: an entry
    has a NUL-terminated UTF-16 name of at most 31 characters, its length in bytes, and an
    object type (storage, stream or root). This needs no allocation table, so a damaged or
    truncated file still shows what it holds.
    """
    names = []
    for offset in range(512, len(data) - 127, 128):
        size = int.from_bytes(data[offset + 64:offset + 66], "little")
        if data[offset + 66] not in (1, 2, 5) or data[offset + 67] > 1 \
                or not 2 <= size <= 64 or size % 2:
            continue
        raw = data[offset:offset + size]
        if raw[-2:] != b"\0\0":
            continue
        try:
            name = raw[:-2].decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        if name and "\0" not in name:
            names.append(name)
    return names


def disguise_problem(path: Path, data: bytes) -> LegendError | None:
    """The error for a file that is not a table whatever its name (``None`` for CSV or XLSX).

    Parameters
    ----------
    path
        The file, as the user named it (its name tells a lock file).
    data
        Its bytes.
    """
    kind = content_kind(data)
    if kind != "zip":
        lock = _lock_problem(path, data)
        if lock is not None:
            return lock
    if kind == "ole":
        return _ole_problem(path, data)
    if kind == "pdf":
        return file_problem(path, "a PDF document", "a CSV or .xlsx table", "wrong-format",
                            suggestion="a PDF cannot be read as a table: copy the table into "
                            "a workbook (speerpunt-map template legend.xlsx) and save it")
    if kind == "html":
        title = _TITLE.search(data[:20_000].decode("utf-8", "replace"))
        titled = f" titled {title.group(1)!r}" if title else ""
        return file_problem(path, f"a web page (HTML){titled}, not a table",
                            "a CSV or .xlsx table", "wrong-format",
                            suggestion="a page saved from a browser (or an error page that was "
                            "downloaded instead of the file): download the table itself, its "
                            f"CSV or Excel export, or {_SAVE_AS}")
    if kind == "xml-spreadsheet":
        return file_problem(path, "an Excel 2003 XML spreadsheet", "a CSV or .xlsx table",
                            "wrong-format", suggestion=_SAVE_AS)
    return None


def _ole_problem(path: Path, data: bytes) -> LegendError:
    """An OLE compound file: an encrypted workbook, an old workbook, or another Office file."""
    names = set(ole_stream_names(data))
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        return file_problem(path, "a password-protected (encrypted) Office file",
                            "a workbook without a password", "encrypted",
                            suggestion="open it in Excel with its password, remove the password "
                            "(File > Info > Protect Workbook > Encrypt with Password: empty the "
                            "field) and save it as .xlsx")
    if names & {"Workbook", "Book"}:
        found = "an old Excel workbook (.xls, Excel 97-2003)"
    elif "WordDocument" in names:
        found = "a Word document (.doc)"
    elif "PowerPoint Document" in names:
        found = "a PowerPoint presentation (.ppt)"
    else:
        found = "an old Excel (.xls) or other Office 97-2003 file"
    return file_problem(path, found, "a CSV or .xlsx table", "wrong-format",
                        suggestion=_SAVE_AS if "Excel" in found else
                        "copy the table into a workbook and save it as .xlsx")


def _lock_problem(path: Path, data: bytes) -> LegendError | None:
    """Excel's ``~$legend.xlsx`` or LibreOffice's ``.~lock.legend.xlsx#``: the name of whoever
    has ``legend.xlsx`` open, nothing else."""
    name = path.name
    if name.startswith("~$"):
        document, owner, program = name[2:], _office_owner(data), "Excel"
    elif name.startswith(".~lock.") and name.endswith("#"):
        document, program = name[len(".~lock."):-1], "LibreOffice"
        owner = data[:200].decode("utf-8", "replace").split(",")[0].strip()
    else:
        return None
    who = repr(owner) if owner and owner.isprintable() else "someone"
    return file_problem(path, f"a lock file: {program} keeps it while {who} has {document!r} "
                        "open; it holds only that user's name", "the table itself",
                        "lock-file", suggestion=f"read {document!r} (in the same folder) "
                        f"instead; close it in {program} first, so that its last changes are "
                        "saved")


def _office_owner(data: bytes) -> str:
    """The user name in Microsoft Office's owner file: a length byte and the name in the
    Windows code page, then (at byte 54 for Word, 55 for Excel) a length and the name in
    UTF-16; 162 or 165 bytes in all."""
    if len(data) < 57 or not 0 < data[0] <= 52:
        return ""
    for at in (55, 54):
        count = data[at]
        if 0 < count <= 52 and data[at + 1] == 0:
            try:
                return data[at + 2:at + 2 + 2 * count].decode("utf-16-le")
            except UnicodeDecodeError:
                continue
    return data[1:1 + data[0]].decode("cp1252", "replace")
