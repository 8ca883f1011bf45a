-- Indexes with their keys (column name or expression), ordering, collation, operator class,
-- INCLUDE columns, predicate, validity and statistics. `last_idx_scan` exists from PG16; it
-- is read through to_jsonb so one query serves every version.
-- Row: oid, table_oid, schema, name, unique, method, keys, descending, nulls_first, collations,
--      opclasses, key_count, predicate, valid, bytes, idx_scan, last_idx_scan
SELECT i.indexrelid::int8 AS oid,
       i.indrelid::int8 AS table_oid,
       n.nspname AS schema,
       ic.relname AS name,
       i.indisunique AS "unique",
       am.amname AS method,
       -- Plain column keys by name; only expression keys need the (slower) deparser.
       (SELECT array_agg(CASE WHEN i.indkey[k - 1] > 0
                              THEN (SELECT quote_ident(attname) FROM pg_attribute
                                    WHERE attrelid = i.indrelid AND attnum = i.indkey[k - 1])
                              ELSE pg_get_indexdef(i.indexrelid, k, true) END
                         ORDER BY k)
        FROM generate_series(1, i.indnatts) k) AS keys,
       (SELECT array_agg((i.indoption[k - 1] & 1) = 1 ORDER BY k)
        FROM generate_series(1, i.indnkeyatts) k) AS descending,
       (SELECT array_agg((i.indoption[k - 1] & 2) = 2 ORDER BY k)
        FROM generate_series(1, i.indnkeyatts) k) AS nulls_first,
       (SELECT array_agg(CASE WHEN i.indcollation[k - 1] <> 0
                                   AND i.indcollation[k - 1] <> coalesce(
                                       (SELECT attcollation FROM pg_attribute
                                        WHERE attrelid = i.indrelid AND attnum = i.indkey[k - 1]), 0)
                              THEN (SELECT collname FROM pg_collation WHERE oid = i.indcollation[k - 1]) END
                         ORDER BY k)
        FROM generate_series(1, i.indnkeyatts) k) AS collations,
       (SELECT array_agg(CASE WHEN NOT opc.opcdefault THEN opc.opcname END ORDER BY k)
        FROM generate_series(1, i.indnkeyatts) k
        JOIN pg_opclass opc ON opc.oid = i.indclass[k - 1]) AS opclasses,
       i.indnkeyatts::int4 AS key_count,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       i.indisvalid AS valid,
       (ic.relpages::int8 * current_setting('block_size')::int8) AS bytes,  -- no lock, unlike pg_relation_size
       coalesce(s.idx_scan, 0)::int8 AS idx_scan,
       (to_jsonb(s) ->> 'last_idx_scan') AS last_idx_scan
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp_%'
  AND tc.relkind IN ('r', 'p', 'm')
ORDER BY n.nspname, ic.relname;
