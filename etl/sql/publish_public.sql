-- The public file: only what residents may see (see etl/public_schema.json, checked by the tests).
-- Built from the staff file just written, attached as `staff`, into `public`.
CREATE TABLE public.regions AS
SELECT year, level, code, name, gemeente_code, wijk_code, lon_min, lat_min, lon_max, lat_max FROM staff.regions;

-- Own figures of the gemeente reach it only when declared public; so do their observations.
CREATE TABLE public.indicators AS
SELECT id, label_nl, label_en, theme, unit, direction, source, description, title, cbs_group, cbs_description,
       decimals, source_table, position, age_group, featured, attribution
FROM staff.indicators
WHERE public
ORDER BY id;

CREATE TABLE public.themes AS SELECT id, label_nl, label_en, position FROM staff.themes ORDER BY position;

CREATE TABLE public.sources AS
SELECT source_id, name, publisher, licence, attribution, url FROM staff.sources;

CREATE TABLE public.observations AS
SELECT indicator_id, year, level, code, value, status, lower, upper, age_group, source_table
FROM staff.observations
WHERE indicator_id IN (SELECT id FROM public.indicators);
