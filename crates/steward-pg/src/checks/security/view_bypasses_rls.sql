-- Views that read a table with row-level security while running with their owner's rights
-- (no security_invoker, PG15+), where that owner is not subject to the table's policies:
-- a superuser or BYPASSRLS role, or the table's owner when RLS is not forced.
-- Row: view_schema, view_name, view_owner, table_schema, table_name, reason
SELECT DISTINCT vn.nspname::text AS view_schema,
       v.relname::text AS view_name,
       vo.rolname::text AS view_owner,
       tn.nspname::text AS table_schema,
       t.relname::text AS table_name,
       CASE WHEN vo.rolsuper THEN 'superuser'
            WHEN vo.rolbypassrls THEN 'bypassrls'
            ELSE 'table owner' END AS reason
FROM pg_class v
JOIN pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_roles vo ON vo.oid = v.relowner
JOIN pg_rewrite r ON r.ev_class = v.oid
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                AND d.refclassid = 'pg_class'::regclass
JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> v.oid AND t.relrowsecurity
JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE v.relkind = 'v'
  AND NOT coalesce(array_to_string(v.reloptions, ',') ~* 'security_invoker=(true|on|1|yes)', false)
  AND (vo.rolsuper OR vo.rolbypassrls OR (t.relowner = v.relowner AND NOT t.relforcerowsecurity))
ORDER BY 1, 2, 4, 5;
