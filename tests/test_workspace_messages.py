"""Messages that say what to do (issue 10.5): an unknown place suggests close names in both
languages and says how to add it to the workspace, with a row to paste that works."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from speerpunt_map import load_gazetteer
from speerpunt_map.cli import main

TABLE = "legends/zuid-west-vlaanderen-2019-creatieve-maakindustrie.csv"


def set_link_end(workspace: Path, name: str) -> None:
    """The example table with its first link ending at ``name`` (saved as Excel does)."""
    path = workspace / TABLE
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))
    header = rows[0]
    link = next(r for r in rows[1:] if r[header.index("kind")] == "link")
    link[header.index("link_to")] = name
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "atlas"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    return folder


def test_close_names_come_with_their_other_language_name() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.suggest_places("Rijssel")[0] == "Rijsel / Lille"
    assert gazetteer.suggest_places("Kortrik")[0] == "Kortrijk / Courtrai"
    # A name that is no translation stays as it is.
    assert gazetteer.suggest_places("Terneuze")[0] == "Terneuzen"
    assert gazetteer.suggest_places("Geeel")[0] == "Geel"


def test_an_unknown_place_says_how_to_add_it_and_the_row_works(
        workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_link_end(workspace, "Rijssel")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "found 'Rijssel'" in err and "did you mean 'Rijsel / Lille'" in err
    set_link_end(workspace, "Duinkerke")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "add it to places.csv in your workspace" in err
    row = re.search(r"e\.g\. the row: (\S+) — ", err)
    assert row is not None
    # Fill in what the message asks for, paste the row below the header: the table is clean.
    filled = (row.group(1).replace("LON", "2.3770").replace("LAT", "51.0340")
              .replace(",BE,", ",FR,").replace("METHOD", "city centre from a map")
              .replace("PRECISION_M", "1000").replace("SOURCE", "my reading of a map"))
    assert filled.startswith("duinkerke,Duinkerke,")
    with (workspace / "places.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(filled + "\r\n")
    assert main(["validate"]) == 0, capsys.readouterr().err
