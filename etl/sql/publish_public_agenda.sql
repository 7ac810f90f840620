-- The public file's wijkagenda: public items only, without internal notes; progress updates that are public, with
-- their note only when it was marked public; links between public initiatives and public items. Built from the
-- staff file (attached as `staff`) into `public`; CREATE OR REPLACE for `wijkbeeld publish --agenda-only`.
CREATE OR REPLACE TABLE public.agenda_items AS
SELECT id, wijk_code, title, description, theme, owner, status, progress, start, due,
       -- a parent that is not public is not named
       CASE WHEN parent_id IN (SELECT id FROM staff.agenda_items WHERE public) THEN parent_id END AS parent_id,
       indicator_id, baseline_year, direction, target
FROM staff.agenda_items
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
