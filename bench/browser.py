"""What the benchmark measures in headless Chromium (Playwright): first draws of the dashboard, the floor page and the
naive page, repaints, and the public first view of one gemeente with its bytes per resource type, on a desktop
and on an emulated phone (CPU throttled, a 4G network, through the DevTools protocol).

Every timing is ``performance.now()`` of the page, from navigation or from a click's first event (its
``pointerdown``), up to the moment the condition holds and two animation frames later (the canvas painted); a
repaint of the dashboard is timed in the page itself, from a hook on ``wijkbeeld.restyle``. The
wall time around a click is kept beside it: it adds Playwright's own steps before it dispatches the click (waiting
for the option to be visible and stable, some 40-50 ms), the same for every page. Outside hosts are blocked.
"""
from __future__ import annotations

import time
from collections import defaultdict

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
TIMEOUT_MS = 120_000
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
# Chrome DevTools' "Fast 4G" preset (its throughput already with DevTools' 0.9 factor, latency with its 2.75)
NETWORK_4G = {"offline": False, "latency": 165, "downloadThroughput": 9_000_000 * 0.9 / 8,
              "uploadThroughput": 1_500_000 * 0.9 / 8}
CPU_SLOWDOWN = 4
REPAINT_INDICATORS = ("laag_inkomen", "sociaal_minimum")
PAINT_OUTPUT = "paint-answer.data"   # the paint callback's output (dashboard.ids.PAINT_ANSWER)

# drawn and painted: every region of the file on the map's canvas (assets/regions.js), filled with the classes of
# the view
JS_DRAWN = """n => { const r = window.wijkbeeld && window.wijkbeeld.regions, d = r && r.drawn;
    return !!d && d.count === n && d.classes.length > 0; }"""
JS_FLOOR_DRAWN = """n => { const f = window.floor; if (!f || f.count !== n) return false;
    for (const layer of f.layers) { if (!layer._map || !layer.options.fillColor) return false; }
    return true; }"""
JS_NAIVE_DRAWN = """([n, file]) => { const w = window.naive; if (!w || w.count !== n) return false;
    for (const layer of Object.values(w.layers)) {
        if (!layer._map || file.indexOf(layer.feature.properties.indicator) < 0
            || layer.options.fillColor !== layer.feature.properties.fill) return false; }
    return true; }"""
# when the paint was applied to every region on the map (epoch ms): the canvas redraws in the next frame; and two
# frames after that (the canvas painted), timed in the page: polling from Playwright would add its round trips
JS_RESTYLED = """() => { const w = window.wijkbeeld; if (w.__timed) return; const restyle = w.restyle;
    w.restyle = function () { const out = restyle.apply(this, arguments);
        const at = w.__restyled = performance.timeOrigin + performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => {
            if (w.__restyled === at) w.__framed = performance.timeOrigin + performance.now(); }));
        return out; }; w.__timed = true; }"""
JS_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))))"
JS_FRAMES_EPOCH = ("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => "
                   "done(performance.timeOrigin + performance.now()))))")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)


def cold_loads(browser, url: str, condition: str, arg, runs: int, polling="raf") -> dict:
    """``runs`` loads of ``url``, each in a fresh context (cold cache): seconds from navigation to ``condition``
    and two frames later, and the geometry files the page fetched."""
    draws, geometry = [], set()
    for _ in range(runs):
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.on("response", lambda r: geometry.add(r.url.rsplit("/", 1)[-1]) if "/geometry" in r.url else None)
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(condition, arg=arg, polling=polling, timeout=TIMEOUT_MS)
        draws.append(page.evaluate(JS_FRAMES) / 1000)
        context.close()
    return {"draws": draws, "geometry": sorted(geometry)}


def choose(page, control_id: str, option_text: str):
    """Open a dropdown, type the text into its search (a long list shows only part of its options) and return
    the option (not yet clicked) with exactly this text."""
    page.click(f"#{control_id}")
    page.locator(".dash-dropdown-content").wait_for(timeout=TIMEOUT_MS)
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    if search.count():
        search.fill(option_text)
    options = page.locator(".dash-dropdown-content .dash-dropdown-option")
    options.filter(has_text=option_text).first.wait_for(timeout=TIMEOUT_MS)
    exact = [i for i, text in enumerate(options.all_inner_texts()) if text.strip() == option_text]
    return options.nth(exact[0])


# the start of a click (its first event), in page time, as epoch ms
JS_CLICKS = """() => { if (window.__clicks) return; window.__clicks = true;
    window.addEventListener("pointerdown", () => { if (window.__clicked === null)
        window.__clicked = performance.timeOrigin + performance.now(); }, true); }"""


