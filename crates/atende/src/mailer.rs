//! The outbound rounds inside `atende serve`: ticket events become messages, the outbox is sent,
//! the status page's webhooks are posted.
//! Both claim their work through the database, so any number of processes can run them.

use std::time::Duration;

use atende_app::{App, AppError, mail};
use atende_channels::{mail::smtp::Smtp, webhook::WebhookClient};

use crate::periodic::Periodic;

/// Messages sent per round at most; the next round takes the rest.
pub const SEND_BATCH: i64 = 200;

/// One round: notifications queued, then what is due sent (when a relay is configured).
pub async fn run_once(app: &App, smtp: Option<&Smtp>) -> Result<mail::outbox::SendReport, AppError> {
    // Events that make no message (internal notes, say) count too: a full batch means more wait.
    while mail::notify::run(app).await? == mail::notify::BATCH as usize {}
    // Monday's reports of the week before, once per subscriber (a cheap look on other days).
    atende_app::reports::send_weekly(app).await?;
    match smtp {
        Some(smtp) => mail::outbox::send_due(app, smtp, SEND_BATCH).await,
        None => Ok(mail::outbox::SendReport::default()),
    }
}

/// Webhook payloads per round at most.
pub const WEBHOOK_BATCH: i64 = 200;

/// Posts the status page's webhook payloads that are due.
pub async fn deliver_webhooks(
    app: &App,
    client: &WebhookClient,
) -> Result<atende_app::status::DeliveryReport, AppError> {
    atende_app::status::deliver_due(app, client, WEBHOOK_BATCH).await
}

/// Sends what is due (mail, WhatsApp messages, status webhooks) every `every`.
pub fn start(app: App, smtp: Option<Smtp>, webhooks: WebhookClient, every: Duration) -> Periodic {
    Periodic::start(every, move || {
        let (app, smtp, webhooks) = (app.clone(), smtp.clone(), webhooks.clone());
        async move { round(&app, smtp.as_ref(), &webhooks).await }
    })
}

async fn round(app: &App, smtp: Option<&Smtp>, webhooks: &WebhookClient) {
    match run_once(app, smtp).await {
        Ok(r) if r.sent + r.retried + r.failed > 0 => {
            tracing::info!(sent = r.sent, retried = r.retried, failed = r.failed, "mail round");
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "mail round failed; retrying at the next tick"),
    }
    match atende_app::bot::whatsapp::send_due(app, SEND_BATCH).await {
        Ok(r) if r.sent + r.retried + r.failed > 0 => {
            tracing::info!(sent = r.sent, retried = r.retried, failed = r.failed, "whatsapp round");
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "whatsapp round failed; retrying at the next tick"),
    }
    match deliver_webhooks(app, webhooks).await {
        Ok(r) if r.delivered + r.retried + r.failed > 0 => {
            tracing::info!(
                delivered = r.delivered,
                retried = r.retried,
                failed = r.failed,
                "webhook round"
            );
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "webhook round failed; retrying at the next tick"),
    }
}
