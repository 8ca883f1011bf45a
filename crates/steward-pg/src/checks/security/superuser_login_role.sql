-- Login superusers other than the bootstrap superuser (oid 10, created by initdb).
-- Row: name
SELECT rolname::text AS name
FROM pg_roles
WHERE rolsuper AND rolcanlogin AND oid <> 10
ORDER BY 1;
