//! steward's SQL front-end: from text to statements and a schema model.
//!
//! - [`split`] finds statement boundaries without parsing;
//! - [`parse`] parses each statement, repairing or recognising what sqlparser cannot read;
//! - [`lower`] applies statements, in order, to a [`steward_core::model::Model`].

pub mod body;
pub mod detect;
pub mod directives;
pub mod lex;
pub mod lower;
pub mod names;
pub mod parse;
mod recognise;
mod repair;
pub mod split;

pub use parse::{parse_file, parse_text, ParsedFile};
pub use recognise::command_kind;
