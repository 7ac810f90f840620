"""Staff-only data-quality page: what was loaded when from where, and what is missing."""
from __future__ import annotations

from flask import render_template_string

from dashboard.db import PublishedData

PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>wijkbeeld — datakwaliteit</title>
<style>body{font-family:sans-serif;margin:1.5rem;color:#1a1a1a} table{border-collapse:collapse;margin-bottom:1.5rem;
font-size:.85rem} th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef5fb} .failed{background:#fde8e8} .unpublished{background:#fff4ce}</style></head>
<body><h1>Datakwaliteit</h1><p><a href="/">← terug naar de kaart</a> · gepubliceerde versie {{ version }}</p>
<h2>Laadgeschiedenis (etl_runs)</h2>
<table id="etl-runs"><tr><th>#</th><th>taak</th><th>status</th><th>bron</th><th>sha256</th><th>rijen in/uit</th>
<th>gestart</th><th>klaar</th><th>melding</th></tr>
{% for r in runs %}<tr class="{{ r.status }}"><td>{{ r.run_id }}</td><td>{{ r.job }}</td><td>{{ r.status }}</td>
<td>{{ r.source }}</td><td>{{ (r.sha256 or '')[:12] }}</td><td>{{ r.rows_in or '' }} / {{ r.rows_out or '' }}</td>
<td>{{ r.started }}</td><td>{{ r.finished }}</td><td>{{ r.message or '' }}</td></tr>{% endfor %}</table>
<h2>Kolommen per brontabel (column_map)</h2>
<p>“unpublished”: CBS heeft de kolom nog niet gevuld (nog niet gepubliceerd).</p>
<table id="column-map"><tr><th>tabel</th><th>jaar</th><th>indicator</th><th>kolom</th><th>titel</th><th>eenheid</th>
<th>status</th></tr>
{% for c in columns %}<tr class="{{ c.status }}"><td>{{ c.table_id }}</td><td>{{ c.year }}</td><td>{{ c.indicator_id }}</td>
<td>{{ c.source_key }}</td><td>{{ c.source_title or '' }}</td><td>{{ c.unit or '' }}</td><td>{{ c.status }}</td></tr>
{% endfor %}</table>
<h2>Niet gevonden in een geladen tabel</h2>
<table id="unresolved"><tr><th>tabel</th><th>indicator</th></tr>
{% for u in unresolved %}<tr><td>{{ u.table_id }}</td><td>{{ u.label_nl }} ({{ u.indicator_id }})</td></tr>
{% else %}<tr><td colspan="2">Alle indicatoren van de catalogus gevonden.</td></tr>{% endfor %}</table>
<h2>Gebieden</h2>
<table id="regions"><tr><th>probleem</th><th>jaar</th><th>niveau</th><th>code</th></tr>
{% for g in regions %}<tr><td>{{ g.problem }}</td><td>{{ g.year }}</td><td>{{ g.level }}</td><td>{{ g.code }}</td></tr>
{% else %}<tr><td colspan="4">Geen gebieden zonder geometrie; alle cijfers horen bij een geladen gebied.</td></tr>
{% endfor %}</table></body></html>"""


def register_quality_route(server, data: PublishedData) -> None:
    @server.route("/kwaliteit")
    def quality():
        return render_template_string(
            PAGE, version=data.version().rsplit("/", 1)[-1], runs=data.rows("quality_runs"),
            columns=data.rows("quality_columns"), unresolved=data.rows("quality_unresolved"),
            regions=data.rows("quality_regions"))
