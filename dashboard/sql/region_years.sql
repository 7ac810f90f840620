-- The indeling years a code appears in, and every indeling year loaded at its level.
SELECT (SELECT list(DISTINCT year ORDER BY year) FROM regions WHERE code = $1) AS present,
       (SELECT list(DISTINCT year ORDER BY year) FROM regions WHERE level = $2) AS loaded;
