//! steward-mcp's integration tests (one binary; modules inside): the attack suite, every tool
//! against a real database, and the start-up role check. Real MCP clients (the Python SDK,
//! the MCP Inspector) drive `steward mcp` in steward-cli's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attacks;
mod common;
mod role;
mod tools;
