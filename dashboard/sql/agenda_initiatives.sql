-- Initiatives with the agenda item each serves (if any): for linking them on the agenda pages and naming the
-- items' initiatives in the profile. Columns both the staff and the public file have.
SELECT i.id, i.name, i.wijk_code, i.status, l.item_id
FROM initiatives AS i
LEFT JOIN agenda_links AS l ON l.initiative_id = i.id
ORDER BY i.name, i.id;
