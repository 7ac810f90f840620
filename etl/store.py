"""The working DuckDB file: opening it with the spatial extension, and its schema."""
from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).with_name("sql")
WORKING_DB = "wijkbeeld.duckdb"


@cache
def spatial_extension_path() -> str:
    """Path of the spatial extension shipped by ``duckdb-extension-spatial`` (no download)."""
    spec = importlib.util.find_spec("duckdb_extension_spatial")
    root = Path(spec.submodule_search_locations[0])
    found = next(root.glob(f"extensions/v{duckdb.__version__}/spatial.duckdb_extension"), None)
    if found is None:
        raise RuntimeError(f"no spatial extension for duckdb {duckdb.__version__} under {root}")
    return str(found)


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file with spatial loaded and lon/lat (x/y) axis order."""
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    con.execute(f"LOAD '{spatial_extension_path()}'")
    con.execute("SET geometry_always_xy = true")
    return con


def sql(name: str) -> str:
    """The text of ``etl/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text()


def open_working(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the working database and make sure its schema exists."""
    data_dir.mkdir(parents=True, exist_ok=True)
    con = connect(data_dir / WORKING_DB)
    con.execute(sql("schema"))
    con.execute(sql("migrations/002_catalogue"))  # CATALOGUE-MIGRATION: until the migration runner is in main
    return con
