#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every format on one report holding the awkward cases: a finding with a source snippet (tabs,
//! non-ASCII), a multi-line span, a live finding without a file, and text that needs escaping.

use steward_core::{
    Category, Diagnostic, Location, Position, Report, RuleInfo, Severity, SourceFile, Span, Summary,
};
use steward_report::{render, Format, Options};

fn sample() -> Report {
    let text = "CREATE TABLE orders (\n\tid int PRIMARY KEY,\n\tuser_id int REFERENCES users(id) -- für\n);\nSELECT *\n  FROM orders;\n";
    let source = SourceFile::new("db/my schema.sql", text);
    let span = |l1, c1, l2, c2| Span::new(Position::new(l1, c1), Position::new(l2, c2));
    let at = |s| {
        Some(Location {
            path: source.path.clone(),
            span: s,
        })
    };
    let diagnostics = vec![
        Diagnostic::new(
            "select-star",
            Category::Performance,
            Severity::Info,
            "SELECT * reads every column",
        )
        .at(at(span(5, 1, 6, 14)))
        .help("Name the columns you need."),
        Diagnostic::new(
            "fk-without-index",
            Category::Integrity,
            Severity::Warning,
            "foreign key orders(user_id) has no index: 50% of deletes, \"slow\", scan",
        )
        .at(at(span(3, 2, 3, 34)))
        .object("public.orders.user_id")
        .help("Deleting a user scans orders.\nEvery time.")
        .fix("CREATE INDEX CONCURRENTLY orders_user_id_idx\n    ON public.orders (user_id);"),
        Diagnostic::new(
            "xid-wraparound",
            Category::Health,
            Severity::Error,
            "database app is at 1.6 billion XIDs, 75% of the limit",
        )
        .object("app"),
    ];
    let mut summary = Summary {
        files: 1,
        statements: 2,
        unparsed: 0,
        ..Summary::default()
    };
    summary.count(&diagnostics);
    Report {
        diagnostics,
        summary,
        sources: vec![source],
        notes: vec!["1 statement recognised but not analysed".into()],
        unreadable: Vec::new(),
        target: None,
        not_checked: Vec::new(),
        rules: vec![
            RuleInfo {
                id: "fk-without-index",
                category: Category::Integrity,
                default_severity: Severity::Warning,
                summary: "Foreign keys without a covering index.",
                docs: "## What it does\nFinds foreign keys without an index.",
            },
            RuleInfo {
                id: "select-star",
                category: Category::Performance,
                default_severity: Severity::Info,
                summary: "SELECT * in queries.",
                docs: "## What it does\nFinds SELECT *.",
            },
        ],
    }
}

fn options() -> Options {
    Options {
        color: false,
        tool_version: "0.0.0-test".into(),
        verbose: false,
    }
}

#[test]
fn text() {
    insta::assert_snapshot!(render(Format::Text, &sample(), &options()));
}

#[test]
fn text_verbose_lists_notes_and_colour_is_opt_in() {
    let plain = render(Format::Text, &sample(), &options());
    assert!(!plain.contains('\x1b'), "no ANSI escapes unless asked");
    let verbose = render(
        Format::Text,
        &sample(),
        &Options {
            verbose: true,
            ..options()
        },
    );
    assert!(verbose.contains("note: 1 statement recognised but not analysed"));
    assert!(!plain.contains("note:"));
    let coloured = render(
        Format::Text,
        &sample(),
        &Options {
            color: true,
            ..options()
        },
    );
    assert!(coloured.contains("\x1b[1;33mwarning\x1b[0m"));
}

#[test]
fn text_without_findings_says_so() {
    let report = Report {
        summary: Summary {
            files: 3,
            statements: 10,
            ..Summary::default()
        },
        ..Report::default()
    };
    assert_eq!(
        render(Format::Text, &report, &options()),
        "steward: no problems found in 3 files, 10 statements\n"
    );
}

#[test]
fn json_follows_the_contract_exactly() {
    let out = render(Format::Json, &sample(), &options());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["diagnostics", "summary", "version"]);
    assert_eq!(v["version"], 1);
    assert_eq!(
        keys(&v["diagnostics"][0]),
        [
            "category",
            "column",
            "end_column",
            "end_line",
            "file",
            "fix",
            "help",
            "line",
            "message",
            "object",
            "rule",
            "severity"
        ]
    );
    assert_eq!(
        keys(&v["summary"]),
        [
            "errors",
            "files",
            "infos",
            "statements",
            "unparsed",
            "warnings"
        ]
    );
    // Sorted: file findings by position, then live findings.
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["xid-wraparound", "fk-without-index", "select-star"]);
    let live = &v["diagnostics"][0];
    assert!(live["file"].is_null() && live["line"].is_null() && live["end_column"].is_null());
    assert!(live["fix"].is_null() && live["help"].is_null());
    assert_eq!(v["diagnostics"][1]["line"], 3);
    assert_eq!(v["diagnostics"][1]["column"], 2);
    assert_eq!(v["summary"]["warnings"], 1);
    insta::assert_snapshot!(out);
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let out = render(Format::Sarif, &sample(), &options());
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
    // And the schema is not vacuous: a broken log fails it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let fk = results
        .iter()
        .find(|r| r["ruleId"] == "fk-without-index")
        .unwrap();
    assert_eq!(fk["ruleIndex"], 0);
    assert_eq!(
        fk["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "db/my%20schema.sql"
    );
    assert_eq!(
        fk["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let live = results
        .iter()
        .find(|r| r["ruleId"] == "xid-wraparound")
        .unwrap();
    assert!(live.get("ruleIndex").is_none());
    assert!(live["locations"][0].get("physicalLocation").is_none());
    insta::assert_snapshot!(out);
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(render(Format::Github, &sample(), &options()));
}
