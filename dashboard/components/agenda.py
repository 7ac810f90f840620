"""The wijkagenda section of the profile: items with progress bars, history and linked figures.

Everything a person reads goes in as plain strings in children, which Dash escapes.
"""
from __future__ import annotations

from dash import html

from dashboard.present.agenda import SUMMARY_COLUMNS
from dashboard.text import t


def progress_bar(progress: int | None, text: str, title: str):
    """An accessible progress bar: role, aria values and a visible ``40 %``."""
    value = progress or 0
    return html.Div([
        html.Div(className="progress-fill", style={"width": f"{value}%"}),
        html.Span(text, className="progress-text"),
    ], role="progressbar", className="progress", **{"aria-valuenow": value, "aria-valuemin": 0,
                                                     "aria-valuemax": 100, "aria-label": title})


def history(entries: list[dict], lang: str):
    return html.Details([
        html.Summary(t("agenda.history", lang)),
        html.Ol([html.Li([html.Time(e["date_text"], dateTime=e["date"].isoformat()), " — ", e["progress_text"],
                          " — ", e["status_label"], *([" — ", html.Q(e["note"])] if e.get("note") else [])],
                         className="timeline-entry") for e in entries],
                className="timeline"),
    ], className="agenda-history")


def outcome_block(outcome: dict, lang: str):
    sentences = [s for s in outcome["sentences"] if s != outcome.get("caveat")]
    return html.Div([
        html.P([html.Strong(f"{t('agenda.outcome', lang)}: "), outcome["label"]], className="outcome-label"),
        *[html.P(s) for s in sentences],
        html.P(outcome["caveat"], className="outcome-caveat"),
    ], className=f"agenda-outcome outcome-{outcome['kind']}")


def agenda_item(entry: dict, lang: str):
    meta = [html.Span(entry["status_label"], className=f"badge badge-{entry['status']}"),
            html.Span(entry["track_label"], className=f"track track-{entry['track']}")]
    if entry["owner"]:
        meta.append(html.Span(f"{t('agenda.owner', lang)}: {entry['owner']}", className="agenda-owner"))
    if entry["due_text"]:
        meta.append(html.Span(entry["due_text"], className="agenda-due"))
    return html.Li([
        html.H4(entry["title"], className="agenda-title"),
        html.Div(meta, className="agenda-meta"),
        progress_bar(entry["progress"], entry["progress_text"], entry["title"]),
        html.P(entry["rolled_up_text"], className="agenda-rolled-up muted") if entry["rolled_up_text"] else None,
        html.P(entry["description"], className="agenda-description") if entry["description"] else None,
        html.P([html.Strong(f"{t('common.initiatives', lang)}: "), ", ".join(entry["initiatives"])],
               className="agenda-initiatives") if entry.get("initiatives") else None,
        history(entry["timeline"], lang) if entry["timeline"] else None,
        outcome_block(entry["outcome"], lang) if entry["outcome"] else None,
        html.Ul([agenda_item(c, lang) for c in entry["children"]], className="agenda-children")
        if entry["children"] else None,
    ], className="agenda-item", **{"data-item": entry["id"]})


def agenda_panel(title: str, summary: str, entries: list[dict], definition: str, lang: str):
    """The agenda of one wijk: a summary line and the items, children nested under their parents."""
    return html.Section([
        html.H3(title, className="section-title"),
        html.P(summary, className="agenda-summary"),
        html.Ul([agenda_item(e, lang) for e in entries], className="agenda-items"),
        html.P(definition, className="agenda-definition muted"),
    ], id="agenda", className="agenda")


def agenda_table(title: str, rows: list[dict], total: dict, definition: str, lang: str):
    """The roll-up from wijk to gemeente: one row per wijk and a total."""
    head = html.Tr([html.Th(t(k, lang), scope="col") for k in SUMMARY_COLUMNS])

    def row(r: dict, cls: str):
        return html.Tr([html.Th(r["name"], scope="row"), html.Td(r["items"]), html.Td(r["done"]),
                        html.Td(r["on_track"]), html.Td(r["share_text"]), html.Td(r["average_text"])],
                       className=cls, **({"data-wijk": r["wijk_code"]} if r.get("wijk_code") else {}))

    return html.Section([
        html.H3(title, className="section-title"),
        html.Table([html.Thead(head), html.Tbody([row(r, "agenda-wijk") for r in rows]),
                    html.Tfoot(row(total, "agenda-total"))], className="figures agenda-table"),
        html.P(definition, className="agenda-definition muted"),
    ], id="agenda", className="agenda")
