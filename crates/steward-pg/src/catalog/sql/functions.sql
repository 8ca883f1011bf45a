-- Functions and procedures of user schemas (aggregates and extension members left out).
-- Row: oid, schema, name, arguments, returns, language, volatility, security_definer, config,
--      body, is_procedure, owner, parameters (input parameters as 'name<TAB>type', unnamed left out)
SELECT p.oid::int8 AS oid,
       n.nspname AS schema,
       p.proname AS name,
       oidvectortypes(p.proargtypes) AS arguments,
       pg_get_function_result(p.oid) AS returns,
       l.lanname AS language,
       p.provolatile::text AS volatility,
       p.prosecdef AS security_definer,
       coalesce(p.proconfig, '{}') AS config,
       p.prosrc AS body,
       p.prokind = 'p' AS is_procedure,
       pg_get_userbyid(p.proowner) AS owner,
       coalesce(ARRAY(
           SELECT x.name || E'\t' || format_type(x.typ, NULL)
           FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                       p.proargnames,
                       coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[p.pronargs::int])))
                AS x(typ, name, mode)
           WHERE x.mode IN ('i', 'b', 'v') AND x.name IS NOT NULL AND x.name <> ''), '{}') AS parameters
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY n.nspname, p.proname, oidvectortypes(p.proargtypes);
