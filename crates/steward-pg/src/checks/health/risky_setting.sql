-- The settings risky-setting judges, as the server runs them.
-- Row: name, setting, unit, context
SELECT name, setting, coalesce(unit, '') AS unit, context
FROM pg_settings
WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit', 'autovacuum', 'track_counts',
               'wal_level', 'log_lock_waits', 'log_min_duration_statement', 'shared_buffers',
               'work_mem', 'max_connections', 'zero_damaged_pages', 'ignore_checksum_failure',
               'data_sync_retry', 'allow_system_table_mods')
ORDER BY name;
