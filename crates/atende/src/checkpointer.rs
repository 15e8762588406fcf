//! SQLite's checkpoints while the server runs: every tenth of a second, the pages committed to
//! the log are copied into the database file and flushed by a task of their own. Left to the
//! writer, a checkpoint runs inside a commit every thousand pages and the flush holds every
//! write waiting behind it (BENCHMARKS.md, "Checkpoints off the writer's path").

use std::time::Duration;

use atende_store::{Backend, Db};

use crate::periodic::Periodic;

const EVERY: Duration = Duration::from_millis(100);

/// Starts checkpointing `db` if it is SQLite (PostgreSQL checkpoints by itself).
pub fn start(db: Db) -> Option<Periodic> {
    if db.backend() != Backend::Sqlite {
        return None;
    }
    Some(Periodic::start(EVERY, move || {
        let db = db.clone();
        async move {
            if let Err(err) = db.checkpoint().await {
                tracing::warn!(%err, "checkpoint failed; the writer checkpoints by itself meanwhile");
            }
        }
    }))
}
