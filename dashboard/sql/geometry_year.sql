-- The indeling year to draw figures of year $1 at level $2 on: that year, else the nearest earlier, else later.
SELECT year FROM (SELECT DISTINCT year FROM regions WHERE level = $2)
ORDER BY year > $1, abs(year - $1)
LIMIT 1;
