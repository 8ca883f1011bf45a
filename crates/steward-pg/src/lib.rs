//! steward's live PostgreSQL layer: the catalog read into the shared model, and the checks
//! only a live server can answer.

pub mod audit;
pub mod catalog;
pub mod checks;
pub mod connect;
pub mod privacy;

/// The server's message of a driver error, without the driver's decoration.
pub fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
