-- Checkpoints since the statistics were reset, timed versus requested (PostgreSQL 13-16).
-- Row: timed, requested
SELECT checkpoints_timed::float8 AS timed,
       checkpoints_req::float8 AS requested,
       current_setting('max_wal_size') AS max_wal_size
FROM pg_stat_bgwriter;
