-- The wijkagenda store (SQLite, WAL): the agenda as it stands now, and every change that made it so.
-- Written by the dashboard's workers (edits), `wijkbeeld etl agenda` (imports) and read by publish.
-- Dates are ISO text (2025-03-01), booleans 0/1, times UTC ISO text (2025-03-01T09:30:00+00:00).

-- What the store is: its `id`, random, made with it (a published version names the store and stand it came from).
CREATE TABLE IF NOT EXISTS about (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO about (key, value) VALUES ('id', lower(hex(randomblob(8))));

-- The items as they stand; `revision` goes up with every change, so a form saved over a newer state is refused.
CREATE TABLE IF NOT EXISTS items (
    id            TEXT PRIMARY KEY,
    wijk_code     TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT,
    theme         TEXT,
    owner         TEXT,
    status        TEXT,
    progress      REAL,
    start         TEXT,
    due           TEXT,
    parent_id     TEXT,
    indicator_id  TEXT,
    baseline_year INTEGER,
    direction     TEXT,
    target        REAL,
    public        INTEGER NOT NULL,
    note          TEXT,
    revision      INTEGER NOT NULL DEFAULT 1
);

-- Progress updates are never changed or deleted: a correction is a new row, and the row it corrects (or that an
-- import withdrew) names that change in `replaced_by`. Current updates are those with replaced_by NULL.
CREATE TABLE IF NOT EXISTS updates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     TEXT NOT NULL,
    date        TEXT NOT NULL,
    progress    REAL,
    status      TEXT,
    note        TEXT,
    public      INTEGER NOT NULL,          -- the progress may be shown on the public map
    note_public INTEGER NOT NULL,          -- and its note too
    change_id   INTEGER NOT NULL,          -- the change that added it
    replaced_by INTEGER                    -- the change that corrected or withdrew it
);
CREATE INDEX IF NOT EXISTS updates_item ON updates (item_id, replaced_by);

-- Which agenda item an initiative serves (one item per initiative).
CREATE TABLE IF NOT EXISTS links (
    initiative_id TEXT PRIMARY KEY,
    item_id       TEXT NOT NULL
);

-- The history: one row per change, never updated or deleted. `before` and `after` are JSON objects of the
-- fields that changed. The id orders every change; its maximum is the store's "stand".
CREATE TABLE IF NOT EXISTS changes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    who       TEXT NOT NULL,
    source    TEXT NOT NULL,               -- dashboard | import | beheer
    action    TEXT NOT NULL,               -- item_added | item_changed | item_removed | update_added |
                                           -- update_corrected | update_withdrawn | links_changed | import | roles
    item_id   TEXT,
    wijk_code TEXT,                        -- the item's wijk; for an import its scope (* or a wijk code)
    before    TEXT,
    after     TEXT,
    remark    TEXT
);
CREATE INDEX IF NOT EXISTS changes_item ON changes (item_id, id);
CREATE INDEX IF NOT EXISTS changes_wijk ON changes (wijk_code, id);
