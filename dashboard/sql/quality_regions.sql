-- Regions without geometry, and codes with figures but no region in any loaded indeling.
SELECT 'zonder geometrie' AS problem, year, level, code FROM regions WHERE geom IS NULL
UNION ALL
SELECT 'cijfers zonder gebied' AS problem, min(o.year), o.level, o.code
FROM observations o
WHERE o.level IN ('gemeente', 'wijk', 'buurt') AND NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = o.code)
GROUP BY o.level, o.code
ORDER BY problem, level, code
LIMIT 500;
