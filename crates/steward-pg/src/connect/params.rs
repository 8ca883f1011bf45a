//! Connection parameters the way libpq resolves them: a `postgresql://` URL or a `key=value`
//! string, then `PG*` environment variables, then defaults; the password last from the
//! password file. Nothing here prints or logs a password.

use super::ConnectError;
use std::path::{Path, PathBuf};

/// `sslmode`, as libpq defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(s: &str) -> Result<Self, ConnectError> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(ConnectError::Invalid(format!(
                    "invalid sslmode `{other}` (expected disable, allow, prefer, require, verify-ca or verify-full)"
                )))
            }
        })
    }
}

/// Resolved connection parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct Params {
    /// A host name, an IP address, or (starting with `/`) a Unix-socket directory.
    pub host: String,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    /// Never shown: `Debug` and `Display` leave it out.
    pub password: Option<String>,
    pub sslmode: SslMode,
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Option<std::time::Duration>,
    /// Extra server options (`options=-c …`).
    pub options: Option<String>,
    pub passfile: Option<PathBuf>,
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("dbname", &self.dbname)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("sslmode", &self.sslmode)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for Params {
    /// `user@host:port/dbname` — for messages; never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_socket() {
            write!(
                f,
                "{}@local (socket {}/.s.PGSQL.{})/{}",
                self.user, self.host, self.port, self.dbname
            )
        } else {
            write!(
                f,
                "{}@{}:{}/{}",
                self.user, self.host, self.port, self.dbname
            )
        }
    }
}

impl Params {
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// Resolves `conninfo` (URL, key=value string, or empty) against the environment, the
    /// defaults and the password file. `env` reads environment variables (injectable for tests).
    pub fn resolve(
        conninfo: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Params, ConnectError> {
        let given = parse_conninfo(conninfo)?;
        let get = |key: &str, var: &str| -> Option<String> {
            given
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| env(var).filter(|v| !v.is_empty()))
        };
        let host = get("host", "PGHOST")
            .or_else(|| get("hostaddr", "PGHOSTADDR"))
            .unwrap_or_else(default_socket_dir);
        // libpq accepts a list of hosts; steward connects to the first.
        let host = host.split(',').next().unwrap_or_default().to_string();
        let port = match get("port", "PGPORT") {
            Some(p) => p
                .split(',')
                .next()
                .unwrap_or_default()
                .parse()
                .map_err(|_| ConnectError::Invalid(format!("invalid port `{p}`")))?,
            None => 5432,
        };
        let user = get("user", "PGUSER")
            .or_else(|| env("USER"))
            .or_else(os_user)
            .ok_or_else(|| ConnectError::Invalid("no user name: set user= or PGUSER".into()))?;
        let dbname = get("dbname", "PGDATABASE").unwrap_or_else(|| user.clone());
        let sslmode = match get("sslmode", "PGSSLMODE") {
            Some(m) => SslMode::parse(&m)?,
            None => SslMode::Prefer,
        };
        let connect_timeout = match get("connect_timeout", "PGCONNECT_TIMEOUT") {
            Some(t) => {
                let secs: u64 = t
                    .parse()
                    .map_err(|_| ConnectError::Invalid(format!("invalid connect_timeout `{t}`")))?;
                (secs > 0).then(|| std::time::Duration::from_secs(secs.max(2)))
            }
            None => None,
        };
        let passfile = get("passfile", "PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")));
        let mut params = Params {
            host,
            port,
            user,
            dbname,
            password: get("password", "PGPASSWORD"),
            sslmode,
            sslrootcert: get("sslrootcert", "PGSSLROOTCERT").map(PathBuf::from),
            connect_timeout,
            options: get("options", "PGOPTIONS"),
            passfile,
        };
        if params.password.is_none() {
            params.password = params
                .passfile
                .as_deref()
                .and_then(|f| password_from_file(f, &params));
        }
        Ok(params)
    }
}

const KNOWN_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "sslmode",
    "sslrootcert",
    "connect_timeout",
    "options",
    "application_name",
    "fallback_application_name",
    "target_session_attrs",
    "sslcert",
    "sslkey",
    "keepalives",
    "gssencmode",
];

