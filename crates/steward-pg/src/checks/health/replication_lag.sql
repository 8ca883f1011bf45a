-- Standbys streaming from this primary, and how far behind each one has replayed.
-- Row: application_name, client, state, replay_bytes, replay_seconds
SELECT coalesce(r.application_name, '') AS application_name,
       coalesce(host(r.client_addr), 'local') AS client,
       coalesce(r.state, '?') AS state,
       pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::float8 AS replay_bytes,
       extract(epoch FROM r.replay_lag)::float8 AS replay_seconds
FROM pg_stat_replication r
ORDER BY r.pid;
