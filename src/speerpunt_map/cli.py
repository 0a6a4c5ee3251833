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
from typing import TYPE_CHECKING

from ._errors import LegendError, Problem, SpeerpuntError
from .options import COLUMN_NAMES, BoundaryOptions, check_crs_text

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["main"]

log = logging.getLogger("speerpunt_map")



class _UsageError(Exception):
    """A wrong command line found after parsing (an unknown map, scope or sector): exit 2."""


def _columns(text: str) -> dict[str, str]:
    """``refnis=NISCODE,name_nl=NAAM`` → a column mapping."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        ours, equals, theirs = (item.strip() for item in part.partition("="))
        if not equals or not ours or not theirs:
            raise argparse.ArgumentTypeError(
                f"{part.strip()!r}: expected ours=theirs, e.g. refnis=NISCODE,name_nl=NAAM")
        if ours not in COLUMN_NAMES:
            raise argparse.ArgumentTypeError(
                f"{ours!r}: expected one of {', '.join(COLUMN_NAMES)} before the '='")
        if ours in mapping:
            raise argparse.ArgumentTypeError(f"{ours!r} is given twice")
        mapping[ours] = theirs
    if "refnis" not in mapping:
        raise argparse.ArgumentTypeError("the mapping needs refnis=<the file's REFNIS column>")
    return mapping


def _crs(text: str) -> str:
    """A CRS pyproj knows (``EPSG:31370``), checked on the command line."""
    try:
        return check_crs_text(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _formats(text: str) -> list[str]:
    """``html,pdf`` → the output formats, each one known."""
    from .build import FORMATS

    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a comma-separated list of {', '.join(FORMATS)}")
    return formats


def _add_boundary_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("boundaries")
    group.add_argument("--boundaries", metavar="FILE",
                       help="a municipality boundary file (any format GDAL reads); default: the "
                            "SPEERPUNT_MAP_BOUNDARIES environment variable, else the shipped "
                            "2019 municipalities")
    group.add_argument("--layer", help="the layer of a multi-layer boundary file")
    group.add_argument("--columns", type=_columns, metavar="MAP",
                       help="column names of the boundary file, e.g. refnis=NISCODE,name_nl=NAAM")
    group.add_argument("--crs", type=_crs,
                       help="the CRS of a boundary file that states none, e.g. EPSG:31370")
    group.add_argument("--vintage", type=int, choices=(2013, 2019, 2025),
                       help="the municipality vintage of the boundary file (detected otherwise)")
    group.add_argument("--allow-virtual-paths", action="store_true", dest="allow_virtual",
                       help="also open a URL, a GDAL virtual path (/vsicurl/…) or a VRT file as "
                            "the boundary file (off: only local files are opened)")


def _boundary_options(args: argparse.Namespace) -> BoundaryOptions:
    """Boundary options: the command line over the config file (the environment variable
    SPEERPUNT_MAP_BOUNDARIES applies when neither names a file)."""
    workspace = _workspace(args)
    config = args.config or (workspace.config if workspace is not None else None)
    options = BoundaryOptions.from_config(config)
    return options.replace(layer=getattr(args, "layer", None),
                           columns=getattr(args, "columns", None),
                           crs=getattr(args, "crs", None), vintage=getattr(args, "vintage", None),
                           path=getattr(args, "boundaries", None),
                           allow_virtual=True if getattr(args, "allow_virtual", False) else None)


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
    export.add_argument("output", type=Path,
                        help="a .gpkg (QGIS), .csv or .xlsx (spreadsheets) file")
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
    build.add_argument("--format", dest="formats", default=["html"], type=_formats,
                       help="comma-separated: html, png, pdf, svg (default: html)")
    build.add_argument("--language", choices=("nl", "en"), default="nl",
                       help="labels of the maps (default: nl)")
    build.add_argument("--online", action="store_true",
                       help="link Leaflet from a CDN and offer background tiles; the maps then "
                            "need a network to open")
    build.add_argument("--overwrite", action="store_true",
                       help="replace files in the output folder that speerpunt-map did not write")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="draw every map anew instead of reusing one drawn earlier from the "
                            "same files (the cache is in SPEERPUNT_MAP_CACHE or "
                            "~/.cache/speerpunt_map)")
    build.add_argument("--allow-rejected", action="store_true",
                       help="exit 0 even when rows could not be drawn (the maps still show a "
                            "notice for each)")
    _add_boundary_options(build)

    matrix = commands.add_parser("matrix", help="the region × sector inventory as CSV and "
                                                "an HTML heat map")
    matrix.add_argument("-o", "--output", type=Path, default=Path("output"),
                        help="the folder for matrix.csv and matrix.html (default: ./output)")
    matrix.add_argument("--language", choices=("nl", "en"), default="nl")
    matrix.add_argument("--catalogue", type=Path,
                        help="the matrix of this catalogue's maps (default: the workspace's; "
                             "else the report's inventory)")
    matrix.add_argument("--overwrite", action="store_true",
                        help="replace files in the output folder that speerpunt-map did not write")

    _add_compare_parser(commands)

    template = commands.add_parser("template", help="write an empty XLSX legend to fill in")
    template.add_argument("output", type=Path, help="the .xlsx file to write")
    template.add_argument("--overwrite", action="store_true", help="replace an existing file")
    _add_workspace_options(parser, commands)
    return parser


def _add_workspace_options(parser: argparse.ArgumentParser,
                           commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``init DIR``, and ``--workspace DIR`` before or after any command."""
    init = commands.add_parser("init", help="create a workspace of your own: a folder with a "
                                            "config file, a catalogue, an example table, "
                                            "places.csv, zones.csv and a README")
    init.add_argument("folder", type=Path, help="the folder to create")
    init.add_argument("--force", action="store_true",
                      help="also write into a folder that holds other files (no file is ever "
                           "replaced)")
    help_text = ("a workspace folder (made by `speerpunt-map init`): its catalogue, places and "
                 "zones are used with the shipped data (default: the working folder, when its "
                 "speerpunt-map.toml has a [workspace] table)")
    parser.add_argument("--workspace", type=Path, metavar="DIR", help=help_text)
    for command in commands.choices.values():
        command.add_argument("--workspace", type=Path, metavar="DIR", help=help_text,
                             default=argparse.SUPPRESS)


