//! steward-mcp's integration tests (one binary; modules inside): the attack suite, the tools
//! against a real database, the start-up role check, and real MCP clients over stdio and
//! HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attacks;
mod clients;
mod common;
mod role;
mod tools;
