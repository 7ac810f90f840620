"""The ETL's commands of the ``wijkbeeld`` command line: ``etl``, ``publish``, ``demo`` and ``status``.

The ``wijkbeeld`` entry point (:func:`dashboard.cli.main`) joins them with the dashboard's commands; the ETL
never imports the dashboard.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from etl.errors import LoadError, PublishError, SchemaVersionError
from etl.lock import Busy
from etl.progress import Progress

DEFAULT_DATA_DIR = Path("data/build")
# a user's mistake, a busy lock or a database of another release: one line and exit 1, no traceback
ERRORS = (LoadError, PublishError, SchemaVersionError, Busy)
EMPTY_HELP = ("a file with a header but no rows empties the table; without --leeg such a file is refused (an "
              "interrupted download or a wrong export looks like that)")


def data_dir_default() -> Path:
    return Path(os.environ.get("WIJKBEELD_DATA_DIR") or DEFAULT_DATA_DIR)


# what every command says it is doing: plain lines on standard error, with progress bars when that is a terminal
progress = Progress()


def common_options() -> argparse.ArgumentParser:
    """The options of every command, as a parent parser: they work before and after the command's name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="where the working and published files live (default: $WIJKBEELD_DATA_DIR or ./data/build)")
    return common


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    """Add the ETL's commands to ``commands`` (an ``add_subparsers()`` result); :data:`COMMANDS` runs them."""
    etl = commands.add_parser("etl", help="load a source into the working database", parents=[common])
    jobs = etl.add_subparsers(dest="job", required=True, metavar="JOB")
    boundaries = jobs.add_parser("boundaries", parents=[common],
                                 help="Wijk- en buurtkaart: PDOK download (--year) or a local .gpkg/.geojson/.shp (--file)")
    boundaries.add_argument("--file", type=Path, help="a local .gpkg, .geojson or .shp")
    boundaries.add_argument("--year", type=int, help="indeling year; without --file, downloads that year from PDOK")
    kerncijfers = jobs.add_parser("kerncijfers", parents=[common],
                                  help="CBS Kerncijfers wijken en buurten: OData table (--table) or recorded TypedDataSet JSON (--file)")
    source = kerncijfers.add_mutually_exclusive_group(required=True)
    source.add_argument("--table", help="e.g. 85984NED")
    source.add_argument("--file", type=Path)
    kerncijfers.add_argument("--year", type=int, help="data year, when the file does not tell")
    health = jobs.add_parser("health", parents=[common],
                             help="RIVM Gezondheid per wijk en buurt: OData (--table 50120NED) or a .csv/.xlsx export (--file)")
    source = health.add_mutually_exclusive_group(required=True)
    source.add_argument("--table")
    source.add_argument("--file", type=Path)
    update = jobs.add_parser("update", parents=[common],
                             help="boundaries, every kerncijfers year and the RIVM table of one or more gemeenten (or "
                                  "the whole country), skipping what is loaded unchanged, resuming an interrupted "
                                  "update, then one publish")
    update.add_argument("--gemeente", action="append", metavar="GM0150[,GM…]",
                        help="a gemeente's code; repeat it or separate codes with commas (default: the whole country)")
    update.add_argument("--jaren", metavar="2019-2025",
                        help="a year or a range of years (default: every year etl/indicators.toml has a table for)")
    update.add_argument("--no-publish", action="store_true",
                        help="load only; publish later (e.g. after the initiatives and the wijkagenda)")
    initiatives = jobs.add_parser("initiatives", parents=[common],
                                  help="initiatives from a .csv, .xlsx or .geojson (template: data/demo/initiatieven.csv)")
    initiatives.add_argument("--file", type=Path, required=True)
    initiatives.add_argument("--leeg", action="store_true", help=EMPTY_HELP)
    agenda = jobs.add_parser("agenda", parents=[common],
                             help="the wijkagenda and its progress from a .xlsx (template: data/demo/wijkagenda.xlsx) "
                                  "or a .csv with <stem>_voortgang.csv beside it, merged into the agenda store")
    agenda.add_argument("--file", type=Path, required=True)
    agenda.add_argument("--leeg", action="store_true", help=EMPTY_HELP)
    agenda.add_argument("--vervang", action="store_true",
                        help="import even where the file undoes edits made in the dashboard since the last import "
                             "(each one is recorded in the history as replaced); without it such an import is "
                             "refused, naming every edit")
    eigen = jobs.add_parser("eigen", parents=[common],
                            help="the gemeente's own figures per gemeente, wijk or buurt and year, from a .xlsx with "
                                 "a sheet 'indicatoren' declaring them (template: data/demo/eigen_cijfers.xlsx) "
                                 "or a .csv with <stem>_indicatoren.csv beside it")
    eigen.add_argument("--file", type=Path, required=True)

    publish = commands.add_parser("publish", parents=[common], help="build and atomically swap in the published files")
    publish.add_argument("--agenda-only", action="store_true",
                         help="only the wijkagenda as it stands in the agenda store, into a new version that reuses "
                              "everything else of the published one (seconds; run every 30 s by a timer)")
    commands.add_parser("demo", parents=[common], help="load the embedded demo (fictional Voorbeeldstad) and publish")
    commands.add_parser("status", parents=[common], help="what is loaded: years, levels, indicators, etl_runs")


