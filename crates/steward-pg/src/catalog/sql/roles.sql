-- Roles (pg_roles: readable by every role). Whether a role has a password is not knowable
-- here: pg_roles shows '********' for every role, and pg_authid is superuser-only; the
-- checks that need it read pg_authid themselves when they can.
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
       false AS has_password,
       r.rolvaliduntil::text AS valid_until,
       r.rolconnlimit::int8 AS connection_limit,
       coalesce((SELECT array_agg(g.rolname ORDER BY g.rolname)
                 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 WHERE m.member = r.oid), '{}') AS member_of
FROM pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%'
ORDER BY r.rolname;
