-- The wijken and buurten of one indeling year (bound: year), for locating initiatives and checking wijkcodes.
SELECT year, level, code, name, wijk_code, gemeente_code, ST_AsWKB(geom) AS wkb
FROM regions
WHERE year = ? AND level IN ('wijk', 'buurt')
ORDER BY level, code;
