-- The staff file: everything staff may see, one best row per observation key.
-- Runs against the working database with the new file attached as `staff`.
-- Its regions come first, from publish_staff_regions.sql.

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
