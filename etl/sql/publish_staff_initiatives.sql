-- The staff file: initiatives whole, with lon/lat for the map (geometry stays in the working database). Runs
-- against the working database with the new file attached as `staff`.
CREATE TABLE staff.initiatives AS
SELECT id, name, description, theme, status, organisation, start, "end", lon, lat,
       buurt_code, wijk_code, gemeente_code, public, contact
FROM initiatives
ORDER BY id;
