"""The wijkagenda in a profile: items rolled up, summarised, their history, and what linked figures did.

Plain data, no Dash and no database: the rows come from ``dashboard/sql/agenda_*.sql``.

Definitions (also shown to readers through :func:`share_definition`):

* **Roll-up.** A parent item that has children shows the plain mean of its children's progress (each child
  rolled up first); stopped children are left out, because their progress will not rise any more. Its own
  reported figure stays available as ``reported_progress``.
* **On track.** An item is *done* when its status is ``afgerond``; it is *on track* when its progress is at
  least the progress expected by today if the work went evenly from start to due (``expected_progress``,
  computed in SQL). Stopped items and items without start, due or progress cannot be on track.
* **Share on track** of a wijk or gemeente = (done + on track) / all items.
* **Average progress** of a wijk = mean progress of its top-level items (rolled up), stopped items left out.
"""
from __future__ import annotations

from datetime import date

from dashboard.present.figure import change_text, row_text
from dashboard.text import STATUSES, date_text, label, percent, t

TRACKS = ("afgerond", "op_schema", "achter", "gestopt", "onbekend")
# the columns of the roll-up per wijk (profile and briefing), as keys of dashboard/words.toml
SUMMARY_COLUMNS = ("common.wijk", "agenda.items", "agenda.done", "agenda.on_track", "agenda.share", "agenda.average")


def share_definition(lang: str) -> str:
    """How the share on track (the map layer's value) is defined, in words."""
    return t("agenda.share_definition", lang)


def percent_text(progress: float | None, lang: str) -> str:
    """``40%``; an en dash when unknown.

    >>> percent_text(37.5, "nl")
    '38%'
    """
    return "–" if progress is None else percent(progress, lang)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


# --- roll-up ------------------------------------------------------------------------------------------


def roll_up(items: list[dict]) -> list[dict]:
    """Nest children under their parents; a parent with children gets their mean progress.

    Returns the top-level items (copies) in their given order, each with ``children`` (nested the same way),
    ``reported_progress`` (the item's own figure) and ``rolled_up`` (whether ``progress`` is the children's
    mean). An item whose parent is not in ``items`` (another wijk, or not public) is top-level.

    >>> tree = roll_up([{"id": "a", "parent_id": None, "status": "loopt", "progress": 10},
    ...                 {"id": "b", "parent_id": "a", "status": "loopt", "progress": 40},
    ...                 {"id": "c", "parent_id": "a", "status": "afgerond", "progress": 100}])
    >>> [(t["id"], t["progress"], [c["id"] for c in t["children"]]) for t in tree]
    [('a', 70.0, ['b', 'c'])]
    """
    ids = {item["id"] for item in items}
    children: dict[str, list[dict]] = {}
    for item in items:
        parent = item.get("parent_id")
        if parent in ids and parent != item["id"]:
            children.setdefault(parent, []).append(item)

    def build(item: dict, seen: frozenset) -> dict:
        node = {**item, "reported_progress": item.get("progress"), "rolled_up": False}
        node["children"] = [build(c, seen | {c["id"]}) for c in children.get(item["id"], []) if c["id"] not in seen]
        counted = [c["progress"] for c in node["children"] if c["status"] != "gestopt" and c["progress"] is not None]
        if counted:
            node["progress"] = _mean(counted)
            node["rolled_up"] = True
        return node

    top = [i for i in items if i.get("parent_id") not in ids or i.get("parent_id") == i["id"]]
    placed = _reachable(top, children)
    for i in items:  # items in a cycle of parents (a → b → a) would vanish: the first of each goes on top
        if i["id"] not in placed:
            top.append(i)
            placed |= _reachable([i], children)
    return [build(i, frozenset({i["id"]})) for i in top]


def _reachable(top: list[dict], children: dict[str, list[dict]]) -> set[str]:
    placed, stack = set(), [i["id"] for i in top]
    while stack:
        current = stack.pop()
        if current not in placed:
            placed.add(current)
            stack.extend(c["id"] for c in children.get(current, []))
    return placed


