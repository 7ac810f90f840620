-- Names of a set of codes, newest indeling year first.
SELECT DISTINCT ON (code) code, name FROM regions WHERE list_contains($1, code) ORDER BY code, year DESC;
