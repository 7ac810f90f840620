"""The council pages: a printable briefing per wijk or gemeente (HTML and PDF) and a side-by-side comparison.

Server-rendered on the Dash server's Flask app: autoescaped Jinja templates in ``dashboard/templates``, CSS
inline, maps and charts as inline SVG, no JavaScript and no request to any other host. The PDF is the same
HTML printed by headless Chromium from a temporary file, so it needs neither network nor a second request
to this server (which would deadlock a single-threaded server).
"""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from flask import Response, abort, request

from dashboard import urls
from dashboard.briefing import briefing
from dashboard.comparison import CompareError, compare, checked_year, form_options, split_values
from dashboard.db import NotPublished, PublishedData
from dashboard.state import is_code
from dashboard.templating import page, render
from dashboard.text import language, t

CHROMIUM = Path("/usr/bin/chromium")
PDF_TIMEOUT = 60  # seconds
PDF_AT_ONCE = threading.BoundedSemaphore(2)  # each Chromium takes a few hundred MB

class PdfError(RuntimeError):
    """Chromium did not make a PDF."""


def render_pdf(page: str, chromium: Path = CHROMIUM, timeout: float = PDF_TIMEOUT) -> bytes:
    """Print an HTML page to an A4 PDF with headless Chromium; raises :class:`PdfError` when that fails.

    The page is written to a temporary folder (with Chromium's profile and the PDF), removed afterwards.
    Every host name resolves to nothing, so even a stray URL in the page cannot reach the network.
    """
    if not Path(chromium).is_file():
        raise PdfError(f"{chromium} not found: install Debian chromium to make PDFs")
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-pdf-") as folder:
        source, target = Path(folder) / "briefing.html", Path(folder) / "briefing.pdf"
        source.write_text(page, encoding="utf-8")
        command = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--disable-extensions", "--no-pdf-header-footer",
                   "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={folder}/profile",
                   f"--print-to-pdf={target}", source.as_uri()]
        env = {**os.environ, "HOME": folder}
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # Chromium and the helpers it started, nothing else
            process.communicate()
            raise PdfError(f"chromium took more than {timeout} s") from None
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            said = errors.decode(errors="replace")[-400:]
            raise PdfError(f"chromium made no PDF (exit {process.returncode}): {said}")
        return target.read_bytes()


def _lang() -> str:
    return language(request.args.get(urls.LANG_KEY))


def register_council_routes(server, data: PublishedData, chromium: Path = CHROMIUM) -> None:
    """``/briefing/<code>``, ``/briefing/<code>.pdf`` and ``/vergelijk`` on the Dash server."""

    @server.route(urls.BRIEFING)
    def council_briefing(name: str):
        code, pdf = (name[:-4], True) if name.endswith(".pdf") else (name, False)
        if not is_code(code):
            abort(404)
        lang = _lang()
        try:
            context = briefing(data, code, lang, request.args.get(urls.BRIEFING_MAP_KEY))
        except NotPublished:
            abort(503)
        if context is None:
            abort(404)
        links = {"pdf": urls.briefing_url(code, pdf=True, lang=lang), "compare": urls.compare_url(code, lang),
                 "dashboard": urls.home_url(code, lang)}
        if not pdf:
            return page("briefing.html", lang, links=links, base_url=None, **context)
        printed = render("briefing.html", lang, links=links, base_url=request.host_url, **context)
        if not PDF_AT_ONCE.acquire(timeout=PDF_TIMEOUT):
            return Response(t("briefing.pdf_busy", lang), status=503, mimetype="text/plain")
        try:
            document = render_pdf(printed, chromium)
        except PdfError as error:
            server.logger.error("briefing PDF of %s failed: %s", code, error)
            return Response(t("briefing.pdf_failed", lang, url=urls.briefing_url(code, lang=lang)), status=503,
                            mimetype="text/plain")
        finally:
            PDF_AT_ONCE.release()
        return Response(document, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="briefing-{code}.pdf"',
                                 "Cache-Control": "no-store"})

    @server.route(urls.COMPARE)
    def council_compare():
        lang = _lang()
        args = request.args
        codes = [c.upper() for c in split_values(args.getlist(urls.COMPARE_KEYS["codes"]))]
        asked = split_values(args.getlist(urls.COMPARE_KEYS["indicators"]))
        indicator_ids = asked if urls.COMPARE_KEYS["indicators"] in args else None
        start = args.get(urls.COMPARE_KEYS["start"])
        start = start if is_code(start) else None
        context = {"error": None, "table": None, "codes": codes or ([start] if start and not
                                                                      start.startswith("GM") else []),
                   "indicator_ids": indicator_ids, "year": args.get(urls.COMPARE_KEYS["year"], "")[:4],
                   "form": {"action": urls.COMPARE, "fields": urls.COMPARE_KEYS, "lang_key": urls.LANG_KEY}}
        try:
            if codes:
                year = checked_year(args.get(urls.COMPARE_KEYS["year"]), lang)
                context["table"] = compare(data, codes, indicator_ids, year, lang)
        except CompareError as error:
            context["error"] = str(error)
        except NotPublished:
            abort(503)
        first = context["table"]["columns"][0]["code"] if context["table"] else (codes[0] if codes else start)
        gemeente = "GM" + first[2:6] if first and is_code(first) else None
        context["options"] = form_options(data, gemeente, lang)
        return page("compare.html", lang, status=400 if context["error"] else 200, **context)
