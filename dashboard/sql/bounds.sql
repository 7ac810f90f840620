-- The extent of everything drawn at one level in one indeling year, lon/lat.
SELECT min(lat_min) AS south, min(lon_min) AS west, max(lat_max) AS north, max(lon_max) AS east
FROM regions WHERE year = $1 AND level = $2;
