-- Estimated B-tree index bloat — statistical, from pg_stats: the leaf pages the index's
-- entries would need (tuple header, MAXALIGN'ed key width, line pointer, fillfactor) against
-- the pages it occupies. Expression keys have no column statistics; such indexes are left
-- out rather than guessed. Deduplication (PG13+) only makes real indexes smaller than this
-- estimate, so it never inflates the bloat figure.
-- Row: schema, table, name, bytes, expected_bytes
WITH keys AS (
    SELECT i.indexrelid,
           sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0))::float8 AS width,
           count(s.attname) AS known,
           count(*) AS total
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) AS k(attnum)
    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
    LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname
                        AND s.attname = a.attname AND NOT s.inherited
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%'
    GROUP BY i.indexrelid
), bs AS (
    SELECT current_setting('block_size')::float8 AS size
)
SELECT n.nspname::text AS schema,
       t.relname::text AS "table",
       ic.relname::text AS name,
       ic.relpages::float8 * bs.size AS bytes,
       (ceil(ic.reltuples::float8 * (8 + 4 + 8 * ceil(k.width / 8))
             / ((bs.size - 24 - 16) * coalesce((SELECT substring(o FROM 'fillfactor=(\d+)')::float8
                                                 FROM unnest(ic.reloptions) AS o
                                                 WHERE o LIKE 'fillfactor=%'), 90) / 100)) + 1)
           * bs.size AS expected_bytes
FROM keys k
JOIN pg_class ic ON ic.oid = k.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
JOIN pg_index i ON i.indexrelid = ic.oid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN bs
WHERE k.known = k.total
  AND ic.relpages > 1
  AND ic.reltuples >= 0
ORDER BY 1, 2, 3;
