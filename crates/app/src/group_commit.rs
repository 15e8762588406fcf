//! Group commit. The writes that requests make at the same moment (new tickets, received e-mail)
//! are done by one task in one transaction, and each request is answered once that transaction
//! has committed. One commit per request, with its own begin and its own turn at the connection,
//! was what bounded intake (see BENCHMARKS.md): the writer is a single connection on SQLite, and
//! every statement a round trip to it.
//!
//! On PostgreSQL each write keeps a transaction of its own: transactions run side by side on
//! the pool's connections and the server already flushes concurrent commits together, so one
//! writer task would only line their network round trips up (measured: received e-mail 621/s
//! each on its own against 483/s grouped; new tickets the same either way).

use std::{
    future::Future,
    sync::{Arc, OnceLock},
};

use atende_store::Conn;
use tokio::sync::{mpsc, oneshot};

use crate::{App, AppError, Result, auth::commit};

/// At most this many writes a transaction: enough for every client of a busy server at once,
/// few enough that no answer waits long behind the others.
const MOST_PER_COMMIT: usize = 64;

/// A kind of write that can share a transaction with others of its kind.
pub(crate) trait Batch: Sized + Send + Sync + 'static {
    type Written: Send + 'static;
    /// What the log calls these writes.
    const WHAT: &'static str;

    /// Writes `batch` in the caller's transaction; one result each, in the same order.
    fn write_all<'a>(
        app: &'a App,
        tx: &'a mut Conn,
        batch: &'a [Self],
    ) -> impl Future<Output = Result<Vec<Self::Written>>> + Send + 'a;
}

struct Job<B: Batch> {
    write: B,
    reply: oneshot::Sender<Result<B::Written>>,
}

/// The queue to the writer task of one kind of write, started by the first write (in the runtime
/// that makes it).
pub(crate) struct GroupCommit<B: Batch> {
    queue: Arc<OnceLock<mpsc::UnboundedSender<Job<B>>>>,
}

impl<B: Batch> Default for GroupCommit<B> {
    fn default() -> Self {
        GroupCommit { queue: Arc::default() }
    }
}

impl<B: Batch> Clone for GroupCommit<B> {
    fn clone(&self) -> Self {
        GroupCommit {
            queue: self.queue.clone(),
        }
    }
}

impl<B: Batch> std::fmt::Debug for GroupCommit<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("of", &B::WHAT)
            .field("started", &self.queue.get().is_some())
            .finish()
    }
}

impl<B: Batch> GroupCommit<B> {
    /// Writes with the others waiting, and returns the result once committed.
    pub(crate) async fn write(&self, app: &App, write: B) -> Result<B::Written> {
        if app.db.backend() == atende_store::Backend::Postgres {
            return alone(app, &write).await;
        }
        // SQLite: one writer connection, so the writes queue for it anyway; here they queue as one.
        let queue = self.queue.get_or_init(|| start(app));
        let (reply, answer) = oneshot::channel();
        match queue.send(Job { write, reply }) {
            Ok(()) => answer.await.map_err(|_| {
                AppError::Internal(format!(
                    "the server stopped while writing the {}; look for it before sending it again",
                    B::WHAT
                ))
            })?,
            // The writer is gone with the runtime that started it (a test's): write here.
            Err(mpsc::error::SendError(job)) => alone(app, &job.write).await,
        }
    }
}

fn start<B: Batch>(app: &App) -> mpsc::UnboundedSender<Job<B>> {
    let (sender, receiver) = mpsc::unbounded_channel();
    // The writer's own copy has queues of its own (never used), so that the queue closes, and
    // the writer ends, when the last App is dropped.
    tokio::spawn(run(app.without_writers(), receiver));
    sender
}

async fn run<B: Batch>(app: App, mut receiver: mpsc::UnboundedReceiver<Job<B>>) {
    let mut jobs = Vec::with_capacity(MOST_PER_COMMIT);
    while receiver.recv_many(&mut jobs, MOST_PER_COMMIT).await > 0 {
        let (batch, replies): (Vec<B>, Vec<_>) = jobs.drain(..).map(|j| (j.write, j.reply)).unzip();
        let started = std::time::Instant::now();
        let written = together(&app, &batch).await;
        tracing::debug!(what = B::WHAT, writes = batch.len(), elapsed = ?started.elapsed(), "group commit");
        match written {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    // A request whose client went away has nobody to answer; its write is stored.
                    let _ = reply.send(Ok(result));
                }
            }
            Err(err) if batch.len() == 1 => {
                if let Some(reply) = replies.into_iter().next() {
                    let _ = reply.send(Err(err));
                }
            }
            Err(err) => {
                // One write may be the cause (its ticket closed since the checks, say): each
                // alone, so that only that one fails.
                tracing::warn!(what = B::WHAT, error = %err, writes = batch.len(), "group commit failed; writing each alone");
                for (write, reply) in batch.iter().zip(replies) {
                    let _ = reply.send(alone(&app, write).await);
                }
            }
        }
    }
}

async fn together<B: Batch>(app: &App, batch: &[B]) -> Result<Vec<B::Written>> {
    let mut tx = app.db.begin().await?;
    let written = B::write_all(app, &mut tx, batch).await?;
    commit(tx).await?;
    Ok(written)
}

async fn alone<B: Batch>(app: &App, write: &B) -> Result<B::Written> {
    together(app, std::slice::from_ref(write))
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(format!("a {} written but not returned", B::WHAT)))
}
