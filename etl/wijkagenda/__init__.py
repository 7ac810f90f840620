"""The living wijkagenda: the store its edits are written to, imports merged into it, and how it is published.

- :mod:`etl.wijkagenda.store`: the SQLite file (WAL) beside the working database that every writer shares — the
  dashboard's workers, ``wijkbeeld etl agenda`` and the publisher — with the history of every change.
- :mod:`etl.wijkagenda.edits`: what an editor does in the dashboard, one transaction each.
- :mod:`etl.wijkagenda.merge`: an imported file merged into the store, refused when it would silently undo an edit.
- :mod:`etl.wijkagenda.template`: the current agenda as the spreadsheet the importer reads.
- :mod:`etl.wijkagenda.publish`: the agenda into published versions, alone within seconds, or with a full publish.

Why SQLite and not the working DuckDB file: ``docs/wijkagenda-edits.md``.
"""
