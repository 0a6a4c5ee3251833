"""The benchmark works: ``benchmarks/run.py`` at its smallest size writes its files with positive
numbers, the synthetic data is what it says, and explore()'s page is rewritten to open offline.

No timing is asserted: the numbers are the benchmark's business, not the tests'.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import shapely

from .conftest import REPO, subprocess_env

BENCHMARKS = REPO / "benchmarks"


def _module(name: str) -> ModuleType:
    """A module of benchmarks/ (a folder of scripts, not a package)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_synthetic_data_is_seeded_and_inside_flanders() -> None:
    generate = _module("generate")
    frames = generate.generate(300)
    again = generate.generate(300)
    assert (len(frames.points), len(frames.zones), len(frames.links)) == (300, 30, 60)
    for a, b in ((frames.points, again.points), (frames.zones, again.zones),
                 (frames.links, again.links)):
        assert a.equals(b)
        assert a["remark"].str.len().between(40, 120).all()
        assert a["name"].str.len().gt(0).all() and a["actor"].str.len().gt(0).all()
        xy = shapely.get_coordinates(a.geometry.to_numpy())
        assert shapely.contains_xy(generate.flanders(), xy[:, 0], xy[:, 1]).all()
    # A closed ring repeats its first vertex.
    vertices = shapely.get_num_coordinates(frames.zones.geometry.to_numpy()) - 1
    assert vertices.min() >= 30 and vertices.max() <= 60
    assert frames.zones.geometry.is_valid.all()
    assert np.all(shapely.get_num_coordinates(frames.links.geometry.to_numpy()) == 20)
    assert not generate.generate(300, seed=1).points.equals(frames.points)


def test_explores_page_is_rewritten_to_its_npm_files() -> None:
    generate, pages, assets = _module("generate"), _module("pages"), _module("assets")
    page = pages.explore_page(generate.generate(30))
    offline = assets.offline_page(page, "../node_modules")
    linked = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', offline)
    assert linked and all(url.startswith("../node_modules/") for url in linked), linked
    assert len(linked) == len(assets.ASSETS)


def test_the_benchmark_runs_at_its_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "200", "--runs", "1",
         "--quick", "--atlas-map", "antwerpen/logistiek", "--out", str(out)],
        env=subprocess_env(), capture_output=True, text=True, timeout=1800, cwd=REPO)
    assert done.returncode == 0, done.stderr[-4000:]
    for name in ("results.json", "results.md", "scaling.png"):
        assert (out / name).stat().st_size > 0, name
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    size = results["sizes"]["200"]
    assert (size["points"], size["zones"], size["links"]) == (200, 20, 40)
    assert size["features"] == 260 and size["vertices"] > 260
    for kind in ("ours", "explore", "floor", "canvas"):
        runs = size["build"][kind]
        assert runs and all(r["ok"] and r["seconds"] > 0 and r["bytes"] > 0 for r in runs), runs
        assert size["bytes"][kind] > 0
    assert 0 < size["bytes"]["ours_leaflet"] < size["bytes"]["ours"]
    # --quick opens our page and the canvas page; explore()'s needs the npm assets.
    assert "explore" not in size["browser"]
    for page in ("ours", "canvas"):
        runs = size["browser"][page]
        assert runs, page
        for run in runs:
            assert run["ok"] and not run["error"], run
            assert run["open_ms"] > 0 and run["load_event_ms"] > 0
            assert run["layers"] >= size["features"]
            assert run["toggle_off_ms"] > 0 and run["toggle_on_ms"] > 0
            assert run["toggled_layers"] >= size["points"]
    atlas = results["atlas"]
    assert atlas["ok"], atlas
    assert atlas["cold_median_s"] > 0 and atlas["warm_median_s"] > 0
    assert atlas["identical"]
    assert atlas["province_pages"]["found"] == 1 and atlas["province_pages"]["median_bytes"] > 0
    report = (out / "results.md").read_text(encoding="utf-8")
    assert "## Budgets of issue 12" in report and "| N points |" in report
    assert results["machine"]["nproc"] > 0 and results["command"].startswith(".venv/bin/python")
