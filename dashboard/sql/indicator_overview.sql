-- Every indicator with the years, levels and number of figures published for it.
SELECT i.id, i.label_nl, i.label_en, i.theme, i.unit, i.source,
       string_agg(DISTINCT o.year::VARCHAR, ', ' ORDER BY o.year::VARCHAR) AS years,
       count(o.value) AS figures,
       count(*) FILTER (WHERE o.status IN ('suppressed', 'missing')) AS withheld
FROM indicators i
LEFT JOIN observations o ON o.indicator_id = i.id
GROUP BY ALL
ORDER BY i.theme, i.id;
