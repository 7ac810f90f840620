-- The public file: only what residents may see (see etl/public_schema.json, checked by the tests).
-- Built from the staff file just written, attached as `staff`, into `public`.
CREATE TABLE public.regions AS
SELECT year, level, code, name, gemeente_code, wijk_code, lon_min, lat_min, lon_max, lat_max FROM staff.regions;

CREATE TABLE public.indicators AS
SELECT id, label_nl, label_en, theme, unit, direction, source, description FROM staff.indicators;

CREATE TABLE public.sources AS
SELECT source_id, name, publisher, licence, attribution, url FROM staff.sources;

CREATE TABLE public.observations AS
SELECT indicator_id, year, level, code, value, status, lower, upper, age_group, source_table
FROM staff.observations;
