"""The gemeente filter of ``wijkbeeld etl update`` on real CBS and RIVM data (../shared/cbs, read at test time):
the padded region codes of 50120NED with its ``NL01``, and the Wijk- en buurtkaart of the whole country."""
from __future__ import annotations

import csv
import urllib.parse

from etl import jobs
from etl.store import connect
from tests.etl.cbs_services import HEALTH_TABLE, health_data_properties, health_rows, serve_feed

RIVM_2020 = "health/rivm_50120NED_gezondheid_wijk_buurt_2020_18plus.csv"
GEMEENTEN_2023 = "boundaries/gemeenten_2023_pdok_wfs_simplified.geojson"


def fetch_all(data_dir, sql: str) -> list[tuple]:
    con = connect(data_dir / "wijkbeeld.duckdb", read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_rivm_asked_for_deventer_answers_deventer_and_the_netherlands(shared_cbs, odata_server, monkeypatch,
                                                                      tmp_path):
    from etl.catalog import load_catalog

    path = shared_cbs / RIVM_2020
    header, rows = health_rows([path])
    monkeypatch.setenv("WIJKBEELD_CBS_DATADERDEN_URL", odata_server.base)
    odata_server.route(f"/ODataApi/odata/{HEALTH_TABLE}/DataProperties", health_data_properties(header, load_catalog()))
    serve_feed(odata_server, f"/ODataFeed/odata/{HEALTH_TABLE}/TypedDataSet", rows, 1000, "x")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        expected = {row["WijkenEnBuurten"].strip() for row in csv.DictReader(handle)
                    if row["WijkenEnBuurten"].strip()[2:6] == "0150" or row["WijkenEnBuurten"].startswith("NL")}

    result = jobs.load_health(tmp_path, table=HEALTH_TABLE, gemeenten=["GM0150"])

    assert result.status == "ok"
    asked = urllib.parse.unquote([p for p, _ in odata_server.requests if "TypedDataSet" in p][0])
    assert "startswith(WijkenEnBuurten,'BU0150')" in asked
    codes = {code for code, in fetch_all(tmp_path, "SELECT DISTINCT code FROM observations")}
    assert codes == {"NL00" if code == "NL01" else code for code in expected} and len(codes) > 80
    nederland = fetch_all(tmp_path, "SELECT value FROM observations WHERE indicator_id = 'eenzaam' AND code = 'NL00'")
    assert nederland == [(47.0,)]


def test_the_country_s_boundaries_keep_the_gemeente_asked_for(shared_cbs, tmp_path):
    path = shared_cbs / GEMEENTEN_2023

    first = jobs.load_boundaries(tmp_path, file=path, year=2023, gemeenten=["GM0150"])
    again = jobs.load_boundaries(tmp_path, file=path, year=2023, gemeenten=["GM0150"])
    other = jobs.load_boundaries(tmp_path, file=path, year=2023, gemeenten=["GM0177"])

    assert (first.status, again.status, other.status) == ("ok", "unchanged", "ok")
    assert fetch_all(tmp_path, "SELECT code, name FROM regions ORDER BY code") == [("GM0150", "Deventer"),
                                                                                   ("GM0177", "Raalte")]
    inwoners = fetch_all(tmp_path, "SELECT value FROM observations WHERE indicator_id = 'inwoners' ORDER BY code")
    assert inwoners[0] == (102781,)