/// Parses a URL or key=value conninfo into (key, value) pairs.
pub fn parse_conninfo(conninfo: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let s = conninfo.trim();
    let pairs = if s.starts_with("postgresql://") || s.starts_with("postgres://") {
        parse_url(s)?
    } else {
        parse_key_values(s)?
    };
    for (k, _) in &pairs {
        if k == "sslcert" || k == "sslkey" {
            return Err(ConnectError::Invalid(
                "client certificates (sslcert/sslkey) are not supported yet; authenticate with a password".into(),
            ));
        }
        if !KNOWN_KEYS.contains(&k.as_str()) {
            return Err(ConnectError::Invalid(format!(
                "unknown connection option `{k}`"
            )));
        }
    }
    Ok(pairs)
}

fn parse_url(url: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let bad = |why: &str| ConnectError::Invalid(format!("invalid connection URL: {why}"));
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut out = Vec::new();
    let hostport = match authority.rfind('@') {
        Some(i) => {
            let userinfo = &authority[..i];
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                out.push((
                    "user".into(),
                    decode(user).ok_or_else(|| bad("bad escape in user"))?,
                ));
            }
            if let Some(p) = password {
                out.push((
                    "password".into(),
                    decode(p).ok_or_else(|| bad("bad escape in password"))?,
                ));
            }
            &authority[i + 1..]
        }
        None => authority,
    };
    if !hostport.is_empty() {
        // `[::1]:5432`, `host:5432`, `host`.
        let (host, port) = if let Some(stripped) = hostport.strip_prefix('[') {
            let end = stripped
                .find(']')
                .ok_or_else(|| bad("unclosed [ in host"))?;
            let port = stripped[end + 1..].strip_prefix(':');
            (&stripped[..end], port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') => (h, Some(p)),
                _ => (hostport, None),
            }
        };
        if !host.is_empty() {
            out.push((
                "host".into(),
                decode(host).ok_or_else(|| bad("bad escape in host"))?,
            ));
        }
        if let Some(p) = port.filter(|p| !p.is_empty()) {
            out.push(("port".into(), p.to_string()));
        }
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        out.push((
            "dbname".into(),
            decode(db).ok_or_else(|| bad("bad escape in dbname"))?,
        ));
    }
    for pair in query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| bad("query parameter without `=`"))?;
        out.push((
            decode(k).ok_or_else(|| bad("bad escape"))?,
            decode(v).ok_or_else(|| bad("bad escape"))?,
        ));
    }
    Ok(out)
}

/// Percent-decoding (`%2F` → `/`); `None` on a malformed escape or invalid UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn parse_key_values(s: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(ConnectError::Invalid(format!(
                "missing `=` after `{key}` in connection info string"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(ConnectError::Invalid(
                            "unterminated quoted string in connection info string".into(),
                        ))
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
    Ok(out)
}

fn default_socket_dir() -> String {
    // Debian and Ubuntu builds put the socket here; upstream's default is /tmp.
    if Path::new("/var/run/postgresql").is_dir() {
        "/var/run/postgresql".into()
    } else {
        "/tmp".into()
    }
}

fn os_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        let name = f.next()?;
        let id: u32 = f.nth(1)?.parse().ok()?;
        (id == uid).then(|| name.to_string())
    })
}

