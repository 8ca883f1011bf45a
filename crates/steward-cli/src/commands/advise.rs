//! `steward advise [URL] [--log FILE | --queries FILE]`.

use crate::cli::{AdviseArgs, AdviseFormat};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_advise::economics::Price;
use steward_advise::indexes::IndexOptions;
use steward_advise::report::{self, Options};
use steward_advise::workload::{self, Workload};
use steward_core::model::Model;
use steward_lint::config::{lint_rules, Flags, Settings};
use steward_pg::connect::{self, Params};

pub fn run(args: AdviseArgs) -> anyhow::Result<ExitCode> {
    if !args.cost_per_vcpu_hour.is_finite() || args.cost_per_vcpu_hour < 0.0 {
        bail!(
            "--cost-per-vcpu-hour `{}`: expected a price of zero or more",
            args.cost_per_vcpu_hour
        );
    }
    let config = super::config_path(&args.select)?;
    let flags = Flags {
        dialect: None,
        fail_on: None,
        select: args.select.select.clone(),
        ignore: args.select.ignore.clone(),
    };
    let settings = Settings::load_for(config.as_deref(), &flags, lint_rules())?;
    let rules = settings.rules();
    let safety = super::audit::safety(&args.safety)?;

    let (workload, model) = match (&args.log, &args.queries) {
        (Some(path), _) => (
            workload::log::read_file(path)?,
            schema(args.url.as_deref(), &safety)?,
        ),
        (None, Some(path)) => (
            workload::file::read_file(path)?,
            schema(args.url.as_deref(), &safety)?,
        ),
        (None, None) => {
            let params = params(args.url.as_deref().unwrap_or(""))?;
            let (workload, model) = live(&params, &safety)?;
            (workload, Some(model))
        }
    };
    let options = Options {
        top: args.top,
        price: Price {
            per_vcpu_hour: args.cost_per_vcpu_hour,
            currency: "USD",
        },
    };
    let index_options = IndexOptions {
        max_indexes: args.max_indexes,
        max_bytes: args.max_size.as_deref().map(size).transpose()?,
        ..IndexOptions::default()
    };
    let mut advice = report::advise(workload, model.as_ref(), &rules, options);
    // What-if indexes need the live database the workload ran on.
    let live_url = match (&args.log, &args.queries) {
        (None, None) => Some(args.url.as_deref().unwrap_or("")),
        _ => args.url.as_deref(),
    };
    if let (Some(url), false) = (live_url, args.no_index_advice) {
        let params = params(url)?;
        let queries = advice.workload.queries.clone();
        let indexes = super::schema_source::runtime()?.block_on(async {
            let conn = connect::connect(&params, &safety).await?;
            anyhow::Ok(steward_advise::indexes::advise(&conn, &queries, &index_options).await?)
        })?;
        advice = advice.with_indexes(indexes);
    }
    match args.format {
        AdviseFormat::Text => out!("{}", advice.to_text()),
        AdviseFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&advice.to_json()).context("writing JSON")?
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// `500MB`, `2GB`, `750kB` or a number of bytes.
fn size(text: &str) -> anyhow::Result<i64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1024.0,
        "mb" | "m" => 1024.0 * 1024.0,
        "gb" | "g" => 1024.0 * 1024.0 * 1024.0,
        "tb" | "t" => 1024.0_f64.powi(4),
        _ => bail!("--max-size `{text}`: expected a size such as 500MB or 2GB"),
    };
    match number.parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok((n * factor) as i64),
        _ => bail!("--max-size `{text}`: expected a size such as 500MB or 2GB"),
    }
}

fn params(url: &str) -> anyhow::Result<Params> {
    Ok(Params::resolve(url, &|k| std::env::var(k).ok())?)
}

/// The schema of a live database, when a URL is given next to a log or queries file.
fn schema(url: Option<&str>, safety: &connect::Safety) -> anyhow::Result<Option<Model>> {
    let Some(url) = url else { return Ok(None) };
    let params = params(url)?;
    let model = super::schema_source::runtime()?.block_on(async {
        let conn = connect::connect(&params, safety).await?;
        let (model, _) = steward_pg::catalog::read_model(&conn.client).await?;
        anyhow::Ok(model)
    })?;
    Ok(Some(model))
}

/// The workload from pg_stat_statements and the schema, on one connection.
fn live(params: &Params, safety: &connect::Safety) -> anyhow::Result<(Workload, Model)> {
    super::schema_source::runtime()?.block_on(async {
        let conn = connect::connect(params, safety).await?;
        let workload = workload::pgss::read(&conn.client, &params.to_string()).await?;
        let (model, _) = steward_pg::catalog::read_model(&conn.client).await?;
        anyhow::Ok((workload, model))
    })
}
