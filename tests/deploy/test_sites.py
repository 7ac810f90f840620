"""The two sites of the shipped configuration: staff pages exist only behind the staff site's login, the public
site never reaches them (however the path is written), and both pass /healthz and /readyz through."""
from __future__ import annotations

import base64
import re

import pytest

from tests.deploy.conftest import STAFF_PASSWORD, STAFF_USER
from tests.deploy.helpers import fetch

pytestmark = pytest.mark.deploy

WIJK, WIJK2, BUURT = "WK999901", "WK999902", "BU99990101"
STAFF_PATHS = ["/kwaliteit", "/export/kaart.csv", "/export/kaart.geojson", f"/export/profiel/{BUURT}.csv",
               f"/briefing/{WIJK}", f"/briefing/{WIJK}.pdf", f"/vergelijk?codes={WIJK},{WIJK2}"]
# the same paths as a client might write them to slip past a prefix match
DISGUISED = ["//kwaliteit", "/kwaliteit/", "/%6bwaliteit", "/x/../kwaliteit", "/export//kaart.csv",
             "/%65xport/kaart.csv", "/./export/kaart.geojson", "/briefing/%57K999901", f"/%62riefing/{WIJK}.pdf",
             f"/vergelijk/?codes={WIJK}", f"/%76ergelijk?codes={WIJK}", "/kwaliteit?lang=en"]
LOGIN = {"Authorization": "Basic " + base64.b64encode(f"{STAFF_USER}:{STAFF_PASSWORD}".encode()).decode()}


@pytest.mark.parametrize("path", STAFF_PATHS + DISGUISED)
def test_the_public_site_never_reaches_a_staff_page(site, path):
    answer = fetch(site.rendering.public_port, path, source="127.0.0.41")
    assert answer.status in (403, 404), (path, answer.status, answer.body[:200])


def test_the_staff_pages_are_real_and_need_the_login(site):
    """So the paths above are the staff routes: on the staff site they ask for the login, and answer with it."""
    port = site.rendering.staff_port
    for path in STAFF_PATHS:
        if path.endswith(".pdf"):
            continue     # made by headless Chromium: slow, and not what this test is about
        anonymous = fetch(port, path, source="127.0.0.42")
        assert anonymous.status in (401, 302, 303), (path, anonymous.status)
        assert anonymous.status != 200
        signed_in = fetch(port, path, headers=LOGIN, source="127.0.0.42")
        assert signed_in.status == 200, (path, signed_in.status, signed_in.body[:300])


def test_the_public_page_and_map_answer_through_the_public_site(site):
    assert fetch(site.rendering.public_port, "/").status == 200


@pytest.mark.parametrize("which", ["staff", "public"])
def test_health_and_readiness_pass_through(site, which):
    port = getattr(site.rendering, f"{which}_port")
    alive = fetch(port, "/healthz")
    assert alive.status == 200 and alive.body.strip() == b"ok"
    ready = fetch(port, "/readyz")
    assert ready.status == 200
    named = re.findall(r"\d{8}T\d{6}-[0-9a-f]{8}", ready.body.decode())
    assert named, ready.body
    assert ready.header("x-wijkbeeld-version", named[0]) == named[0]
