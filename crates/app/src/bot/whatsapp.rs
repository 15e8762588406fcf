//! WhatsApp for the bot: the webhook's notifications (signed by Meta with the app secret) become
//! messages to the engine and delivery statuses on what was sent; the outbox is sent through the
//! Graph API with retries; updates reach a person as text inside the 24 hours after they last
//! wrote, and as the approved template outside them, as WhatsApp requires.

use atende_channels::{
    webhook,
    whatsapp::{self, Event, GraphClient, Incoming, Notification},
};
use atende_domain::bot::Input;
use atende_store::{attachments as blobs, conversations as store};
use jiff::{SignedDuration, Timestamp};

use super::{Channel, Inbound, initial_state, receive};
use crate::{App, AppError, Result, attachments::Upload, auth::commit};

/// How WhatsApp is reached; all `None` turns the channel off.
#[derive(Debug, Clone, Default)]
pub struct WhatsappSettings {
    /// What Meta sends back when the webhook is subscribed (`hub.verify_token`).
    pub verify_token: Option<String>,
    /// The app secret that signs notifications (`X-Hub-Signature-256`).
    pub app_secret: Option<String>,
    /// Sends messages and fetches media; `None` leaves messages waiting in the outbox.
    pub client: Option<GraphClient>,
    /// The approved template that tells of a ticket update outside the 24-hour window; its body
    /// takes the ticket number and the update as parameters.
    pub update_template: String,
}