def repaints(browser, url: str, n: int, labels: dict, runs: int, new: list[str] = ()) -> dict:
    """Indicator changes through the dropdown, timed from the click to the map repainted: ``runs`` changes back and
    forth between two indicators (the first to one the page has not painted, the rest to views the browser has),
    then a change to each indicator of ``new``, none painted before in this page. For each: the time from the
    paint callback's answer fully received (when the change asked the server) or else from the click, to the paint
    applied. The paint callback's request (to replay) and the size of its answer."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    captured = []

    def on_response(response):
        request = response.request
        if request.method == "POST" and "_dash-update-component" in request.url \
                and PAINT_OUTPUT in (request.post_data or ""):
            captured.append((request.post_data, len(response.body()), response.headers.get("content-encoding"),
                             request))

    page.on("response", on_response)
    page.goto(url + f"/?indicator={REPAINT_INDICATORS[0]}", timeout=TIMEOUT_MS)
    page.wait_for_function(JS_DRAWN, arg=n, polling="raf", timeout=TIMEOUT_MS)
    page.evaluate(JS_FRAMES)
    page.evaluate(JS_RESTYLED)
    page.evaluate(JS_CLICKS)
    out: dict = {"times": [], "after_figures_ms": [], "asked": [], "new_times": [], "new_after_figures_ms": [],
                 "wall": [], "new_wall": []}
    changes = [(REPAINT_INDICATORS[(run + 1) % 2], "") for run in range(runs)] + [(i, "new_") for i in new]
    for indicator, kind in changes:
        option = choose(page, "indicator", labels[indicator])
        page.evaluate("() => { window.__before = window.wijkbeeld.hideout; window.__clicked = null; "
                      "window.wijkbeeld.__framed = null; }")
        answers = len(captured)
        start = time.perf_counter()
        option.click()
        page.wait_for_function("() => window.wijkbeeld.hideout !== window.__before", polling="raf",
                               timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.wijkbeeld.__framed > window.wijkbeeld.__restyled", polling="raf",
                               timeout=TIMEOUT_MS)
        out[kind + "wall"].append(time.perf_counter() - start)
        restyled, framed, clicked = page.evaluate(
            "() => [window.wijkbeeld.__restyled, window.wijkbeeld.__framed, window.__clicked]")
        out[kind + "times"].append((framed - clicked) / 1000)
        if len(captured) > answers:   # asked the server: from its answer
            timing = captured[-1][3].timing
            out[kind + "after_figures_ms"].append(restyled - (timing["startTime"] + timing["responseEnd"]))
        else:                         # the browser had the paint: from the click
            out[kind + "after_figures_ms"].append(restyled - clicked)
        if not kind:
            out["asked"].append(len(captured) > answers)
        page.wait_for_timeout(300)   # let the other callbacks of the change (profile, URL) settle
    context.close()
    payload, size, encoding, _ = captured[-1]
    return out | {"payload": payload, "bytes": size, "encoding": encoding}


def naive_draws(browser, url: str, n: int, files: dict, runs: int) -> dict:
    first = next(iter(files.values()))
    draws = cold_loads(browser, url, JS_NAIVE_DRAWN, [n, first], runs, polling=100)["draws"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(JS_NAIVE_DRAWN, arg=[n, first], polling=100, timeout=TIMEOUT_MS)
    page.evaluate(JS_CLICKS)
    times, wall = [], []
    labels = list(files)
    for run in range(runs):
        label = labels[(run + 1) % 2]
        option = choose(page, "indicator", label)
        page.evaluate("() => { window.__clicked = null; }")
        start = time.perf_counter()
        option.click()
        page.wait_for_function(JS_NAIVE_DRAWN, arg=[n, files[label]], polling="raf", timeout=TIMEOUT_MS)
        framed = page.evaluate(JS_FRAMES_EPOCH)
        wall.append(time.perf_counter() - start)
        times.append((framed - page.evaluate("() => window.__clicked")) / 1000)
    context.close()
    return {"draws": draws, "repaints": times, "repaints_wall": wall}


def first_view(browser, url: str, n: int, phone: bool = False, drawn: str = JS_DRAWN) -> dict:
    """One cold load of ``url`` in a phone-sized window: seconds to the map drawn (``drawn``, with ``n``
    regions), the geometry files it fetched, and the bytes on the wire (headers and encoded bodies) per resource
    type once the network is quiet. ``phone``: with the CPU slowed down CPU_SLOWDOWN times and NETWORK_4G."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if phone:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(drawn, arg=n, polling="raf", timeout=TIMEOUT_MS)
    seconds = page.evaluate(JS_FRAMES) / 1000
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    by_type: dict[str, int] = defaultdict(int)
    by_url = []
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        by_type[request.resource_type] += size
        by_url.append((request.url.split("?")[0].removeprefix(url.split("/?")[0]), request.resource_type, size))
    context.close()
    return {"seconds": seconds, "bytes": sum(by_type.values()), "by_type": dict(by_type),
            "largest": sorted(by_url, key=lambda row: -row[2])[:8],
            "geometry": sorted({u.rsplit("/", 1)[-1] for u, _, _ in by_url if "/geometry" in u})}
