-- Schemas (not system ones) with owner, number of tables and total size; one json per row.
SELECT json_build_object(
  'name', n.nspname,
  'owner', pg_catalog.pg_get_userbyid(n.nspowner),
  'tables', (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')),
  'views', (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('v', 'm')),
  'total_bytes', (SELECT coalesce(sum(pg_catalog.pg_total_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c
                  WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'm')),
  'comment', pg_catalog.obj_description(n.oid, 'pg_namespace')
)
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY n.nspname