/// The answer to Meta's subscription check: the challenge, when the token is ours.
pub fn verify_subscription(settings: &WhatsappSettings, mode: &str, token: &str, challenge: &str) -> Result<String> {
    match &settings.verify_token {
        Some(ours) if mode == "subscribe" && !ours.is_empty() && constant_eq(ours.as_bytes(), token.as_bytes()) => {
            Ok(challenge.to_owned())
        }
        Some(_) => Err(AppError::Forbidden("whatsapp.verify_token")),
        None => Err(AppError::NotFound("route")),
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the notification's signature; anything else is refused before it is read.
pub fn check_signature(settings: &WhatsappSettings, body: &[u8], header: Option<&str>) -> Result<()> {
    let Some(secret) = settings.app_secret.as_deref().filter(|s| !s.is_empty()) else {
        return Err(AppError::NotFound("route"));
    };
    match header {
        Some(h) if webhook::verify(secret, body, h) => Ok(()),
        _ => Err(AppError::Unauthenticated("whatsapp.signature")),
    }
}

/// What one notification did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    pub messages: usize,
    pub duplicates: usize,
    pub statuses: usize,
}

/// Reads a (signed) notification: each message goes to the bot, each status to its message.
pub async fn handle(app: &App, notification: &Notification) -> Result<Handled> {
    let mut done = Handled::default();
    for event in whatsapp::events(notification) {
        match event {
            Event::Message {
                from,
                name,
                wamid,
                incoming,
            } => {
                let (input, shown) = match incoming {
                    Incoming::Text(text) => (Input::Text(text.clone()), text),
                    Incoming::Choice { id, title } => (Input::Choice(id), title),
                    Incoming::Media {
                        media_id,
                        file_name,
                        caption,
                        ..
                    } => match fetch(app, &from, &name, &media_id, &file_name).await {
                        Ok(id) => (
                            Input::File {
                                id,
                                name: file_name.clone(),
                            },
                            format!("📎 {file_name} {caption}").trim().to_owned(),
                        ),
                        Err(err) => {
                            tracing::warn!(%err, "a WhatsApp file could not be taken");
                            (Input::Text(String::new()), format!("📎 {file_name}"))
                        }
                    },
                    Incoming::Other(kind) => (Input::Text(String::new()), format!("[{kind}]")),
                };
                let answered = receive(
                    app,
                    Inbound {
                        channel: Channel::Whatsapp,
                        identity: &from,
                        display_name: &name,
                        input,
                        shown: &shown,
                        external_id: Some(&wamid),
                        user_id: None,
                    },
                )
                .await?;
                if answered.duplicate {
                    done.duplicates += 1;
                } else {
                    done.messages += 1;
                }
            }
            Event::Status { wamid, status, error } => {
                let error = error.map(|(code, text)| format!("{code}: {text}")).unwrap_or_default();
                let mut tx = app.db.begin().await?;
                if store::set_status(&mut tx, &wamid, &status, &error, app.clock.now()).await? {
                    done.statuses += 1;
                }
                commit(tx).await?;
            }
        }
    }
    Ok(done)
}

/// Downloads a file a person sent, checks it as any attachment, and keeps it for their ticket.
async fn fetch(app: &App, from: &str, name: &str, media_id: &str, file_name: &str) -> Result<i64> {
    let client = app
        .settings
        .whatsapp
        .client
        .as_ref()
        .ok_or_else(|| AppError::Internal("WhatsApp media without a Graph API client".into()))?;
    let (data, _) = client
        .media(media_id)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let checked = crate::attachments::check_one(Upload {
        file_name: file_name.to_owned(),
        data,
    })?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let conversation = store::open(&mut tx, Channel::Whatsapp.code(), from, name, &initial_state(), now).await?;
    blobs::insert_blob(&mut tx, checked.sha256(), checked.bytes()).await?;
    let id = store::insert_file(
        &mut tx,
        conversation.id,
        checked.file_name(),
        checked.content_type(),
        checked.sha256(),
        checked.size(),
        now,
    )
    .await?;
    commit(tx).await?;
    Ok(id)
}

/// What one sending round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends what is due in the outbox (nothing without a Graph API client).
pub async fn send_due(app: &App, limit: i64) -> Result<SendReport> {
    let Some(client) = app.settings.whatsapp.client.clone() else {
        return Ok(SendReport::default());
    };
    let now = app.clock.now();
    let lease = now.checked_add(SignedDuration::from_mins(5)).unwrap_or(now);
    let due = {
        let mut tx = app.db.begin().await?;
        let due = store::claim_whatsapp(&mut tx, now, lease, limit).await?;
        commit(tx).await?;
        due
    };
    let mut report = SendReport::default();
    for item in due {
        let body: serde_json::Value = serde_json::from_str(&item.payload).unwrap_or(serde_json::Value::Null);
        let result = client.send(&body).await;
        let now = app.clock.now();
        let mut tx = app.db.begin().await?;
        match result {
            Ok(wamid) => {
                store::mark_sent(&mut tx, item.message_id, &wamid, now).await?;
                store::outbox_done(&mut tx, item.id, now).await?;
                report.sent += 1;
            }
            Err(e) if e.code == Some(whatsapp::OUTSIDE_WINDOW) && body["type"] != "template" => {
                // The person has not written for 24 hours: only the template may reach them.
                store::outbox_failed(&mut tx, item.id, now, &e.message).await?;
                let plain = text_of(&body);
                let template = update_template(app, &item.recipient, None, &plain);
                store::queue_whatsapp(&mut tx, item.message_id, &item.recipient, &template.to_string(), now).await?;
                report.retried += 1;
            }
            Err(e) if e.retryable && !crate::retry::WHATSAPP.gives_up(item.attempts) => {
                let next = now
                    .checked_add(crate::retry::WHATSAPP.pause(item.attempts))
                    .unwrap_or(now);
                store::outbox_retry(&mut tx, item.id, next, &e.message).await?;
                report.retried += 1;
            }
            Err(e) => {
                store::outbox_failed(&mut tx, item.id, now, &e.message).await?;
                store::mark_failed(&mut tx, item.message_id, &e.message, now).await?;
                report.failed += 1;
            }
        }
        commit(tx).await?;
    }
    Ok(report)
}

/// The words of a message body atende built, for a template's parameter.
fn text_of(body: &serde_json::Value) -> String {
    body["text"]["body"]
        .as_str()
        .or(body["interactive"]["body"]["text"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The update template for `to`: the ticket number (when known) and the update, shortened.
fn update_template(app: &App, to: &str, ticket: Option<i64>, text: &str) -> serde_json::Value {
    let lang = app.settings.default_language.code().replace('-', "_");
    let short: String = text.chars().take(900).collect();
    let number = ticket.map(|t| t.to_string()).unwrap_or_else(|| "-".to_owned());
    whatsapp::template(to, &app.settings.whatsapp.update_template, &lang, &[number, short])
}

/// WhatsApp messages waiting to be sent (first try or a retry), and given up.
pub async fn backlog(app: &App) -> Result<(i64, i64)> {
    let mut conn = app.db.read().await?;
    Ok(store::whatsapp_backlog(&mut conn).await?)
}

/// Whether WhatsApp lets a business write freely to a person who last wrote at `last_inbound`.
pub fn within_window(last_inbound: Option<Timestamp>, now: Timestamp) -> bool {
    last_inbound.is_some_and(|at| now.duration_since(at) < SignedDuration::from_hours(24))
}

/// Tells a person of a ticket update on WhatsApp, in the caller's transaction: as text inside
/// the 24-hour window, as the update template outside it. `false` when they have no
/// conversation there (the caller uses e-mail instead).
pub(crate) async fn push_update(
    app: &App,
    tx: &mut atende_store::Conn,
    user_id: i64,
    ticket: i64,
    text: &str,
) -> Result<bool> {
    let Some(number) = store::number_of_user(tx, user_id).await? else {
        return Ok(false);
    };
    let now = app.clock.now();
    let conversation = store::open(tx, Channel::Whatsapp.code(), &number, "", &initial_state(), now).await?;
    let words = super::Rendered {
        text: text.to_owned(),
        options: Vec::new(),
    };
    let id = store::record_outbound(tx, conversation.id, &words.plain(), "", "queued", Some(ticket), now).await?;
    let request = if within_window(conversation.last_inbound_at, now) {
        whatsapp::text(&number, text)
    } else {
        update_template(app, &number, Some(ticket), text)
    };
    store::queue_whatsapp(tx, id, &number, &request.to_string(), now).await?;
    Ok(true)
}
