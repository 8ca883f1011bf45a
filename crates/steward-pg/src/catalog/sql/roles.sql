-- Roles (pg_roles: readable by every role; the password itself is never read — only whether
-- one is set, which pg_roles shows as '********').
-- Row: oid, name, login, superuser, create_role, create_db, bypass_rls, replication,
--      has_password, valid_until, connection_limit, member_of
SELECT r.oid::int8 AS oid,
       r.rolname AS name,
       r.rolcanlogin AS login,
       r.rolsuper AS superuser,
       r.rolcreaterole AS create_role,
       r.rolcreatedb AS create_db,
       r.rolbypassrls AS bypass_rls,
       r.rolreplication AS replication,
       r.rolpassword IS NOT NULL AS has_password,
       r.rolvaliduntil::text AS valid_until,
       r.rolconnlimit::int8 AS connection_limit,
       coalesce((SELECT array_agg(g.rolname ORDER BY g.rolname)
                 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 WHERE m.member = r.oid), '{}') AS member_of
FROM pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%'
ORDER BY r.rolname;
