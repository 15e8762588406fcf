//! atende's storage: one set of portable SQL (`$n` parameters, `RETURNING`, integer ids and
//! millisecond timestamps) over SQLite, the embedded default, and PostgreSQL, for scale-out.
//!
//! Repositories are plain functions that take a connection, so that a use case can run several of
//! them inside one write transaction (`Db::begin`).

mod db;
mod error;
mod migrate;
mod rows;
mod sql;

pub mod attachments;
pub mod backup;
pub mod changelog;
pub mod community;
pub mod conversations;
pub mod directory;
pub mod feedback;
pub mod kb;
pub mod mail;
pub mod membership;
pub mod passwords;
pub mod phone;
pub mod profile;
mod queue;
pub mod report_rollups;
pub mod reports;
pub mod search;
pub mod sla;
pub mod status;
pub mod tickets;

pub use db::{Backend, Conn, Db, Tx, one_at_a_time};
pub use error::StoreError;
pub use sql::Filter;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
