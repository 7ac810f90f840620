"""What the agenda pages check against and offer, read from the published staff file (the wijken of the newest
indeling, the catalog's indicators, the initiatives) — the same reference the command line's import takes from the
working database — and how a page is rendered."""
from __future__ import annotations

from flask import Response, request

from dashboard import urls
from dashboard.auth import current_identity
from dashboard.db import PublishedData
from dashboard.editing import guard
from dashboard.templating import render
from dashboard.text import LANGUAGES, label
from etl.sources.agenda import AgendaRules
from etl.sources.spreadsheet import columns_config


def lang() -> str:
    chosen = request.args.get("taal") or request.form.get("taal")
    return chosen if chosen in LANGUAGES else "nl"


def page(template: str, status: int = 200, **context) -> Response:
    """A page of ``dashboard/templates`` with what every agenda page uses: the language and its words (``t``,
    ``field``, ``status_label``), a form token, who asks, and the addresses (``urls``)."""
    chosen = lang()
    body = render(template, chosen, field=lambda name: label("field", name, chosen),
                  status_label=lambda s: label("status", s, chosen), csrf=guard.form_token(),
                  identity=current_identity(), urls=urls, **context)
    return Response(body, status=status, mimetype="text/html",
                    headers={"Cache-Control": "no-store", "Content-Language": chosen})


class Reference:
    def __init__(self, data: PublishedData):
        self.data = data

    lang = staticmethod(lang)

    def wijken(self) -> dict[str, str]:
        """Code → name of the wijken of the newest indeling published."""
        return {r["code"]: r["name"] or r["code"] for r in self.data.cached("agenda_wijken")}

    def rules(self, scope: str = "*", outside: dict | None = None) -> AgendaRules:
        rows = self.data.cached("agenda_wijken")
        return AgendaRules(frozenset(r["code"] for r in rows), self.indicators(), rows[0]["year"] if rows else None,
                           scope, outside or {})

    def indicators(self) -> dict[str, str]:
        return {i["id"]: i["direction"] for i in self.data.cached("indicators")}

    def initiatives(self) -> list[dict]:
        return self.data.cached("agenda_initiatives")

    def options(self, stored: list[dict], identity, item: dict) -> dict:
        """The choices of the item form's selects, for ``item`` (a new one: id None)."""
        config = columns_config()
        chosen = lang()
        wijk = item["wijk_code"]
        parents = [i for i in stored if i["wijk_code"] == wijk and i["id"] != item["id"]]
        if item["parent_id"] and all(p["id"] != item["parent_id"] for p in parents):
            parents += [i for i in stored if i["id"] == item["parent_id"]]
        return {
            "wijkcode": [(c, f"{n} ({c})") for c, n in self.wijken().items()
                         if identity.roles.allows("editor", c) or c == wijk],
            "thema": [("", "–")] + [(th, th) for th in config["themes"]],
            "status": [("", "–")] + [(s, label("status", s, chosen)) for s in config["statuses"]],
            "indicator": [("", "–")] + [(i["id"], i["label_nl" if chosen == "nl" else "label_en"])
                                        for i in self.data.cached("indicators")],
            "richting": [("", "–"), ("omhoog", "omhoog ↑"), ("omlaag", "omlaag ↓")],
            "openbaar": [("ja", "ja"), ("nee", "nee")],
            "bovenliggend": [("", "–")] + [(p["id"], f"{p['id']}: {p['title']}") for p in parents],
        }
