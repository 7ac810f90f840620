-- The indeling year to draw figures of year $1 at level $2 on: that year when its boundaries are loaded; else the
-- loaded indeling that holds most of the codes with figures of year $1 at level $2 (a national figure year goes on a
-- national indeling, not on the nearest year that holds one gemeente); a tie goes to the nearest year, earlier first.
SELECT r.year
FROM (SELECT DISTINCT year, code FROM regions WHERE level = $2) AS r
LEFT JOIN (SELECT DISTINCT code FROM observations WHERE year = $1 AND level = $2) AS f ON f.code = r.code
GROUP BY r.year
ORDER BY r.year = $1 DESC, count(f.code) DESC, r.year > $1, abs(r.year - $1)
LIMIT 1;
