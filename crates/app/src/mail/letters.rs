//! Writing a message into the outbox: localized text, our Message-ID, the threading headers of
//! the ticket's conversation, and the reply marker that tells us later where the new text ends.

use atende_channels::mail::{Outgoing, OutgoingAttachment, build};
use atende_domain::{Lang, mail::quote::reply_marker};
use atende_store::{Conn, mail};

use crate::{App, AppError, Result, i18n::I18n};

/// A message to queue.
pub struct Letter {
    pub kind: &'static str,
    /// The same key is queued once, however often the caller runs.
    pub dedupe_key: String,
    pub to: Vec<String>,
    pub lang: Lang,
    pub subject: String,
    /// Paragraphs of plain text; the HTML alternative is made from them.
    pub paragraphs: Vec<String>,
    pub ticket_id: Option<i64>,
    /// An answer no person wrote (marked `Auto-Submitted`), so other robots stay quiet.
    pub automatic: bool,
    pub attachments: Vec<OutgoingAttachment>,
    /// The Message-ID this answers, for a message that is not on a ticket (an access answer).
    pub in_reply_to: Option<String>,
    /// The one-click unsubscribe address of a subscription's message.
    pub unsubscribe: Option<String>,
}

impl Letter {
    /// A message about no ticket that no person wrote: a link, an explanation.
    pub fn notice(
        kind: &'static str,
        dedupe_key: String,
        to: String,
        lang: Lang,
        subject: String,
        paragraphs: Vec<String>,
    ) -> Letter {
        Letter {
            kind,
            dedupe_key,
            to: vec![to],
            lang,
            subject,
            paragraphs,
            ticket_id: None,
            automatic: true,
            attachments: Vec::new(),
            in_reply_to: None,
            unsubscribe: None,
        }
    }
}

/// The domain of our Message-IDs: the support address's.
pub fn own_domain(app: &App) -> String {
    atende_domain::mail::domain_of(&app.settings.support_email).unwrap_or_else(|| "atende.invalid".into())
}

fn new_message_id(app: &App, ticket_id: Option<i64>) -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let ticket = ticket_id.map(|t| format!("t{t}.")).unwrap_or_default();
    Ok(format!("atende.{ticket}{random}@{}", own_domain(app)))
}

fn html_of(paragraphs: &[String]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", atende_domain::text::escape_markup(p).replace('\n', "<br>")))
        .collect();
    format!("<!doctype html><html><body>{body}</body></html>")
}

/// Queues `letter` in the caller's transaction. False when its key was queued before.
pub async fn queue(app: &App, tx: &mut Conn, letter: Letter) -> Result<bool> {
    match prepare(app, tx, letter).await? {
        Some(ready) => write(app, tx, &ready).await,
        None => Ok(false),
    }
}

/// A letter made into the message to send, ready to be queued.
pub struct Ready {
    kind: &'static str,
    dedupe_key: String,
    to: Vec<String>,
    message_id: String,
    raw: Vec<u8>,
    ticket_id: Option<i64>,
}

/// Makes the message: its text, our Message-ID and the threading headers of the ticket's
/// conversation (read through `conn`, which need not be the writer). `None` for nobody to tell.
pub async fn prepare(app: &App, conn: &mut Conn, letter: Letter) -> Result<Option<Ready>> {
    if letter.to.is_empty() {
        return Ok(None);
    }
    let texts = I18n::shared();
    let marker = reply_marker(&texts.text(letter.lang, "mail-reply-marker", &[]));
    let mut paragraphs = Vec::with_capacity(letter.paragraphs.len() + 1);
    if letter.ticket_id.is_some() {
        paragraphs.push(marker);
    }
    paragraphs.extend(letter.paragraphs);
    let message_id = new_message_id(app, letter.ticket_id)?;
    let (references, in_reply_to) = match letter.ticket_id {
        Some(ticket) => {
            let ids = mail::ids_of_ticket(conn, ticket, 20).await?;
            let last = ids.last().cloned();
            (ids, last)
        }
        None => (letter.in_reply_to.iter().cloned().collect(), letter.in_reply_to.clone()),
    };
    let outgoing = Outgoing {
        from_name: app.settings.mail.from_name.clone(),
        from: app.settings.support_email.clone(),
        to: letter.to.clone(),
        reply_to: Some(app.settings.support_email.clone()),
        subject: match letter.ticket_id {
            Some(ticket) => app.settings.mail.subject_tag.tagged(ticket, &letter.subject),
            None => letter.subject.clone(),
        },
        text: paragraphs.join("\n\n"),
        html: Some(html_of(&paragraphs)),
        message_id: message_id.clone(),
        in_reply_to,
        references,
        auto_submitted: letter.automatic,
        unsubscribe: letter.unsubscribe.clone(),
        attachments: letter.attachments,
    };
    let (raw, _) = build(&outgoing).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Some(Ready {
        kind: letter.kind,
        dedupe_key: letter.dedupe_key,
        to: letter.to,
        message_id,
        raw,
        ticket_id: letter.ticket_id,
    }))
}

/// Queues the message in the caller's transaction. False when its key was queued before.
pub async fn write(app: &App, tx: &mut Conn, ready: &Ready) -> Result<bool> {
    let queued = mail::enqueue(
        tx,
        &mail::NewOutgoing {
            kind: ready.kind,
            dedupe_key: &ready.dedupe_key,
            sender: &app.settings.support_email,
            recipients: &ready.to,
            message_id: &ready.message_id,
            raw: &ready.raw,
            ticket_id: ready.ticket_id,
        },
        app.clock.now(),
    )
    .await?;
    if queued {
        mail::remember_id(tx, &ready.message_id, ready.ticket_id, "out", app.clock.now()).await?;
    }
    Ok(queued)
}

/// A link to the ticket: the agent workspace for staff, the portal for customers.
pub fn ticket_link(app: &App, ticket_id: i64, staff: bool) -> String {
    let place = if staff { "agent" } else { "portal" };
    format!(
        "{}/{place}/tickets/{ticket_id}",
        app.settings.public_url.trim_end_matches('/')
    )
}