def _workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace of this run: ``--workspace DIR``, else the working folder if it is one."""
    from .workspace import find_workspace

    if "_workspace" not in vars(args):
        args._workspace = find_workspace(getattr(args, "workspace", None))
    found: Workspace | None = args._workspace
    return found


_COMPARE_HELP = """\
A and B are each
  a map id            antwerpen/logistiek, zuid-west-vlaanderen-2019/creatieve-maakindustrie:
                      that map as it is, compared as its province in its period and sector;
  REGION[:SECTOR][@PERIOD]
                      an actor (resoc-kempen, "RESOC Limburg") or a province (limburg), with
                      an optional sector (resoc-kempen:cleantech) and period
                      (resoc-zuidwest@2013): the rows credited to the region, from every map.
The report's maps (2013) and the vision maps of legends/visions (2019, c. 2013, c. 2016) are
both read, so one region can be shown in two periods. An unknown map, region or sector is a
usage error (exit 2) that names the closest ones.

examples:
  speerpunt-map compare antwerpen/logistiek limburg/logistiek
  speerpunt-map compare resoc-kempen resoc-limburg --sector cleantech
  speerpunt-map compare resoc-zuidwest@2013 resoc-zuidwest@2019 --language en
"""


def _add_compare_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare", help="two maps side by side, synchronised, with the comparison beneath",
        description="Write one offline page: two maps side by side that pan and zoom "
                    "together, and the comparison table beneath (sectors in common and only "
                    "in one per basis, points / zones / links per sector, zone overlap in "
                    "km², links between the two).",
        epilog=_COMPARE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("a", metavar="A", help="a map id or REGION[:SECTOR][@PERIOD]")
    compare.add_argument("b", metavar="B", help="a map id or REGION[:SECTOR][@PERIOD]")
    compare.add_argument("-o", "--output", type=Path, metavar="FILE",
                         help="the .html file to write (default: compare-<A>-<B>.html)")
    compare.add_argument("--sector", dest="sectors", action="append", default=[],
                         help="compare and draw only this sector (repeatable), e.g. cleantech")
    compare.add_argument("--basis", dest="bases", action="append", default=[],
                         choices=("inventory", "catalogue", "drawn", "any"),
                         help="list the sectors on this basis (repeatable; default: all four)")
    compare.add_argument("--language", choices=("nl", "en"), default="nl",
                         help="labels of the page (default: nl)")
    compare.add_argument("--online", action="store_true",
                         help="link Leaflet from a CDN and offer background tiles; the page "
                              "then needs a network to open")
    compare.add_argument("--catalogue", type=Path,
                         help="a catalogue.toml (default: shipped); the maps of a visions/ "
                              "folder beside it are read too")
    compare.add_argument("--overwrite", action="store_true", help="replace an existing file")
    _add_boundary_options(compare)


def _compare(args: argparse.Namespace) -> int:
    import re

    from ._compare_sides import check_sides, parse_side, sides_sectors
    from .atlas import load_atlas
    from .side_by_side import comparison_atlas, side_by_side

    output = args.output or Path(
        "compare-" + "-".join(re.sub(r"[^\w.-]+", "_", s) for s in (args.a, args.b)) + ".html")
    if output.suffix.lower() not in (".html", ".htm"):
        raise _UsageError(f"-o {output}: expected an .html file")
    atlas = comparison_atlas(load_atlas(args.catalogue, boundary_options=_boundary_options(args),
                                        workspace=_workspace(args)))
    try:  # an unknown map, region or sector is a wrong command line
        sides = [parse_side(atlas, side, args.language) for side in (args.a, args.b)]
        check_sides(*sides)
        sides_sectors(atlas, sides, args.sectors)
    except (KeyError, ValueError) as error:
        raise _UsageError(error.args[0] if error.args else str(error)) from None
    view = side_by_side(args.a, args.b, sector=args.sectors, atlas=atlas,
                        language=args.language, basis=args.bases or None, online=args.online)
    view.save(output, overwrite=args.overwrite)
    print(f"wrote {output}")
    print(repr(view.comparison))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        return int(_COMMANDS[args.command](args) or 0)
    except _UsageError as error:
        if args.debug:
            raise
        parser.print_usage(sys.stderr)
        print(f"speerpunt-map: error: {error}", file=sys.stderr)
        return 2
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
    except Exception as error:  # a bug, or a library failing on input we did not foresee
        if args.debug:
            raise
        print(f"speerpunt-map: error: {type(error).__name__}: {error} (run again with --debug "
              "for the traceback, and please report it)", file=sys.stderr)
        return 1


def _print_problems(problems: list[Problem], *, warnings: bool,
                    notes: Sequence[str] = ()) -> None:
    shown = [p for p in problems if warnings or p.severity == "error"]
    for problem in shown:
        print(problem, file=sys.stderr)
    for note in notes:
        print(note, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warned = len(problems) - errors
    print(f"{errors} error(s), {warned} warning(s)", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from .legend import read_legend, validate
    from .resources import Resources

    workspace = _workspace(args)
    resources = Resources.load(workspace=workspace)
    vocabulary, gazetteer = resources.vocabulary, resources.gazetteer
    problems: list[Problem] = []
    summaries: list[str] = [f"override: {line}" for line in resources.overrides]
    default = workspace.catalogue if workspace is not None else None
    for path in list(args.paths) or [default]:
        own = _workspace_folder(path)
        if own is not None:
            # A workspace folder named: its catalogue, with its own places and vocabulary.
            mine = Resources.load(workspace=own)
            summaries += [f"override: {line}" for line in mine.overrides]
            problems += validate([own.catalogue], vocabulary=mine.vocabulary,
                                 gazetteer=mine.gazetteer)
            problems += _tables_of_bad_entries(own.catalogue, mine)
            continue
        if path is None or path.is_dir() or path.suffix.lower() == ".toml":
            problems += validate([path] if path is not None else None, vocabulary=vocabulary,
                                 gazetteer=gazetteer)
            if path is not None:
                problems += _tables_of_bad_entries(path, resources)
            continue
        # A table the user names: say how it was read and what became of every row.
        legend = read_legend(path, vocabulary=vocabulary, gazetteer=gazetteer)
        problems += legend.problems
        if legend.read_as and not args.verbose:  # with -v, read_legend logs it
            summaries.append(legend.summary())
    _print_problems(problems, warnings=args.warnings, notes=summaries)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _workspace_folder(path: Path | None) -> Workspace | None:
    """The workspace a ``validate`` path names (a folder with a workspace config), if any."""
    from .workspace import find_workspace

    if path is None or not path.is_dir() or not (path / "speerpunt-map.toml").is_file():
        return None
    try:
        return find_workspace(path)
    except SpeerpuntError:
        return None  # a config without [workspace]: validated as a legends folder


def _tables_of_bad_entries(path: Path, resources: object) -> list[Problem]:
    """The problems of the tables named by catalogue entries that are themselves invalid
    (``validate`` reads the tables of valid entries already)."""
    from .catalogue import catalogue_tables, read_catalogue
    from .legend import read_legend

    file = path / "catalogue.toml" if path.is_dir() else path
    vocabulary = resources.vocabulary  # type: ignore[attr-defined]
    gazetteer = resources.gazetteer  # type: ignore[attr-defined]
    valid = {spec.table for spec in read_catalogue(file, vocabulary=vocabulary).maps.values()}
    problems: list[Problem] = []
    for table in catalogue_tables(file):
        if table not in valid:
            problems += read_legend(table, vocabulary=vocabulary, gazetteer=gazetteer).problems
    return problems


def _list(args: argparse.Namespace) -> int:
    from .atlas import load_atlas

    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args),
                       workspace=_workspace(args))
    header: list[object] = ["id", "scope", "sector", "figure", "points", "zones", "links",
                            "rejected"]
    rows: list[list[object]] = []
    for map_id, spec in atlas.maps.items():
        counts = atlas.map(map_id, strict=False).counts
        rows.append([map_id, spec.scope, spec.sector.id, spec.figure or "", counts["points"],
                     counts["zones"], counts["links"], counts["rejected"]])
    if args.markdown:
        print("| figure | province | sector | points | zones | links | map id |")
        print("| ---: | --- | --- | ---: | ---: | ---: | --- |")
        for map_id, spec in atlas.maps.items():
            shown = rows[list(atlas.maps).index(map_id)]
            scope = atlas.vocabulary.scopes[spec.scope].name_nl.removeprefix("provincie ")
            sector = spec.sector_as_printed or spec.sector.label_nl
            print(f"| {shown[3]} | {scope} | {sector} | {shown[4]} | {shown[5]} | {shown[6]} | "
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
    from ._io import refuse_own_inputs
    from .atlas import load_atlas

    suffix = args.output.suffix.lower()
    if suffix not in (".gpkg", ".csv", ".xlsx"):
        raise _UsageError(f"{args.output}: expected a .gpkg, .csv or .xlsx file")
    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args),
                       workspace=_workspace(args))
    _check_selection(atlas, ids=[args.map_id], option="map id")
    layers = (atlas.overview(args.map_id) if args.map_id.startswith("vlaanderen/")
              and args.map_id not in atlas.maps else atlas.map(args.map_id))
    # The catalogue too is an input (the layers' own inputs are refused by their writers).
    refuse_own_inputs([args.output], {atlas.catalogue.path: "the catalogue"})
    if suffix == ".gpkg":
        layers.to_gpkg(args.output, overwrite=args.overwrite)
    elif suffix == ".xlsx":
        layers.to_xlsx(args.output, overwrite=args.overwrite)
    else:
        layers.to_csv(args.output, overwrite=args.overwrite)
    print(f"wrote {args.output}")
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from .atlas import load_atlas
    from .compare import write_matrix

    # In a workspace (or with --catalogue), the matrix of the maps of that catalogue.
    workspace = _workspace(args)
    atlas = load_atlas(args.catalogue, workspace=workspace) \
        if workspace is not None or args.catalogue is not None else None
    for path in write_matrix(args.output, language=args.language, overwrite=args.overwrite,
                             atlas=atlas):
        print(f"wrote {path}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from .resources import Resources
    from .template import write_template

    if args.output.suffix.lower() != ".xlsx":
        raise _UsageError(f"{args.output}: expected an .xlsx file (the template is a workbook)")
    vocabulary = Resources.load(workspace=_workspace(args)).vocabulary
    write_template(args.output, overwrite=args.overwrite, vocabulary=vocabulary)
    print(f"wrote {args.output}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from .workspace import init_workspace

    written = init_workspace(args.folder, force=args.force)
    for path in written:
        print(f"wrote {path}")
    print(f"Your workspace is {args.folder}: cd into it, then `speerpunt-map validate` and "
          "`speerpunt-map build -o output` (see its README.md)")
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

    atlas = load_atlas(args.catalogue, boundary_options=_boundary_options(args),
                       workspace=_workspace(args))
    _check_selection(atlas, ids=args.ids, scopes=args.scopes, sectors=args.sectors)
    result = build_atlas(atlas, args.output, ids=args.ids, scopes=args.scopes,
                         sectors=args.sectors, formats=args.formats, language=args.language,
                         online=args.online, overwrite=args.overwrite, debug=args.debug,
                         progress=_Progress(), cache=args.cache)
    for failed in result.failed:
        print(f"speerpunt-map: map {failed.map_id} failed: {failed.error}", file=sys.stderr)
    for map_id, notice in result.not_drawn:
        print(f"{map_id}: {notice}", file=sys.stderr)
    print(result.summary())
    if result.not_drawn and not args.allow_rejected:
        print(f"speerpunt-map: {len(result.not_drawn)} row(s) not drawn (each map says which; "
              "fix them, or pass --allow-rejected to accept the maps as they are)",
              file=sys.stderr)
    return 1 if result.failed or (result.not_drawn and not args.allow_rejected) else 0


def _check_selection(atlas: object, *, ids: Sequence[str] = (), scopes: Sequence[str] = (),
                     sectors: Sequence[str] = (), option: str = "--map") -> None:
    """Unknown map ids, scopes and sectors are a wrong command line (exit 2), not an empty
    build."""
    import difflib

    known_ids = [*atlas.maps, *atlas.overview_ids()]  # type: ignore[attr-defined]
    vocabulary = atlas.vocabulary  # type: ignore[attr-defined]
    for map_id in ids:
        if map_id not in known_ids:
            close = difflib.get_close_matches(map_id, known_ids, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else \
                "; see `speerpunt-map list`"
            raise _UsageError(f"{option} {map_id}: no such map{hint}")
    for scope in scopes:
        if scope not in vocabulary.scopes:
            raise _UsageError(f"--scope {scope}: expected one of "
                              f"{', '.join(sorted(vocabulary.scopes))}")
    for sector in sectors:
        if vocabulary.sector(sector) is None:
            raise _UsageError(f"--sector {sector}: no such sector; known: "
                              f"{', '.join(sorted(vocabulary.sectors))}")


_COMMANDS = {"validate": _validate, "list": _list, "export": _export, "template": _template,
             "build": _build, "matrix": _matrix, "compare": _compare,
             "init": _init}


if __name__ == "__main__":
    sys.exit(main())
