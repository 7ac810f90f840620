"""Run ``wijkbeeld`` in a child process that SIGKILLs itself right after its N-th SQL statement.

Every connection ``etl.store.connect`` opens counts its statements (``execute`` and ``executemany``). Right after
statement N has run, its first line is written to the report file and the process kills itself with SIGKILL: no
``finally``, no ``close``, no checkpoint, as when the kernel or an operator kills a job. A run with fewer than N
statements finishes normally and leaves the report empty. Killing after statement 1, 2, 3, … reaches every point
between two statements (after an id is taken, after COMMIT, …) without knowing what the code does.

The children are forked from a ``forkserver`` that has imported the ETL once, so a kill costs a load, not a
Python start-up.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import dashboard.cli
import etl.jobs
import etl.load
import etl.publish
import etl.sources.kerncijfers  # noqa: F401 (imported once by the forkserver, not by every child)
from etl import store


class KillingConnection:
    """A DuckDB connection that kills the process after the statement numbered ``kill_after`` (over all)."""

    count = 0

    def __init__(self, con, kill_after: int, report: Path):
        self._con, self._kill_after, self._report = con, kill_after, report

    def _tick(self, query: str) -> None:
        KillingConnection.count += 1
        if KillingConnection.count == self._kill_after:
            self._report.write_text(query.strip().splitlines()[0][:200])
            os.kill(os.getpid(), signal.SIGKILL)

    def execute(self, query, *args, **kwargs):
        result = self._con.execute(query, *args, **kwargs)
        self._tick(query)
        return result

    def executemany(self, query, *args, **kwargs):
        result = self._con.executemany(query, *args, **kwargs)
        self._tick(query)
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def _child(kill_after: int, report: Path, argv: list[str]) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    connect = store.connect
    store.connect = lambda *a, **k: KillingConnection(connect(*a, **k), kill_after, report)
    raise SystemExit(dashboard.cli.main(argv))


def wijkbeeld_killed_after(statement: int, argv: list[str], report: Path, timeout: float = 120) -> tuple[int, str]:
    """Run ``wijkbeeld argv``, killed after its SQL statement number ``statement``: its exit status (``-9`` when
    killed) and the statement it was killed after (empty when it finished first)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    report.write_text("")
    child = context.Process(target=_child, args=(statement, report, argv))
    child.start()
    child.join(timeout)
    if child.exitcode is None:
        child.kill()
        child.join()
        raise TimeoutError(f"wijkbeeld {' '.join(argv)} took over {timeout} s")
    return child.exitcode, report.read_text()
