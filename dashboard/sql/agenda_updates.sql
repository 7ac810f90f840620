-- The progress updates of a list of agenda items, oldest first (the internal note is not read: the public
-- file does not have it).
SELECT item_id, date, progress, status
FROM agenda_updates
WHERE list_contains($1, item_id)
ORDER BY item_id, date;
