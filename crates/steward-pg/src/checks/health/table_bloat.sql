-- Estimated table bloat — statistical, from pg_stats: the pages the live rows would need
-- (row header, MAXALIGN'ed average width, line pointer, fillfactor) against the pages the
-- table occupies. Tables whose statistics do not cover every column are left out rather
-- than guessed.
-- Row: schema, name, bytes, expected_bytes
WITH widths AS (
    SELECT s.schemaname, s.tablename,
           sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0))::float8 AS width,
           count(*) AS columns
    FROM pg_stats s
    WHERE NOT s.inherited
    GROUP BY s.schemaname, s.tablename
), bs AS (
    SELECT current_setting('block_size')::float8 AS size
)
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       c.relpages::float8 * bs.size AS bytes,
       ceil(c.reltuples::float8 * (24 + 4 + 8 * ceil(w.width / 8))
            / ((bs.size - 24) * coalesce((SELECT substring(o FROM 'fillfactor=(\d+)')::float8
                                           FROM unnest(c.reloptions) AS o
                                           WHERE o LIKE 'fillfactor=%'), 100) / 100))
           * bs.size AS expected_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN widths w ON w.schemaname = n.nspname AND w.tablename = c.relname
CROSS JOIN bs
WHERE c.relkind IN ('r', 'm')
  AND c.relpages > 0
  AND c.reltuples >= 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND w.columns = (SELECT count(*) FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
ORDER BY 1, 2;
