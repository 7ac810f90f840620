"""The benchmark's verdict (bench/verdict.py): each budget is absolute, or a ratio to a reference measured in the
same run; a figure whose reference is missing gets no verdict rather than a made-up one."""
from bench.verdict import BUDGETS, REPORTED, at_most, better, failed, table, within

GOOD = {"first_draw_s": 1.2, "floor_first_draw_s": 1.0, "naive_first_draw_s": 4.0, "repaint_s": 0.02,
        "naive_repaint_s": 0.9, "geometry_gzip_bytes": 3_400_000, "naive_geometry_gzip_bytes": 17_400_000,
        "public_first_view_bytes": 550_000, "phone_first_view_s": 3.0, "desktop_first_view_s": 1.6,
        "callback_p95_ms_1": 10.0, "callback_p95_ms_64": 29.0, "errors": 0, "etl_publish_s": 90.0,
        "etl_publish_9_s": 50.0, "etl_peak_rss_mb": 2000.0, "value_update_bytes": 4_000,
        "repaint_after_figures_ms": 20.0}


def verdicts(results: dict, key: str) -> list[str]:
    return [line.split()[-1] for line in table(results).splitlines() if line.split()[0] == key]


def test_every_budget_met():
    assert failed(GOOD) == []
    assert verdicts(GOOD, "first_draw_s") == ["yes", "yes"]      # ≤ 1.3× the floor, ≥ 3× faster than naive


def test_within_a_multiple_of_the_reference():
    budget = within("first_draw_s", "floor_first_draw_s", 1.3)
    assert budget.bound(GOOD) == 1.3
    assert budget.met(GOOD | {"first_draw_s": 1.31}) is False
    assert verdicts(GOOD | {"first_draw_s": 1.31}, "first_draw_s") == ["NO", "yes"]   # still 3.05× faster
    assert verdicts(GOOD | {"first_draw_s": 1.34, "floor_first_draw_s": 1.04}, "first_draw_s") == ["yes", "NO"]


def test_better_than_the_naive_baseline():
    budget = better("repaint_s", "naive_repaint_s", 30.0)
    assert budget.met(GOOD) is True                      # 45× faster
    assert budget.met(GOOD | {"repaint_s": 0.04}) is False    # 22.5×
    assert "≥ 30× better than naive_repaint_s" in table(GOOD)


def test_absolute_budgets():
    assert failed(GOOD | {"repaint_after_figures_ms": 40.0}) == ["repaint_after_figures_ms ≤ 33.3 ms"]
    assert at_most("errors", 0).met(GOOD | {"errors": 3}) is False
    assert failed(GOOD | {"public_first_view_bytes": 650_000}) == ["public_first_view_bytes ≤ 600.0 KB"]
    assert failed(GOOD | {"etl_publish_s": 121.0, "etl_publish_9_s": 61.0}) == ["etl_publish_s ≤ 120.000 s"]


def test_missing_reference_gets_no_verdict():
    results = {k: v for k, v in GOOD.items() if k != "callback_p95_ms_1"}
    assert within("callback_p95_ms_64", "callback_p95_ms_1", 3.0).met(results) is None
    assert verdicts(results, "callback_p95_ms_64") == ["–"]
    assert failed(results) == []


def test_every_key_of_the_issue_is_in_the_table():
    keys = {b.key for b in BUDGETS} | {b.reference for b in BUDGETS if b.reference} | set(REPORTED)
    assert {"first_draw_s", "floor_first_draw_s", "naive_first_draw_s", "repaint_s", "naive_repaint_s",
            "geometry_gzip_bytes", "naive_geometry_gzip_bytes", "public_first_view_bytes", "phone_first_view_s",
            "desktop_first_view_s", "callback_p95_ms_1", "callback_p95_ms_64", "errors", "etl_publish_s",
            "etl_peak_rss_mb", "etl_publish_9_s", "staff_file_bytes"} <= keys
