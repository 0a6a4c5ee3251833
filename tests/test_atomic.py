"""Atomic output: a file is absent, the complete old one or the complete new one — also when
a build is killed (SIGKILL) at any moment, and when two builds write into one folder at once.

The kill test runs builds in a child process that has loaded the atlas once and forks a fresh
build for each moment: killed by itself at a chosen point of the write protocol (half-way
through writing a file, just before or just after a rename) or by its parent after a delay.
After each kill the folder is copied and checked, and a next build into the copy must succeed
and leave nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from speerpunt_map import Atlas, OutputError
from speerpunt_map._io import LOCK, MANIFEST, OutputFolder, atomic_path, is_temporary, write_text
from speerpunt_map.build import build_atlas

from .conftest import subprocess_env

MAPS = ["antwerpen/zorg", "oost-vlaanderen/ict"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs(folder: Path) -> dict[str, bytes]:
    """The files a user sees: everything but hidden files (manifest, lock, temporaries)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


# -- atomic_path -------------------------------------------------------------------------------
def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        assert is_temporary(temporary) and temporary.name.startswith(".")
        assert temporary.parent == tmp_path and temporary.suffix == ".html"
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("the writer broke")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_the_file_is_flushed_before_the_rename(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import speerpunt_map._io as io_module

    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(io_module.os, "fsync", lambda fd: events.append("fsync")
                        or real_fsync(fd))
    monkeypatch.setattr(io_module.os, "replace", lambda a, b: events.append("replace")
                        or real_replace(a, b))
    write_text(tmp_path / "a.html", "new")
    assert events == ["fsync", "replace", "fsync"]  # the file, the rename, the folder


def test_no_overwrite_holds_even_against_a_file_that_appears_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    with pytest.raises(OutputError, match="exists"), \
            atomic_path(target, overwrite=False) as temporary:
        temporary.write_text("ours", encoding="utf-8")
        target.write_text("theirs", encoding="utf-8")  # written by someone else just now
    assert target.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_temporaries_of_killed_builds_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)
    (tmp_path / "antwerpen").mkdir()
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"antwerpen/zorg.html": []}}),
                                     encoding="utf-8")
    (tmp_path / "limburg").mkdir()  # no file of it in the manifest yet
    stale = [tmp_path / f".index.{dead}.abc_123.part.html",
             tmp_path / "antwerpen" / f".zorg.{dead}.x1y2z3.part.html",
             tmp_path / "limburg" / f".bouw.{dead}.q_q_q_.part.svg",
             tmp_path / f"..speerpunt-map-manifest.{dead}.zzz.part.json"]
    running = tmp_path / f".index.{os.getppid()}.k9k9k9.part.html"
    mine = tmp_path / ".notes.txt"
    for path in [*stale, running, mine]:
        path.write_text("<!DOCTYPE html><html>", encoding="utf-8")
    assert all(is_temporary(p) for p in [*stale, running]) and not is_temporary(mine)
    OutputFolder(tmp_path)
    assert [p.exists() for p in [*stale, running, mine]] == [False] * len(stale) + [True, True]


# -- kill -9 -----------------------------------------------------------------------------------
# The child: load once, then fork one build per moment; report how each ended.
DRIVER = textwrap.dedent("""\
    import json, os, shutil, signal, sys, time
    from pathlib import Path
    import speerpunt_map._io as io_module
    from speerpunt_map import load_atlas
    from speerpunt_map.build import build_atlas
    from speerpunt_map.interactive import html_from_layers

    old, work, snapshots = (Path(p) for p in sys.argv[1:4])
    moments = json.loads(sys.argv[4])
    maps = json.loads(sys.argv[5])
    atlas = load_atlas()
    html_from_layers(atlas.map(maps[0]))  # load templates and Leaflet before forking

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def arm(kind, n):
        count = [0]
        real_open, real_replace = open, os.replace
        if kind == "half":  # the n-th file written: half of it, then killed
            class Half:
                def __init__(self, handle): self.handle = handle
                def __enter__(self): return self
                def __exit__(self, *exc): self.handle.close()
                def __getattr__(self, name): return getattr(self.handle, name)
                def write(self, data):
                    count[0] += 1
                    if count[0] == n:
                        self.handle.write(data[: len(data) // 2]); self.handle.flush(); die()
                    return self.handle.write(data)
            io_module.open = lambda *a, **k: Half(real_open(*a, **k))
        elif kind in ("before", "after"):  # just before / after the n-th rename
            def replace(a, b):
                count[0] += 1
                if kind == "before" and count[0] == n: die()
                real_replace(a, b)
                if kind == "after" and count[0] == n: die()
            os.replace = replace

    report = []
    for i, (kind, value) in enumerate(moments):
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(old, work)
        pid = os.fork()
        if pid == 0:
            try:
                if kind != "timer":
                    arm(kind, value)
                build_atlas(atlas, work, ids=maps, language="en")
            finally:
                os._exit(0)
        if kind == "timer":
            time.sleep(value)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        shutil.copytree(work, snapshots / str(i))
        report.append([kind, value, killed])
    print(json.dumps(report))
""")
# File writes per build: 4 outputs (2 maps, matrix CSV and HTML, index: 5) plus a manifest
# each; renames likewise. "half" 1 is the first map's page, 2 the manifest that records it.
MOMENTS = [["half", 1], ["half", 2], ["before", 1], ["before", 2], ["after", 2],
           ["before", 6], ["after", 9], ["timer", 0.03], ["timer", 0.08]]


