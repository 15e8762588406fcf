//! Ticket events become messages to the people involved: the requester and followers hear of
//! public replies, of their ticket's opening and of its solving; the assignee hears of the
//! customer's replies. Events are claimed in the transaction that queues the messages, so each is
//! told once, by one process.

use atende_channels::mail::OutgoingAttachment;
use atende_domain::{Lang, TicketStatus, Visibility, entities::TicketEvent};
use atende_store::{Conn, attachments, directory, mail, tickets};
use serde_json::Value;

use super::letters::{Letter, queue, ticket_link};
use crate::{
    App, Result,
    auth::commit,
    i18n::{Arg, I18n},
};

/// Most events handled per transaction. Each takes a few statements, all while holding the
/// writer; 500 at once held it for about 300 ms during a burst of new tickets, stalling every
/// request that writes (BENCHMARKS.md, ticket intake). 50 keep each hold to a few milliseconds.
pub const BATCH: i64 = 50;

/// Turns up to `BATCH` pending events into queued messages; returns how many events it took
/// (fewer than `BATCH`: none are left).
pub async fn run(app: &App) -> Result<usize> {
    let mut tx = app.db.begin().await?;
    let events = tickets::claim_events_to_notify(&mut tx, BATCH).await?;
    for event in &events {
        notify(app, &mut tx, event).await?;
    }
    commit(tx).await?;
    Ok(events.len())
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

async fn files_of(tx: &mut Conn, message_id: i64) -> Result<Vec<OutgoingAttachment>> {
    let mut files = Vec::new();
    let mut total = 0;
    for file in attachments::of_message(tx, message_id).await? {
        total += file.size;
        if total > MAX_ATTACHED_BYTES {
            break;
        }
        files.push(OutgoingAttachment {
            name: file.file_name,
            content_type: file.content_type,
            data: attachments::data(tx, &file.sha256).await?,
        });
    }
    Ok(files)
}

fn data(event: &TicketEvent) -> Value {
    serde_json::from_str(&event.data).unwrap_or(Value::Null)
}

async fn notify(app: &App, tx: &mut Conn, event: &TicketEvent) -> Result<usize> {
    let Some(ticket) = tickets::get_ticket(tx, event.ticket_id, tickets::TicketScope::All).await? else {
        return Ok(0);
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
                return Ok(0);
            };
            let body = tickets::messages_by_ids(tx, &[message_id], true)
                .await?
                .into_iter()
                .next()
                .map(|m| m.body);
            match (public, by_staff) {
                (true, true) => {
                    files = files_of(tx, message_id).await?;
                    let mut people = vec![ticket.requester_id];
                    people.extend(mail::followers(tx, ticket.id).await?);
                    (people, "mail-reply-body", body)
                }
                (true, false) => match ticket.assignee_id {
                    Some(agent) => (vec![agent], "mail-customer-replied", body),
                    None => return Ok(0),
                },
                _ => return Ok(0),
            }
        }
        "status_changed" => match data["to"].as_str().and_then(|s| s.parse::<TicketStatus>().ok()) {
            Some(TicketStatus::Solved) => (vec![ticket.requester_id], "mail-solved-body", None),
            Some(TicketStatus::Pending) if data["cause"].as_str() != Some("message") => {
                (vec![ticket.requester_id], "mail-pending-body", None)
            }
            _ => return Ok(0),
        },
        "sla_warning" | "sla_breached" => (
            crate::sla::audience_of(tx, &ticket).await?.into_iter().collect(),
            if event.kind == "sla_warning" {
                "mail-sla-warning-body"
            } else {
                "mail-sla-breached-body"
            },
            None,
        ),
        "escalated" => (
            atende_store::sla::users_with_roles(tx, &["supervisor"]).await?,
            "mail-escalated-body",
            None,
        ),
        _ => return Ok(0),
    };
    let people = directory::users_by_ids(tx, &recipients).await?;
    let actor_name = match event.actor_id {
        Some(actor) => directory::get_user(tx, actor)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut queued = 0;
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
        if person.id == ticket.requester_id && chat {
            if event.kind == "created" {
                continue;
            }
            let text = paragraphs.join("\n\n");
            let pushed = if ticket.channel == atende_domain::TicketChannel::Whatsapp {
                crate::bot::whatsapp::push_update(app, tx, person.id, ticket.id, &text).await?
            } else {
                crate::bot::webchat::push_update(app, tx, person.id, ticket.id, &text).await?
            };
            if pushed {
                queued += 1;
                continue;
            }
        }
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
        if queue(app, tx, letter).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
