-- ALTER DEFAULT PRIVILEGES entries.
-- Row: for_role, schema, object_kind, grantee, privileges
SELECT pg_get_userbyid(d.defaclrole) AS for_role,
       n.nspname AS schema,
       CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                            WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' END AS object_kind,
       CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee) END AS grantee,
       array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) a
GROUP BY d.defaclrole, n.nspname, d.defaclobjtype, a.grantee
ORDER BY 1, 2, 3, 4;
