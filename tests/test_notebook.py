"""The notebooks run top to bottom in a fresh kernel, offline, and show what the data says.

Each notebook is a jupytext percent script (``notebooks/<name>.py``) paired with an
``.ipynb`` (``jupytext --sync``, see ``notebooks/README.md``). A test executes the script with
nbclient in a kernel started from the running interpreter, then checks what a reader would
check in its printed output — the shared sectors of RESOC Kempen and Limburg per basis, the
zone overlap in km², the number of links leaving Flanders, what Zuid-West-Vlaanderen dropped
and took up between 2013 and 2019 — against values derived here from the data files and the
layers, not typed in (the geometry depends on the boundary source; the facts do not).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import jupytext
import nbclient
import pytest
import shapely

from speerpunt_map import Atlas, atlas_links, combine_atlases, load_atlas
from speerpunt_map.boundaries import METRIC_CRS

from .conftest import REPO, subprocess_env

NOTEBOOKS = REPO / "notebooks"
NAMES = ("quickstart", "two_regions", "flanders_by_sector", "west_flanders_2013_2019",
         "link_network")
KERNEL = "speerpunt-map-tests"


def _kernel_for_this_interpreter(folder: Path) -> None:
    """A kernel spec whose kernel runs ``sys.executable`` — the venv running the tests —
    whatever "python3" kernels the user has installed elsewhere."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (speerpunt_map tests)",
        "language": "python",
    }))


