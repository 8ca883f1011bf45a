-- WAL archiving: configuration and pg_stat_archiver, with the WAL segment being written now.
-- Row: wal_level, archive_mode, archive_command, archive_library, archived_count,
--      last_archived_wal, archived_age_seconds, failed_count, last_failed_wal,
--      failing, current_wal, in_recovery
SELECT current_setting('wal_level') AS wal_level,
       current_setting('archive_mode') AS archive_mode,
       current_setting('archive_command') AS archive_command,
       coalesce(current_setting('archive_library', true), '') AS archive_library,
       a.archived_count::int8 AS archived_count,
       a.last_archived_wal,
       extract(epoch FROM clock_timestamp() - a.last_archived_time)::float8 AS archived_age_seconds,
       a.failed_count::int8 AS failed_count,
       a.last_failed_wal,
       (a.last_failed_time IS NOT NULL
        AND a.last_failed_time > coalesce(a.last_archived_time, '-infinity'::timestamptz)) AS failing,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS current_wal,
       pg_is_in_recovery() AS in_recovery
FROM pg_stat_archiver a;
