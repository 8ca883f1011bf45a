-- Sequences owned by a column (serial, identity, OWNED BY), with the column, to check that
-- no sequence is behind the largest value already in its column.
-- Row: seq_schema, seq_name, schema, table, column
SELECT sn.nspname::text AS seq_schema, s.relname::text AS seq_name,
       tn.nspname::text AS schema, t.relname::text AS "table", a.attname::text AS "column"
FROM pg_depend d
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
  AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
  AND format_type(a.atttypid, NULL) IN ('smallint', 'integer', 'bigint')
ORDER BY 1, 2;
