-- One region as of its newest indeling year.
SELECT year, level, code, name, gemeente_code, wijk_code, lon_min, lat_min, lon_max, lat_max
FROM regions WHERE code = $1
ORDER BY year DESC LIMIT 1;
