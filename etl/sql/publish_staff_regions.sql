-- The staff file's regions, first: the geometry files are written from them while the other tables are built.
-- Runs against the working database with the new file attached as `staff`.
-- Bounds in EPSG:4326 (lon/lat) so the dashboard can zoom to a region without geometry work.
-- Every region has a name: a region without one in its year (a boundary file that carries codes only) takes the
-- name from the nearest year that has one (on a tie the later year), else its code.
CREATE TABLE staff.regions AS
WITH named AS (
    SELECT code, year, name FROM regions WHERE nullif(trim(name), '') IS NOT NULL
), nearest AS (
    SELECT r.year, r.code, arg_min(n.name, abs(n.year - r.year) * 2 + (n.year < r.year)::INTEGER) AS name
    FROM regions AS r JOIN named AS n ON n.code = r.code
    WHERE nullif(trim(r.name), '') IS NULL
    GROUP BY r.year, r.code
)
SELECT r.year, r.level, r.code, coalesce(nullif(trim(r.name), ''), nearest.name, r.code) AS name,
       r.gemeente_code, r.wijk_code,
       ST_XMin(box) AS lon_min, ST_YMin(box) AS lat_min, ST_XMax(box) AS lon_max, ST_YMax(box) AS lat_max,
       r.geom
FROM (SELECT *, ST_Transform(ST_Envelope(geom), 'EPSG:28992', 'EPSG:4326') AS box FROM regions) AS r
LEFT JOIN nearest ON nearest.year = r.year AND nearest.code = r.code
ORDER BY r.year, r.level, r.code;
