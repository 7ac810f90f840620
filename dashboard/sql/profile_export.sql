-- Every figure of one region (and its wijk, gemeente and NL), all indicators and years.
SELECT o.code, o.level, o.indicator_id, i.label_nl, i.unit, o.year, o.value, o.status, o.lower, o.upper,
       o.source_table, i.source
FROM observations o JOIN indicators i ON i.id = o.indicator_id
WHERE list_contains($1, o.code)
ORDER BY o.indicator_id, o.year, o.level DESC, o.code;
