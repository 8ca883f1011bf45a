//! Layer (d) at start-up: is the role one that could change anything?
//!
//! The session is read-only by default and every call runs in a read-only transaction, but a
//! superuser can still reach the file system and the OS through built-in functions, and a role
//! with write privileges is one configuration mistake away from using them. The server warns
//! (or, with `--strict`, refuses to start) and points at `steward generate roles`, which
//! creates a least-privilege `mcp` role.

use serde::Serialize;
use tokio_postgres::GenericClient;

/// What the connected role may do beyond reading.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoleCheck {
    pub role: String,
    pub superuser: bool,
    /// Some tables it may INSERT, UPDATE, DELETE or TRUNCATE (at most five named).
    pub writable_tables: Vec<String>,
    pub writable_table_count: i64,
    /// Schemas it may CREATE in.
    pub create_schemas: Vec<String>,
    /// CREATE on the database (new schemas).
    pub create_database: bool,
    pub create_role: bool,
    pub bypass_rls: bool,
}

const QUERY: &str = "
WITH writable AS (
  SELECT format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'f', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
    AND pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
)
SELECT r.rolname::text, r.rolsuper, r.rolcreaterole, r.rolbypassrls,
       (SELECT count(*) FROM writable),
       ARRAY(SELECT name FROM writable ORDER BY name LIMIT 5),
       ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n
             WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
               AND pg_catalog.has_schema_privilege(n.oid, 'CREATE') ORDER BY 1),
       pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
FROM pg_catalog.pg_roles r WHERE r.rolname = current_user";

impl RoleCheck {
    /// Reads the current role's powers.
    pub async fn read(client: &impl GenericClient) -> Result<RoleCheck, tokio_postgres::Error> {
        let row = client.query_one(QUERY, &[]).await?;
        Ok(RoleCheck {
            role: row.get(0),
            superuser: row.get(1),
            create_role: row.get(2),
            bypass_rls: row.get(3),
            writable_table_count: row.get(4),
            writable_tables: row.get(5),
            create_schemas: row.get(6),
            create_database: row.get(7),
        })
    }

    /// True when the role can do more than read.
    pub fn can_write(&self) -> bool {
        self.superuser
            || self.writable_table_count > 0
            || !self.create_schemas.is_empty()
            || self.create_database
            || self.create_role
    }

    /// What is wrong, one line per power, for stderr.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.superuser {
            out.push(format!(
                "role \"{}\" is a SUPERUSER: it can read server files and run programs through built-in functions",
                self.role
            ));
        }
        if self.writable_table_count > 0 {
            out.push(format!(
                "role \"{}\" may INSERT/UPDATE/DELETE/TRUNCATE {} table(s), e.g. {}",
                self.role,
                self.writable_table_count,
                self.writable_tables.join(", ")
            ));
        }
        if !self.create_schemas.is_empty() {
            out.push(format!(
                "role \"{}\" may CREATE in schema(s) {}",
                self.role,
                self.create_schemas.join(", ")
            ));
        }
        if self.create_database {
            out.push(format!(
                "role \"{}\" may CREATE schemas in this database",
                self.role
            ));
        }
        if self.create_role {
            out.push(format!("role \"{}\" has CREATEROLE", self.role));
        }
        out
    }
}

/// The advice printed with the warning.
pub const ADVICE: &str = "every call still runs in a READ ONLY transaction that is rolled back, but connect as a least-privilege role instead: `steward generate roles URL` writes one (`<prefix>_mcp`: LOGIN, read-only sessions, SELECT on columns without personal data); --strict refuses to start with a role like this";