/// The password for these parameters from a `.pgpass`-format file, as libpq reads it: the
/// first matching `host:port:database:user:password` line; `*` matches anything; `\:` and `\\`
/// escape. A file readable by group or others is ignored (libpq does the same, with a warning).
fn password_from_file(path: &Path, params: &Params) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    // Socket connections match the host name `localhost`.
    let host = if params.is_socket() {
        "localhost"
    } else {
        params.host.as_str()
    };
    let port = params.port.to_string();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            let [h, p, d, u, pw] = fields.as_slice() else {
                return None;
            };
            let m = |pattern: &str, value: &str| pattern == "*" || pattern == value;
            (m(h, host) && m(p, &port) && m(d, &params.dbname) && m(u, &params.user))
                .then(|| pw.clone())
        })
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn urls() {
        let p = Params::resolve(
            "postgresql://app:s%40cret@db.example.com:6543/shop?sslmode=require&connect_timeout=5",
            &env(&[]),
        )
        .unwrap();
        assert_eq!(p.host, "db.example.com");
        assert_eq!(p.port, 6543);
        assert_eq!(p.user, "app");
        assert_eq!(p.password.as_deref(), Some("s@cret"));
        assert_eq!(p.dbname, "shop");
        assert_eq!(p.sslmode, SslMode::Require);
        let p = Params::resolve(
            "postgres://%2Fvar%2Frun%2Fpostgresql/x",
            &env(&[("USER", "me")]),
        )
        .unwrap();
        assert!(p.is_socket());
        assert_eq!(p.user, "me");
        let p = Params::resolve("postgresql://[::1]:5433/db", &env(&[("USER", "me")])).unwrap();
        assert_eq!((p.host.as_str(), p.port), ("::1", 5433));
        let p = Params::resolve("postgresql:///db?host=/tmp", &env(&[("USER", "me")])).unwrap();
        assert_eq!(p.host, "/tmp");
    }

    #[test]
    fn key_values_environment_and_defaults() {
        let p = Params::resolve(
            "host=localhost port = 5439 dbname='my db' password='it''s'",
            &env(&[("PGUSER", "envuser"), ("PGDATABASE", "ignored")]),
        );
        // `''` is not an escape in conninfo: a quote ends the value.
        assert!(p.is_err() || p.unwrap().password.as_deref() == Some("it"));
        let p = Params::resolve(
            r"host=localhost port = 5439 dbname='my db' password='it\'s'",
            &env(&[("PGUSER", "envuser"), ("PGDATABASE", "ignored")]),
        )
        .unwrap();
        assert_eq!(p.dbname, "my db");
        assert_eq!(p.user, "envuser");
        assert_eq!(p.password.as_deref(), Some("it's"));
        assert_eq!(p.port, 5439);
        let p = Params::resolve("", &env(&[("PGHOST", "h"), ("PGUSER", "u")])).unwrap();
        assert_eq!(
            (p.host.as_str(), p.dbname.as_str(), p.port),
            ("h", "u", 5432)
        );
        assert_eq!(p.sslmode, SslMode::Prefer);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        for (input, expect) in [
            ("host=x sslmode=maybe", "sslmode"),
            ("hots=x", "unknown connection option `hots`"),
            ("host", "missing `=`"),
            ("port=abc", "invalid port"),
            ("password='open", "unterminated"),
            ("postgresql://u@h/db?x", "without `=`"),
            ("host=x sslcert=/c.pem", "client certificates"),
        ] {
            let e = Params::resolve(input, &env(&[("USER", "u")]))
                .unwrap_err()
                .to_string();
            assert!(e.contains(expect), "{input}: {e}");
        }
    }

    #[test]
    fn passwords_never_show() {
        let p = Params::resolve("postgresql://u:hunter2@h/db", &env(&[])).unwrap();
        assert!(!format!("{p} {p:?}").contains("hunter2"));
    }

    #[test]
    fn pgpass_is_read_like_libpq() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:nope\nlocalhost:5432:shop:app:pa\\:ss\n*:*:*:app:fallback\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = env(&[("PGPASSFILE", file.to_str().unwrap())]);
        let p = Params::resolve("host=/tmp user=app dbname=shop", &e).unwrap();
        assert_eq!(p.password.as_deref(), Some("pa:ss"));
        let p = Params::resolve("host=db user=app dbname=x", &e).unwrap();
        assert_eq!(p.password.as_deref(), Some("fallback"));
        // A password given explicitly wins.
        let p = Params::resolve("host=/tmp user=app dbname=shop password=given", &e).unwrap();
        assert_eq!(p.password.as_deref(), Some("given"));
        // World-readable: ignored.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = Params::resolve("host=/tmp user=app dbname=shop", &e).unwrap();
        assert_eq!(p.password, None);
    }
}
