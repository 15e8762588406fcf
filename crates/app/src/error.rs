use atende_domain::{ParseError, Refusal};
use atende_store::StoreError;
use thiserror::Error;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What went wrong in a use case, in terms a user can act on. The HTTP edge maps each case to a
/// status and a localized message; the string payloads are stable machine codes.
#[derive(Debug, Error)]
pub enum AppError {
    /// No such thing, or the caller may not know it exists (never leak another tenant's data).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller may see the thing but not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("authentication failed: {0}")]
    Unauthenticated(&'static str),
    /// The manual's access rules refused a ticket; `contract_id` lets the edge link the remedy.
    #[error("not entitled: {}", .refusal.code())]
    Refused { refusal: Refusal, contract_id: Option<i64> },
    #[error(transparent)]
    Invalid(#[from] ParseError),
    /// A well-formed request that does not fit the current state (`ticket.closed`...).
    #[error("rejected: {0}")]
    Rejected(&'static str),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(what) => AppError::Conflict(what),
            other => AppError::Internal(other.to_string()),
        }
    }
}
