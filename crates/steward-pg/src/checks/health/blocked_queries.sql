-- Sessions of this database waiting for a lock, one row per blocking session (pg_blocking_pids), with how long
-- each has waited and what the blocker is doing. Query texts are never read.
-- Row: blocked_pid, blocked_user, blocked_app, waiting_seconds, blocker_pid, blocker_user,
--      blocker_app, blocker_state, blocker_xact_seconds
SELECT w.pid AS blocked_pid,
       coalesce(w.usename::text, '?') AS blocked_user,
       coalesce(w.application_name, '') AS blocked_app,
       extract(epoch FROM clock_timestamp() - w.state_change)::float8 AS waiting_seconds,
       b.pid AS blocker_pid,
       coalesce(ba.usename::text, '?') AS blocker_user,
       coalesce(ba.application_name, '') AS blocker_app,
       coalesce(ba.state, '?') AS blocker_state,
       extract(epoch FROM clock_timestamp() - ba.xact_start)::float8 AS blocker_xact_seconds
FROM pg_stat_activity w
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS b(pid)
LEFT JOIN pg_stat_activity ba ON ba.pid = b.pid
WHERE w.wait_event_type = 'Lock'
  AND w.datname = current_database()
  AND w.pid <> pg_backend_pid()
ORDER BY w.pid, b.pid;
