"""The wijkagenda kept up to date in the staff dashboard: pages to add progress, change and add items, link
initiatives, read in and download the agenda spreadsheet, see and export the history, and manage roles.

Registered in the staff app only; the public app answers 404 on every one of these paths
(``dashboard.app.STAFF_PATHS``). What is saved goes to the agenda store (:mod:`etl.wijkagenda.store`) and reaches
the maps with the next ``wijkbeeld publish --agenda-only``.
"""
from __future__ import annotations


def register_editing_routes(server, data) -> None:
    from dashboard.editing import pages, roles_page, transfer

    pages.register(server, data)
    transfer.register(server, data)
    roles_page.register(server)
