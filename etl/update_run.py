"""``wijkbeeld etl update``: run the plan's steps (``etl/update.py``) one by one, then publish once.

Each step is an ordinary job and commits on its own; a source loaded before with the same content is not loaded
again (``etl_runs``), so a second update with nothing new at the sources loads nothing and says so per step. Which
steps of the current update are done is kept in ``<data dir>/update-state.json`` (written after each step, removed
when the update has finished): after a failure or an interruption the same update, run again, skips them without
asking the sources again. Publishing happens only when every step succeeded; a failed step stops the update with
its name and the address that failed, and leaves the published files as they are.
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from etl import jobs
from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.lock import data_dir_lock
from etl.progress import meter
from etl.sources.odata import shown_url
from etl.update import Step, plan_key, plan_steps

STATE_FILE = "update-state.json"
UPDATE_LOCK = ".wijkbeeld-update.lock"


@dataclass
class UpdateResult:
    """Step names by what happened to them, and the publish (None when not asked for)."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    published: object = None


def run_update(data_dir: Path, gemeenten: list[str], years: list[int], progress=print,
               publish: bool = True) -> UpdateResult:
    """Load the boundaries, kerncijfers and RIVM figures of ``gemeenten`` (none: the whole country) for ``years``,
    then publish (unless ``publish`` is false). A failed step raises :class:`LoadError` naming it."""
    catalog = load_catalog()
    steps = plan_steps(gemeenten, years, catalog)
    key = plan_key(gemeenten, steps)
    result = UpdateResult()
    with data_dir_lock(data_dir, wait=False, name=UPDATE_LOCK, holder="wijkbeeld etl update"):
        state = read_state(data_dir, key)
        what = ", ".join(gemeenten) if gemeenten else "the whole country"
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}"
        progress(f"update of {what}, {span}: {len(steps)} steps"
                 + (f"; resuming the update started {state['started']} ({len(state['done'])} steps done)"
                    if state["done"] else ""))
        with meter(progress, "update", total=len(steps), unit="steps", leave=True) as done:
            for number, step in enumerate(steps, start=1):
                label = f"step {number}/{len(steps)} {step.name}"
                done.update(0, note=step.name)
                if step.name in state["done"]:
                    progress(f"{label}: skipped, loaded by the update started {state['started']}")
                    result.resumed.append(step.name)
                else:
                    progress(f"{label}: …")
                    outcome = _run_step(data_dir, step, gemeenten, progress, label)
                    (result.unchanged if outcome.status == "unchanged" else result.loaded).append(step.name)
                    jobs.report(outcome, progress, label)
                    state["done"].append(step.name)
                    write_state(data_dir, state)
                done.update()
        _check_found(data_dir, gemeenten)
        progress(f"update: {len(result.loaded)} steps loaded, {len(result.unchanged)} unchanged"
                 + (f", {len(result.resumed)} done before" if result.resumed else ""))
        if publish:
            from etl.publish import publish as publish_version

            result.published = publish_version(data_dir, catalog, progress=progress)
            if result.published.status == "unchanged":
                progress(f"nothing changed since version {result.published.version}; published files left as "
                         "they are")
        clear_state(data_dir)
    return result


def _run_step(data_dir: Path, step: Step, gemeenten: list[str], progress, label: str):
    scope = gemeenten or None
    try:
        if step.kind == "boundaries":
            return jobs.load_boundaries(data_dir, year=step.year, progress=progress, gemeenten=scope)
        if step.kind == "kerncijfers":
            return jobs.load_kerncijfers(data_dir, table=step.table, year=step.year, progress=progress,
                                         gemeenten=scope)
        return jobs.load_health(data_dir, table=step.table, progress=progress, gemeenten=scope)
    except LoadError as error:
        problems = [dataclasses.replace(p, file=shown_url(str(p.file))) if p.file else p for p in error.problems]
        raise LoadError(f"{label} failed: {LoadError(problems=problems)}\nNothing was published. Run the same "
                        "update again to resume at this step (the steps before it are loaded).") from error


def _check_found(data_dir: Path, gemeenten: list[str]) -> None:
    """Every gemeente asked for is somewhere in the working database; a code no source knows is a mistake."""
    if not gemeenten:
        return
    from etl.store import open_working, sql

    with data_dir_lock(data_dir):
        con = open_working(data_dir)
        try:
            found = {code for code, in con.execute(sql("gemeenten_found"), [gemeenten, gemeenten]).fetchall()}
        finally:
            con.close()
    missing = [code for code in gemeenten if code not in found]
    if missing:
        raise LoadError(f"unknown gemeente {', '.join(missing)}: no source of the update has a region or figure of "
                        "it. Is the code right (e.g. GM0150 for Deventer)? Nothing was published.",
                        file="--gemeente")


# --- the record of the update in progress ----------------------------------------------------------------------

def read_state(data_dir: Path, key: str) -> dict:
    """The steps done by an unfinished update of the same plan; a fresh record otherwise."""
    path = data_dir / STATE_FILE
    try:
        state = json.loads(path.read_text())
        if state.get("plan") == key and isinstance(state.get("done"), list):
            return state
    except (OSError, ValueError):
        pass
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return {"plan": key, "started": started, "done": []}


def write_state(data_dir: Path, state: dict) -> None:
    """Complete or not at all: written aside and renamed."""
    path = data_dir / STATE_FILE
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(state, indent=1))
    os.replace(partial, path)


def clear_state(data_dir: Path) -> None:
    (data_dir / STATE_FILE).unlink(missing_ok=True)
