-- Whether pg_stat_statements can be read here: the server version, the database, the schema
-- the extension is created in (NULL when it is not), whether the library is preloaded (the
-- view errors without it) and whether the contrib package is installed.
SELECT current_setting('server_version_num')::int AS version_num,
       current_database() AS database,
       (SELECT n.nspname::text
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pg_stat_statements') AS schema,
       'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS available
