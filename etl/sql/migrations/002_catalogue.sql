-- 002: the catalogue (issue #12). Every numeric topic of a source's own metadata is an indicator;
-- etl/indicators.toml curates on top (themes, featured, direction, labels, renames across years).
-- Columns are added, never changed, so a file of schema version 1 migrates in place and loses nothing.

-- What the source says about the topic, and what curation made of it.
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS title VARCHAR;            -- the source's own title (CBS Title)
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS cbs_group VARCHAR;        -- TopicGroup path: 'Energie > Gemiddeld aardgasverbruik'
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS cbs_description VARCHAR;  -- the source's own description
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS decimals INTEGER;         -- as the source rounds it
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS source_table VARCHAR;     -- newest table it was read from
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS position INTEGER;         -- order within its source table
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS age_group VARCHAR;        -- RIVM Leeftijd label: '18+', '65+'
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS featured BOOLEAN DEFAULT false;   -- shown first in its theme
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS public BOOLEAN DEFAULT true;      -- false: never in public.duckdb
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS attribution VARCHAR;      -- an own source line (own figures)

-- How each source column resolved, with what the source says about it: the indicators table takes its metadata
-- from the newest table that carries a series (etl/catalog.py refresh), so loading an old table never overwrites it.
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS source VARCHAR;           -- kerncijfers | gezondheid | eigen
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS cbs_group VARCHAR;
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS description VARCHAR;
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS decimals INTEGER;
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS position INTEGER;
ALTER TABLE column_map ADD COLUMN IF NOT EXISTS age_group VARCHAR;

-- The curated themes (etl/indicators.toml), in the order the dashboard lists them.
CREATE TABLE IF NOT EXISTS themes (
    id       VARCHAR PRIMARY KEY,
    label_nl VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    position INTEGER NOT NULL
);
