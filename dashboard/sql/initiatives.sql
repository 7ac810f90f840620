-- Initiatives with a place on the map (columns present in both the staff and the public file).
SELECT id, name, description, theme, status, organisation, start, "end", lon, lat, buurt_code, wijk_code
FROM initiatives
WHERE lon IS NOT NULL AND lat IS NOT NULL
ORDER BY id;
