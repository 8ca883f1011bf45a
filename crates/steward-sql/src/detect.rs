//! Guessing a file's dialect from its name and content.

use steward_core::Dialect;

/// Picks the dialect of a file: by extension when it says (`.tsql`, `.mssql`, `.pgsql`,
/// `.psql`), else by content (T-SQL: `GO` batch lines, `[bracketed]` names, `@variables`,
/// `NVARCHAR`, `IDENTITY`; PostgreSQL: `$$` bodies, `::` casts, `SERIAL`, `plpgsql`), else
/// PostgreSQL.
pub fn detect(path: &str, text: &str) -> Dialect {
    let lower_path = path.to_ascii_lowercase();
    if [".tsql", ".mssql", ".sqlserver"]
        .iter()
        .any(|e| lower_path.ends_with(e))
    {
        return Dialect::Tsql;
    }
    if [".pgsql", ".psql", ".plpgsql"]
        .iter()
        .any(|e| lower_path.ends_with(e))
    {
        return Dialect::Postgres;
    }
    let sample = &text[..floor_char_boundary(text, 256 * 1024)];
    let mut tsql = 0usize;
    let mut pg = 0usize;
    for line in sample.lines() {
        let trimmed = line.trim();
        let upper = trimmed.to_ascii_uppercase();
        if upper == "GO" || upper.starts_with("GO ") || upper == "GO;" {
            tsql += 5;
        }
        if trimmed.starts_with("--") {
            continue;
        }
        if trimmed.contains("[dbo]") || trimmed.contains("].[") {
            tsql += 3;
        }
        if upper.contains("NVARCHAR") || upper.contains(" IDENTITY") || upper.contains("@@") {
            tsql += 2;
        }
        if upper.contains("DECLARE @")
            || upper.contains("SET NOCOUNT")
            || upper.starts_with("EXEC ")
        {
            tsql += 3;
        }
        if trimmed.contains("$$") || trimmed.contains("::") {
            pg += 3;
        }
        if upper.contains("SERIAL")
            || upper.contains("PLPGSQL")
            || upper.contains("CREATE EXTENSION")
        {
            pg += 3;
        }
        if upper.contains("RETURNING ")
            || upper.contains(" ILIKE ")
            || upper.contains("TIMESTAMPTZ")
        {
            pg += 2;
        }
    }
    if tsql > pg {
        Dialect::Tsql
    } else {
        Dialect::Postgres
    }
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    let mut i = max.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_and_extension() {
        assert_eq!(
            detect("a.sql", "CREATE TABLE [dbo].[x] (a INT)\nGO\n"),
            Dialect::Tsql
        );
        assert_eq!(
            detect("a.sql", "CREATE TABLE x (id serial);"),
            Dialect::Postgres
        );
        assert_eq!(detect("a.tsql", "select 1"), Dialect::Tsql);
        assert_eq!(detect("a.sql", ""), Dialect::Postgres);
    }
}
