-- Catalog indicators that no loaded source table carried (per table that was loaded).
SELECT t.table_id, i.id AS indicator_id, i.label_nl
FROM (SELECT DISTINCT table_id FROM column_map) t
CROSS JOIN indicators i
WHERE NOT EXISTS (SELECT 1 FROM column_map c WHERE c.table_id = t.table_id AND c.indicator_id = i.id)
  AND ((i.source = 'kerncijfers' AND (t.table_id LIKE '%NED' AND t.table_id <> '50120NED'))
       OR (i.source = 'gezondheid' AND t.table_id = '50120NED'))
ORDER BY t.table_id, i.id;