class Run:
    """An executed notebook: its printed text and its tables."""

    def __init__(self, notebook: object, work: Path) -> None:
        cells = notebook.cells  # type: ignore[attr-defined]
        self.outputs = [o for c in cells if c.cell_type == "code" for o in c.get("outputs", [])]
        self.text = "".join(o.get("text", "") for o in self.outputs
                            if o.output_type == "stream")
        self.work = work

    def line(self, prefix: str) -> str:
        """The printed line that starts with ``prefix``, without it."""
        found = [ln[len(prefix):] for ln in self.text.splitlines() if ln.startswith(prefix)]
        assert len(found) == 1, (prefix, self.text[-3000:])
        return found[0].strip()

    def listed(self, prefix: str) -> set[str]:
        text = self.line(prefix)
        return set() if text == "none" else set(text.split(", "))

    def number(self, pattern: str) -> float:
        match = re.search(pattern, self.text)
        assert match, (pattern, self.text[-3000:])
        return float(match.group(1))

    @property
    def tables(self) -> int:
        return len([o for o in self.outputs if o.output_type in ("execute_result",
                                                                 "display_data")
                    and "text/html" in o.get("data", {})])

    @property
    def images(self) -> int:
        return len([o for o in self.outputs if "image/png" in o.get("data", {})])


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Jupyter's folders for the kernels of this module, with this interpreter's kernel."""
    folder = tmp_path_factory.mktemp("jupyter")
    _kernel_for_this_interpreter(folder / "jupyter")
    # The kernel inherits this environment: it imports this package, uses the session's
    # cache, and keeps Jupyter's runtime and IPython files out of the user's home.
    with pytest.MonkeyPatch.context() as patch:
        for name, value in subprocess_env(
                JUPYTER_PATH=str(folder / "jupyter"),
                JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
                JUPYTER_PLATFORM_DIRS="1",
                IPYTHONDIR=str(folder / "ipython")).items():
            patch.setenv(name, value)
        yield folder


_RUNS: dict[str, Run] = {}


def run(name: str, kernel: Path) -> Run:
    """Execute ``notebooks/<name>.py`` once per test session (raises on a failing cell)."""
    if name not in _RUNS:
        notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
        notebook.metadata["kernelspec"] = {"name": KERNEL, "display_name": KERNEL,
                                           "language": "python"}
        work = kernel / f"work-{name}"
        work.mkdir()
        client = nbclient.NotebookClient(notebook, kernel_name=KERNEL, timeout=600,
                                         resources={"metadata": {"path": str(work)}})
        client.execute()  # raises CellExecutionError on the first failing cell
        _RUNS[name] = Run(notebook, work)
    return _RUNS[name]


def _inventory(atlas: Atlas) -> list[dict[str, str]]:
    with atlas.resources.inventory_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _limburg(atlas: Atlas) -> set[str]:
    return {a.id for a in atlas.vocabulary.actors.values() if a.province == "prov-limburg"}


# -- every notebook ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_is_a_percent_script_paired_with_an_ipynb(name: str) -> None:
    text = (NOTEBOOKS / f"{name}.py").read_text(encoding="utf-8")
    script = jupytext.reads(text, fmt="py:percent")
    kinds = [cell.cell_type for cell in script.cells]
    assert kinds[0] == "markdown" and kinds.count("code") >= 6
    assert "formats: ipynb,py:percent" in text
    paired = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    assert [(c.cell_type, c.source) for c in paired.cells] == \
        [(c.cell_type, c.source) for c in script.cells], \
        f"{name}.ipynb is out of date: run .venv/bin/jupytext --sync notebooks/*.py"


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_runs_offline_and_leaves_nothing_behind(name: str, kernel: Path) -> None:
    result = run(name, kernel)
    assert not [o for o in result.outputs if o.output_type == "error"]
    assert result.tables >= 3
    assert list(result.work.iterdir()) == []  # exports go to temporary folders


# -- what each shows ---------------------------------------------------------------------------
def test_the_quickstart_loads_validates_shows_and_exports(kernel: Path, atlas: Atlas) -> None:
    result = run("quickstart", kernel)
    assert f"{len(atlas.maps)} maps" in result.text
    assert re.search(r"^speerpunt_map \S+$", result.text, re.M)
    assert re.search(r"^0 errors, \d+ warnings$", result.text, re.M)
    layers = atlas.map("antwerpen/logistiek")
    assert f"antwerpen/logistiek (figure 13): {layers.counts}" in result.text
    assert "wrote antwerpen-logistiek.gpkg" in result.text
    assert f"points: {len(layers.points)} features" in result.text


def test_two_regions_shows_the_shared_sectors_the_data_gives(kernel: Path,
                                                              atlas: Atlas) -> None:
    result = run("two_regions", kernel)
    rows, limburg = _inventory(atlas), _limburg(atlas)
    kempen_chose = {r["sector"] for r in rows if r["region"] == "resoc-kempen"}
    limburg_chose = {r["sector"] for r in rows if r["region"] in limburg}
    assert result.listed("shared on the inventory basis:") == kempen_chose & limburg_chose
    assert result.listed("only RESOC Kempen (inventory):") == kempen_chose - limburg_chose
    listed = [{s.sector.id for s in atlas.maps.values() if {a.id for a in s.actors} & actors}
              for actors in ({"resoc-kempen"}, limburg)]
    assert result.listed("shared on the catalogue basis:") == listed[0] & listed[1]
    drawn = [{s.sector.id for m, s in atlas.maps.items() for f in
              (atlas.map(m).points, atlas.map(m).zones, atlas.map(m).links)
              if any(set(ids) & actors for ids in f["actor_ids"])}
             for actors in ({"resoc-kempen"}, limburg)]
    assert result.listed("shared on the drawn basis:") >= drawn[0] & drawn[1]
    assert "cleantech" in result.listed("shared sector groups (any basis):")


def test_two_regions_shows_the_cleantech_overlap_in_km2(kernel: Path, atlas: Atlas) -> None:
    result = run("two_regions", kernel)
    overlap = result.number(r"cleantech zones overlap: ([\d.]+) km²")
    # Measured here from the layers: Kempen's cleantech zones against Limburg's.
    def ground(map_id: str, actors: set[str]) -> shapely.Geometry:
        zones = atlas.map(map_id).zones
        zones = zones[[bool(set(ids) & actors) for ids in zones["actor_ids"]]]
        return shapely.union_all(zones.to_crs(METRIC_CRS).geometry.tolist())
    kempen = ground("antwerpen/cleantech", {"resoc-kempen"})
    limburg = ground("limburg/cleantech", _limburg(atlas))
    assert overlap >= 0
    assert overlap == pytest.approx(kempen.intersection(limburg).area / 1e6, abs=0.06)
    assert overlap <= min(kempen.area, limburg.area) / 1e6
    links = result.number(r"links between RESOC Kempen and Limburg: (\d+)")
    assert links >= 1  # annex 3: RESOC Kempen names a cleantech link to Limburg
    assert "wrote kempen-limburg-cleantech.gpkg with layers links, overlaps, sectors, zones" \
        in result.text
    assert result.images >= 1


def test_flanders_by_sector_counts_the_regions_of_every_basis(kernel: Path,
                                                              atlas: Atlas) -> None:
    result = run("flanders_by_sector", kernel)
    regions = {r["region"] for r in _inventory(atlas)}
    regions |= {a.id for s in atlas.maps.values() for a in s.actors}
    for map_id, spec in atlas.maps.items():
        for frame in (atlas.map(map_id).points, atlas.map(map_id).zones):
            regions |= {a for ids in frame["actor_ids"] for a in ids}
        links = atlas.map(map_id).links
        regions |= {a for ids in links["actor_ids"] for a in ids}
        if ((links["actor_ids"].map(len) == 0) & (links["link_from"] == "")).any():
            regions.add(spec.actors[0].id)
    assert result.number(r"(\d+) regions, \d+ sectors") == len(regions)
    cleantech = [atlas.map(m) for m, s in atlas.maps.items() if s.sector.overview == "cleantech"]
    counts = result.line("vlaanderen/cleantech ")
    assert f"'points': {sum(len(m.points) for m in cleantech)}" in counts
    assert re.search(r"wrote matrix\.xlsx with \d+ rows", result.text)
    assert result.images >= 1


def test_west_flanders_shows_what_zuid_west_vlaanderen_dropped_and_took_up(
        kernel: Path, atlas: Atlas) -> None:
    result = run("west_flanders_2013_2019", kernel)
    then = {r["sector"] for r in _inventory(atlas) if r["region"] == "resoc-zuidwest"}
    then |= {s.sector.id for s in atlas.maps.values()
             if "resoc-zuidwest" in {a.id for a in s.actors}}
    visions = load_atlas(REPO / "legends" / "visions", boundaries=atlas.boundaries)
    now = {s.sector.id for s in visions.maps.values() if s.period == "2019"
           and "resoc-zuidwest" in {a.id for a in s.actors}}
    assert now == {"creatieve-maakindustrie"}
    assert result.listed("sectors of 2013 (any basis):") >= then
    assert result.listed("new in 2019 (any basis):") == now - then
    assert result.listed("dropped by 2019 (any basis):") == \
        result.listed("sectors of 2013 (any basis):") - now
    assert result.number(r"ground named in both periods: ([\d.]+) km²") >= 0
    layers = combine_atlases(atlas, visions).map(
        "zuid-west-vlaanderen-2019/creatieve-maakindustrie")
    assert str(layers.counts) in result.text


def test_the_link_network_counts_the_links_leaving_flanders(kernel: Path,
                                                            atlas: Atlas) -> None:
    result = run("link_network", kernel)
    links = atlas_links(atlas)
    assert result.number(r"(\d+) links on \d+ maps") == \
        sum(len(atlas.map(m).links) for m in atlas.maps)
    leaving = result.number(r"(\d+) links leave Flanders")
    assert leaving == int(links["leaves_flanders"].sum())
    # At least every link to a gazetteer place abroad leaves Flanders.
    places = atlas.gazetteer.places
    abroad = sum(1 for m in atlas.maps for kind, end in zip(
        atlas.map(m).links["to_kind"], atlas.map(m).links["to_id"], strict=True)
        if kind == "place" and places.loc[end, "country"] != "BE")
    assert abroad <= leaving
    assert "wrote links.gpkg with layers leaving_flanders, links" in result.text
    assert result.images >= 1
