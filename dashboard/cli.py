"""The ``wijkbeeld`` command line: the ETL's commands (:mod:`etl.cli`) and the dashboard's ``serve``, ``user``
and ``export public-map``, in one parser. The dashboard may import the ETL, never the other way round."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard import users
from etl import cli as etl_cli
from etl.cli import progress


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    """Add the dashboard's commands to ``commands`` (an ``add_subparsers()`` result); :data:`COMMANDS` runs them."""
    serve = commands.add_parser("serve", parents=[common], help="start the dashboard")
    serve.add_argument("--public", action="store_true", help="the public, read-only map of the public file")
    serve.add_argument("--host", help="address to listen on (default: $WIJKBEELD_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $WIJKBEELD_PORT or 8050)")
    serve.add_argument("--workers", type=int, help="gunicorn worker processes (default: $WIJKBEELD_WORKERS or 2 a core)")
    export = commands.add_parser("export", help="write published data somewhere else")
    export_commands = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    public_map = export_commands.add_parser("public-map", parents=[common],
                                            help="a static public map (index.html + Leaflet) for any web server")
    public_map.add_argument("--out", type=Path, required=True, help="the folder to write (replaced if an earlier export)")
    public_map.add_argument("--indicator", action="append", metavar="ID",
                            help="an indicator to draw (repeat for more; default: the featured ones of every theme)")
    user = commands.add_parser("user", help="staff logins and their roles for wijkbeeld serve")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    users.add_arguments(user_commands)


def cmd_serve(args) -> int:
    # each command imports what it runs when it runs: `wijkbeeld etl …` loads neither Dash nor folium
    from dashboard.serve import SettingsError, serve, settings_from_command_line

    try:
        settings = settings_from_command_line(args, os.environ)
    except SettingsError as error:
        progress(f"wijkbeeld: error: {error}")
        return 2
    return serve(settings, progress=progress)


def cmd_user(args) -> int:
    return users.run(args, progress)


def cmd_export(args) -> int:
    from dashboard.static_export import export_public_map

    export_public_map(args.data_dir, args.out, progress=progress, chosen=args.indicator)
    return 0


COMMANDS = {"serve": cmd_serve, "user": cmd_user, "export": cmd_export}


def parser() -> argparse.ArgumentParser:
    common = etl_cli.common_options()
    top = argparse.ArgumentParser(prog="wijkbeeld", description="Neighbourhood dashboard: CBS data per wijk and buurt.",
                                  parents=[common])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    etl_cli.add_commands(commands, common)
    add_commands(commands, common)
    return top


def main(argv: list[str] | None = None) -> int:
    """The ``wijkbeeld`` console script."""
    args = parser().parse_args(argv)
    args.data_dir = (getattr(args, "data_dir", None) or etl_cli.data_dir_default()).resolve()
    command = {**etl_cli.COMMANDS, **COMMANDS}[args.command]
    try:
        return command(args)
    except etl_cli.ERRORS as error:
        print(f"wijkbeeld: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wijkbeeld: interrupted; nothing was published", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
