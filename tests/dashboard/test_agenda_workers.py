"""Editors saving at once through gunicorn's worker processes, as the staff dashboard is served: every save
answered "saved" is in the agenda store, whichever worker took it."""
from __future__ import annotations

import base64
import http.client
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from werkzeug.security import generate_password_hash

from etl.wijkagenda import store
from tools.stress.serving import HOST, free_port, start_gunicorn, stop

PASSWORD = "correct horse battery staple"
EDITORS, SAVES, WORKERS = 8, 10, 4


def test_editors_saving_through_several_workers_lose_nothing(demo_copy, tmp_path):
    data_dir = demo_copy("workers")
    users = tmp_path / "users.txt"
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    users.write_text("".join(f"editor{n}:{cheap}:editor=WK999901\n" for n in range(EDITORS)))
    port = free_port()
    server = start_gunicorn(data_dir, port, workers=WORKERS, env={"WIJKBEELD_USERS_FILE": str(users)})

    def editor(n: int) -> list[int]:
        auth = {"Authorization": "Basic " + base64.b64encode(f"editor{n}:{PASSWORD}".encode()).decode()}
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        connection.request("GET", "/wijkagenda/punt/WA-02", headers=auth)
        token = re.search(r'name="csrf" value="([^"]+)"', connection.getresponse().read().decode())[1]
        answers = []
        for save in range(SAVES):
            form = {"csrf": token, "actie": "voortgang", "datum": f"2026-02-{save + 1:02d}", "voortgang": str(save),
                    "status": "loopt", "notitie": f"editor{n} {save}", "openbaar": ""}
            connection.request("POST", "/wijkagenda/punt/WA-02", body=urlencode(form),
                               headers={**auth, "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            answers.append(response.status)
        return answers

    try:
        began = time.perf_counter()
        with ThreadPoolExecutor(EDITORS) as pool:
            answers = list(pool.map(editor, range(EDITORS)))
        seconds = time.perf_counter() - began
    finally:
        log = stop(server)
    assert answers == [[303] * SAVES] * EDITORS, log[-2000:]
    con = store.connect(data_dir)
    try:
        for n in range(EDITORS):
            notes = [r[0] for r in con.execute(
                "SELECT u.note FROM updates u JOIN changes c ON c.id = u.change_id WHERE c.who = ? ORDER BY c.id",
                [f"editor{n}"])]
            assert notes == [f"editor{n} {save}" for save in range(SAVES)]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    print(f"\n{EDITORS} editors x {SAVES} saves through {WORKERS} gunicorn workers: all saved, {seconds:.1f} s")
