-- Dead and live rows of user tables, when they were last vacuumed and analysed, and whether
-- autovacuum is switched off for them.
-- Row: schema, name, live, dead, modified_since_analyze, vacuum_age_seconds,
--      analyze_age_seconds, autovacuum_disabled
SELECT s.schemaname::text AS schema,
       s.relname::text AS name,
       s.n_live_tup::float8 AS live,
       s.n_dead_tup::float8 AS dead,
       s.n_mod_since_analyze::float8 AS modified_since_analyze,
       extract(epoch FROM clock_timestamp() - greatest(s.last_vacuum, s.last_autovacuum))::float8 AS vacuum_age_seconds,
       extract(epoch FROM clock_timestamp() - greatest(s.last_analyze, s.last_autoanalyze))::float8 AS analyze_age_seconds,
       coalesce(array_to_string(c.reloptions, ',') ~* 'autovacuum_enabled=(false|off|0|no)', false) AS autovacuum_disabled
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
ORDER BY s.schemaname, s.relname;
