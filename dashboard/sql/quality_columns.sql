-- How source columns resolved into the catalog, and which are still unpublished by CBS.
SELECT table_id, year, indicator_id, source_key, source_title, unit, status
FROM column_map ORDER BY status <> 'unpublished', table_id, indicator_id;
