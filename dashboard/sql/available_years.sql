-- Years with at least one figure, per indicator and level, in a fixed order: the page that names them is the same
-- from every worker.
SELECT indicator_id, level, list(DISTINCT year ORDER BY year) AS years
FROM observations
WHERE value IS NOT NULL AND level IN ('gemeente', 'wijk', 'buurt')
GROUP BY ALL
ORDER BY indicator_id, level;
