-- The gemeenten of the newest indeling year.
SELECT code, name FROM regions
WHERE level = 'gemeente' AND year = (SELECT max(year) FROM regions)
ORDER BY name;
