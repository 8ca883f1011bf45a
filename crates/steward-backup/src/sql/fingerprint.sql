-- The user schema as sorted lines: relations, columns, constraints, indexes, sequences,
-- functions, views. Hashed into the manifest's schema fingerprint and compared after restore.
-- Objects of extensions and system schemas are left out.
-- Row: line
WITH rel AS (
    SELECT c.oid, n.nspname, c.relname, c.relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
)
SELECT line FROM (
    SELECT format('relation %I.%I %s', nspname, relname, relkind) AS line FROM rel
    UNION ALL
    SELECT format('column %I.%I.%I %s%s', r.nspname, r.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END)
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %I.%I.%I %s', r.nspname, r.relname, con.conname, pg_get_constraintdef(con.oid))
    FROM rel r JOIN pg_constraint con ON con.conrelid = r.oid
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM rel r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL
    SELECT format('view %I.%I %s', r.nspname, r.relname, pg_get_viewdef(r.oid))
    FROM rel r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('function %I.%I(%s) %s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                      AND e.objid = p.oid AND e.deptype = 'e')
) lines
ORDER BY line COLLATE "C";
