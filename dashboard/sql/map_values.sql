-- Figures of one indicator and year for every region drawn, in the order of the geometry file (by code).
SELECT r.code, o.value, o.status, o.lower, o.upper, o.source_table
FROM regions r
LEFT JOIN observations o
       ON o.code = r.code AND o.level = r.level AND o.indicator_id = $indicator AND o.year = $year
WHERE r.year = $geometry_year AND r.level = $level
ORDER BY r.code;
