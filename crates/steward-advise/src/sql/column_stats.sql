-- Statistics of every column of the given tables (parallel arrays $1 schemas, $2 names).
-- Values come as text arrays so any column type can be bound back with a cast; array-typed
-- columns (whose pg_stats values are arrays of arrays) get no values.
-- Row: schema, table_name, column_name, type_name, reltuples, null_frac, n_distinct, mcv, mcf, histogram
SELECT n.nspname AS schema,
       c.relname AS table_name,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS type_name,
       greatest(c.reltuples, 0)::float8 AS reltuples,
       s.null_frac::float8 AS null_frac,
       s.n_distinct::float8 AS n_distinct,
       CASE WHEN t.typcategory <> 'A' THEN s.most_common_vals::text::text[] END AS mcv,
       s.most_common_freqs::float8[] AS mcf,
       CASE WHEN t.typcategory <> 'A' THEN s.histogram_bounds::text::text[] END AS histogram
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN unnest($1::text[], $2::text[]) AS wanted(schema, name)
  ON wanted.schema = n.nspname AND wanted.name = c.relname
LEFT JOIN pg_stats s
  ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
 AND s.inherited = (c.relkind = 'p')
WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum;
