-- The figures of one view for export: every region drawn, with its name, in geometry-file order.
SELECT r.code, r.name, r.level, o.value, o.status, o.lower, o.upper, o.source_table
FROM regions r
LEFT JOIN observations o
       ON o.code = r.code AND o.level = r.level AND o.indicator_id = $indicator AND o.year = $year
WHERE r.year = $geometry_year AND r.level = $level
ORDER BY r.code;