def cmd_etl(args) -> int:
    from etl import jobs

    if args.job == "update":
        return cmd_update(args)
    if args.job == "boundaries":
        if args.file is None and args.year is None:
            raise LoadError("give --file PATH or --year YYYY")
        result = jobs.load_boundaries(args.data_dir, file=args.file, year=args.year, progress=progress)
    elif args.job == "kerncijfers":
        result = jobs.load_kerncijfers(args.data_dir, file=args.file, table=args.table, year=args.year,
                                       progress=progress)
    elif args.job == "health":
        result = jobs.load_health(args.data_dir, file=args.file, table=args.table, progress=progress)
    elif args.job == "initiatives":
        result = jobs.load_initiatives(args.data_dir, file=args.file, progress=progress, empty_ok=args.leeg)
    elif args.job == "eigen":
        result = jobs.load_eigen(args.data_dir, file=args.file, progress=progress)
    else:
        result = jobs.load_agenda(args.data_dir, file=args.file, progress=progress, empty_ok=args.leeg,
                                  replace_edits=args.vervang)
    jobs.report(result, progress)
    return 0


def cmd_update(args) -> int:
    from etl.catalog import load_catalog
    from etl.update import parse_gemeenten, parse_years
    from etl.update_run import run_update

    gemeenten = parse_gemeenten(args.gemeente)
    years = parse_years(args.jaren, load_catalog())
    run_update(args.data_dir, gemeenten, years, progress=progress, publish=not args.no_publish)
    return 0


def cmd_publish(args) -> int:
    if args.agenda_only:
        return publish_agenda_only(args.data_dir)
    from etl.catalog import load_catalog
    from etl.publish import publish

    result = publish(args.data_dir, load_catalog(), progress=progress)
    if result.status == "unchanged":
        progress(f"nothing changed since version {result.version}; published files left as they are")
    return 0


def publish_agenda_only(data_dir: Path) -> int:
    """``publish --agenda-only``, run by a timer: quiet when nothing changed, and a busy data directory is no error
    (the job that holds it publishes the agenda too, or the next run does)."""
    from etl.wijkagenda.publish import publish_agenda

    try:
        result = publish_agenda(data_dir, progress=progress)
    except Busy:
        progress("the data directory is busy with another wijkbeeld job; the agenda is published after it")
        return 0
    if result.status == "unchanged":
        progress(f"the agenda has not changed since version {result.version}")
    return 0


def cmd_demo(args) -> int:
    from etl.demo import load_demo

    load_demo(args.data_dir, progress=progress)
    return 0


def cmd_status(args) -> int:
    from etl.status import status_report

    print(status_report(args.data_dir))
    return 0


COMMANDS = {"etl": cmd_etl, "publish": cmd_publish, "demo": cmd_demo, "status": cmd_status}
