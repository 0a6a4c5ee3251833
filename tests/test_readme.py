"""The README tells the truth: its table of maps is the data's, its commands exist."""

from __future__ import annotations

import contextlib
import io
import re

from speerpunt_map.cli import main

from .conftest import REPO


def test_maps_table_matches_the_data():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- maps:start -->")[1].split("<!-- maps:end -->")[0].strip()
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert main(["list", "--markdown"]) == 0
    assert shown == output.getvalue().strip(), (
        "README's table of maps is out of date: paste the output of "
        "`speerpunt-map list --markdown` between the maps:start/end markers")
    assert len(re.findall(r"^\| \d+ \|", shown, flags=re.M)) == 39


def test_readme_gives_the_three_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    setup = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'"
    tests = ".venv/bin/python -m pytest"
    for command in (setup, ".venv/bin/speerpunt-map build", tests):
        assert f"\n{command}\n" in readme
    # CI runs the README's set-up and test commands as written.
    assert setup in ci and tests in ci
