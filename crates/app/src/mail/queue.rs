//! The access queue: messages that could not become tickets, kept whole for agents to work.
//! An agent turns one into a ticket for a requester the rules let open it, or dismisses it; to
//! let its sender in, they invite them (`invitations`) and convert the message afterwards.

use atende_channels::mail::parse;
use atende_domain::{Priority, TicketChannel, TicketType, entities::Ticket};
use atende_store::mail::{self, InboundRecord};

use super::inbound::{body_of, subject_of, uploads};
use crate::{
    Actor, App, AppError, Result,
    auth::commit,
    tickets::{OpenTicket, check_open, write_open},
};

/// The outcomes a list may ask for.
pub const OUTCOMES: &[&str] = &["queued", "ignored", "dismissed", "converted", "ticket", "reply"];

/// One received message as an agent reads it.
pub struct ReceivedMessage {
    pub record: InboundRecord,
    pub from_name: Option<String>,
    /// The text as written (quotes included: the agent decides).
    pub text: String,
    pub attachments: Vec<String>,
    /// The user whose address sent it, when there is one.
    pub sender_user_id: Option<i64>,
}

pub async fn list(app: &App, actor: &Actor, outcome: &str, after_id: i64, limit: i64) -> Result<Vec<InboundRecord>> {
    actor.require_staff()?;
    if !OUTCOMES.contains(&outcome) {
        return Err(atende_domain::ParseError::NotOneOf {
            field: "outcome",
            allowed: "queued, ignored, dismissed, converted, ticket, reply",
        }
        .into());
    }
    let mut conn = app.db.read().await?;
    Ok(mail::list_inbound(&mut conn, outcome, after_id, limit.clamp(1, 500)).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<ReceivedMessage> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let (record, raw) = mail::get_inbound(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let sender_user_id = mail::user_id_by_address(&mut conn, &record.sender).await?;
    let parsed = parse(&raw);
    Ok(ReceivedMessage {
        from_name: parsed.as_ref().and_then(|m| m.from_name.clone()),
        text: parsed
            .as_ref()
            .map(|m| m.text.trim_end().to_owned())
            .unwrap_or_default(),
        attachments: parsed
            .map(|m| m.attachments.into_iter().map(|a| a.name).collect())
            .unwrap_or_default(),
        record,
        sender_user_id,
    })
}

pub async fn dismiss(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    mail::get_inbound(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if !mail::resolve_inbound(&mut tx, id, "dismissed", actor.id(), None, app.clock.now()).await? {
        return Err(AppError::Rejected("inbound.not_queued"));
    }
    commit(tx).await
}

pub struct ConvertInput {
    /// The customer the ticket is for; by default the user whose address sent the message.
    pub requester_id: Option<i64>,
    pub contract_id: i64,
    pub ticket_type: TicketType,
    pub priority: Priority,
}

/// Opens a ticket of the message for a requester, under the access rules as if they had sent it
/// themselves; the message's later replies then thread into it.
pub async fn convert(app: &App, actor: &Actor, id: i64, input: ConvertInput) -> Result<Ticket> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let (record, raw) = mail::get_inbound(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if record.outcome != "queued" {
        return Err(AppError::Rejected("inbound.not_queued"));
    }
    let requester_id = match input.requester_id {
        Some(id) => id,
        None => mail::user_id_by_address(&mut conn, &record.sender)
            .await?
            .ok_or(AppError::Rejected("inbound.sender_not_user"))?,
    };
    let requester = atende_store::directory::get_user(&mut conn, requester_id)
        .await?
        .ok_or(AppError::NotFound("requester"))?;
    let lang = requester.language.unwrap_or(app.settings.default_language);
    let message = parse(&raw).ok_or(AppError::Rejected("inbound.unreadable"))?;
    let open = OpenTicket {
        ticket_type: input.ticket_type,
        subject: subject_of(&message, lang)?,
        description: body_of(&message, lang)?,
        priority: input.priority,
        contract_id: input.contract_id,
        bot_id: None,
        requester_id: Some(requester_id),
        channel: Some(TicketChannel::Email),
        attachments: Vec::new(),
        call: None,
    };
    let checked = check_open(app, &mut conn, actor, open, TicketChannel::Email)
        .await?
        .with_files(uploads(&message));
    drop(conn);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let ticket = write_open(app, &mut tx, actor, checked, TicketChannel::Email).await?;
    // Whoever converted it first wins; the other agent's ticket is rolled back with this.
    if !mail::resolve_inbound(&mut tx, id, "converted", actor.id(), Some(ticket.id), now).await? {
        return Err(AppError::Rejected("inbound.not_queued"));
    }
    if let Some(message_id) = &record.message_id {
        mail::set_ticket_of_id(&mut tx, message_id, ticket.id).await?;
    }
    commit(tx).await?;
    Ok(ticket)
}
