-- 003: observations without a primary key. Its index over five text columns cost more than the rest of a load
-- together (2.2 M rows of one kerncijfers year: ~10 s to insert and ~7 s to write the index at commit, against
-- ~2 s without it). etl/sql/upsert.sql replaces what an earlier load of the same source table said for the same
-- indicator, year and region itself, and the publish keeps one best row per key (publish_staff.sql) whatever
-- the working table holds. Rebuilt rather than altered: DuckDB cannot drop a primary key in place.
CREATE TABLE observations_keyless (
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
    run_id        INTEGER
);

INSERT INTO observations_keyless BY NAME SELECT * FROM observations;

DROP TABLE observations;

ALTER TABLE observations_keyless RENAME TO observations;
