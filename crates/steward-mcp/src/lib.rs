//! `steward mcp`: a Model Context Protocol server for PostgreSQL that an agent can use to look
//! at the schema, lint SQL, audit the database, explain queries and read data — and that
//! cannot change anything, whatever text it is sent.
//!
//! Read-only by construction, in layers that each hold on their own:
//! (a) [`readonly`] parses the text and walks the whole tree against allow-lists;
//! (b) [`executor`] sends one statement over the extended protocol;
//! (c) in its own `READ ONLY` transaction with timeouts, always rolled back, the session
//!     reset afterwards;
//! (d) on a session with `default_transaction_read_only=on`, whose role [`role`] checks at
//!     start-up;
//! (e) results are capped and errors never echo the query or its literals ([`redact`]).

pub mod executor;
pub mod readonly;
pub mod redact;
pub mod role;
pub mod server;
pub mod tools;
