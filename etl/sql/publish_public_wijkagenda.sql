-- The public file: only public initiatives and agenda items, without contact details or internal notes
-- (see etl/public_schema.json). Built from the staff file just written, attached as `staff`, into `public`.
CREATE TABLE public.initiatives AS
SELECT id, name, description, theme, status, organisation, start, "end", lon, lat,
       buurt_code, wijk_code, gemeente_code
FROM staff.initiatives
WHERE public
ORDER BY id;

-- Runs after publish_public.sql: an indicator that is not public (own figures not declared public) is not named,
-- and neither are the baseline, direction and target that belong to it.
CREATE TABLE public.agenda_items AS
WITH shown AS (
    SELECT *, indicator_id IS NULL OR indicator_id IN (SELECT id FROM public.indicators) AS indicator_public
    FROM staff.agenda_items
)
SELECT id, wijk_code, title, description, theme, owner, status, progress, start, due,
       -- a parent that is not public is not named
       CASE WHEN parent_id IN (SELECT id FROM staff.agenda_items WHERE public) THEN parent_id END AS parent_id,
       CASE WHEN indicator_public THEN indicator_id END AS indicator_id,
       CASE WHEN indicator_public THEN baseline_year END AS baseline_year,
       CASE WHEN indicator_public THEN direction END AS direction,
       CASE WHEN indicator_public THEN target END AS target
FROM shown
WHERE public
ORDER BY wijk_code, id;

CREATE TABLE public.agenda_updates AS
SELECT item_id, date, progress, status
FROM staff.agenda_updates
WHERE public AND item_id IN (SELECT id FROM staff.agenda_items WHERE public)
ORDER BY item_id, date;
