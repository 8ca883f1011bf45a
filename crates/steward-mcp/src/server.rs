//! The MCP server: rmcp's [`ServerHandler`] over [`tools`], on stdio or streamable HTTP.

use crate::executor::Executor;
use crate::tools::{self, ToolError};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("MCP session failed: {0}")]
    Session(String),
}

/// The server: one database connection, the tool list, the options.
#[derive(Clone)]
pub struct StewardServer {
    inner: Arc<Inner>,
}

struct Inner {
    executor: Executor,
    options: tools::Options,
    tools: Vec<Tool>,
}

impl StewardServer {
    pub fn new(executor: Executor, options: tools::Options) -> StewardServer {
        let tools = tools::definitions(options)
            .into_iter()
            .map(|d| {
                let schema = match d.input_schema {
                    Value::Object(map) => map,
                    _ => serde_json::Map::new(),
                };
                Tool::new(d.name, d.description, schema)
                    .with_title(d.title)
                    .with_annotations(
                        ToolAnnotations::with_title(d.title)
                            .read_only(true)
                            .destructive(false),
                    )
            })
            .collect();
        StewardServer {
            inner: Arc::new(Inner {
                executor,
                options,
                tools,
            }),
        }
    }

    /// Calls a tool directly (what a `tools/call` request does), for tests and benchmarks.
    pub async fn call(&self, name: &str, arguments: Value) -> CallToolResult {
        match tools::call(&self.inner.executor, self.inner.options, name, arguments).await {
            Ok(out) => {
                let text = out.structured.to_string();
                let mut result = CallToolResult::success(vec![
                    ContentBlock::text(out.summary),
                    ContentBlock::text(text),
                ]);
                result.structured_content = Some(out.structured);
                result
            }
            Err(e) => {
                let kind = match &e {
                    ToolError::Refused(_) => "refused",
                    ToolError::Exec(_) => "database",
                    ToolError::Arguments(_) | ToolError::Unknown(_) => "arguments",
                };
                let mut result = CallToolResult::error(vec![ContentBlock::text(e.to_string())]);
                result.structured_content = Some(json!({"error": e.to_string(), "kind": kind}));
                result
            }
        }
    }

    /// Serves one client on stdin/stdout until it disconnects.
    pub async fn serve_stdio(self) -> Result<(), ServeError> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| ServeError::Session(e.to_string()))?;
        running
            .waiting()
            .await
            .map_err(|e| ServeError::Session(e.to_string()))?;
        Ok(())
    }

    /// Serves streamable HTTP at `http://ADDR/mcp` until Ctrl-C. With `token`, every request
    /// needs `Authorization: Bearer TOKEN` (compared in constant time). `on_listen` gets the
    /// bound address (port 0 picks a free one).
    pub async fn serve_http(
        self,
        addr: SocketAddr,
        token: Option<String>,
        on_listen: impl FnOnce(SocketAddr),
    ) -> Result<(), ServeError> {
        use rmcp::transport::streamable_http_server::{
            session::local::LocalSessionManager, StreamableHttpServerConfig, StreamableHttpService,
        };
        let ct = tokio_util::sync::CancellationToken::new();
        let mut hosts = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        if !addr.ip().is_loopback() && !addr.ip().is_unspecified() {
            hosts.push(addr.ip().to_string());
        }
        let config = StreamableHttpServerConfig::default()
            .with_allowed_hosts(hosts)
            .with_cancellation_token(ct.child_token());
        let config = if addr.ip().is_unspecified() {
            config.disable_allowed_hosts()
        } else {
            config
        };
        let server = self.clone();
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
        let expected = token.map(|t| Sha256::digest(t.as_bytes()));
        let router =
            axum::Router::new()
                .nest_service("/mcp", service)
                .layer(axum::middleware::from_fn(
                    move |request: axum::extract::Request, next: axum::middleware::Next| {
                        let expected = expected;
                        async move {
                            if let Some(expected) = expected {
                                if !authorised(&request, &expected) {
                                    return axum::response::IntoResponse::into_response((
                                        axum::http::StatusCode::UNAUTHORIZED,
                                        [("www-authenticate", "Bearer")],
                                        "missing or wrong bearer token\n",
                                    ));
                                }
                            }
                            next.run(request).await
                        }
                    },
                ));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        on_listen(listener.local_addr()?);
        // Responses are small and written in pieces: without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK add ~40 ms to every call.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                ct.cancel();
            })
            .await?;
        Ok(())
    }
}

/// Whether the request carries the bearer token whose SHA-256 is `expected`. Digests are
/// compared in constant time, so the comparison says nothing about how much of a guess was
/// right (and hashing first hides the token's length).
fn authorised(request: &axum::extract::Request, expected: &[u8]) -> bool {
    let Some(value) = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(given) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return false;
    };
    let digest = Sha256::digest(given.trim().as_bytes());
    constant_time_eq(&digest, expected)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl ServerHandler for StewardServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("steward", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "steward: a PostgreSQL expert that can look but never touch. Start with \
                 list_schemas and describe_schema; run_readonly_query runs one read-only \
                 query (built-in side-effect-free functions only, capped rows, bytes and time); \
                 explain_query shows plans; audit_database and lint_sql find problems with \
                 fixes; privacy_inventory says where personal data is without reading any.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.inner.tools.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.inner.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.map_or(Value::Null, Value::Object);
        Ok(self.call(&request.name, arguments).await.into())
    }
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn equal_only_when_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
