-- The staff file: initiatives and the wijkagenda whole, with lon/lat for the map (geometry stays in the
-- working database). Runs against the working database with the new file attached as `staff`.
CREATE TABLE staff.initiatives AS
SELECT id, name, description, theme, status, organisation, start, "end", lon, lat,
       buurt_code, wijk_code, gemeente_code, public, contact
FROM initiatives
ORDER BY id;

CREATE TABLE staff.agenda_items AS
SELECT id, wijk_code, title, description, theme, owner, status, progress, start, due, parent_id,
       indicator_id, baseline_year, direction, target, public, note
FROM agenda_items
ORDER BY wijk_code, id;

CREATE TABLE staff.agenda_updates AS
SELECT item_id, date, progress, status, note, public
FROM agenda_updates
ORDER BY item_id, date;
