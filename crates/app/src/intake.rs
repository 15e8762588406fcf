//! Group commit of new tickets. The tickets that requests open at the same moment are written by
//! one task in one transaction, a few multi-row statements in all, and each request is answered
//! once that transaction has committed. One commit per ticket, each row its own statement, was
//! what bounded intake (see BENCHMARKS.md): the writer is a single connection on SQLite, and every
//! statement a round trip to it.

use std::sync::{Arc, OnceLock};

use atende_domain::entities::Ticket;
use tokio::sync::{mpsc, oneshot};

use crate::{
    App, AppError, Result,
    auth::commit,
    tickets::{Opening, single, write_openings},
};

/// At most this many tickets a transaction: enough for every client of a busy server at once,
/// few enough that no answer waits long behind the others.
const MOST_PER_COMMIT: usize = 64;

struct Job {
    opening: Opening,
    reply: oneshot::Sender<Result<Ticket>>,
}

/// The queue to the writer task, started by the first ticket (in the runtime that opens it).
#[derive(Clone, Default)]
pub struct Intake {
    queue: Arc<OnceLock<mpsc::UnboundedSender<Job>>>,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake")
            .field("started", &self.queue.get().is_some())
            .finish()
    }
}

impl Intake {
    /// Writes the ticket with the others waiting, and returns it once committed.
    pub(crate) async fn write(&self, app: &App, opening: Opening) -> Result<Ticket> {
        let queue = self.queue.get_or_init(|| start(app));
        let (reply, answer) = oneshot::channel();
        match queue.send(Job { opening, reply }) {
            Ok(()) => answer.await.map_err(|_| {
                AppError::Internal(
                    "the server stopped while writing the ticket; look for it before opening it again".into(),
                )
            })?,
            // The writer is gone with the runtime that started it (a test's): write here.
            Err(mpsc::error::SendError(job)) => single(write_together(app, std::slice::from_ref(&job.opening)).await?),
        }
    }
}

fn start(app: &App) -> mpsc::UnboundedSender<Job> {
    let (sender, receiver) = mpsc::unbounded_channel();
    // The writer's own copy has a queue of its own (never used), so that the queue closes, and
    // the writer ends, when the last App is dropped.
    let mut writer = app.clone();
    writer.intake = Intake::default();
    tokio::spawn(run(writer, receiver));
    sender
}

async fn run(app: App, mut receiver: mpsc::UnboundedReceiver<Job>) {
    let mut jobs = Vec::with_capacity(MOST_PER_COMMIT);
    while receiver.recv_many(&mut jobs, MOST_PER_COMMIT).await > 0 {
        let (openings, replies): (Vec<Opening>, Vec<_>) = jobs.drain(..).map(|j| (j.opening, j.reply)).unzip();
        let started = std::time::Instant::now();
        let written = write_together(&app, &openings).await;
        tracing::debug!(tickets = openings.len(), elapsed = ?started.elapsed(), "group commit");
        match written {
            Ok(tickets) => {
                for (reply, ticket) in replies.into_iter().zip(tickets) {
                    // A request whose client went away has nobody to answer; its ticket is stored.
                    let _ = reply.send(Ok(ticket));
                }
            }
            Err(err) if openings.len() == 1 => {
                if let Some(reply) = replies.into_iter().next() {
                    let _ = reply.send(Err(err));
                }
            }
            Err(err) => {
                // One ticket may be the cause (its contract deleted since the checks, say): each
                // alone, so that only that one fails.
                tracing::warn!(error = %err, tickets = openings.len(), "group commit failed; writing each ticket alone");
                for (opening, reply) in openings.iter().zip(replies) {
                    let alone = write_together(&app, std::slice::from_ref(opening))
                        .await
                        .and_then(single);
                    let _ = reply.send(alone);
                }
            }
        }
    }
}

async fn write_together(app: &App, openings: &[Opening]) -> Result<Vec<Ticket>> {
    let mut tx = app.db.begin().await?;
    let tickets = write_openings(app, &mut tx, openings).await?;
    commit(tx).await?;
    Ok(tickets)
}