def flatten(tree: list[dict]) -> list[dict]:
    """Every node of a rolled-up tree, parents before their children."""
    out = []
    for node in tree:
        out.append(node)
        out.extend(flatten(node["children"]))
    return out


# --- on track and summaries ---------------------------------------------------------------------------


def track(item: dict) -> str:
    """``afgerond``, ``op_schema``, ``achter``, ``gestopt`` or ``onbekend`` (see the module docstring).

    >>> track({"status": "loopt", "progress": 40, "expected_progress": 35.0})
    'op_schema'
    >>> track({"status": "loopt", "progress": 40, "expected_progress": 60.0})
    'achter'
    """
    if item.get("status") == "afgerond":
        return "afgerond"
    if item.get("status") == "gestopt":
        return "gestopt"
    if item.get("progress") is None or item.get("expected_progress") is None:
        return "onbekend"
    return "op_schema" if item["progress"] >= item["expected_progress"] else "achter"


def _summary(tree: list[dict]) -> dict:
    nodes = flatten(tree)
    tracks = [track(n) for n in nodes]
    count = len(nodes)
    done, on_track = tracks.count("afgerond"), tracks.count("op_schema")
    return {
        "items": count,
        "by_status": {s: sum(n.get("status") == s for n in nodes) for s in STATUSES},
        "done": done, "on_track": on_track, "behind": tracks.count("achter"),
        "stopped": tracks.count("gestopt"), "unknown": tracks.count("onbekend"),
        "share_on_track": (done + on_track) / count if count else None,
        "average_progress": _mean([n["progress"] for n in tree
                                   if n.get("status") != "gestopt" and n.get("progress") is not None]),
    }


def wijk_summary(items: list[dict]) -> dict:
    """Counts by status and by track, the share done or on track and the average (rolled-up) progress.

    ``items`` are the flat rows of one wijk (as ``agenda_items.sql`` gives them).
    """
    return _summary(roll_up(items))


def gemeente_summary(items_by_wijk: dict[str, list[dict]]) -> dict:
    """The roll-up from wijk to gemeente: one summary per wijk (in code order) and one over all items.

    The gemeente's average progress is the mean over the top-level items of all wijken (so a wijk with more
    items weighs more), and its share on track is over all items.
    """
    wijken = [{"wijk_code": code, **wijk_summary(items)} for code, items in sorted(items_by_wijk.items())]
    return {"wijken": wijken, "total": wijk_summary([i for code in sorted(items_by_wijk) for i in items_by_wijk[code]])}


# --- history ------------------------------------------------------------------------------------------


def timeline(updates: list[dict], lang: str = "nl") -> list[dict]:
    """The updates of one item, oldest first: date, progress and status, as data and as text."""
    return [{"date": u["date"], "date_text": date_text(u["date"], lang), "progress": u["progress"],
             "progress_text": percent_text(u["progress"], lang), "status": u["status"],
             "status_label": label("status", u["status"], lang) if u["status"] else "–", "note": u.get("note")}
            for u in sorted(updates, key=lambda u: u["date"])]


# --- outcome of a linked indicator ----------------------------------------------------------------------

INDICATOR_DIRECTIONS = {"lower_is_better": "omlaag", "higher_is_better": "omhoog"}
VERSUS_GEMEENTE = {"better": "outcome.better", "worse": "outcome.worse", "same": "outcome.same"}


def _why(row: dict | None, lang: str) -> str:
    """Why a figure is no number (secret or unknown), in the words every other place uses."""
    return row_text(row if row and row.get("value") is None else None, "", lang)


