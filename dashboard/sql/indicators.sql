-- The indicator catalogue as published: per theme its featured indicators first. Only columns that both the staff
-- and the public file have (etl/public_schema.json).
SELECT id, label_nl, label_en, theme, unit, direction, source, description, title, cbs_group, cbs_description,
       decimals, source_table, position, age_group, featured, attribution
FROM indicators
ORDER BY theme, NOT featured, id;
