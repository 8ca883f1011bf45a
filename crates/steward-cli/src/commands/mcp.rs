//! `steward mcp [URL]`: the MCP server (steward-mcp) on stdio or streamable HTTP.

use crate::cli::{McpArgs, McpTransport};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_mcp::executor::{Executor, Limits};
use steward_mcp::role::{RoleCheck, ADVICE};
use steward_mcp::server::StewardServer;
use steward_mcp::tools::Options;
use steward_pg::connect::Params;

pub fn run(args: McpArgs) -> anyhow::Result<ExitCode> {
    let safety = super::audit::safety(&args.safety)?;
    let params = Params::resolve(&args.url, &|k| std::env::var(k).ok())?;
    let token = match &args.token_env {
        None => None,
        Some(var) => {
            let token = std::env::var(var)
                .ok()
                .filter(|t| !t.trim().is_empty())
                .with_context(|| format!("--token-env {var}: the variable is not set or empty"))?;
            Some(token)
        }
    };
    if token.is_some() && matches!(args.transport, McpTransport::Stdio) {
        bail!("--token-env applies to --transport http only");
    }
    let limits = Limits {
        max_rows: args.max_rows.max(1),
        max_bytes: args.max_bytes.max(1024),
        statement_timeout: safety.statement_timeout,
        lock_timeout: safety.lock_timeout,
        idle_timeout: safety.idle_in_transaction_timeout,
    };
    let options = Options {
        allow_analyze: args.allow_analyze,
    };
    super::schema_source::runtime()?.block_on(async {
        let executor = Executor::connect(params, safety, limits).await?;
        let check = executor
            .in_transaction("", async |tx| RoleCheck::read(tx).await)
            .await
            .context("checking the role's privileges")?;
        if check.can_write() {
            for problem in check.problems() {
                eprintln!("steward mcp: WARNING: {problem}");
            }
            eprintln!("steward mcp: {ADVICE}");
            if args.strict {
                eprintln!("steward mcp: refusing to start (--strict)");
                return Ok(ExitCode::from(2));
            }
        }
        let server = StewardServer::new(executor, options);
        match args.transport {
            McpTransport::Stdio => server.serve_stdio().await?,
            McpTransport::Http => {
                server
                    .serve_http(args.bind, token, |addr| {
                        eprintln!("steward mcp: listening on http://{addr}/mcp");
                    })
                    .await?
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
