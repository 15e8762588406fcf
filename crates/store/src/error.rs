use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint refused the write; the string is the stable code of what already exists.
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// A stored value could not be read back as its domain type (a bug or a hand-edited row).
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// The database settings themselves are wrong (the URL, a directory that cannot be created).
    #[error("{0}")]
    Config(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        StoreError::Database(err)
    }
}

impl StoreError {
    /// Maps a unique violation to `Conflict(what)`, leaving other errors as they are.
    pub(crate) fn unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |err| match err.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::Database(err),
        }
    }
}
