-- Client connections against the connections ordinary roles may open.
-- Row: connections, max_connections, reserved, idle
SELECT count(*) FILTER (WHERE backend_type = 'client backend')::float8 AS connections,
       count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'idle')::float8 AS idle,
       current_setting('max_connections')::float8 AS max_connections,
       current_setting('superuser_reserved_connections')::float8 AS reserved
FROM pg_stat_activity;
