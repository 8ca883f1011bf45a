-- Ordinary tables (partitions included) and sequences of user schemas, with their ACL.
-- Row: kind, schema, name, acl
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relacl::text AS acl
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'S')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                  AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY 1, 2, 3;
