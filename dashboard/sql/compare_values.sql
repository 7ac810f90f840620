-- One indicator in one year for a region and the areas it lies in.
SELECT code, level, value, status, lower, upper, source_table
FROM observations
WHERE indicator_id = $1 AND year = $2 AND list_contains($3, code);
