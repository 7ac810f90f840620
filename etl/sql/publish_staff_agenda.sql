-- The staff file's wijkagenda as it stands in the agenda store (imports and dashboard edits), registered by
-- etl/wijkagenda/publish.py as store_agenda_items, store_agenda_updates (current ones only) and store_agenda_links.
-- CREATE OR REPLACE: `wijkbeeld publish --agenda-only` runs it on a copy of the last version's staff file.
CREATE OR REPLACE TABLE staff.agenda_items AS
SELECT id, wijk_code, title, description, theme, owner, status, progress, start, due, parent_id,
       indicator_id, baseline_year, direction, target, public, note
FROM store_agenda_items
ORDER BY wijk_code, id;

CREATE OR REPLACE TABLE staff.agenda_updates AS
SELECT item_id, date, progress, status, note, public, note_public
FROM store_agenda_updates
WHERE item_id IN (SELECT id FROM staff.agenda_items)
ORDER BY item_id, date;

-- which agenda item an initiative serves: only pairs whose initiative and item are both published
CREATE OR REPLACE TABLE staff.agenda_links AS
SELECT initiative_id, item_id
FROM store_agenda_links
WHERE initiative_id IN (SELECT id FROM staff.initiatives) AND item_id IN (SELECT id FROM staff.agenda_items)
ORDER BY initiative_id;
