-- Transaction-id and multixact age of every database that accepts connections, and of the
-- tables of this one (the oldest decide when autovacuum must freeze, or the server stops).
-- Row: kind, schema, name, xid_age, mxid_age
SELECT 'database' AS kind,
       NULL::text AS schema,
       d.datname::text AS name,
       age(d.datfrozenxid)::float8 AS xid_age,
       mxid_age(d.datminmxid)::float8 AS mxid_age
FROM pg_database d
WHERE d.datallowconn
UNION ALL
SELECT 'table',
       n.nspname::text,
       c.relname::text,
       age(c.relfrozenxid)::float8,
       mxid_age(c.relminmxid)::float8
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 't')
  AND c.relfrozenxid <> '0'::xid
ORDER BY 1, 2, 3;
