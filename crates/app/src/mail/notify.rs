//! Ticket events become messages to the people involved: the requester and followers hear of
//! public replies, of their ticket's opening and of its solving; the assignee hears of the
//! customer's replies. Events are claimed in the transaction that queues the messages, so each is
//! told once, by one process.

use atende_channels::mail::OutgoingAttachment;
use atende_domain::{Lang, TicketStatus, Visibility, entities::TicketEvent};
use atende_store::{Conn, attachments, directory, mail, tickets};
use serde_json::Value;

use super::letters::{Letter, Ready, prepare, ticket_link, write};
use crate::{
    App, Result,
    auth::commit,
    i18n::{Arg, I18n},
};

/// Most events handled per run. Their reads and messages are made on a read connection; the
/// writer is held only to claim them and queue what they say (two inserts a message).
pub const BATCH: i64 = 200;

/// Turns up to `BATCH` pending events into queued messages; returns how many events it looked
/// at (fewer than `BATCH`: none are left).
pub async fn run(app: &App) -> Result<usize> {
    let mut conn = app.db.read().await?;
    let pending = tickets::events_to_notify(&mut conn, BATCH).await?;
    let mut told = Vec::with_capacity(pending.len());
    for event in &pending {
        told.push((event.id, deliveries(app, &mut conn, event).await?));
    }
    drop(conn);
    if pending.is_empty() {
        return Ok(0);
    }
    let mut tx = app.db.begin().await?;
    // Another process may have claimed some meanwhile: only what this one claims is told.
    let ids: Vec<i64> = pending.iter().map(|e| e.id).collect();
    let claimed = tickets::claim_events(&mut tx, &ids).await?;
    for (event_id, deliveries) in &told {
        if !claimed.contains(event_id) {
            continue;
        }
        for delivery in deliveries {
            deliver(app, &mut tx, delivery).await?;
        }
    }
    commit(tx).await?;
    Ok(pending.len())
}

/// What an event tells one person: an e-mail, or an update in the chat the ticket came through
/// (by e-mail after all when the person has no chat to push to).
enum Delivery {
    Mail(Ready),
    Chat {
        whatsapp: bool,
        user_id: i64,
        ticket_id: i64,
        text: String,
        otherwise: Option<Ready>,
    },
}

async fn deliver(app: &App, tx: &mut Conn, delivery: &Delivery) -> Result<()> {
    match delivery {
        Delivery::Mail(ready) => {
            write(app, tx, ready).await?;
        }
        Delivery::Chat {
            whatsapp,
            user_id,
            ticket_id,
            text,
            otherwise,
        } => {
            let pushed = if *whatsapp {
                crate::bot::whatsapp::push_update(app, tx, *user_id, *ticket_id, text).await?
            } else {
                crate::bot::webchat::push_update(app, tx, *user_id, *ticket_id, text).await?
            };
            if let (false, Some(ready)) = (pushed, otherwise) {
                write(app, tx, ready).await?;
            }
        }
    }
    Ok(())
}

/// When an SLA target is due, in the reader's time zone ("2026-11-25 14:30 America/Sao_Paulo").
fn due_text(data: &Value, time_zone: &str, app: &App) -> String {
    let Some(due) = data["due_at"].as_str().and_then(|d| d.parse::<jiff::Timestamp>().ok()) else {
        return String::new();
    };
    let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or_else(|_| app.settings.time_zone.clone());
    let local = due.to_zoned(zone);
    format!(
        "{} {}",
        local.strftime("%Y-%m-%d %H:%M"),
        local.time_zone().iana_name().unwrap_or("UTC")
    )
}

/// The files of an agent's reply travel with it, up to this many bytes in all; the rest are on
/// the ticket's page, which the message links to.
const MAX_ATTACHED_BYTES: i64 = 15 * 1024 * 1024;

async fn files_of(conn: &mut Conn, message_id: i64) -> Result<Vec<OutgoingAttachment>> {
    let mut files = Vec::new();
    let mut total = 0;
    for file in attachments::of_message(conn, message_id).await? {
        total += file.size;
        if total > MAX_ATTACHED_BYTES {
            break;
        }
        files.push(OutgoingAttachment {
            name: file.file_name,
            content_type: file.content_type,
            data: attachments::data(conn, &file.sha256).await?,
        });
    }
    Ok(files)
}

fn data(event: &TicketEvent) -> Value {
    serde_json::from_str(&event.data).unwrap_or(Value::Null)
}

