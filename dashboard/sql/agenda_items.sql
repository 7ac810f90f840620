-- Wijkagenda items of some wijken, or of every wijk of some gemeenten: $codes holds wijk and/or gemeente
-- codes, or is NULL for every item. With the wijk's newest name and gemeente, and the progress expected
-- on $today if the work went evenly from start to due (0 before the start, 100 from the due date on).
-- Only columns that both the staff and the public file have (etl/public_schema.json).
WITH wijk AS (
    SELECT code, arg_max(name, year) AS wijk_name, arg_max(gemeente_code, year) AS gemeente_code
    FROM regions
    WHERE level = 'wijk'
    GROUP BY code
)
SELECT a.id, a.wijk_code, w.wijk_name, w.gemeente_code, a.title, a.description, a.theme, a.owner, a.status,
       a.progress, a.start, a.due, a.parent_id, a.indicator_id, a.baseline_year, a.direction, a.target,
       CASE
           WHEN a.start IS NULL OR a.due IS NULL THEN NULL
           WHEN a.due <= a.start THEN CASE WHEN $today >= a.due THEN 100.0 ELSE 0.0 END
           ELSE 100.0 * least(greatest(date_diff('day', a.start, $today) / date_diff('day', a.start, a.due), 0), 1)
       END AS expected_progress
FROM agenda_items AS a
LEFT JOIN wijk AS w ON w.code = a.wijk_code
WHERE $codes IS NULL OR list_contains($codes, a.wijk_code) OR list_contains($codes, w.gemeente_code)
ORDER BY a.wijk_code, a.id;
