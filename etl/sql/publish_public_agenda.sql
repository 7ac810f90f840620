-- The public file's wijkagenda: public items only, without internal notes; progress updates that are public, with
-- their note only when it was marked public; links between public initiatives and public items. Built from the
-- staff file (attached as `staff`) into `public`; CREATE OR REPLACE for `wijkbeeld publish --agenda-only`.
-- An indicator that is not public (own figures not declared public) is not named, and neither are the baseline,
-- direction and target that belong to it: the public file's indicators are made first (publish_public.sql).
CREATE OR REPLACE TABLE public.agenda_items AS
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

CREATE OR REPLACE TABLE public.agenda_updates AS
SELECT item_id, date, progress, status, CASE WHEN note_public THEN note END AS note
FROM staff.agenda_updates
WHERE public AND item_id IN (SELECT id FROM staff.agenda_items WHERE public)
ORDER BY item_id, date;

CREATE OR REPLACE TABLE public.agenda_links AS
SELECT initiative_id, item_id
FROM staff.agenda_links
WHERE initiative_id IN (SELECT id FROM public.initiatives) AND item_id IN (SELECT id FROM public.agenda_items)
ORDER BY initiative_id;
