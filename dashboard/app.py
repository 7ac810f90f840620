"""The Dash application shell: one app per audience over one published file."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import dcc, html

from dashboard import callbacks, ids
from dashboard.db import PublishedData
from dashboard.routes import register_geometry_route


def create_app(data_dir: Path, audience: str = "staff") -> dash.Dash:
    data = PublishedData(data_dir, audience)
    app = dash.Dash(__name__, title="wijkbeeld", update_title=None, serve_locally=True,
                    suppress_callback_exceptions=True, assets_folder=str(Path(__file__).with_name("assets")))
    app.layout = html.Div([dcc.Location(id=ids.URL), html.Div(id=ids.PAGE)])
    app.server.config["WIJKBEELD_DATA"] = data
    register_geometry_route(app.server, data)
    callbacks.register(app, data)
    return app
