-- The staff file: everything staff may see, one best row per observation key.
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

-- The catalogue: every indicator with its source's metadata and curation (etl/load.py refresh_indicators);
-- the themes in the order the dashboard lists them.
CREATE TABLE staff.indicators AS SELECT * FROM indicators ORDER BY id;

CREATE TABLE staff.themes AS SELECT * FROM themes ORDER BY position;

-- The sources of the catalog (etl/indicators.toml) with their licence and the attribution they ask for:
-- what the dashboard names under every figure. Filled by etl/publish.py from the catalog.
CREATE TABLE staff.sources (source_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, publisher VARCHAR NOT NULL,
                            licence VARCHAR NOT NULL, attribution VARCHAR NOT NULL, url VARCHAR);

-- Several sources can carry the same figure (a Wijk- en buurtkaart column and the OData table):
-- a published figure beats a sentinel, a statistical table beats the map file, a newer load an older.
CREATE TABLE staff.observations AS
SELECT indicator_id, year, level, code, value, status, lower, upper, age_group, source_table, source_column
FROM observations
QUALIFY row_number() OVER (
    PARTITION BY indicator_id, year, level, code
    ORDER BY status IN ('ok', 'estimate') DESC, starts_with(source_table, 'wijkenbuurten_') ASC, run_id DESC
) = 1
ORDER BY indicator_id, year, level, code;

CREATE TABLE staff.column_map AS SELECT * FROM column_map ORDER BY table_id, indicator_id;

CREATE TABLE staff.etl_runs AS SELECT * FROM etl_runs ORDER BY run_id;
