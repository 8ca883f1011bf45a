-- Replication slots no client is using, with the WAL each keeps on disk. On a standby the
-- current WAL position is the last replayed one.
-- Row: slot_name, slot_type, database, wal_status, retained_bytes
SELECT s.slot_name::text AS slot_name,
       s.slot_type AS slot_type,
       s.database::text AS database,
       s.wal_status AS wal_status,
       pg_wal_lsn_diff(
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END,
           s.restart_lsn)::float8 AS retained_bytes
FROM pg_replication_slots s
WHERE NOT s.active
  AND s.restart_lsn IS NOT NULL
ORDER BY 1;
