-- Codes drawn at one level in one indeling year, in the order of the geometry file.
SELECT code FROM regions WHERE year = $1 AND level = $2 ORDER BY code;
