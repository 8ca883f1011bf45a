-- Tables, views, materialized views, partitioned and foreign tables of user schemas, with
-- their statistics. Sizes come from pg_class.relpages (as of the last VACUUM, ANALYZE or
-- CREATE INDEX) rather than pg_relation_size(), which would lock every relation. Objects that belong to an extension are left out (they are the
-- extension's business, not the user's).
-- Row: oid, schema, name, relkind, persistence, rls_enabled, rls_forced, owner, comment,
--      parent_schema, parent_name, view_definition, reloptions, reltuples, total_bytes,
--      table_bytes, seq_scan, seq_tup_read, idx_scan, n_live_tup, n_dead_tup, n_tup_ins,
--      n_tup_upd, n_tup_del, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS relkind,
       c.relpersistence::text AS persistence,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner,
       obj_description(c.oid, 'pg_class') AS comment,
       pn.nspname AS parent_schema,
       p.relname AS parent_name,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS view_definition,
       coalesce(array_to_string(c.reloptions, ','), '') AS reloptions,
       c.reltuples::float8 AS reltuples,
       ((c.relpages::int8
         + coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
         + coalesce((SELECT sum(ic.relpages) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                     WHERE x.indrelid = c.oid), 0))
        * current_setting('block_size')::int8)::int8 AS total_bytes,
       (c.relpages::int8 * current_setting('block_size')::int8) AS table_bytes,
       coalesce(s.seq_scan, 0)::int8 AS seq_scan,
       coalesce(s.seq_tup_read, 0)::int8 AS seq_tup_read,
       coalesce(s.idx_scan, 0)::int8 AS idx_scan,
       coalesce(s.n_live_tup, 0)::int8 AS n_live_tup,
       coalesce(s.n_dead_tup, 0)::int8 AS n_dead_tup,
       coalesce(s.n_tup_ins, 0)::int8 AS n_tup_ins,
       coalesce(s.n_tup_upd, 0)::int8 AS n_tup_upd,
       coalesce(s.n_tup_del, 0)::int8 AS n_tup_del,
       s.last_vacuum::text AS last_vacuum,
       s.last_autovacuum::text AS last_autovacuum,
       s.last_analyze::text AS last_analyze,
       s.last_autoanalyze::text AS last_autoanalyze
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_class p ON p.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, i.inhseqno;
