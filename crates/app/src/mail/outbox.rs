//! Sending the outbox by SMTP. A message is claimed for a while (so one process sends it), sent,
//! and marked; a temporary failure retries later with a growing pause, a permanent one (a refused
//! address) stops. A mail server outage loses nothing: the rows wait.

use atende_channels::mail::smtp::{Smtp, envelope};
use atende_store::mail;
use jiff::SignedDuration;

use crate::{App, Result, auth::commit};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends what is due, up to `limit` messages.
pub async fn send_due(app: &App, smtp: &Smtp, limit: i64) -> Result<SendReport> {
    let now = app.clock.now();
    let lease = now + SignedDuration::from_secs(300);
    let mut tx = app.db.begin().await?;
    let claimed = mail::claim_due(&mut tx, now, lease, limit).await?;
    commit(tx).await?;
    let mut report = SendReport::default();
    for message in claimed {
        let outcome = match envelope(&message.sender, &message.recipients) {
            Ok(envelope) => smtp
                .send(&envelope, &message.raw)
                .await
                .map_err(|e| (e.permanent, e.message)),
            Err(e) => Err((true, e)),
        };
        let now = app.clock.now();
        let mut conn = app.db.begin().await?;
        match outcome {
            Ok(()) => {
                mail::mark_sent(&mut conn, message.id, now).await?;
                report.sent += 1;
            }
            Err((permanent, error)) if permanent || crate::retry::MAIL.gives_up(message.attempts) => {
                tracing::warn!(id = message.id, %error, "message given up");
                mail::mark_failed(&mut conn, message.id, now, &error).await?;
                report.failed += 1;
            }
            Err((_, error)) => {
                let pause = crate::retry::MAIL.pause(message.attempts);
                tracing::info!(id = message.id, %error, "message will be retried");
                mail::mark_retry(&mut conn, message.id, now + pause, &error).await?;
                report.retried += 1;
            }
        }
        commit(conn).await?;
    }
    Ok(report)
}
