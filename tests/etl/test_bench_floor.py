"""The floor page of the benchmark: plain Leaflet from the vendored copy, and the geometry file as the product
serves it (pre-gzipped, with its Content-Encoding)."""
import gzip
import json

from bench.floor import floor_app


def test_serves_the_page_leaflet_and_the_file_gzipped(tmp_path):
    body = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    geometry = tmp_path / "2024-buurt-overzicht.geojson"
    geometry.write_bytes(body)
    geometry.with_name(geometry.name + ".gz").write_bytes(gzip.compress(body))
    client = floor_app(geometry).test_client()

    page = client.get("/").get_data(as_text=True)
    assert '<script src="/leaflet.js">' in page and "L.canvas()" in page and "http" not in page   # no CDN
    assert client.get("/leaflet.js").get_data(as_text=True).startswith("/* @preserve\n * Leaflet")
    assert client.get("/leaflet.py").status_code == 404

    zipped = client.get("/geometry.geojson", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == body
    assert client.get("/geometry.geojson").data == body


def test_the_canvas_reference_serves_its_own_page_and_the_same_file(tmp_path):
    from bench.canvas import canvas_app

    body = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    geometry = tmp_path / "2024-buurt-overzicht.geojson"
    geometry.write_bytes(body)
    client = canvas_app(geometry).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "window.canvasFloor" in page and "L.geoJSON" not in page and "http" not in page
    assert client.get("/geometry.geojson").data == body
