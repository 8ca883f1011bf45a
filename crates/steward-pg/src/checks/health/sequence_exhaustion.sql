-- Ascending sequences with their position and limit, and the column each feeds (through
-- OWNED BY / identity, or a column default calling nextval) with that column's type, since an
-- int4 column fed by a bigint sequence overflows at 2^31-1 whatever the sequence allows.
-- The position is read with a plain SELECT from the sequence (AccessShareLock) through
-- query_to_xml, not pg_sequences.last_value, whose pg_sequence_last_value() takes the
-- RowExclusiveLock nextval() takes. NULL when never used or not readable by this role.
-- Row: schema, name, last_value, max_value, column_schema, column_table, column_name, column_type
SELECT sn.nspname::text AS schema,
       sc.relname::text AS name,
       -- Read only where running out is possible in practice: a sequence below the bigint
       -- range, or one feeding a smallint/integer column.
       CASE WHEN has_sequence_privilege(sc.oid, 'SELECT')
                 AND (sq.seqmax < 4611686018427387904 OR col.typ IN ('smallint', 'integer')) THEN
           (xpath('/row/v/text()',
                  query_to_xml(format('SELECT CASE WHEN is_called THEN last_value END AS v FROM %s',
                                      sc.oid::regclass), false, true, '')))[1]::text::float8
       END AS last_value,
       sq.seqmax::float8 AS max_value,
       col.schema AS column_schema,
       col.tab AS column_table,
       col.col AS column_name,
       col.typ AS column_type
FROM pg_sequence sq
JOIN pg_class sc ON sc.oid = sq.seqrelid
JOIN pg_namespace sn ON sn.oid = sc.relnamespace
LEFT JOIN LATERAL (
    SELECT tn.nspname::text AS schema, t.relname::text AS tab, a.attname::text AS col,
           format_type(a.atttypid, NULL) AS typ
    FROM pg_depend d
    LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid
    JOIN pg_class t ON t.oid = CASE WHEN d.classid = 'pg_class'::regclass THEN d.refobjid ELSE ad.adrelid END
    JOIN pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = t.oid
                       AND a.attnum = CASE WHEN d.classid = 'pg_class'::regclass THEN d.refobjsubid ELSE ad.adnum END
    WHERE (d.classid = 'pg_class'::regclass AND d.objid = sc.oid AND d.refclassid = 'pg_class'::regclass
           AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i'))
       OR (d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = sc.oid)
    ORDER BY 1, 2, 3
    LIMIT 1
) col ON true
WHERE sq.seqincrement > 0
  AND sn.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2;
