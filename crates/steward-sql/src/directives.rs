//! Inline directives in comments:
//! `-- steward: ignore[rule-a, rule-b]` (the next statement) and
//! `-- steward: ignore-file[rule-a]` (the whole file). `ignore` without a list means every rule.

/// One directive found in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub scope: DirectiveScope,
    /// Rule ids; empty means all rules.
    pub rules: Vec<String>,
    /// Byte range of the comment in the file.
    pub range: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveScope {
    NextStatement,
    File,
}

/// Problems in directives are reported, not ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveProblem {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

/// Reads the directives in one comment (`text` is the comment including its markers).
pub fn parse_comment(
    text: &str,
    range: std::ops::Range<usize>,
) -> (Vec<Directive>, Vec<DirectiveProblem>) {
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    let body = text
        .trim_start_matches("--")
        .trim_start_matches("/*")
        .trim_end_matches("*/")
        .trim();
    let Some(rest) = strip_prefix_ci(body, "steward:") else {
        return (directives, problems);
    };
    let rest = rest.trim();
    let (scope, rest) = if let Some(r) = strip_prefix_ci(rest, "ignore-file") {
        (DirectiveScope::File, r)
    } else if let Some(r) = strip_prefix_ci(rest, "ignore") {
        (DirectiveScope::NextStatement, r)
    } else {
        problems.push(DirectiveProblem {
            message: format!(
                "unknown steward directive `{}` (expected `ignore[rule-id]` or `ignore-file[rule-id]`)",
                rest.split_whitespace().next().unwrap_or("")
            ),
            range,
        });
        return (directives, problems);
    };
    let rest = rest.trim();
    let rules = if rest.is_empty() {
        Vec::new()
    } else if let Some(list) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        list.0
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect()
    } else {
        problems.push(DirectiveProblem {
            message: "malformed steward directive: expected a rule list in brackets, e.g. `-- steward: ignore[select-star]`".into(),
            range,
        });
        return (directives, problems);
    };
    directives.push(Directive {
        scope,
        rules,
        range,
    });
    (directives, problems)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ignore_lists() {
        let (d, p) = parse_comment("-- steward: ignore[select-star, fk-without-index]", 0..10);
        assert!(p.is_empty());
        assert_eq!(d[0].scope, DirectiveScope::NextStatement);
        assert_eq!(d[0].rules, vec!["select-star", "fk-without-index"]);
        let (d, _) = parse_comment("/* steward: ignore-file[drop-column] */", 0..10);
        assert_eq!(d[0].scope, DirectiveScope::File);
        let (d, _) = parse_comment("-- steward: ignore", 0..10);
        assert!(d[0].rules.is_empty());
    }

    #[test]
    fn ordinary_comments_are_not_directives() {
        assert_eq!(parse_comment("-- just a comment", 0..1), (vec![], vec![]));
    }

    #[test]
    fn malformed_directives_are_reported() {
        let (_, p) = parse_comment("-- steward: ignroe[x]", 0..1);
        assert_eq!(p.len(), 1);
        let (_, p) = parse_comment("-- steward: ignore select-star", 0..1);
        assert_eq!(p.len(), 1);
    }
}
