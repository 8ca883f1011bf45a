-- Checkpoints since the statistics were reset, timed versus requested (PostgreSQL 17+,
-- where the counters moved to pg_stat_checkpointer).
-- Row: timed, requested
SELECT num_timed::float8 AS timed,
       num_requested::float8 AS requested,
       current_setting('max_wal_size') AS max_wal_size
FROM pg_stat_checkpointer;
