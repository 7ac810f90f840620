-- The sources of the published figures, with their licence and the attribution they ask for.
SELECT source_id, name, publisher, licence, attribution, url FROM sources ORDER BY source_id;
