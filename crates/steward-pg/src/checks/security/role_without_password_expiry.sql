-- Login roles with a password that never expires, other than the bootstrap superuser
-- (pg_authid: superusers only; the password itself is never returned).
-- Row: name
SELECT rolname::text AS name
FROM pg_authid
WHERE rolcanlogin
  AND rolpassword IS NOT NULL
  AND (rolvaliduntil IS NULL OR rolvaliduntil = 'infinity')
  AND oid <> 10
ORDER BY 1;
