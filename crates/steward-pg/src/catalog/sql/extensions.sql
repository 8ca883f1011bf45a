-- Installed extensions.
-- Row: oid, name, schema, version
SELECT e.oid::int8 AS oid, e.extname AS name, n.nspname AS schema, e.extversion AS version
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname;
