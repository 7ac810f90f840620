"""The wijkagenda's pages: the agenda of a wijk, an item with its progress, initiatives and history, a new item.

Server-rendered forms (autoescaped Jinja, ``dashboard/templates/agenda_*.html``); every change goes through the
importer's own checks (:func:`etl.sources.agenda.item_from_fields`, :func:`~etl.sources.agenda.update_from_fields`)
and is one transaction of the agenda store (:mod:`etl.wijkagenda.edits`). Viewers of a wijk see these pages,
editors of it may change them; anyone else gets a 403.
"""
from __future__ import annotations

from datetime import date

from flask import Response, abort, redirect, request

from dashboard import urls
from dashboard.auth import current_identity
from dashboard.editing import guard
from dashboard.editing.present import (ITEM_INPUTS, UPDATE_INPUTS, form_text, history_rows, item_form, local_time,
                                       next_id, posted, problems_by_input, tree)
from dashboard.editing.reference import Reference, page
from etl.errors import LoadError
from etl.sources.agenda import item_from_fields, update_from_fields
from etl.wijkagenda import edits, store

MESSAGES = {"opgeslagen": "edit.saved", "ongewijzigd": "edit.nothing"}


def register(server, data) -> None:
    reference = Reference(data)

    @server.route(urls.AGENDA)
    def agenda_index():
        identity = current_identity()
        wijken = {c: n for c, n in reference.wijken().items() if identity.roles.allows("viewer", c)}
        if not wijken:
            abort(403)
        return page("agenda_index.html", wijken=wijken, editor="*" if identity.roles.allows("editor", "*") else None)

    @server.route(urls.AGENDA_WIJK)
    def agenda_wijk(wijk: str):
        guard.wijk_or_404(wijk)
        identity = guard.require("viewer", wijk)
        with guard.agenda_store() as con:
            items = store.items(con, wijk)
        return page("agenda_wijk.html", wijk=wijk, wijk_name=reference.wijken().get(wijk, wijk), rows=tree(items),
                    editor=identity.roles.allows("editor", wijk), message=_message())

    @server.route(urls.AGENDA_NEW, methods=["GET", "POST"])
    def agenda_new(wijk: str):
        guard.wijk_or_404(wijk)
        identity = guard.require("editor", wijk)
        with guard.agenda_store() as con:
            stored = store.items(con)
            values = {**item_form({"wijk_code": wijk, "parent_id": request.args.get("bovenliggend"), "public": False}),
                      "id": next_id([i["id"] for i in stored], wijk)}
            problems = ([], {})
            if request.method == "POST":
                guard.check_form()
                values = posted(request.form, ITEM_INPUTS)
                try:
                    item = item_from_fields(values, reference.rules(outside={i["id"]: i["parent_id"] for i in stored}))
                    guard.require("editor", item["wijk_code"])
                    edits.add_item(con, identity.name, item)
                    return _back_to(item["id"], "opgeslagen")
                except LoadError as error:
                    problems = problems_by_input(error)
        return page("agenda_new.html", status=400 if problems[0] else 200, wijk=wijk, values=values,
                    problems=problems, options=reference.options(stored, identity, {"id": None, "wijk_code": wijk,
                                                                                    "parent_id": None}))

    @server.route(urls.AGENDA_ITEM, methods=["GET", "POST"])
    def agenda_item(item_id: str):
        with guard.agenda_store() as con:
            item = store.get_item(con, item_id)
            if item is None:
                abort(404)
            identity = guard.require("viewer", item["wijk_code"])
            state = {"values": item_form(item), "problems": ([], {}), "update": {}, "stale": None, "status": 200,
                     "form": None}
            if request.method == "POST":
                guard.require("editor", item["wijk_code"])
                guard.check_form()
                answer = _change(con, reference, identity, item, state)
                if answer is not None:
                    return answer
                item = store.get_item(con, item_id)
            return _item_page(con, reference, identity, item, state)


def _change(con, reference: Reference, identity, item: dict, state: dict) -> Response | None:
    """Carry out the posted action; a redirect when it is saved, else None with the page's state filled in."""
    action = request.form.get("actie")
    try:
        if action == "wijzig":
            values = {**posted(request.form, ITEM_INPUTS), "id": item["id"]}
            state["values"] = values
            others = {i["id"]: i["parent_id"] for i in store.items(con) if i["id"] != item["id"]}
            changed = item_from_fields(values, reference.rules(outside=others))
            guard.require("editor", changed["wijk_code"])
            revision = request.form.get("revisie", "")
            saved = edits.change_item(con, identity.name, changed, int(revision) if revision.isdigit() else -1)
        elif action == "voortgang":
            values = {**posted(request.form, UPDATE_INPUTS), "id": item["id"]}
            state["update"] = values
            corrects = request.form.get("corrigeert", "")
            saved = edits.add_update(con, identity.name, update_from_fields(values, {item["id"]: item}),
                                     int(corrects) if corrects.isdigit() else None)
        elif action == "koppel":
            chosen = request.form.getlist("initiatief")
            known = {i["id"] for i in reference.initiatives()}
            if not set(chosen) <= known:
                abort(400)
            saved = edits.set_links(con, identity.name, item["id"], chosen)
        else:
            abort(400)
    except LoadError as error:
        state["problems"], state["status"] = problems_by_input(error), 400
        state["form"] = action
        return None
    except edits.Stale as stale:
        state["stale"], state["status"] = stale.change or {"who": "?", "at": None}, 409
        state["values"] = {**state["values"], "revisie": str(stale.item["revision"])}
        return None
    except edits.NotFound:
        abort(404)
    return _back_to(item["id"], "opgeslagen" if saved else "ongewijzigd")


def _item_page(con, reference: Reference, identity, item: dict, state: dict) -> Response:
    wijk = item["wijk_code"]
    updates = [u for u in store.updates(con, wijk) if u["item_id"] == item["id"]]
    linked = {i for i, it in store.links(con).items() if it == item["id"]}
    corrects = request.args.get("corrigeer", "")
    correcting = next((u for u in updates if str(u["id"]) == corrects), None)
    update_values = state["update"] or {
        "datum": form_text(correcting["date"] if correcting else date.today()),
        "voortgang": form_text(correcting["progress"] if correcting else item["progress"]),
        "status": (correcting or item)["status"] or "", "notitie": (correcting or {}).get("note") or "",
        "openbaar": "nee" if not item["public"] else ""}
    stale = state["stale"]
    return page("agenda_item.html", status=state["status"], item=item, wijk=wijk,
                wijk_name=reference.wijken().get(wijk, wijk), editor=identity.roles.allows("editor", wijk),
                values=state["values"], revision=state["values"].get("revisie", item["revision"]),
                problems=state["problems"], form=state["form"], updates=updates, update_values=update_values, correcting=correcting,
                initiatives=[i for i in reference.initiatives() if i["wijk_code"] == wijk or i["id"] in linked],
                linked=linked, history=history_rows(store.history(con, item_id=item["id"]), reference.lang()),
                stale={"who": stale["who"], "at": local_time(stale["at"]) if stale.get("at") else "?"} if stale
                else None, options=reference.options(store.items(con), identity, item), message=_message(),
                local_time=local_time)


def _back_to(item_id: str, message: str):
    """After a saved form: back to the item (303, so a reload does not post again)."""
    return redirect(urls.agenda_item_url(item_id, Reference.lang(), bericht=message), code=303)


def _message() -> str | None:
    return MESSAGES.get(request.args.get("bericht", ""))
