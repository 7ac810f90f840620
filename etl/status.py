"""``wijkbeeld status``: what the working database holds and what is published."""
from __future__ import annotations

from pathlib import Path

from etl.publish import current_version
from etl.store import WORKING_DB, check_schema_version, connect, latest_schema_version


def agenda_lines(data_dir: Path) -> list[str]:
    """The wijkagenda store: what it holds, its last change, and whether that is published."""
    from etl.publish import PUBLISHED, read_manifest
    from etl.wijkagenda import store

    if not store.store_path(data_dir).exists():
        return ["wijkagenda store: none yet (made by the first agenda import or publish)"]
    con = store.connect(data_dir)
    try:
        items, updates, identity = len(store.items(con)), len(store.updates(con)), store.store_id(con)
        last = con.execute("SELECT id, at, who, action FROM changes ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    manifest = read_manifest(data_dir / PUBLISHED)
    published = manifest.get("agenda_stand") if manifest.get("agenda_store") == identity else None
    lines = [f"wijkagenda store: {items} items, {updates} current progress updates ({store.store_path(data_dir)})"]
    if last:
        state = "published" if published == last["id"] else "not yet published (wijkbeeld publish --agenda-only)"
        lines.append(f"  last change #{last['id']} {last['at']} by {last['who']} ({last['action']}): {state}")
    return lines


def status_report(data_dir: Path) -> str:
    working = data_dir / WORKING_DB
    if not working.exists():
        return f"nothing loaded yet in {data_dir} (try: wijkbeeld demo)"
    con = connect(working, read_only=True)
    try:
        version, latest = check_schema_version(con), latest_schema_version()
        upgrade = f" (the next load or publish migrates it to {latest})" if version < latest else ""
        lines = [f"data directory: {data_dir}", f"schema version: {version}{upgrade}",
                 f"published version: {current_version(data_dir) or 'none'}", "",
                 "regions (indeling year, level, count):"]
        for year, level, count in con.execute(
                "SELECT year, level, count(*) FROM regions GROUP BY ALL ORDER BY year, level").fetchall():
            lines.append(f"  {year}  {level:<9} {count:>7,}")
        lines += ["", "indicators (years with data, observations, of which suppressed/missing):"]
        for row in con.execute(
                "SELECT i.id, i.theme, string_agg(DISTINCT o.year::VARCHAR, ',' ORDER BY o.year::VARCHAR), "
                "count(o.code), count(o.code) FILTER (WHERE o.status IN ('suppressed', 'missing')) "
                "FROM indicators i LEFT JOIN observations o ON o.indicator_id = i.id "
                "GROUP BY ALL ORDER BY i.theme, i.id").fetchall():
            lines.append(f"  {row[0]:<18} {row[1]:<12} {row[2] or '-':<30} {row[3]:>8,} {row[4]:>8,}")
        lines += ["", *agenda_lines(data_dir), "", "last ETL runs:"]
        for row in con.execute(
                "SELECT run_id, job, status, rows_in, rows_out, finished, source, message FROM etl_runs "
                "ORDER BY run_id DESC LIMIT 15").fetchall():
            lines.append(f"  #{row[0]:<4} {row[1]:<12} {row[2]:<9} in {row[3] or 0:>8,} out {row[4] or 0:>8,}  "
                         f"{row[5]:%Y-%m-%d %H:%M}  {row[6]}")
            if row[2] == "failed" and row[7]:
                lines.append(f"        {row[7].splitlines()[0][:200]}")
        return "\n".join(lines)
    finally:
        con.close()
