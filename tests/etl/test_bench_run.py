"""The benchmark's verdict: a figure is within budget only when it meets its own budget and, where one is set,
its ratio to the naive baseline of the same run."""
from bench.run import table

GOOD = {"first_draw_s": 1.2, "naive_first_draw_s": 2.4, "geometry_gzip_bytes": 3_400_000,
        "naive_geometry_gzip_bytes": 17_400_000, "errors": 0}


def verdict(results: dict, key: str) -> str:
    line = next(line for line in table(results).splitlines() if line.startswith(key))
    return line.split()[-1]


def test_within_budget_and_ratio():
    assert verdict(GOOD, "first_draw_s") == "yes"
    assert verdict(GOOD, "geometry_gzip_bytes") == "yes"
    assert "2.00×" in table(GOOD)


def test_fast_enough_but_not_enough_faster_than_naive_is_no():
    results = GOOD | {"first_draw_s": 1.274, "naive_first_draw_s": 2.25}   # 1.77×
    assert verdict(results, "first_draw_s") == "NO"
    assert "1.77×" in table(results)


def test_over_budget_is_no_whatever_the_ratio():
    assert verdict(GOOD | {"first_draw_s": 1.6, "naive_first_draw_s": 9.0}, "first_draw_s") == "NO"
    assert verdict(GOOD | {"errors": 3}, "errors") == "NO"
