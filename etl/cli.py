"""The ``wijkbeeld`` command line: ETL jobs, publish, demo, serve and status."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl.errors import LoadError, PublishError
from etl.lock import Busy

DEFAULT_DATA_DIR = Path("data/build")


def data_dir_default() -> Path:
    return Path(os.environ.get("WIJKBEELD_DATA_DIR") or DEFAULT_DATA_DIR)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="where the working and published files live (default: $WIJKBEELD_DATA_DIR or ./data/build)")
    top = argparse.ArgumentParser(prog="wijkbeeld", description="Neighbourhood dashboard: CBS data per wijk and buurt.",
                                  parents=[common])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
    initiatives = jobs.add_parser("initiatives", parents=[common],
                                  help="initiatives from a .csv, .xlsx or .geojson (template: data/demo/initiatieven.csv)")
    initiatives.add_argument("--file", type=Path, required=True)
    agenda = jobs.add_parser("agenda", parents=[common],
                             help="the wijkagenda and its progress from a .xlsx (template: data/demo/wijkagenda.xlsx) "
                                  "or a .csv with <stem>_voortgang.csv beside it")
    agenda.add_argument("--file", type=Path, required=True)

    commands.add_parser("publish", parents=[common], help="build and atomically swap in the published files")
    commands.add_parser("demo", parents=[common], help="load the embedded demo (fictional Voorbeeldstad) and publish")
    serve = commands.add_parser("serve", parents=[common], help="start the dashboard")
    serve.add_argument("--public", action="store_true", help="the public, read-only map of the public file")
    serve.add_argument("--host", help="address to listen on (default: $WIJKBEELD_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $WIJKBEELD_PORT or 8050)")
    serve.add_argument("--workers", type=int, help="gunicorn worker processes (default: $WIJKBEELD_WORKERS or 2 a core)")
    commands.add_parser("status", parents=[common], help="what is loaded: years, levels, indicators, etl_runs")
    export = commands.add_parser("export", help="write published data somewhere else")
    export_commands = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    public_map = export_commands.add_parser("public-map", parents=[common],
                                            help="a static public map (index.html + Leaflet) for any web server")
    public_map.add_argument("--out", type=Path, required=True, help="the folder to write (replaced if an earlier export)")
    user = commands.add_parser("user", help="staff logins for wijkbeeld serve")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add or replace a user in a users file (password hashed)")
    add.add_argument("name")
    add.add_argument("--file", type=Path, required=True, help="the users file (WIJKBEELD_USERS_FILE)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    bench = commands.add_parser("bench", help="the national benchmark (see bench/README.md)")
    steps = bench.add_subparsers(dest="step", required=True, metavar="STEP")
    generate = steps.add_parser("generate", help="write a synthetic NL (~14,800 buurten) in the real input formats")
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--seed", type=int, default=2024)
    run = steps.add_parser("run", help="load, publish, serve and measure it; prints a table, writes bench/results.json")
    run.add_argument("--data", type=Path, default=Path("data/bench-input"), help="what bench generate wrote")
    run.add_argument("--quick", action="store_true", help="fewer runs and a shorter load test")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.data_dir = (getattr(args, "data_dir", None) or data_dir_default()).resolve()
    try:
        return COMMANDS[args.command](args)
    except (LoadError, PublishError, Busy) as error:
        print(f"wijkbeeld: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wijkbeeld: interrupted; nothing was published", file=sys.stderr)
        return 130


def cmd_etl(args) -> int:
    from etl import jobs

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
        result = jobs.load_initiatives(args.data_dir, file=args.file, progress=progress)
    else:
        result = jobs.load_agenda(args.data_dir, file=args.file, progress=progress)
    jobs.report(result, progress)
    return 0


def cmd_publish(args) -> int:
    from etl.catalog import load_catalog
    from etl.publish import publish

    result = publish(args.data_dir, load_catalog(), progress=progress)
    if result.status == "unchanged":
        progress(f"nothing changed since version {result.version}; published files left as they are")
    return 0


def cmd_demo(args) -> int:
    from etl.demo import load_demo

    load_demo(args.data_dir, progress=progress)
    return 0


def cmd_serve(args) -> int:
    from dashboard.serve import SettingsError, serve, settings_from_command_line

    try:
        settings = settings_from_command_line(args, os.environ)
    except SettingsError as error:
        progress(f"wijkbeeld: error: {error}")
        return 2
    return serve(settings, progress=progress)


def cmd_status(args) -> int:
    from etl.status import status_report

    print(status_report(args.data_dir))
    return 0


def cmd_user(args) -> int:
    from dashboard.users import add_user

    return add_user(args.file, args.name, args.password_stdin, progress)


def cmd_export(args) -> int:
    from dashboard.static_export import export_public_map

    export_public_map(args.data_dir, args.out, progress=progress)
    return 0


def cmd_bench(args) -> int:
    if args.step == "generate":
        from etl.bench.generate import generate

        generate(args.out, seed=args.seed, progress=progress)
        return 0
    from etl.bench.run import run

    return run(args.data, quick=args.quick, progress=progress)


COMMANDS = {"bench": cmd_bench, "export": cmd_export, "user": cmd_user, "etl": cmd_etl, "publish": cmd_publish, "demo": cmd_demo, "serve": cmd_serve, "status": cmd_status}

if __name__ == "__main__":
    sys.exit(main())
