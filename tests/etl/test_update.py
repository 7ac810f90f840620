"""``wijkbeeld etl update`` against a local stand-in for PDOK and CBS OData serving recorded responses (the demo's
inputs, in the services' shapes, see tests/etl/cbs_services.py): loads, skips, fails half-way and resumes."""
from __future__ import annotations

import json
import os

import pytest

from dashboard.cli import main
from etl.store import connect
from etl.update_run import STATE_FILE
from tests.conftest import tree_checksums
from tests.etl.cbs_services import serve_cbs

YEARS = [2023, 2024]
STEPS = 5     # boundaries and kerncijfers of two years, the RIVM table


def other_gemeente(rows_of_gm9999: list[dict]) -> list[dict]:
    """The GM9999 row of a table as if it were GM0150's: the service has more than the gemeente asked for."""
    row = next(r for r in rows_of_gm9999 if r["WijkenEnBuurten"].strip() == "GM9999")
    return [{**row, "ID": 999999, "WijkenEnBuurten": "GM0150    "}]


@pytest.fixture
def services(odata_server, monkeypatch):
    from tests.etl.cbs_services import DEMO

    recorded = json.loads((DEMO / "kerncijfers" / "85984NED_TypedDataSet.json").read_text())["value"]
    serve_cbs(odata_server, monkeypatch, YEARS, page_size=25, extra_rows={"85984NED": other_gemeente(recorded)})
    return odata_server


def update(data_dir, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "etl", "update", *args])
    return code, capsys.readouterr().err


def runs(data_dir) -> list[tuple]:
    con = connect(data_dir / "wijkbeeld.duckdb", read_only=True)
    try:
        return con.execute("SELECT job, source, status FROM etl_runs ORDER BY run_id").fetchall()
    finally:
        con.close()


def observed_codes(data_dir) -> set[str]:
    con = connect(data_dir / "wijkbeeld.duckdb", read_only=True)
    try:
        return {code for code, in con.execute("SELECT DISTINCT code FROM observations").fetchall()}
    finally:
        con.close()


def versions(data_dir) -> list[str]:
    return sorted(p.name for p in (data_dir / "versions").iterdir() if not p.name.startswith("."))


def feed_requests(server, table: str) -> list[str]:
    return [path for path, _ in server.requests if f"/odata/{table}/TypedDataSet" in path]


class TestFullUpdate:
    def test_loads_boundaries_kerncijfers_and_rivm_of_the_gemeente_and_publishes_once(self, services, tmp_path,
                                                                                         capsys):
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023-2024")

        assert code == 0, err
        assert [(job, status) for job, _, status in runs(tmp_path)] == [
            ("boundaries", "ok"), ("kerncijfers", "ok"), ("boundaries", "ok"), ("kerncijfers", "ok"),
            ("health", "ok")]
        assert len(versions(tmp_path)) == 1 and err.count("published version") == 1
        assert os.path.islink(tmp_path / "published")
        codes = observed_codes(tmp_path)
        assert {"NL00", "GM9999"} <= codes and any(c.startswith("BU9999") for c in codes)
        assert "GM0150" not in codes, "the service was asked for GM9999 only"
        assert not (tmp_path / STATE_FILE).exists()

    def test_the_odata_requests_carry_the_gemeente_filter(self, services, tmp_path, capsys):
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2024")

        assert code == 0, err
        for table in ("85984NED", "50120NED"):
            first = feed_requests(services, table)[0]
            assert ("$filter=startswith%28WijkenEnBuurten%2C%27GM9999%27%29%20or%20startswith%28WijkenEnBuurten"
                    "%2C%27WK9999%27%29%20or%20startswith%28WijkenEnBuurten%2C%27BU9999%27%29%20or%20"
                    "startswith%28WijkenEnBuurten%2C%27NL%27%29") in first, first
        assert len(feed_requests(services, "85984NED")) > 1, "paged"

    def test_output_to_a_log_is_plain_lines(self, services, tmp_path, capsys):
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2024")

        assert code == 0, err
        assert "\r" not in err and "\x1b" not in err
        assert "step 1/3 boundaries 2024: …" in err.splitlines()
        assert any(line.startswith("step 2/3 kerncijfers 2024 (85984NED): loaded (run ") for line in err.splitlines())
        assert any(line.startswith("85984NED: ") and line.endswith(" rows") for line in err.splitlines())


class TestSecondRun:
    def test_skips_every_step_and_publishes_nothing_new(self, services, tmp_path, capsys):
        assert update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023-2024")[0] == 0
        before, published = runs(tmp_path), versions(tmp_path)
        downloads = [p for p, _ in services.requests if p.endswith(".gpkg")]

        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023-2024")

        assert code == 0, err
        assert runs(tmp_path) == before, "nothing loaded"
        assert versions(tmp_path) == published
        unchanged = [line for line in err.splitlines() if ": unchanged: already loaded in run " in line]
        assert len(unchanged) == STEPS, err
        assert "nothing changed since version" in err
        assert [p for p, _ in services.requests if p.endswith(".gpkg")] == downloads, "the GeoPackages are cached"


