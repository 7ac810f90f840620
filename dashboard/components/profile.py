"""The profile panel of one region: figures compared, the trend, and where every figure comes from."""
from __future__ import annotations

from dash import html

from dashboard import urls
from dashboard.auth import current_identity
from dashboard.state import is_code
from dashboard.text import label, t


def profile_panel(region: dict, indicator_label: str, year: int, figures: list[dict], trend: dict | None,
                  code_change: bool, lang: str):
    rows = [html.Tr([html.Th(f"{f['name']}", scope="row", className="figure-name"),
                     html.Td(f["text"], className="figure-value"),
                     html.Td(f["source"], className="figure-source")],
                    className="figure-self" if f["self"] else "figure-other") for f in figures]
    return [
        html.H2(region["name"], id="profile-name", tabIndex="-1"),
        html.P(f"{label('level', region['level'], lang)} {region['code']}", id="profile-code", className="muted"),
        html.H3(f"{indicator_label}, {year}"),
        html.Table([html.Thead(html.Tr([html.Th(t("page.area", lang), scope="col"),
                                        html.Th(t("common.indicator", lang), scope="col"),
                                        html.Th(t("common.source", lang), scope="col")])),
                    html.Tbody(rows)], id="profile-figures", className="figures"),
        html.H3(t("common.trend", lang)),
        html.Img(id="profile-trend", src=trend["src"], alt=trend["alt"], title=trend["alt"], className="trend")
        if trend else html.P(t("profile.no_trend", lang), className="muted"),
        html.P(t("profile.code_change", lang), id="profile-code-change", className="warning") if code_change else None,
    ]


def council_links(code: str, lang: str = "nl") -> list:
    """Links for the profile panel: the briefing (HTML to print, and PDF) and the comparison.

    A buurt links to the briefing of its wijk (a buurt code is its wijk code plus two digits).
    """
    if not is_code(code):
        return []
    target = "WK" + code[2:8] if code.startswith("BU") else code
    return [html.A(t("profile.briefing_print", lang), href=urls.briefing_url(target, lang=lang), target="_blank",
                   className="council-link"),
            html.A(t("profile.briefing_pdf", lang), href=urls.briefing_url(target, pdf=True, lang=lang),
                   className="council-link"),
            html.A(t("profile.compare", lang), href=urls.compare_url(code, lang), target="_blank",
                   className="council-link")]


def staff_links(code: str, lang: str, more: list = ()):
    """Under a region's profile in the staff app: its figures as CSV, its briefing and the comparison (and
    ``more``: the wijk's agenda pages, for who may see them)."""
    links = [html.A(t("profile.export", lang), href=urls.export_profile_url(code), id="export-profile"),
             *council_links(code, lang), *more]
    return html.Ul([html.Li(link) for link in links], className="profile-links link-list")


def agenda_links(found: dict, lang: str) -> list:
    """The wijk's agenda pages, for who may see them: to change it (an editor) or to see its history (a viewer)."""
    wijk = found["code"] if found["level"] == "wijk" else found.get("wijk_code")
    roles = current_identity().roles
    if not wijk or not roles.allows("viewer", wijk):
        return []
    editor = roles.allows("editor", wijk)
    return [html.A(t("edit.open" if editor else "edit.view", lang), href=urls.agenda_url(wijk, lang=lang),
                   id="agenda-edit", className="agenda-edit-link")]


def my_area_link(code: str, lang: str):
    """Under a buurt's or wijk's name: its page for residents, in plain words (dashboard/residents.py)."""
    return html.P(html.A(t("residents.link", lang), href=urls.my_area_url(code, lang), id="my-area-link"),
                  className="my-area-link")
