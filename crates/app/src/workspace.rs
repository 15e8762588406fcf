//! Everything the agent's page of a ticket shows about it, read on one connection after one check
//! of who may see the ticket. Read piece by piece through the separate use cases, the page made
//! some twenty-five statements, the ticket itself loaded seven times and its events twice.

use std::collections::HashMap;

use atende_domain::{
    Plan,
    entities::{Contract, Message, Ticket, TicketEvent},
};
use atende_store::{
    attachments::{self, Attachment},
    conversations::{self, Said},
    feedback::{self, Rating},
    membership, tickets,
};

use crate::{
    Actor, App, AppError, Result,
    directory::{Person, people_on},
    sla::{self, SlaView},
};

pub struct Workspace {
    pub ticket: Ticket,
    /// Public replies and internal notes, oldest first.
    pub messages: Vec<Message>,
    /// Every file of the ticket, on its messages or on the ticket itself.
    pub files: Vec<Attachment>,
    /// The audit trail, oldest first.
    pub events: Vec<TicketEvent>,
    /// Everyone the page names: the authors, the requester, the assignee, and whoever acted on or
    /// was assigned the ticket in its history.
    pub people: HashMap<i64, Person>,
    pub sla: SlaView,
    pub tags: Vec<String>,
    pub rating: Option<Rating>,
    /// The conversation with the bot that opened the ticket, if it came from one.
    pub transcript: Vec<Said>,
    pub contract: Contract,
    /// The contract's plan as configured now.
    pub plan: Option<Plan>,
}

/// The ticket as staff work on it.
pub async fn of_ticket(app: &App, actor: &Actor, id: i64) -> Result<Workspace> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let ticket = tickets::get_ticket(&mut conn, id, actor.ticket_scope())
        .await?
        .ok_or(AppError::NotFound("ticket"))?;
    let messages = tickets::list_messages(&mut conn, id, true).await?;
    let files = attachments::of_ticket(&mut conn, id).await?;
    let events = tickets::list_events(&mut conn, id).await?;
    let contract = membership::get_contract(&mut conn, ticket.contract_id)
        .await?
        .ok_or(AppError::NotFound("contract"))?;
    let profile = app.profile.get(&mut conn).await?;
    let applied = sla::policy_of(&profile, &contract, &ticket);
    let sla = sla::explain_given(&mut conn, &ticket, &events, applied, app.clock.now()).await?;
    let mut named: Vec<i64> = messages.iter().map(|m| m.author_id).collect();
    named.push(ticket.requester_id);
    named.extend(ticket.assignee_id);
    named.extend(events.iter().filter_map(|e| e.actor_id));
    for e in events.iter().filter(|e| e.kind == "assignee_changed") {
        let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
        named.extend(["from", "to"].iter().filter_map(|k| data[*k].as_i64()));
    }
    named.sort_unstable();
    named.dedup();
    Ok(Workspace {
        people: people_on(&mut conn, &named).await?,
        tags: feedback::tags(&mut conn, id).await?,
        rating: feedback::rating(&mut conn, id).await?,
        transcript: conversations::messages_of_ticket(&mut conn, id).await?,
        plan: profile.plan(&contract.plan_code).cloned(),
        ticket,
        messages,
        files,
        events,
        sla,
        contract,
    })
}
