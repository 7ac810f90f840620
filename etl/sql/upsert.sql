-- Write a staged batch into the working tables (one transaction, see etl/load.py).
-- Staged views: staged_regions (geometry as WKB), staged_observations, staged_column_map.
INSERT OR REPLACE INTO regions (year, level, code, name, gemeente_code, wijk_code, geom)
SELECT year, level, code, name, gemeente_code, wijk_code, ST_Multi(ST_GeomFromWKB(geometry))
FROM staged_regions;

-- Observations have no primary key (migration 003): a load replaces what an earlier load of the same source
-- table said for the same indicator, year and region, and adds the rest.
DELETE FROM observations AS o
USING staged_observations AS s
WHERE o.source_table = s.source_table AND o.indicator_id = s.indicator_id AND o.year = s.year
  AND o.level = s.level AND o.code = s.code;

INSERT INTO observations (indicator_id, year, level, code, value, status, lower, upper,
                          age_group, source_table, source_column, run_id)
SELECT indicator_id, year, level, code, value, status, lower, upper, age_group,
       source_table, source_column, getvariable('run_id')
FROM staged_observations;

INSERT OR REPLACE INTO column_map (table_id, year, indicator_id, source_key, source_title, unit, status,
                                   source, cbs_group, description, decimals, position, age_group)
SELECT table_id, year, indicator_id, source_key, source_title, unit, status,
       source, cbs_group, description, decimals, position, age_group
FROM staged_column_map;
