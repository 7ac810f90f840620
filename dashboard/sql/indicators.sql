-- The indicator catalog as published.
SELECT id, label_nl, label_en, theme, unit, direction, source, description FROM indicators ORDER BY theme, id;
