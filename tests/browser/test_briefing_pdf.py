"""The briefing as a PDF, printed by headless Chromium from a served app, read back with pypdf."""
import io
import unicodedata
import urllib.request

import pytest

from dashboard.db import open_read_only
from tests.browser.conftest import CHROMIUM, serve_in_thread

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.browser

WIJK = "WK999900"


def words(text: str) -> str:
    """Text as a reader sees it: ligatures unfolded, lines and spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def council_url(demo_data_dir):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from dashboard.app import create_app
    from dashboard.settings import Settings

    app = create_app(Settings(data_dir=demo_data_dir))
    server, url = serve_in_thread(app)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def expected(demo_data_dir):
    con = open_read_only(demo_data_dir / "published" / "staff.duckdb")
    try:
        value = con.execute("SELECT value FROM observations WHERE indicator_id = 'laag_inkomen' AND code = ? "
                            "AND value IS NOT NULL ORDER BY year DESC LIMIT 1", [WIJK]).fetchone()[0]
        titles = [t for (t,) in con.execute("SELECT title FROM agenda_items WHERE wijk_code = ? ORDER BY id",
                                            [WIJK]).fetchall()]
    finally:
        con.close()
    return {"figure": f"{value:.1f}".replace(".", ",") + "%", "titles": titles}


def test_the_briefing_pdf_holds_the_wijk_its_figures_and_agenda(council_url, expected):
    with urllib.request.urlopen(f"{council_url}/briefing/{WIJK}.pdf", timeout=90) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "application/pdf"
        assert f'filename="briefing-{WIJK}.pdf"' in response.headers["Content-Disposition"]
        body = response.read()
    assert body.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(body))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = words(" ".join(page.extract_text() for page in reader.pages))
    assert "Centrum" in text and "Raadsbriefing" in text
    assert expected["figure"] in text
    assert expected["titles"] and all(title in text for title in expected["titles"])


def test_an_unknown_code_gives_no_pdf(council_url):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{council_url}/briefing/WK999999.pdf", timeout=30)
    assert error.value.code == 404
