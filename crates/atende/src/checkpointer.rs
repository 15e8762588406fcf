//! SQLite's checkpoints while the server runs: every tenth of a second, the pages committed to
//! the log are copied into the database file and flushed by a task of their own. Left to the
//! writer, a checkpoint runs inside a commit every thousand pages and the flush holds every
//! write waiting behind it (BENCHMARKS.md, "Checkpoints off the writer's path").

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use atende_store::{Backend, Db};

use crate::periodic::Periodic;

const EVERY: Duration = Duration::from_millis(100);

/// Starts checkpointing `db` if it is SQLite (PostgreSQL checkpoints by itself).
pub fn start(db: Db) -> Option<Periodic> {
    if db.backend() != Backend::Sqlite {
        return None;
    }
    // A failure is said once, not ten times a second, and its end is said too.
    let failing = Arc::new(AtomicBool::new(false));
    Some(Periodic::start(EVERY, move || {
        let (db, failing) = (db.clone(), failing.clone());
        async move {
            match db.checkpoint().await {
                Ok(_) if failing.swap(false, Ordering::Relaxed) => tracing::info!("checkpoints work again"),
                Ok(_) => {}
                Err(err) if !failing.swap(true, Ordering::Relaxed) => {
                    tracing::warn!(%err, "checkpoints fail; the writer checkpoints by itself meanwhile");
                }
                Err(_) => {}
            }
        }
    }))
}
