-- Schemas in which every role (PUBLIC) may create objects.
-- Row: name
SELECT n.nspname::text AS name
FROM pg_namespace n
WHERE has_schema_privilege('public', n.oid, 'CREATE')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY 1;
