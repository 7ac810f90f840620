-- The progress updates of a list of agenda items, oldest first, with their note: in the staff file every note,
-- in the public file only the notes marked public (the others are not in it).
SELECT item_id, date, progress, status, note
FROM agenda_updates
WHERE list_contains($1, item_id)
ORDER BY item_id, date;
