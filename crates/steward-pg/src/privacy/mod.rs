//! Who can read a column, on a live server: every role (not superusers, not the `pg_*`
//! predefined roles) for which `has_column_privilege(…, 'SELECT')` is true — through a table
//! grant, a column grant, membership in a role that has one, or PUBLIC — and whether PUBLIC
//! itself holds the grant.

pub mod sample;

use tokio_postgres::GenericClient;

/// Access to one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnAccess {
    /// Roles that can SELECT it, sorted; superusers always can and are not listed.
    pub readers: Vec<String>,
    /// Granted to PUBLIC: every role, present and future.
    pub public: bool,
}

const QUERY: &str = "
WITH wanted AS (
  SELECT w.ord, to_regclass(format('%I.%I', w.s, w.t)) AS rel, w.c
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS w(s, t, c, ord)
), cols AS (
  -- (aclitem has no ordering: decide PUBLIC here, before grouping; aclexplode(NULL) is empty.)
  SELECT wanted.ord, a.attrelid, a.attnum,
         EXISTS (SELECT FROM aclexplode(c.relacl) x WHERE x.grantee = 0 AND x.privilege_type = 'SELECT')
           OR EXISTS (SELECT FROM aclexplode(a.attacl) x WHERE x.grantee = 0 AND x.privilege_type = 'SELECT') AS public
  FROM wanted
  JOIN pg_catalog.pg_attribute a ON a.attrelid = wanted.rel AND a.attname = wanted.c
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
)
SELECT cols.ord,
       coalesce(array_agg(r.rolname::text ORDER BY r.rolname) FILTER (WHERE r.oid IS NOT NULL), '{}') AS readers,
       cols.public
FROM cols
LEFT JOIN pg_catalog.pg_roles r
  ON NOT r.rolsuper AND r.rolname !~ '^pg_'
 AND has_column_privilege(r.oid, cols.attrelid, cols.attnum, 'SELECT')
GROUP BY cols.ord, cols.public";

/// Access to each `(schema, table, column)`, in order; a column that no longer exists gets
/// the default (no readers).
pub async fn column_access(
    client: &impl GenericClient,
    columns: &[(String, String, String)],
) -> Result<Vec<ColumnAccess>, tokio_postgres::Error> {
    let schemas: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
    let tables: Vec<&str> = columns.iter().map(|c| c.1.as_str()).collect();
    let names: Vec<&str> = columns.iter().map(|c| c.2.as_str()).collect();
    let rows = client.query(QUERY, &[&schemas, &tables, &names]).await?;
    let mut out = vec![ColumnAccess::default(); columns.len()];
    for row in rows {
        let ord: i64 = row.get(0);
        if let Some(slot) = usize::try_from(ord - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = ColumnAccess {
                readers: row.get(1),
                public: row.get(2),
            };
        }
    }
    Ok(out)
}