def outcome(item: dict, values: list[dict], gemeente_values: list[dict], newest_year: int | None = None,
            lang: str = "nl", indicator: dict | None = None) -> dict:
    """What a linked indicator did in the wijk since the item's baseline year, next to the gemeente.

    ``values`` and ``gemeente_values`` are the indicator's rows (year, value, status) for the item's wijk and
    its gemeente; ``newest_year`` is the newest year the indicator is published for (default: the newest in
    ``values``); ``indicator`` its catalog row (label, unit, direction). The baseline year is the item's
    ``baseline_year``, else the year it started; when that year has no row, the last earlier year is used
    and said so. ``kind`` is one of ``measured``, ``too_early``, ``no_baseline``, ``no_latest``, ``no_data``.
    ``sentences`` say in plain words what the figures do and do not show; ``text`` joins them.
    """
    indicator = indicator or {}
    name = indicator.get("label_en" if lang == "en" else "label_nl") or item.get("indicator_id") or ""
    unit = indicator.get("unit", "")
    direction = item.get("direction") or INDICATOR_DIRECTIONS.get(indicator.get("direction"))
    start = item.get("start")
    by_year = {r["year"]: r for r in values}
    gm_by_year = {r["year"]: r for r in gemeente_values}
    newest = newest_year if newest_year is not None else max(by_year, default=None)
    asked = item.get("baseline_year") or (start.year if start else None)
    result = {"indicator_id": item.get("indicator_id"), "label": name, "unit": unit, "direction": direction,
              "direction_label": label("direction", direction, lang) if direction else None, "kind": None,
              "baseline_year": asked, "baseline_value": None, "baseline_text": None,
              "latest_year": None, "latest_value": None, "latest_text": None,
              "change": None, "change_text": None, "gemeente_change": None, "gemeente_change_text": None,
              "as_intended": None, "versus_gemeente": None, "newest_year": newest, "sentences": []}
    sentences = result["sentences"]

    def done(kind: str) -> dict:
        result["kind"] = kind
        result["caveat"] = t("outcome.caveat", lang)
        sentences.append(result["caveat"])
        result["text"] = " ".join(sentences)
        return result

    if not by_year or asked is None:
        sentences.append(t("outcome.no_data", lang, label=name))
        return done("no_data")
    used = asked if asked in by_year else max((y for y in by_year if y < asked), default=None)
    if used is None:
        sentences.append(t("outcome.no_baseline", lang, year=asked, why=_why(None, lang)))
        return done("no_baseline")
    if used != asked:
        sentences.append(t("outcome.baseline_earlier", lang, asked=asked, used=used))
    result["baseline_year"] = used
    later = [y for y in sorted(by_year) if y > used and by_year[y]["value"] is not None]
    latest = later[-1] if later else None
    measurable_from = max(used + 1, start.year if start else used + 1)
    if newest is None or newest < measurable_from:
        late_start = start and newest is not None and newest < start.year
        since = t("outcome.since_start", lang, start=start.year) if late_start else t("outcome.since_baseline", lang)
        sentences.append(t("outcome.too_early", lang, newest=newest, since=since))
        return done("too_early")
    base = by_year[used]
    if base["value"] is None:
        sentences.append(t("outcome.no_baseline", lang, year=used, why=_why(base, lang)))
        return done("no_baseline")
    if latest is None:
        newest_row = by_year.get(newest)
        sentences.append(t("outcome.no_latest", lang, year=used, why=f"{newest}: {_why(newest_row, lang)}"))
        return done("no_latest")
    if latest < measurable_from:
        since = t("outcome.since_start", lang, start=start.year)
        sentences.append(t("outcome.too_early", lang, newest=latest, since=since))
        return done("too_early")
    row = by_year[latest]
    change = row["value"] - base["value"]
    result.update(baseline_value=base["value"], baseline_text=row_text(base, unit, lang),
                  latest_year=latest, latest_value=row["value"], latest_text=row_text(row, unit, lang),
                  change=change, change_text=change_text(change, unit, lang))
    sentences.append(t("outcome.moved", lang, label=name, base=result["baseline_text"], by=used,
                       latest=result["latest_text"], ly=latest, change=result["change_text"]))
    if newest > latest:
        sentences.append(t("outcome.newer_missing", lang, year=newest, why=_why(by_year.get(newest), lang)))
    sign = {"omlaag": -1, "omhoog": 1}.get(direction)
    if sign is not None:
        if round(change, 1) == 0:
            result["as_intended"] = False
            sentences.append(t("outcome.unchanged", lang, direction=label("direction", direction, lang)))
        else:
            result["as_intended"] = change * sign > 0
            key = "outcome.intended" if result["as_intended"] else "outcome.not_intended"
            sentences.append(t(key, lang, direction=label("direction", direction, lang)))
    gm_base, gm_latest = gm_by_year.get(used), gm_by_year.get(latest)
    if gm_base and gm_latest and gm_base["value"] is not None and gm_latest["value"] is not None:
        gm_change = gm_latest["value"] - gm_base["value"]
        result.update(gemeente_change=gm_change, gemeente_change_text=change_text(gm_change, unit, lang))
        sentences.append(t("outcome.gemeente", lang, change=result["gemeente_change_text"]))
        if sign is not None:
            difference = (change - gm_change) * sign
            result["versus_gemeente"] = "same" if round(difference, 1) == 0 else "better" if difference > 0 else "worse"
            sentences.append(t(VERSUS_GEMEENTE[result["versus_gemeente"]], lang))
    else:
        sentences.append(t("outcome.no_gemeente", lang))
    if base["status"] == "estimate" or row["status"] == "estimate":
        sentences.append(t("outcome.estimate", lang))
    return done("measured")


