-- Buffer-cache hits and disk reads of this database since its statistics were reset.
-- Row: database, hits, reads
SELECT datname::text AS database,
       blks_hit::float8 AS hits,
       blks_read::float8 AS reads
FROM pg_stat_database
WHERE datname = current_database();
