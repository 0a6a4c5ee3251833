"""The ``speerpunt-map`` command: validate, list, export, template, build, matrix.

A user's mistake ends in a message and exit code 1 (2 for a wrong command line), never in a
traceback, unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ._errors import LegendError, Problem, SpeerpuntError

__all__ = ["main"]

log = logging.getLogger("speerpunt_map")


def _columns(text: str) -> dict[str, str]:
    """``refnis=NISCODE,name_nl=NAAM`` → a column mapping."""
    mapping = {}
    for part in text.split(","):
        if "=" not in part:
            raise argparse.ArgumentTypeError(f"{part!r}: expected ours=theirs, e.g. refnis=NISCODE")
        ours, theirs = part.split("=", 1)
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _add_boundary_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("boundaries")
    group.add_argument("--boundaries", metavar="FILE", type=Path,
                       help="a municipality boundary file (any format GDAL reads); default: the "
                            "SPEERPUNT_MAP_BOUNDARIES environment variable, else the built-in "
                            "canton boundaries (approximate RESOC regions)")
    group.add_argument("--layer", help="the layer of a multi-layer boundary file")
    group.add_argument("--columns", type=_columns, metavar="MAP",
                       help="column names of the boundary file, e.g. refnis=NISCODE,name_nl=NAAM")
    group.add_argument("--crs", help="the CRS of a boundary file that states none, e.g. "
                                     "EPSG:31370")
    group.add_argument("--vintage", type=int, choices=(2013, 2019, 2025),
                       help="the municipality vintage of the boundary file (detected otherwise)")


_CONFIG_KEYS = {"path", "layer", "columns", "crs", "vintage"}


def _config(args: argparse.Namespace) -> dict[str, object]:
    """The ``[boundaries]`` table of the config file (``--config``, else ./speerpunt-map.toml)."""
    import tomllib

    from ._errors import BoundaryError

    path = args.config or Path("speerpunt-map.toml")
    if args.config is None and not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundaryError(f"{path}: no such config file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BoundaryError(f"{path}: not valid TOML ({error})") from None
    table = data.get("boundaries", {})
    unknown = set(data) - {"boundaries"} | set(table) - _CONFIG_KEYS
    if unknown or not isinstance(table, dict):
        raise BoundaryError(f"{path}: unknown setting(s) {sorted(unknown)}; expected a "
                            f"[boundaries] table with {sorted(_CONFIG_KEYS)}")
    options = dict(table)
    if "path" in options:
        # A relative path in the config file is relative to the config file.
        options["path"] = (path.parent / str(options["path"])).resolve()
    return options


def _boundary_options(args: argparse.Namespace) -> dict[str, object]:
    """Boundary options: the command line over the config file (the environment variable
    SPEERPUNT_MAP_BOUNDARIES applies when neither names a file)."""
    options: dict[str, object] = _config(args)
    for name in ("layer", "columns", "crs", "vintage"):
        if getattr(args, name, None) is not None:
            options[name] = getattr(args, name)
    if getattr(args, "boundaries", None) is not None:
        options["path"] = args.boundaries
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speerpunt-map",
        description="Maps of the spearhead sectors of Flanders from legend tables.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is done")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="a config file with a [boundaries] table (default: "
                             "./speerpunt-map.toml when present)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check legend tables and catalogues")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="catalogue.toml files, legend tables (CSV/XLSX), or folders with "
                               "a catalogue.toml (default: the shipped legends)")
    validate.add_argument("--warnings", action="store_true",
                          help="also list the warnings (documented exceptions of the source)")

    listing = commands.add_parser("list", help="list the maps of the catalogue with counts")
    listing.add_argument("--catalogue", type=Path, help="a catalogue.toml (default: shipped)")
    output_format = listing.add_mutually_exclusive_group()
    output_format.add_argument("--csv", action="store_true", help="CSV on standard output")
    output_format.add_argument("--markdown", action="store_true",
                               help="a Markdown table (as in the README)")
    _add_boundary_options(listing)

    export = commands.add_parser("export", help="write one map's layers to GeoPackage or CSV")
    export.add_argument("map_id", help="e.g. antwerpen/logistiek, or vlaanderen/logistiek")
    export.add_argument("output", type=Path, help="a .gpkg or .csv file")
    export.add_argument("--catalogue", type=Path, help="a catalogue.toml (default: shipped)")
    export.add_argument("--overwrite", action="store_true", help="replace an existing file")
    _add_boundary_options(export)

    build = commands.add_parser("build", help="build every map (the main job)")
    build.add_argument("--catalogue", type=Path, help="a catalogue.toml (default: shipped)")
    build.add_argument("-o", "--output", type=Path, default=Path("output"),
                       help="the output folder (default: ./output)")
    build.add_argument("--map", dest="ids", action="append", default=[], metavar="ID",
                       help="build only this map (repeatable), e.g. antwerpen/logistiek")
    build.add_argument("--scope", dest="scopes", action="append", default=[],
                       help="build only maps of this scope (repeatable), e.g. limburg")
    build.add_argument("--sector", dest="sectors", action="append", default=[],
                       help="build only maps of this sector (repeatable), e.g. zorg")
    build.add_argument("--format", dest="formats", default="html",
                       help="comma-separated: html, png, pdf, svg (default: html)")
    build.add_argument("--language", choices=("nl", "en"), default="nl",
                       help="labels of the maps (default: nl)")
    build.add_argument("--online", action="store_true",
                       help="link Leaflet from a CDN and offer background tiles; the maps then "
                            "need a network to open")
    build.add_argument("--overwrite", action="store_true",
                       help="replace files in the output folder that speerpunt-map did not write")
    _add_boundary_options(build)

    matrix = commands.add_parser("matrix", help="the region × sector inventory as CSV and "
                                                "an HTML heat map")
    matrix.add_argument("-o", "--output", type=Path, default=Path("output"),
                        help="the folder for matrix.csv and matrix.html (default: ./output)")
    matrix.add_argument("--language", choices=("nl", "en"), default="nl")

    template = commands.add_parser("template", help="write an empty XLSX legend to fill in")
    template.add_argument("output", type=Path, help="the .xlsx file to write")
    template.add_argument("--overwrite", action="store_true", help="replace an existing file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        return int(_COMMANDS[args.command](args) or 0)
    except LegendError as error:
        if args.debug:
            raise
        _print_problems(error.problems, warnings=False)
        return 1
    except (SpeerpuntError, KeyError, ValueError, OSError) as error:
        if args.debug:
            raise
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"speerpunt-map: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("speerpunt-map: interrupted", file=sys.stderr)
        return 130


def _print_problems(problems: list[Problem], *, warnings: bool) -> None:
    shown = [p for p in problems if warnings or p.severity == "error"]
    for problem in shown:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warned = len(problems) - errors
    print(f"{errors} error(s), {warned} warning(s)", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from .legend import validate

    problems = validate(list(args.paths) or None)
    _print_problems(problems, warnings=args.warnings)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _list(args: argparse.Namespace) -> int:
    from .atlas import load_atlas

    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args))
    header = ["id", "scope", "sector", "figure", "points", "zones", "links", "rejected"]
    rows = []
    for map_id, spec in atlas.maps.items():
        counts = atlas.map(map_id, strict=False).counts
        rows.append([map_id, spec.scope, spec.sector.id, spec.figure or "", counts["points"],
                     counts["zones"], counts["links"], counts["rejected"]])
    if args.markdown:
        print("| figure | province | sector | points | zones | links | map id |")
        print("| ---: | --- | --- | ---: | ---: | ---: | --- |")
        for map_id, spec in atlas.maps.items():
            row = rows[list(atlas.maps).index(map_id)]
            scope = atlas.vocabulary.scopes[spec.scope].name_nl.removeprefix("provincie ")
            sector = spec.sector_as_printed or spec.sector.label_nl
            print(f"| {row[3]} | {scope} | {sector} | {row[4]} | {row[5]} | {row[6]} | "
                  f"`{map_id}` |")
        return 0
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return 0
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} maps")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .atlas import load_atlas

    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args))
    layers = (atlas.overview(args.map_id) if args.map_id.startswith("vlaanderen/")
              and args.map_id not in atlas.maps else atlas.map(args.map_id))
    suffix = args.output.suffix.lower()
    if suffix == ".gpkg":
        layers.to_gpkg(args.output, overwrite=args.overwrite)
    elif suffix == ".csv":
        layers.to_csv(args.output, overwrite=args.overwrite)
    else:
        print(f"speerpunt-map: error: {args.output}: expected a .gpkg or .csv file",
              file=sys.stderr)
        return 2
    print(f"wrote {args.output}")
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from .compare import write_matrix

    for path in write_matrix(args.output, language=args.language):
        print(f"wrote {path}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from .template import write_template

    write_template(args.output, overwrite=args.overwrite)
    print(f"wrote {args.output}")
    return 0


class _Progress:
    """A one-line progress bar on a terminal; silent when standard error is not one."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()

    def __call__(self, done: int, total: int, current: str) -> None:
        if not self.active or not total:
            return
        width = 30
        filled = round(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {done}/{total} {current:<40.40}", end="", file=sys.stderr,
              flush=True)
        if done == total:
            print(file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .atlas import load_atlas
    from .build import build_atlas

    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args))
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    result = build_atlas(atlas, args.output, ids=args.ids, scopes=args.scopes,
                         sectors=args.sectors, formats=formats, language=args.language,
                         online=args.online, overwrite=args.overwrite, debug=args.debug,
                         progress=_Progress())
    for failed in result.failed:
        print(f"speerpunt-map: map {failed.map_id} failed: {failed.error}", file=sys.stderr)
    for item in result.maps:
        if item.counts.get("rejected"):
            print(f"{item.map_id}: {item.counts['rejected']} row(s) left out (run "
                  "`speerpunt-map validate`)", file=sys.stderr)
    print(result.summary())
    return 1 if result.failed else 0


_COMMANDS = {"validate": _validate, "list": _list, "export": _export, "template": _template,
             "build": _build, "matrix": _matrix}


if __name__ == "__main__":
    sys.exit(main())
