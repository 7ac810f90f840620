-- What the newest table that carries each series says about it: the metadata side of the indicators table
-- (etl/load.py refresh_indicators adds curation). A resolution with a title (DataProperties) beats one without
-- (a boundary file column, a key stem), a newer table an older. Own figures declare themselves (source 'eigen').
SELECT indicator_id AS id, source, source_title AS title, cbs_group, unit, decimals, description AS cbs_description,
       table_id AS source_table, position, age_group
FROM column_map
WHERE source IS DISTINCT FROM 'eigen'
QUALIFY row_number() OVER (
    PARTITION BY indicator_id
    ORDER BY source_title IS NOT NULL DESC, year DESC NULLS LAST, table_id DESC
) = 1
ORDER BY id;
