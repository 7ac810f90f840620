-- Initiatives with a place on the map, and the wijkagenda item each serves (if any; in the public file only a
-- public item). Columns present in both the staff and the public file.
SELECT i.id, i.name, i.description, i.theme, i.status, i.organisation, i.start, i."end", i.lon, i.lat,
       i.buurt_code, i.wijk_code, a.id AS agenda_item_id, a.title AS agenda_item
FROM initiatives AS i
LEFT JOIN agenda_links AS l ON l.initiative_id = i.id
LEFT JOIN agenda_items AS a ON a.id = l.item_id
WHERE i.lon IS NOT NULL AND i.lat IS NOT NULL
ORDER BY i.id;