async fn deliveries(app: &App, conn: &mut Conn, event: &TicketEvent) -> Result<Vec<Delivery>> {
    let Some(ticket) = tickets::get_ticket(conn, event.ticket_id, tickets::TicketScope::All).await? else {
        return Ok(Vec::new());
    };
    let data = data(event);
    let texts = I18n::shared();
    let id = Arg::Text(ticket.id.to_string());
    let mut files = Vec::new();
    // (who is told, the key of the first paragraph, the text quoted below it)
    let (recipients, intro, quoted): (Vec<i64>, &str, Option<String>) = match event.kind.as_str() {
        "created" => (
            vec![ticket.requester_id],
            "mail-ack-body",
            Some(ticket.description.clone()),
        ),
        "message_added" => {
            let public = data["visibility"].as_str() == Some(Visibility::Public.code());
            let by_staff = data["by_staff"].as_bool().unwrap_or(false);
            let Some(message_id) = data["message_id"].as_i64() else {
                return Ok(Vec::new());
            };
            let body = tickets::messages_by_ids(conn, &[message_id], true)
                .await?
                .into_iter()
                .next()
                .map(|m| m.body);
            match (public, by_staff) {
                (true, true) => {
                    files = files_of(conn, message_id).await?;
                    let mut people = vec![ticket.requester_id];
                    people.extend(mail::followers(conn, ticket.id).await?);
                    (people, "mail-reply-body", body)
                }
                (true, false) => match ticket.assignee_id {
                    Some(agent) => (vec![agent], "mail-customer-replied", body),
                    None => return Ok(Vec::new()),
                },
                _ => return Ok(Vec::new()),
            }
        }
        "status_changed" => match data["to"].as_str().and_then(|s| s.parse::<TicketStatus>().ok()) {
            Some(TicketStatus::Solved) => (vec![ticket.requester_id], "mail-solved-body", None),
            Some(TicketStatus::Pending) if data["cause"].as_str() != Some("message") => {
                (vec![ticket.requester_id], "mail-pending-body", None)
            }
            _ => return Ok(Vec::new()),
        },
        "sla_warning" | "sla_breached" => (
            crate::sla::audience_of(conn, &ticket).await?.into_iter().collect(),
            if event.kind == "sla_warning" {
                "mail-sla-warning-body"
            } else {
                "mail-sla-breached-body"
            },
            None,
        ),
        "escalated" => (
            atende_store::sla::users_with_roles(conn, &["supervisor"]).await?,
            "mail-escalated-body",
            None,
        ),
        _ => return Ok(Vec::new()),
    };
    let people = directory::users_by_ids(conn, &recipients).await?;
    let actor_name = match event.actor_id {
        Some(actor) => directory::get_user(conn, actor)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut told = Vec::new();
    for person in people {
        // The author of a message is not told of it.
        if event.actor_id == Some(person.id) && event.kind == "message_added" {
            continue;
        }
        let lang: Lang = person.language.unwrap_or(app.settings.default_language);
        let target = data["target"]
            .as_str()
            .map(|t| texts.text(lang, &format!("target-{t}"), &[]))
            .unwrap_or_default();
        let args = [
            ("ticket", id.clone()),
            ("name", Arg::Text(person.name.clone())),
            ("who", Arg::Text(actor_name.clone())),
            ("subject", Arg::Text(ticket.subject.clone())),
            ("target", Arg::Text(target)),
            ("due", Arg::Text(due_text(&data, &person.time_zone, app))),
        ];
        let mut paragraphs = vec![texts.text(lang, intro, &args)];
        if let Some(quoted) = &quoted {
            paragraphs.push(quoted.clone());
        }
        // A ticket that came through the bot keeps its requester there: the update goes to the
        // chat (the ticket's opening was already answered in it), e-mail stays for the rest.
        let chat = matches!(
            ticket.channel,
            atende_domain::TicketChannel::Whatsapp | atende_domain::TicketChannel::Webchat
        );
        let chat_text = if person.id == ticket.requester_id && chat {
            if event.kind == "created" {
                continue;
            }
            Some(paragraphs.join("\n\n"))
        } else {
            None
        };
        let link = ticket_link(app, ticket.id, person.role.is_staff());
        paragraphs.push(texts.text(lang, "mail-footer", &[("link", Arg::Text(link))]));
        let letter = Letter {
            kind: match event.kind.as_str() {
                "created" => "ack",
                "message_added" => "reply",
                "sla_warning" | "sla_breached" | "escalated" => "sla",
                _ => "status",
            },
            dedupe_key: format!("event:{}:{}", event.id, person.id),
            to: vec![person.email.clone()],
            lang,
            subject: ticket.subject.clone(),
            paragraphs,
            ticket_id: Some(ticket.id),
            automatic: event.kind != "message_added",
            attachments: files.clone(),
            in_reply_to: None,
            unsubscribe: None,
        };
        let ready = prepare(app, conn, letter).await?;
        match chat_text {
            Some(text) => told.push(Delivery::Chat {
                whatsapp: ticket.channel == atende_domain::TicketChannel::Whatsapp,
                user_id: person.id,
                ticket_id: ticket.id,
                text,
                otherwise: ready,
            }),
            None => told.extend(ready.map(Delivery::Mail)),
        }
    }
    Ok(told)
}
