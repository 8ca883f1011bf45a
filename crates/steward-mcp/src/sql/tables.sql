-- Tables and views of schema $1 (any user schema when NULL), or only table $2 when given, at
-- most $3; one json per row with columns, keys, indexes, triggers and sizes. Privileges are
-- the caller's: objects it cannot see are not listed by the catalog either.
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples,
         count(*) OVER () AS total_in_schema
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    AND ($1::text IS NULL OR n.nspname = $1::text)
    AND ($2::text IS NULL OR c.relname = $2::text)
    AND NOT c.relispartition
  ORDER BY n.nspname, c.relname
  LIMIT $3::int8
)
SELECT json_build_object(
  'schema', r.nspname,
  'name', r.relname,
  'kind', CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                         WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' END,
  'rows_estimate', CASE WHEN r.reltuples < 0 THEN NULL ELSE r.reltuples::int8 END,
  'total_bytes', CASE WHEN r.relkind IN ('r', 'p', 'm') THEN pg_catalog.pg_total_relation_size(r.oid) END,
  'table_bytes', CASE WHEN r.relkind IN ('r', 'p', 'm') THEN pg_catalog.pg_table_size(r.oid) END,
  'comment', pg_catalog.obj_description(r.oid, 'pg_class'),
  'total_in_schema', r.total_in_schema,
  'columns', (
    SELECT coalesce(json_agg(json_build_object(
      'name', a.attname,
      'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
      'nullable', NOT a.attnotnull,
      'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),
      'identity', nullif(a.attidentity, ''),
      'generated', nullif(a.attgenerated, ''),
      'comment', pg_catalog.col_description(a.attrelid, a.attnum)
    ) ORDER BY a.attnum), '[]')
    FROM pg_catalog.pg_attribute a
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  ),
  'constraints', (
    SELECT coalesce(json_agg(json_build_object(
      'name', k.conname,
      'type', CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                             WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' ELSE k.contype::text END,
      'columns', (SELECT array_agg(a.attname ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum),
      'references', CASE WHEN k.contype = 'f' THEN k.confrelid::regclass::text END,
      'definition', pg_catalog.pg_get_constraintdef(k.oid),
      'valid', k.convalidated
    ) ORDER BY k.contype, k.conname), '[]')
    FROM pg_catalog.pg_constraint k WHERE k.conrelid = r.oid
  ),
  'indexes', (
    SELECT coalesce(json_agg(json_build_object(
      'name', ic.relname,
      'definition', pg_catalog.pg_get_indexdef(i.indexrelid),
      'unique', i.indisunique,
      'primary', i.indisprimary,
      'valid', i.indisvalid,
      'bytes', pg_catalog.pg_relation_size(i.indexrelid)
    ) ORDER BY ic.relname), '[]')
    FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = r.oid
  ),
  'triggers', (
    SELECT coalesce(json_agg(t.tgname ORDER BY t.tgname), '[]')
    FROM pg_catalog.pg_trigger t WHERE t.tgrelid = r.oid AND NOT t.tgisinternal
  )
)
FROM rels r
ORDER BY r.nspname, r.relname
