"""The benchmark's budgets and the table ``make bench`` prints: every budget with its reference and its verdict.

Most budgets are ratios to a reference measured in the same run (the floor page, the naive page, one client,
today's 9-indicator ETL), so they hold on a slower or busier machine as well as on a fast one; a few are
absolute (bytes, memory, errors).
"""
from __future__ import annotations

from dataclasses import dataclass


FRAME_MS = 1000 / 60      # one animation frame at 60 Hz


@dataclass(frozen=True)
class Budget:
    """``key`` ≤ ``limit``; or ``key`` ≤ ``times`` × ``reference`` (``within``); or ``reference`` ≥ ``times`` ×
    ``key`` (``better``: the reference is that many times slower or larger)."""
    key: str
    kind: str                    # "at_most" | "within" | "better"
    limit: float | None = None
    reference: str | None = None
    times: float | None = None

    def bound(self, results: dict) -> float | None:
        """The largest value of ``key`` that meets the budget in these results (None: its reference is missing)."""
        if self.kind == "at_most":
            return self.limit
        ref = results.get(self.reference)
        if ref is None:
            return None
        return self.times * ref if self.kind == "within" else ref / self.times

    def met(self, results: dict) -> bool | None:
        ours, bound = results.get(self.key), self.bound(results)
        if ours is None or bound is None:
            return None
        return ours <= bound

    def says(self) -> str:
        if self.kind == "at_most":
            return f"≤ {fmt(self.key, self.limit)}"
        if self.kind == "within":
            return f"≤ {self.times:g}× {self.reference}"
        return f"≥ {self.times:g}× better than {self.reference}"


def at_most(key: str, limit: float) -> Budget:
    return Budget(key, "at_most", limit=limit)


def within(key: str, reference: str, times: float) -> Budget:
    return Budget(key, "within", reference=reference, times=times)


def better(key: str, reference: str, times: float) -> Budget:
    return Budget(key, "better", reference=reference, times=times)


BUDGETS = (
    within("first_draw_s", "floor_first_draw_s", 1.3),
    better("first_draw_s", "naive_first_draw_s", 3.0),
    better("repaint_s", "naive_repaint_s", 30.0),
    at_most("repaint_after_figures_ms", 2 * FRAME_MS),
    better("geometry_gzip_bytes", "naive_geometry_gzip_bytes", 5.0),
    at_most("value_update_bytes", 50_000),
    at_most("public_first_view_bytes", 600_000),
    within("phone_first_view_s", "desktop_first_view_s", 2.0),
    within("callback_p95_ms_64", "callback_p95_ms_1", 3.0),
    at_most("errors", 0),
    within("etl_publish_s", "etl_publish_9_s", 2.0),
    at_most("etl_publish_s", 120.0),
    at_most("etl_peak_rss_mb", 4096.0),
    at_most("nginx_files_errors", 0),
    at_most("nginx_callback_errors", 0),
    at_most("nginx_files_publishing_errors", 0),
    at_most("nginx_callback_publishing_errors", 0),
)
# measured and shown, without a budget of their own; the floor page's own first view of the gemeente, on the
# desktop and as a phone, shows what the phone's budget asks of the bare minimum a browser does; the canvas
# first draw, what the floor's file costs drawn without a Leaflet layer per region (bench/canvas.py)
REPORTED = ("floor_first_draw_s", "canvas_first_draw_s", "naive_first_draw_s", "naive_repaint_s", "repaint_new_s",
            "repaint_new_after_answer_ms", "naive_geometry_gzip_bytes",
            "desktop_first_view_s", "floor_desktop_first_view_s", "floor_phone_first_view_s", "callback_p95_ms_1",
            "callback_p95_ms_64_back_to_back", "requests_per_s", "etl_publish_9_s", "staff_file_bytes")


def fmt(key: str, value) -> str:
    if value is None:
        return "–"
    if key.endswith("bytes"):
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} KB"
    if key.endswith("_per_s"):
        return f"{value:,.1f}/s"
    if key.endswith("_s"):
        return f"{value:.3f} s"
    if "_ms" in key:
        return f"{value:.1f} ms"
    if key.endswith("_mb"):
        return f"{value:,.0f} MB"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def table(results: dict, budgets=BUDGETS, reported=REPORTED) -> str:
    """One line per budget (measured, budget, the reference's value, the bound it sets, verdict), then the
    figures reported without a budget."""
    rows = [("figure", "measured", "budget", "reference", "bound", "ok")]
    for budget in budgets:
        met = budget.met(results)
        rows.append((budget.key, fmt(budget.key, results.get(budget.key)), budget.says(),
                     fmt(budget.reference, results.get(budget.reference)) if budget.reference else "",
                     fmt(budget.key, budget.bound(results)), "–" if met is None else ("yes" if met else "NO")))
    rows += [(key, fmt(key, results.get(key)), "", "", "", "") for key in reported]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) if i in (0, 2) else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows)


def failed(results: dict, budgets=BUDGETS) -> list[str]:
    """The budgets not met (a missing figure is not a failure: it is shown as –)."""
    return [f"{b.key} {b.says()}" for b in budgets if b.met(results) is False]