# --- what the component shows -----------------------------------------------------------------------------


def entries(tree: list[dict], updates: dict[str, list[dict]], outcomes: dict[str, dict], lang: str) -> list[dict]:
    """The rolled-up tree as display data: texts for status, track, progress, due date, history, outcome."""
    out = []
    for node in tree:
        progress = node.get("progress")
        shown = None if progress is None else max(0, min(100, round(progress)))
        item_track = track(node)
        out.append({
            "id": node["id"], "title": node["title"], "description": node.get("description"),
            "owner": node.get("owner"), "theme": node.get("theme"),
            "status": node.get("status"),
            "status_label": label("status", node["status"], lang) if node.get("status") else "–",
            "track": item_track, "track_label": label("track", item_track, lang),
            "progress": shown, "progress_text": percent_text(progress, lang),
            "rolled_up": node["rolled_up"],
            "rolled_up_text": t("agenda.rolled_up", lang, reported=percent_text(node["reported_progress"], lang))
            if node["rolled_up"] else None,
            "due": node.get("due"), "due_text": t("agenda.due", lang, date=date_text(node.get("due"), lang))
            if node.get("due") else None,
            "timeline": timeline(updates.get(node["id"], []), lang),
            "outcome": outcomes.get(node["id"]),
            "children": entries(node["children"], updates, outcomes, lang),
        })
    return out


def summary_text(summary: dict, lang: str) -> str:
    """One line: how many items, how many done, on track, behind and stopped, and the average progress."""
    noun = t("agenda.item_one" if summary["items"] == 1 else "agenda.item_many", lang)
    return t("agenda.summary", lang, average=percent_text(summary["average_progress"], lang), noun=noun, **summary)


def summary_rows(summary: dict, names: dict[str, str], lang: str) -> list[dict]:
    """The gemeente table: one row per wijk with texts for items, done, on track and average progress."""
    return [{"wijk_code": w["wijk_code"], "name": names.get(w["wijk_code"], w["wijk_code"]),
             "items": w["items"], "done": w["done"], "on_track": w["on_track"],
             "share_text": percent_text(None if w["share_on_track"] is None else 100 * w["share_on_track"], lang),
             "average_text": percent_text(w["average_progress"], lang)}
            for w in summary["wijken"]]
