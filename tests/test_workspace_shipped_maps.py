"""A workspace that builds the shipped maps beside its own (``[workspace] shipped_maps = true``,
issue 10.7: the catalogue in use is shipped, the workspace's, or both, as configured)."""

from __future__ import annotations

from pathlib import Path

import pytest

from speerpunt_map import load_atlas
from speerpunt_map._errors import GeodataError, LegendError
from speerpunt_map.cli import main
from speerpunt_map.workspace import init_workspace

MAP_ID = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"


def _set(workspace: Path, line: str) -> None:
    config = workspace / "speerpunt-map.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[workspace]\n", f"[workspace]\n{line}\n", 1), encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "mijn-atlas"
    init_workspace(folder)
    return folder


def test_by_default_a_workspace_has_only_its_own_maps(workspace: Path) -> None:
    assert list(load_atlas(workspace=workspace).maps) == [MAP_ID]


def test_shipped_maps_true_adds_the_shipped_maps_before_its_own(workspace: Path) -> None:
    _set(workspace, "shipped_maps = true")
    maps = list(load_atlas(workspace=workspace).maps)
    assert len(maps) == 40 and maps[0] == "antwerpen/logistiek" and maps[-1] == MAP_ID


def test_a_workspace_map_with_a_shipped_id_is_an_error_naming_both_catalogues(
        workspace: Path) -> None:
    _set(workspace, "shipped_maps = true")
    catalogue = workspace / "catalogue.toml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        f'id = "{MAP_ID}"', 'id = "limburg/cleantech"'), encoding="utf-8")
    with pytest.raises(LegendError) as raised:
        load_atlas(workspace=workspace)
    problem = next(p for p in raised.value.problems if p.code == "duplicate-map")
    assert problem.file == str(catalogue) and problem.found == "limburg/cleantech"
    assert "catalogue.toml" in problem.expected and "shipped_maps = false" in problem.suggestion


def test_shipped_maps_must_be_true_or_false(workspace: Path) -> None:
    _set(workspace, 'shipped_maps = "ja"')
    with pytest.raises(GeodataError, match="shipped_maps must be true or false"):
        load_atlas(workspace=workspace)


def test_the_matrix_of_such_a_workspace_covers_both(workspace: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _set(workspace, "shipped_maps = true")
    monkeypatch.chdir(workspace)
    out = tmp_path / "matrix"
    assert main(["matrix", "-o", str(out)]) == 0
    text = (out / "matrix.csv").read_text(encoding="utf-8-sig")
    assert MAP_ID in text and "antwerpen/logistiek" in text
