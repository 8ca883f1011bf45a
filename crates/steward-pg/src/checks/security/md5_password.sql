-- Roles whose stored password is an MD5 hash (superusers only can read pg_authid; the hash
-- itself is never returned, only its kind), and the hashing for new passwords.
-- Row: kind, name
SELECT 'role' AS kind, rolname::text AS name
FROM pg_authid
WHERE rolpassword LIKE 'md5%'
UNION ALL
SELECT 'setting', current_setting('password_encryption')
WHERE current_setting('password_encryption') = 'md5'
ORDER BY 1, 2;
