-- The server and the role the audit runs as: one row.
-- Row: version_num, superuser, read_all_stats, in_recovery, stats_age_seconds
SELECT current_setting('server_version_num')::int4 AS version_num,
       r.rolsuper AS superuser,
       (r.rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')) AS read_all_stats,
       pg_is_in_recovery() AS in_recovery,
       extract(epoch FROM now() - coalesce(d.stats_reset, pg_postmaster_start_time()))::float8 AS stats_age_seconds
FROM pg_roles r
CROSS JOIN pg_stat_database d
WHERE r.rolname = current_user
  AND d.datname = current_database();
