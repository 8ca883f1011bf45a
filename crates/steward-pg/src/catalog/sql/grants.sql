-- Explicit privileges on user objects, one row per (object, grantee): tables, views,
-- sequences, schemas, functions and the current database. Grantee 0 is PUBLIC. Objects whose
-- ACL is NULL have only the built-in defaults and appear here as no rows. Objects that belong
-- to an extension are left out: their grants are the extension's (pg_stat_statements grants
-- SELECT on its views to PUBLIC by design).
-- Row: kind, schema, name, arguments, grantee, privileges, grantable
WITH acl AS (
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind,
           n.nspname AS schema, c.relname AS name, NULL::text AS arguments,
           (aclexplode(c.relacl)).*
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relacl IS NOT NULL
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
  UNION ALL
    SELECT 'schema', n.nspname, n.nspname, NULL, (aclexplode(n.nspacl)).*
    FROM pg_namespace n
    WHERE n.nspacl IS NOT NULL
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
    SELECT 'function', n.nspname, p.proname, oidvectortypes(p.proargtypes), (aclexplode(p.proacl)).*
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proacl IS NOT NULL
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                      AND e.objid = p.oid AND e.deptype = 'e')
  UNION ALL
    SELECT 'database', NULL, d.datname, NULL, (aclexplode(d.datacl)).*
    FROM pg_database d
    WHERE d.datname = current_database() AND d.datacl IS NOT NULL
)
SELECT kind, schema, name, arguments,
       CASE WHEN grantee = 0 THEN 'public' ELSE pg_get_userbyid(grantee) END AS grantee,
       array_agg(privilege_type ORDER BY privilege_type) AS privileges,
       bool_or(is_grantable) AS grantable
FROM acl
GROUP BY kind, schema, name, arguments, grantee
ORDER BY kind, schema, name, arguments, grantee;
