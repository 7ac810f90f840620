-- All years of one indicator for one region.
SELECT year, value, status, lower, upper, source_table
FROM observations
WHERE indicator_id = $1 AND code = $2
ORDER BY year;
