//! A database with a small bank in it, the least-privilege role, executors and a checksum of
//! everything that must not change.

use std::time::Duration;
use steward_mcp::executor::{Executor, Limits};
use steward_pg::connect::{self, Connection, Params, Safety};
use steward_testkit::{Cluster, Database};

/// The process-wide cluster; under CI a missing PostgreSQL is a failure, never a skip.
pub fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

pub const SETUP: &str = "
CREATE TABLE accounts (
  id serial PRIMARY KEY,
  owner text NOT NULL,
  email text,
  balance numeric(12,2) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT '2024-01-02 03:04:05+00',
  tags text[] DEFAULT '{a,b}',
  meta jsonb DEFAULT '{\"k\": 1}'
);
COMMENT ON TABLE accounts IS 'customer accounts';
CREATE INDEX accounts_owner ON accounts (owner);
CREATE TABLE transfers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_account int NOT NULL REFERENCES accounts,
  amount numeric NOT NULL CHECK (amount > 0)
);
INSERT INTO accounts (owner, email, balance)
  SELECT 'owner' || i, 'user' || i || '@example.com', i * 1.5 FROM generate_series(1, 100) i;
INSERT INTO transfers (from_account, amount) SELECT i, i FROM generate_series(1, 10) i;
CREATE MATERIALIZED VIEW account_totals AS SELECT owner, sum(balance) AS total FROM accounts GROUP BY owner;
CREATE FUNCTION evil_fn() RETURNS int LANGUAGE sql AS 'DELETE FROM accounts WHERE id = 1 RETURNING id';
CREATE FUNCTION evil_srf() RETURNS SETOF int LANGUAGE sql AS 'DELETE FROM accounts RETURNING id';
CREATE PROCEDURE evil_proc() LANGUAGE sql AS 'DELETE FROM accounts';
CREATE DOMAIN evil_type AS text;
";

/// A fresh database with [`SETUP`] loaded and its least-privilege role `<db>_mcp` (SELECT
/// only, read-only sessions).
pub struct Bank {
    pub db: Database<'static>,
    pub role: String,
}

impl Bank {
    pub fn new(prefix: &str) -> Bank {
        let db = cluster().create_database(prefix).unwrap();
        db.exec(SETUP).unwrap();
        let role = format!("{}_mcp", db.name);
        db.exec(&format!(
            "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
             ALTER ROLE \"{role}\" SET default_transaction_read_only = on;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             GRANT USAGE ON SCHEMA public TO \"{role}\";
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{role}\";"
        ))
        .unwrap();
        Bank { db, role }
    }

    /// Connection string for the least-privilege role (Unix socket, trusted).
    pub fn role_conninfo(&self) -> String {
        self.db
            .conninfo()
            .replace("user=postgres", &format!("user={}", self.role))
    }

    pub fn params(&self, superuser: bool) -> Params {
        let conninfo = if superuser {
            self.db.conninfo()
        } else {
            self.role_conninfo()
        };
        Params::resolve(&conninfo, &|_| None).unwrap()
    }

    pub async fn executor(&self, superuser: bool, limits: Limits) -> Executor {
        Executor::connect(self.params(superuser), Safety::default(), limits)
            .await
            .unwrap()
    }

    /// A superuser connection for checks.
    pub async fn admin(&self) -> Connection {
        connect::connect(&self.params(true), &Safety::default())
            .await
            .unwrap()
    }
}

/// Tight limits so resource attacks end fast.
pub fn attack_limits() -> Limits {
    Limits {
        max_rows: 1000,
        max_bytes: 1 << 20,
        statement_timeout: Duration::from_millis(500),
        lock_timeout: Duration::from_millis(200),
        idle_timeout: Duration::from_secs(5),
    }
}

/// An md5 over every user table's and materialized view's rows, and the catalog rows an
/// attack could change: relations, functions, schemas, this database's roles and settings,
/// server configuration, replication slots, prepared transactions, large objects, the
/// sequence, comments and extensions.
pub const CHECKSUM: &str = r#"
SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
  SELECT 'rows:' || c.oid::regclass::text || ':' || (xpath('/row/m/text()', query_to_xml(
           format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS m FROM %s t', ',', '', c.oid::regclass),
           false, true, '')))[1]::text AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
  UNION ALL SELECT 'class:' || c.oid || ':' || c.relname || ':' || c.relkind::text || ':' || c.relnamespace || ':' || c.relowner
         || ':' || coalesce(c.relacl::text, '') || ':' || c.relnatts FROM pg_class c WHERE c.relpersistence <> 't'
  UNION ALL SELECT 'proc:' || oid || ':' || proname || ':' || coalesce(proacl::text, '') || ':' || md5(coalesce(prosrc, '')) FROM pg_proc
  UNION ALL SELECT 'ns:' || oid || ':' || nspname || ':' || coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname !~ '^pg_(toast_)?temp'
  UNION ALL SELECT 'role:' || rolname || ':' || rolsuper || rolcanlogin || rolcreaterole || ':' || coalesce(rolconfig::text, '')
         FROM pg_roles WHERE rolname = 'postgres' OR rolname LIKE current_database() || '%'
  UNION ALL SELECT 'db:' || datname || ':' || coalesce(datacl::text, '') || datallowconn FROM pg_database WHERE datname = current_database()
  UNION ALL SELECT 'dbrole:' || setrole || ':' || setconfig::text FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()
  UNION ALL SELECT 'setting:' || name || '=' || setting FROM pg_settings WHERE source IN ('configuration file', 'command line')
  UNION ALL SELECT 'autoconf:' || md5(pg_read_file('postgresql.auto.conf'))
  UNION ALL SELECT 'slot:' || slot_name FROM pg_replication_slots
  UNION ALL SELECT 'prepared:' || gid FROM pg_prepared_xacts
  UNION ALL SELECT 'lo:' || oid FROM pg_largeobject_metadata
  UNION ALL SELECT 'seq:' || last_value || is_called FROM accounts_id_seq
  UNION ALL SELECT 'comment:' || objoid || ':' || description FROM pg_description WHERE objoid >= 16384
  UNION ALL SELECT 'ext:' || extname FROM pg_extension
) s"#;

pub async fn checksum(admin: &Connection) -> String {
    admin
        .client
        .query_one(CHECKSUM, &[])
        .await
        .unwrap()
        .get::<_, String>(0)
}
