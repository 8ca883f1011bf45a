-- Other client sessions of this database that are idle in a transaction, running, or waiting for a lock, with
-- how long. The query text is never read: it may contain secrets or personal data; only its
-- first keyword is kept to say what kind of statement it is.
-- Row: pid, usename, application_name, state, state_seconds, query_seconds, xact_seconds,
--      wait_event_type, wait_event, statement
SELECT a.pid,
       coalesce(a.usename::text, '?') AS usename,
       coalesce(a.application_name, '') AS application_name,
       a.state,
       extract(epoch FROM clock_timestamp() - a.state_change)::float8 AS state_seconds,
       extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_seconds,
       extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_seconds,
       a.wait_event_type,
       a.wait_event,
       upper(substring(a.query FROM '^\s*([A-Za-z]+)')) AS statement
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend'
  AND a.datname = current_database()
  AND a.pid <> pg_backend_pid()
  AND a.state IS NOT NULL
  AND a.state <> 'idle'
ORDER BY a.pid;
