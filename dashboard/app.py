"""The Dash application shell: one app per audience over one published file."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import dash_table, html

from dashboard.db import NotPublished, PublishedData

FICTIONAL_NOTE = "Voorbeeldstad is een fictieve gemeente: de cijfers in de demo zijn gegenereerd."


def create_app(data_dir: Path, audience: str = "staff") -> dash.Dash:
    data = PublishedData(data_dir, audience)
    app = dash.Dash(__name__, title="wijkbeeld", update_title=None, serve_locally=True)
    app.layout = lambda: layout(data)
    app.server.config["WIJKBEELD_DATA"] = data
    return app


def layout(data: PublishedData):
    try:
        indicators = data.rows("indicator_overview")
        gemeenten = data.rows("gemeenten")
    except NotPublished as error:
        return html.Main([html.H1("wijkbeeld"), html.P(str(error), id="not-published")])
    fictional = any(g["code"] == "GM9999" for g in gemeenten)
    return html.Main([
        html.H1("wijkbeeld"),
        html.P(FICTIONAL_NOTE, id="fictional-note", className="notice") if fictional else None,
        html.P(f"Gemeenten: {', '.join(g['name'] for g in gemeenten)}", id="gemeenten"),
        html.H2("Indicatoren"),
        dash_table.DataTable(
            id="indicator-table",
            columns=[{"name": n, "id": i} for i, n in (("label_nl", "Indicator"), ("theme", "Thema"),
                                                       ("unit", "Eenheid"), ("years", "Jaren"),
                                                       ("figures", "Cijfers"), ("withheld", "Geheim/onbekend"))],
            data=indicators),
        html.Footer("Bron: CBS, Kadaster (CC BY 4.0); Gezondheidsmonitor, GGD'en, CBS en RIVM."),
    ])
