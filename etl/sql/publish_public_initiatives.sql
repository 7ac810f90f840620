-- The public file: only public initiatives, without contact details (see etl/public_schema.json). Built from the
-- staff file just written, attached as `staff`, into `public`.
CREATE TABLE public.initiatives AS
SELECT id, name, description, theme, status, organisation, start, "end", lon, lat,
       buurt_code, wijk_code, gemeente_code
FROM staff.initiatives
WHERE public
ORDER BY id;
