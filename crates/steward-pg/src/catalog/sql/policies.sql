-- Row-level security policies.
-- Row: table_oid, name, command, permissive, roles, using, with_check
SELECT p.polrelid::int8 AS table_oid,
       p.polname AS name,
       CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                     WHEN 'd' THEN 'delete' ELSE 'all' END AS command,
       p.polpermissive AS permissive,
       coalesce((SELECT array_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END ORDER BY r)
                 FROM unnest(p.polroles) r), '{}') AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS "using",
       pg_get_expr(p.polwithcheck, p.polrelid, true) AS with_check
FROM pg_policy p
ORDER BY p.polrelid, p.polname;
