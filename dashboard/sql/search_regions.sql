-- Regions whose name or code matches what was typed, best matches first (newest indeling year).
SELECT code, name, level FROM (
    SELECT DISTINCT ON (code) code, name, level, year FROM regions ORDER BY code, year DESC
)
WHERE name ILIKE '%' || $1 || '%' ESCAPE '\' OR code ILIKE $1 || '%' ESCAPE '\'
ORDER BY lower(name) <> lower($1), NOT starts_with(lower(name), lower($1)),
         CASE level WHEN 'gemeente' THEN 0 WHEN 'wijk' THEN 1 ELSE 2 END, name
LIMIT 15;
