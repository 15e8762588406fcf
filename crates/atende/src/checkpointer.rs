//! SQLite's checkpoints while the server runs: every tenth of a second, the pages committed to
//! the log are copied into the database file and flushed by a task of their own. Left to the
//! writer, a checkpoint runs inside a commit every thousand pages and the flush holds every
//! write waiting behind it (BENCHMARKS.md, "Checkpoints off the writer's path").

use std::time::Duration;

use atende_store::{Backend, Db};
use tokio::{sync::watch, task::JoinHandle};

const EVERY: Duration = Duration::from_millis(100);

pub struct Checkpointer {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Checkpointer {
    /// Starts checkpointing `db` if it is SQLite (PostgreSQL checkpoints by itself).
    pub fn start(db: Db) -> Option<Checkpointer> {
        if db.backend() != Backend::Sqlite {
            return None;
        }
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(EVERY);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => return,
                }
                if let Err(err) = db.checkpoint().await {
                    tracing::warn!(%err, "checkpoint failed; the writer checkpoints by itself meanwhile");
                }
            }
        });
        Some(Checkpointer { stop, task })
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
