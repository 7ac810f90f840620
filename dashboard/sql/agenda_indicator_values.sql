-- Every year of some indicators for some codes (a wijk and its gemeente): the figures behind the
-- "since the item started" comparison of linked agenda items. Suppressed and missing values are NULL
-- with their status.
SELECT indicator_id, code, year, value, status, lower, upper
FROM observations
WHERE list_contains($1, indicator_id) AND list_contains($2, code)
ORDER BY indicator_id, code, year;