@pytest.fixture(scope="module")
def references(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A complete Dutch build (the old files) and a complete English one (the new)."""
    old, new = tmp_path_factory.mktemp("old"), tmp_path_factory.mktemp("new")
    build_atlas(atlas, old, ids=MAPS)
    build_atlas(atlas, new, ids=MAPS, language="en")
    assert set(_outputs(old)) == set(_outputs(new))
    assert all(_outputs(old)[n] != _outputs(new)[n] for n in _outputs(old))
    return old, new


def _check_folder(folder: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Every output is absent, the complete old file or the complete new one; the manifest is
    whole and knows every output's content; temporaries are hidden and listed nowhere."""
    outputs = _outputs(folder)
    assert set(outputs) <= set(old)
    for name, data in outputs.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
        if name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    for name in outputs:
        assert hashlib.sha256(outputs[name]).hexdigest() in manifest[name], name
    temporaries = [p for p in folder.rglob("*") if is_temporary(p)]
    index = outputs.get("index.html", b"").decode("utf-8")
    for path in temporaries:
        assert path.name.startswith(".")
        assert path.relative_to(folder).as_posix() not in manifest
        assert path.name not in index


def test_a_build_killed_at_any_moment_leaves_whole_files(atlas: Atlas, references,
                                                          tmp_path: Path) -> None:
    old_folder, new_folder = references
    old, new = _outputs(old_folder), _outputs(new_folder)
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(old_folder), str(tmp_path / "work"), str(snapshots),
         json.dumps(MOMENTS), json.dumps(MAPS)],
        capture_output=True, text=True, env=subprocess_env(), timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert [r[2] for r in report[:7]] == [True] * 7, report  # every chosen moment was reached
    states = set()
    for i, (kind, value, _) in enumerate(report):
        folder = snapshots / str(i)
        _check_folder(folder, old, new)
        states.add(tuple(n for n, d in _outputs(folder).items() if d == new[n]))
        # The next build finds every file its own, cleans up, and completes.
        result = build_atlas(atlas, folder, ids=MAPS, language="en")
        assert result.failed == [], (kind, value, result.failed)
        assert _outputs(folder) == new, (kind, value)
        assert not [p for p in folder.rglob("*") if is_temporary(p)], (kind, value)
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        assert manifest == {n: [hashlib.sha256(d).hexdigest()] for n, d in new.items()}
    # The kills fell at different points: from nothing new yet to some files new.
    assert len(states) >= 3, states


# -- two builds at once ------------------------------------------------------------------------
def test_two_builds_into_one_folder_at_once(references, tmp_path: Path) -> None:
    old_folder, new_folder = references
    old, new = _outputs(old_folder), _outputs(new_folder)
    folder = tmp_path / "one-folder"
    command = [sys.executable, "-m", "speerpunt_map.cli", "build", *[f"--map={m}" for m in MAPS],
               "-o", str(folder)]
    runs = [subprocess.Popen([*command, f"--language={language}"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=subprocess_env())
            for language in ("nl", "en")]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    outputs = _outputs(folder)
    assert set(outputs) == set(old)
    for name, data in outputs.items():  # each file whole: one build's or the other's
        assert data in (old[name], new[name]), name
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert set(manifest) == set(outputs)
    for name, data in outputs.items():
        assert hashlib.sha256(data).hexdigest() in manifest[name], name
    assert not [p for p in folder.rglob("*") if is_temporary(p)]
    assert {p.name for p in folder.iterdir() if p.name.startswith(".")} == {LOCK, MANIFEST}


def test_a_killed_build_leaves_no_file_the_next_build_refuses(atlas: Atlas, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """The window between recording a file and renaming it: the manifest already lists both
    the old and the new content, so either is known to be the build's own."""
    build_atlas(atlas, tmp_path, ids=MAPS[:1])
    page = tmp_path / "antwerpen" / "zorg.html"
    old = _sha(page)

    class Killed(BaseException):
        pass

    real_replace = os.replace

    def replace(a: str, b: str) -> None:
        if Path(b) == page:
            raise Killed  # stands for SIGKILL: nothing after this line runs
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Killed):
        build_atlas(atlas, tmp_path, ids=MAPS[:1], language="en")
    monkeypatch.setattr(os, "replace", real_replace)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert old in manifest["antwerpen/zorg.html"] and len(manifest["antwerpen/zorg.html"]) == 2
    assert _sha(page) == old
    assert build_atlas(atlas, tmp_path, ids=MAPS[:1], language="en").failed == []
    assert _sha(page) != old
