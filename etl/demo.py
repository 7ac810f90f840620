"""``wijkbeeld demo``: load the embedded demo inputs through the real loaders and publish them."""
from __future__ import annotations

from pathlib import Path

from etl import jobs
from etl.catalog import load_catalog
from etl.publish import publish

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def demo_files(demo_dir: Path = DEMO_DIR) -> dict[str, list[Path]]:
    files = {
        "boundaries": sorted(demo_dir.glob("wijkenbuurten_*.gpkg")),
        "kerncijfers": sorted((demo_dir / "kerncijfers").glob("*_TypedDataSet.json")),
        "health": sorted((demo_dir / "gezondheid").glob("*.csv")),
        "initiatives": sorted(demo_dir.glob("initiatieven.csv")),
        "agenda": sorted(demo_dir.glob("wijkagenda.xlsx")),
        "eigen": sorted(demo_dir.glob("eigen_cijfers.xlsx")),     # optional: not every gemeente has them
    }
    if not all(paths for kind, paths in files.items() if kind != "eigen"):
        raise FileNotFoundError(f"demo inputs incomplete in {demo_dir}; regenerate with: python -m tools.demo_inputs "
                                "&& python -m tools.demo_wijkagenda && python -m tools.demo_eigen")
    return files


def agenda_edited(data_dir: Path) -> bool:
    """Whether the agenda store has changes after the demo's own import: running the demo again keeps them."""
    from etl.wijkagenda import store

    if not store.store_path(data_dir).exists():
        return False
    con = store.connect(data_dir)
    try:
        return con.execute("SELECT count(*) FROM changes WHERE source != 'import'").fetchone()[0] > 0
    finally:
        con.close()


def load_demo(data_dir: Path, demo_dir: Path = DEMO_DIR, progress=print):
    """Load every demo input (each an ordinary ETL job) and publish."""
    files = demo_files(demo_dir)
    progress("demo: Voorbeeldstad is a fictional gemeente; its figures are generated")
    for path in files["boundaries"]:
        jobs.report(jobs.load_boundaries(data_dir, file=path, progress=progress), progress)
    # after the boundaries: initiatives are located in the buurten, agenda items checked against the wijken
    for path in files["initiatives"]:
        jobs.report(jobs.load_initiatives(data_dir, file=path, progress=progress), progress)
    if agenda_edited(data_dir):
        progress("agenda: kept as it stands in the agenda store (the demo agenda is loaded into an empty one)")
    else:
        for path in files["agenda"]:
            jobs.report(jobs.load_agenda(data_dir, file=path, progress=progress), progress)
    for path in files["kerncijfers"]:
        progress(f"kerncijfers: reading {path}")
        jobs.report(jobs.load_kerncijfers(data_dir, file=path, progress=progress), progress)
    for path in files["health"]:
        progress(f"health: reading {path}")
        jobs.report(jobs.load_health(data_dir, file=path, progress=progress), progress)
    for path in files["eigen"]:     # the gemeente's own figures, checked against the loaded boundaries
        jobs.report(jobs.load_eigen(data_dir, file=path, progress=progress), progress)
    return publish(data_dir, load_catalog(), progress=progress)
