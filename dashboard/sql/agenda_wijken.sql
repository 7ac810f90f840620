-- The wijken of the newest indeling, with their names and that year: what agenda items may belong to.
SELECT code, name, year
FROM regions
WHERE level = 'wijk' AND year = (SELECT max(year) FROM regions WHERE level = 'wijk')
ORDER BY code;
