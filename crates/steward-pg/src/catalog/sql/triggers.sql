-- User triggers (not the internal ones behind foreign keys).
-- Row: oid, table_oid, name, function_schema, function_name, type_bits, arguments,
--      update_columns
SELECT t.oid::int8 AS oid,
       t.tgrelid::int8 AS table_oid,
       t.tgname AS name,
       fn.nspname AS function_schema,
       f.proname AS function_name,
       t.tgtype::int4 AS type_bits,
       CASE WHEN t.tgnargs = 0 THEN '{}'::text[]
            ELSE string_to_array(rtrim(encode(t.tgargs, 'escape'), E'\\000'), E'\\000') END AS arguments,
       coalesce((SELECT array_agg(a.attname ORDER BY a.attnum)
                 FROM pg_attribute a
                 WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr)), '{}') AS update_columns
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT t.tgisinternal
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY t.tgrelid, t.tgname;
