-- The working database: every load lands here; publish builds the served files from it.
-- Geometry is always EPSG:28992 (RD New); the CRS is not kept in the column type across reopen,
-- so it is stated here and checked by the loaders.
CREATE SEQUENCE IF NOT EXISTS etl_run_id START 1;

CREATE TABLE IF NOT EXISTS regions (
    year          INTEGER NOT NULL,   -- indeling year
    level         VARCHAR NOT NULL,   -- gemeente | wijk | buurt
    code          VARCHAR NOT NULL,   -- GM0150, WK015001, BU01500101
    name          VARCHAR,
    gemeente_code VARCHAR,
    wijk_code     VARCHAR,
    geom          GEOMETRY,           -- EPSG:28992, MultiPolygon
    PRIMARY KEY (year, level, code)
);

CREATE TABLE IF NOT EXISTS indicators (
    id          VARCHAR PRIMARY KEY,
    label_nl    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    theme       VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    direction   VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    description VARCHAR
);

-- Long format, one row per source: publish keeps the best row per (indicator, year, level, code).
CREATE TABLE IF NOT EXISTS observations (
    indicator_id  VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    level         VARCHAR NOT NULL,   -- land | gemeente | wijk | buurt
    code          VARCHAR NOT NULL,
    value         DOUBLE,             -- NULL unless status is ok or estimate
    status        VARCHAR NOT NULL,   -- ok | suppressed | missing | estimate
    lower         DOUBLE,             -- margins of a model estimate, where given
    upper         DOUBLE,
    age_group     VARCHAR,            -- e.g. '18+' for RIVM estimates
    source_table  VARCHAR NOT NULL,   -- 85984NED, 50120NED, wijkenbuurten_2024
    source_column VARCHAR,
    run_id        INTEGER,
    PRIMARY KEY (indicator_id, year, level, code, source_table)
);

CREATE TABLE IF NOT EXISTS column_map (
    table_id     VARCHAR NOT NULL,
    year         INTEGER,
    indicator_id VARCHAR NOT NULL,
    source_key   VARCHAR NOT NULL,
    source_title VARCHAR,
    unit         VARCHAR,
    status       VARCHAR,            -- resolved | unpublished
    PRIMARY KEY (table_id, indicator_id)
);

CREATE TABLE IF NOT EXISTS etl_runs (
    run_id    INTEGER PRIMARY KEY,
    job       VARCHAR NOT NULL,      -- boundaries | kerncijfers | health | publish
    source    VARCHAR NOT NULL,      -- URL or path
    sha256    VARCHAR,               -- of the file or the fetched rows
    catalog_sha256 VARCHAR,          -- of etl/indicators.toml: a changed catalog reloads a source
    rows_in   BIGINT,
    rows_out  BIGINT,
    started   TIMESTAMP NOT NULL,
    finished  TIMESTAMP,
    status    VARCHAR NOT NULL,      -- ok | unchanged | failed
    message   VARCHAR
);

-- Initiatives (wijkbeeld etl initiatives): replaced whole by each load. `contact` and rows with
-- public = false never reach the public file. lon/lat (EPSG:4326) are precomputed for the map.
CREATE TABLE IF NOT EXISTS initiatives (
    id            VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    description   VARCHAR,
    theme         VARCHAR,
    status        VARCHAR,            -- idee | gepland | loopt | afgerond | gestopt
    organisation  VARCHAR,
    start         DATE,
    "end"         DATE,
    geom          GEOMETRY,           -- EPSG:28992, Point
    lon           DOUBLE,
    lat           DOUBLE,
    buurt_code    VARCHAR,            -- NULL when located by a wijkcode only
    wijk_code     VARCHAR,
    gemeente_code VARCHAR,
    public        BOOLEAN NOT NULL,
    contact       VARCHAR             -- private
);

-- The wijkagenda (wijkbeeld etl agenda): items and their progress updates, replaced whole by each load.
CREATE TABLE IF NOT EXISTS agenda_items (
    id            VARCHAR PRIMARY KEY,
    wijk_code     VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    description   VARCHAR,
    theme         VARCHAR,
    owner         VARCHAR,
    status        VARCHAR,            -- idee | gepland | loopt | afgerond | gestopt
    progress      DOUBLE,             -- 0–100 %
    start         DATE,
    due           DATE,
    parent_id     VARCHAR,
    indicator_id  VARCHAR,            -- etl/indicators.toml
    baseline_year INTEGER,
    direction     VARCHAR,            -- omhoog | omlaag: where the indicator should go
    target        DOUBLE,
    public        BOOLEAN NOT NULL,
    note          VARCHAR             -- internal
);

CREATE TABLE IF NOT EXISTS agenda_updates (
    item_id   VARCHAR NOT NULL,
    date      DATE NOT NULL,
    progress  DOUBLE,
    status    VARCHAR,
    note      VARCHAR,                -- may be internal: never public
    public    BOOLEAN NOT NULL        -- false when its item is not public
);
