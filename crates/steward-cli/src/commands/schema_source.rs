//! The schema a command works on: from SQL files or from a live database's catalog.

use crate::cli::{SafetyArgs, SchemaSource};
use anyhow::{bail, Context};
use steward_core::model::Model;
use steward_pg::connect::{self, Params};

/// A model and a one-line description of where it came from.
pub struct Loaded {
    pub model: Model,
    pub described: String,
    /// The live connection's parameters, when the schema came from a database.
    pub params: Option<Params>,
}

pub fn load(source: &SchemaSource, safety: &SafetyArgs) -> anyhow::Result<Loaded> {
    if !source.schema.is_empty() {
        let files = steward_lint::schema_of_paths(&source.schema, None)?;
        for unreadable in &files.unreadable {
            eprintln!("steward: warning: could not read {unreadable}");
        }
        if files.unparsed > 0 {
            eprintln!(
                "steward: warning: {} statement(s) could not be analysed; objects they define are missing from the schema (run steward lint on the files to see them)",
                files.unparsed
            );
        }
        let described = source
            .schema
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Ok(Loaded {
            model: files.model,
            described,
            params: None,
        });
    }
    let Some(url) = &source.url else {
        bail!("no schema: give a database URL, or SQL files with --schema FILE");
    };
    let params = Params::resolve(url, &|k| std::env::var(k).ok())?;
    let safety = super::audit::safety(safety)?;
    let runtime = runtime()?;
    let model = runtime.block_on(async {
        let conn = connect::connect(&params, &safety).await?;
        let (model, _) = steward_pg::catalog::read_model(&conn.client).await?;
        anyhow::Ok(model)
    })?;
    Ok(Loaded {
        described: params.to_string(),
        model,
        params: Some(params),
    })
}

/// A small runtime for one blocking command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
