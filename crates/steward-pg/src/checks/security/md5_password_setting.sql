-- The hashing for new passwords (roles' stored hashes need superuser to read).
-- Row: kind, name
SELECT 'setting' AS kind, current_setting('password_encryption') AS name
WHERE current_setting('password_encryption') = 'md5';
