-- Table constraints (primary key, unique, foreign key, check, exclusion).
-- Row: table_oid, name, kind, columns, ref_schema, ref_table, ref_columns, on_delete,
--      on_update, validated, deferrable, definition, index_oid
SELECT con.conrelid::int8 AS table_oid,
       con.conname AS name,
       con.contype::text AS kind,
       coalesce((SELECT array_agg(a.attname ORDER BY k.ord)
                 FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), '{}') AS columns,
       rn.nspname AS ref_schema,
       r.relname AS ref_table,
       coalesce((SELECT array_agg(a.attname ORDER BY k.ord)
                 FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), '{}') AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       con.convalidated AS validated,
       con.condeferrable AS deferrable,
       pg_get_constraintdef(con.oid, true) AS definition,
       con.conindid::int8 AS index_oid
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class r ON r.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp_%'
ORDER BY con.conrelid, con.conname;