class TestFailingServer:
    @pytest.mark.parametrize("how", ["500", "drop"])
    def test_fails_half_way_then_resumes(self, services, tmp_path, capsys, how):
        # a published version to keep: the 2023 data
        assert update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023")[0] == 0
        published = tree_checksums(tmp_path / "published")
        link = os.readlink(tmp_path / "published")
        table_2023 = [p for p, _ in services.requests if "85618NED" in p]
        # the next update asks again for the 2023 table (the GeoPackage is cached), then the 2024 GeoPackage,
        # DataProperties and first page: the service goes down at the second page of 85984NED
        services.fail_from, services.fail_how = len(services.requests) + len(table_2023) + 4, how

        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023-2024")

        failed = services.requests[services.fail_from - 1][0]
        assert "/ODataFeed/odata/85984NED/TypedDataSet" in failed and "skiptoken" in failed
        assert code == 1
        assert "step 4/5 kerncijfers 2024 (85984NED) failed" in err and "85984NED/TypedDataSet" in err
        assert "Nothing was published" in err and "Traceback" not in err
        assert tree_checksums(tmp_path / "published") == published and os.readlink(tmp_path / "published") == link
        assert json.loads((tmp_path / STATE_FILE).read_text())["done"] == [
            "boundaries 2023", "kerncijfers 2023 (85618NED)", "boundaries 2024"]

        services.fail_from = None
        asked = len(services.requests)
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2023-2024")

        assert code == 0, err
        assert [line for line in err.splitlines() if ": skipped, loaded by the update started " in line] == [
            line for line in err.splitlines() if line.startswith(("step 1/5", "step 2/5", "step 3/5"))]
        assert not [p for p, _ in services.requests[asked:] if "85618NED" in p or p.endswith(".gpkg")], \
            "the steps done before are not asked for again"
        assert err.count("published version") == 1 and os.readlink(tmp_path / "published") != link
        assert not (tmp_path / STATE_FILE).exists()


class TestGemeenteCodes:
    @pytest.mark.parametrize("value", ["GM15", "0150", "WK015001", "GM0150,GM01x0"])
    def test_a_malformed_code_is_refused_before_asking_anything(self, services, tmp_path, capsys, value):
        code, err = update(tmp_path, capsys, "--gemeente", value)

        assert code == 1 and "not a gemeente code" in err and "Traceback" not in err
        bad = [part for part in value.split(",") if part != "GM0150"][0]
        assert repr(bad) in err
        assert services.requests == []

    def test_a_code_no_source_knows_is_named_and_nothing_is_published(self, services, tmp_path, capsys):
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999,GM0000", "--jaren", "2024")

        assert code == 1
        assert "unknown gemeente GM0000" in err and "GM9999" not in err.split("unknown gemeente")[1]
        assert not (tmp_path / "published").exists()

    def test_an_unknown_year_is_refused(self, services, tmp_path, capsys):
        code, err = update(tmp_path, capsys, "--gemeente", "GM9999", "--jaren", "2010-2012")

        assert code == 1 and "no kerncijfers table known for 2010, 2011, 2012" in err
        assert services.requests == []


def test_a_terminal_gets_progress_bars(services, tmp_path):
    import io

    from etl.progress import Progress
    from etl.update_run import run_update

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    result = run_update(tmp_path, ["GM9999"], [2024], progress=Progress(terminal))

    output = terminal.getvalue()
    assert result.loaded == ["boundaries 2024", "kerncijfers 2024 (85984NED)", "health (50120NED)"]
    assert "\r" in output and "3/3" in output, "the steps' bar, kept when done"
    assert "step 2/3 kerncijfers 2024 (85984NED): loaded (run " in output and "published version" in output


def test_many_gemeenten_are_kept_when_read_not_put_in_the_address(services, tmp_path):
    from etl import jobs
    from etl.sources.odata import MAX_ASKED_GEMEENTEN

    many = ["GM9999"] + [f"GM{n:04d}" for n in range(1, MAX_ASKED_GEMEENTEN + 1)]
    result = jobs.load_kerncijfers(tmp_path, table="85984NED", year=2024, gemeenten=many)
    fewer = jobs.load_kerncijfers(tmp_path, table="85984NED", year=2024, gemeenten=many[:-1])

    assert (result.status, fewer.status) == ("ok", "ok"), "another choice of gemeenten is another load"
    assert "$filter" not in feed_requests(services, "85984NED")[0]
    assert "$filter" in feed_requests(services, "85984NED")[-1]
    codes = observed_codes(tmp_path)
    assert "GM9999" in codes and "NL00" in codes and "GM0150" not in codes
