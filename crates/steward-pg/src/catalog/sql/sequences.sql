-- Sequences, their type and limits, and the column that owns them.
-- Row: oid, schema, name, type, start, increment, max, last_value, owner_schema, owner_table,
--      owner_column
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start,
       s.seqincrement::text AS increment,
       s.seqmax::text AS max,
       -- Not read here: pg_sequences.last_value takes the RowExclusiveLock nextval() takes, on
       -- every sequence. The sequence-exhaustion check reads positions with AccessShareLock.
       NULL::text AS last_value,
       tn.nspname AS owner_schema,
       t.relname AS owner_table,
       a.attname AS owner_column
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.relkind = 'S'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp_%'
ORDER BY n.nspname, c.relname;
