//! Finding and reading input files.

use std::path::{Path, PathBuf};

/// File extensions read when walking a directory.
const SQL_EXTENSIONS: &[&str] = &["sql", "pgsql", "psql", "tsql", "ddl", "mssql"];

/// Files above this size are read but reported (a dump with data, usually).
pub const LARGE_FILE: u64 = 64 * 1024 * 1024;

/// Why an input could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub path: String,
    pub reason: String,
}

/// One input ready to lint.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user wrote it (or as found under a directory they named).
    pub path: String,
    pub text: String,
}

/// Expands the given paths: files as given, directories walked recursively (respecting
/// `.gitignore`) for SQL files, sorted by path so a migrations folder reads as a history.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Unreadable>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => unreadable.push(Unreadable {
                path: path.display().to_string(),
                reason: io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => {
                let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                    .hidden(true)
                    .git_ignore(true)
                    .require_git(false)
                    .build()
                    .filter_map(|entry| match entry {
                        Ok(e) => Some(e),
                        Err(err) => {
                            unreadable.push(Unreadable {
                                path: path.display().to_string(),
                                reason: err.to_string(),
                            });
                            None
                        }
                    })
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .map(|e| e.into_path())
                    .filter(|p| has_sql_extension(p))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    (files, unreadable)
}

fn has_sql_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SQL_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a file (or stdin for `-`) as text. Binary files and undecodable text are unreadable
/// with a reason; UTF-16 files with a byte-order mark (common from SQL Server tools) are
/// decoded.
pub fn read(path: &Path) -> Result<Input, Unreadable> {
    let shown = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| Unreadable {
            path: shown.clone(),
            reason: io_reason(&e),
        })?;
        buf
    } else {
        std::fs::read(path).map_err(|e| Unreadable {
            path: shown.clone(),
            reason: io_reason(&e),
        })?
    };
    let text = decode(&bytes).map_err(|reason| Unreadable {
        path: shown.clone(),
        reason,
    })?;
    Ok(Input { path: shown, text })
}

fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).map_err(|_| not_utf8());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err("binary file (contains NUL bytes), not SQL".into());
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| not_utf8())
}

fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> Result<String, String> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
}

fn not_utf8() -> String {
    "not valid UTF-8 text; convert it first, e.g. `iconv -f latin1 -t utf-8 FILE`".into()
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_text_and_refuses_binary() {
        assert_eq!(decode(b"select 1;").as_deref(), Ok("select 1;"));
        assert_eq!(decode(b"\xEF\xBB\xBFselect 1;").as_deref(), Ok("select 1;"));
        assert_eq!(decode(b"\xFF\xFEs\0;\0").as_deref(), Ok("s;"));
        assert!(decode(b"\x7fELF\0\0\0").unwrap_err().contains("binary"));
        assert!(decode(b"caf\xe9;").unwrap_err().contains("UTF-8"));
    }
}
