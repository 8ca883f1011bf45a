-- Temporary files written by this database's queries since its statistics were reset
-- (sorts, hashes and materialisations that did not fit in work_mem).
-- Row: database, temp_files, temp_bytes, work_mem
SELECT datname::text AS database,
       temp_files::float8 AS temp_files,
       temp_bytes::float8 AS temp_bytes,
       current_setting('work_mem') AS work_mem
FROM pg_stat_database
WHERE datname = current_database();
