//! `steward advise [URL] [--log FILE | --queries FILE]`.

use crate::cli::{AdviseArgs, AdviseFormat};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_advise::economics::Price;
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
    let advice = report::advise(workload, model.as_ref(), &rules, options);
    match args.format {
        AdviseFormat::Text => print!("{}", advice.to_text()),
        AdviseFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&advice.to_json()).context("writing JSON")?
        ),
    }
    Ok(ExitCode::SUCCESS)
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
