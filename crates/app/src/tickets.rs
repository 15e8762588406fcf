//! Opening, reading and working tickets. Every change writes its event in the same transaction.

use atende_domain::{
    Body, Priority, Subject, TicketChannel, TicketStatus, TicketType, Visibility,
    entities::{Message, Ticket, TicketEvent},
};
use atende_store::{
    Conn, directory, membership,
    tickets::{self, NewTicket, TicketQuery},
};
use jiff::Timestamp;
use serde_json::json;

use crate::{
    Actor, App, AppError, Result,
    attachments::{CheckedUpload, Upload, check_all, store_all},
    auth::commit,
};

pub struct OpenTicket {
    pub ticket_type: TicketType,
    pub subject: Subject,
    pub description: Body,
    pub priority: Priority,
    pub contract_id: i64,
    pub bot_id: Option<i64>,
    /// Staff logging a ticket on a customer's behalf name the customer here.
    pub requester_id: Option<i64>,
    /// Staff may say which channel the customer used (a phone call, say).
    pub channel: Option<TicketChannel>,
    pub attachments: Vec<Upload>,
    /// The phone call this ticket records (staff logging a call as a new ticket).
    pub call: Option<crate::phone::CallFacts>,
}

/// Opens a ticket if the manual's access rules allow it for the requester through the channel.
/// `via` is how the request reached atende (the REST API, the portal...).
pub async fn open(app: &App, actor: &Actor, input: OpenTicket, via: TicketChannel) -> Result<Ticket> {
    // Every check reads outside the write transaction; the writer is held only for the inserts.
    let mut conn = app.db.read().await?;
    let checked = check_open(app, &mut conn, actor, input, via).await?;
    drop(conn);
    // Written with the tickets other requests open at the same moment, in one transaction.
    app.intake
        .write(
            app,
            Opening {
                actor_id: actor.id(),
                checked,
                via,
            },
        )
        .await
}

/// A ticket the rules allow, ready to be written.
pub(crate) struct CheckedTicket {
    input: OpenTicket,
    requester: atende_domain::entities::User,
    contract_id: i64,
    channel: TicketChannel,
    files: Vec<CheckedUpload>,
    clocks: Option<(i64, Vec<atende_domain::sla::clocks::Measurement>)>,
}

impl CheckedTicket {
    /// Files checked by the caller (a message's attachments, taken one by one).
    pub(crate) fn with_files(mut self, files: Vec<CheckedUpload>) -> Self {
        self.files = files;
        self
    }
}

/// Every check of `open`: who the requester is, the contract, the bot, the access rules.
pub(crate) async fn check_open(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    mut input: OpenTicket,
    via: TicketChannel,
) -> Result<CheckedTicket> {
    if !actor.is_staff()
        && (input.requester_id.is_some_and(|r| r != actor.id()) || input.channel.is_some() || input.call.is_some())
    {
        return Err(AppError::Forbidden("ticket.on_behalf_staff_only"));
    }
    let channel = if input.call.is_some() {
        TicketChannel::Phone
    } else {
        input.channel.unwrap_or(via)
    };
    let files = check_all(std::mem::take(&mut input.attachments))?;
    let now = app.clock.now();
    let requester = match input.requester_id {
        Some(id) if id != actor.id() => {
            let user = directory::get_user(conn, id)
                .await?
                .ok_or(AppError::NotFound("requester"))?;
            if user.role.is_staff() {
                return Err(AppError::Rejected("ticket.requester_is_staff"));
            }
            user
        }
        _ => actor.user.clone(),
    };
    let facts = membership::opening_facts(conn, input.contract_id, requester.id).await?;
    let (contract, membership, profile_version) = match facts {
        Some(f) if actor.is_staff() || requester.organization_id == Some(f.contract.organization_id) => (
            f.contract,
            (f.member_of_contract, f.member_of_bot_team),
            f.profile_version,
        ),
        _ => return Err(AppError::NotFound("contract")),
    };
    if let Some(bot_id) = input.bot_id {
        let bot = membership::get_bot(conn, bot_id)
            .await?
            .ok_or(AppError::NotFound("bot"))?;
        if bot.contract_id != contract.id {
            return Err(AppError::Rejected("ticket.bot_not_in_contract"));
        }
    }
    let profile = app.profile.get_at(conn, profile_version).await?;
    let plan = profile
        .plan(&contract.plan_code)
        .ok_or(AppError::Internal("contract without plan".into()))?;
    if let Some(refusal) =
        crate::entitlements::refusal_given(&requester, membership, &contract, plan, channel, app.today())
    {
        return Err(AppError::Refused {
            refusal,
            contract_id: Some(contract.id),
        });
    }
    let clocks = crate::sla::initial_clocks(&profile, plan.tier, input.ticket_type, input.priority, now);
    Ok(CheckedTicket {
        input,
        requester,
        contract_id: contract.id,
        channel,
        files,
        clocks,
    })
}

/// The writes of `open`, in the caller's transaction.
pub(crate) async fn write_open(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    checked: CheckedTicket,
    via: TicketChannel,
) -> Result<Ticket> {
    let opening = Opening {
        actor_id: actor.id(),
        checked,
        via,
    };
    write_opening(app, tx, &opening).await
}

/// The writes of one opening, in the caller's transaction.
pub(crate) async fn write_opening(app: &App, tx: &mut Conn, opening: &Opening) -> Result<Ticket> {
    single(write_openings(app, tx, std::slice::from_ref(opening)).await?)
}

/// The one ticket of a write of one.
fn single(mut written: Vec<Ticket>) -> Result<Ticket> {
    written
        .pop()
        .ok_or_else(|| AppError::Internal("a ticket written but not returned".into()))
}

/// A ticket the rules allow and who opens it, through which channel: what the intake writes.
pub(crate) struct Opening {
    pub(crate) actor_id: i64,
    pub(crate) checked: CheckedTicket,
    pub(crate) via: TicketChannel,
}

impl crate::group_commit::Batch for Opening {
    type Written = Ticket;
    const WHAT: &'static str = "ticket";

    fn write_all<'a>(
        app: &'a App,
        tx: &'a mut Conn,
        batch: &'a [Self],
    ) -> impl std::future::Future<Output = Result<Vec<Ticket>>> + Send + 'a {
        write_openings(app, tx, batch)
    }
}

/// The writes of `open` for several tickets, in the caller's transaction, with a few statements
/// in all (each table's rows in one insert); the tickets come back in the order given.
pub(crate) async fn write_openings(app: &App, tx: &mut Conn, openings: &[Opening]) -> Result<Vec<Ticket>> {
    let now = app.clock.now();
    let new: Vec<NewTicket<'_>> = openings
        .iter()
        .map(|o| {
            let c = &o.checked;
            NewTicket {
                ticket_type: c.input.ticket_type,
                subject: c.input.subject.as_str(),
                description: c.input.description.as_str(),
                priority: c.input.priority,
                channel: c.channel,
                contract_id: c.contract_id,
                bot_id: c.input.bot_id,
                requester_id: c.requester.id,
                assignee_id: None,
                sla_policy_id: c.clocks.as_ref().map(|(policy_id, _)| *policy_id),
                sla_due_at: c
                    .clocks
                    .as_ref()
                    .and_then(|(_, measurements)| atende_store::sla::next_due(measurements)),
            }
        })
        .collect();
    let written = tickets::insert_tickets(tx, &new, now).await?;
    let events: Vec<tickets::NewEvent> = openings
        .iter()
        .zip(&written)
        .map(|(o, ticket)| tickets::NewEvent {
            ticket_id: ticket.id,
            actor_id: Some(o.actor_id),
            channel: o.via.code(),
            kind: "created",
            data: json!({
                "type": ticket.ticket_type.code(),
                "priority": ticket.priority.code(),
                "status": ticket.status.code(),
                "channel": ticket.channel.code(),
                "contract_id": ticket.contract_id,
                "requester_id": ticket.requester_id,
                "on_behalf": ticket.requester_id != o.actor_id,
            })
            .to_string(),
        })
        .collect();
    tickets::insert_events(tx, &events, now).await?;
    let docs: Vec<atende_store::search::IndexDoc<'_>> = openings
        .iter()
        .zip(&written)
        .map(|(o, ticket)| crate::search::ticket_doc(ticket, crate::search::ticket_lang(app, &o.checked.requester)))
        .collect();
    atende_store::search::index_new(tx, &docs).await?;
    let clocks: Vec<(i64, i64, &atende_domain::sla::clocks::Measurement)> = openings
        .iter()
        .zip(&written)
        .filter_map(|(o, ticket)| o.checked.clocks.as_ref().map(|clocks| (ticket.id, clocks)))
        .flat_map(|(ticket_id, (policy_id, measurements))| measurements.iter().map(move |m| (ticket_id, *policy_id, m)))
        .collect();
    atende_store::sla::insert_new_clocks(tx, &clocks).await?;
    for (o, ticket) in openings.iter().zip(&written) {
        store_all(tx, ticket.id, None, o.actor_id, &o.checked.files, now).await?;
        if let Some(call) = &o.checked.input.call {
            crate::phone::record_call(tx, ticket.id, None, o.actor_id, call, now).await?;
        }
    }
    Ok(written)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Ticket> {
    let mut conn = app.db.read().await?;
    visible(&mut conn, actor, id).await
}

pub(crate) async fn visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Ticket> {
    tickets::get_ticket(conn, id, actor.ticket_scope())
        .await?
        .ok_or(AppError::NotFound("ticket"))
}

pub const MAX_PAGE: i64 = 100;

/// One page of tickets, newest first, and the cursor of the next page when there is one.
pub async fn list(app: &App, actor: &Actor, mut query: TicketQuery) -> Result<(Vec<Ticket>, Option<i64>)> {
    query.limit = query.limit.clamp(1, MAX_PAGE);
    let wanted = query.limit;
    query.limit += 1; // one more tells whether another page exists
    let mut conn = app.db.read().await?;
    let mut page = tickets::list_tickets(&mut conn, actor.ticket_scope(), &query).await?;
    let next = if page.len() as i64 > wanted {
        page.truncate(wanted as usize);
        page.last().map(|t| t.id)
    } else {
        None
    };
    Ok((page, next))
}

/// Changes to a ticket; `assignee_id: Some(None)` unassigns.
#[derive(Debug, Default)]
pub struct TicketChanges {
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub ticket_type: Option<TicketType>,
    pub assignee_id: Option<Option<i64>>,
    /// A group's id, or `Some(None)` to take the ticket out of its group.
    pub group_id: Option<Option<i64>>,
}

pub async fn update(app: &App, actor: &Actor, id: i64, changes: TicketChanges, via: TicketChannel) -> Result<Ticket> {
    let mut tx = app.db.begin().await?;
    tickets::lock_ticket(&mut tx, id).await?;
    // Taken once the ticket is ours, so its events are stored in the order they happened.
    let now = app.clock.now();
    let mut ticket = visible(&mut tx, actor, id).await?;
    if !actor.is_staff() {
        // Customers may mark their ticket solved, or reopen a solved one; the rest is triage.
        let customer_allowed = changes.priority.is_none()
            && changes.ticket_type.is_none()
            && changes.assignee_id.is_none()
            && changes.group_id.is_none()
            && match changes.status {
                Some(TicketStatus::Solved) => true,
                Some(TicketStatus::Open) => ticket.status == TicketStatus::Solved,
                Some(_) => false,
                None => true,
            };
        if !customer_allowed {
            return Err(AppError::Forbidden("ticket.triage_staff_only"));
        }
    }
    if ticket.status == TicketStatus::Closed {
        return Err(AppError::Rejected("ticket.closed"));
    }
    let mut events: Vec<(&'static str, serde_json::Value)> = Vec::new();
    if let Some(status) = changes.status
        && status != ticket.status
    {
        if !ticket.status.may_become(status) {
            return Err(AppError::Rejected("ticket.status_transition"));
        }
        events.push((
            "status_changed",
            json!({"from": ticket.status.code(), "to": status.code()}),
        ));
        ticket.status = status;
    }
    if let Some(priority) = changes.priority
        && priority != ticket.priority
    {
        events.push((
            "priority_changed",
            json!({"from": ticket.priority.code(), "to": priority.code()}),
        ));
        ticket.priority = priority;
    }
    if let Some(kind) = changes.ticket_type
        && kind != ticket.ticket_type
    {
        events.push((
            "type_changed",
            json!({"from": ticket.ticket_type.code(), "to": kind.code()}),
        ));
        ticket.ticket_type = kind;
    }
    if let Some(assignee) = changes.assignee_id
        && assignee != ticket.assignee_id
    {
        if let Some(user_id) = assignee {
            let user = directory::get_user(&mut tx, user_id)
                .await?
                .ok_or(AppError::NotFound("assignee"))?;
            if !user.role.is_staff() {
                return Err(AppError::Rejected("ticket.assignee_not_staff"));
            }
        }
        events.push(("assignee_changed", json!({"from": ticket.assignee_id, "to": assignee})));
        ticket.assignee_id = assignee;
    }
    if let Some(group) = changes.group_id
        && group != ticket.group_id
    {
        if let Some(id) = group {
            atende_store::membership::get_group(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound("group"))?;
        }
        events.push(("group_changed", json!({"from": ticket.group_id, "to": group})));
        ticket.group_id = group;
    }
    if events.is_empty() {
        return Ok(ticket);
    }
    ticket.updated_at = now;
    tickets::update_ticket(&mut tx, &ticket).await?;
    let events: Vec<tickets::NewEvent> = events
        .into_iter()
        .map(|(kind, data)| tickets::NewEvent {
            ticket_id: ticket.id,
            actor_id: Some(actor.id()),
            channel: via.code(),
            kind,
            data: data.to_string(),
        })
        .collect();
    tickets::insert_events(&mut tx, &events, now).await?;
    crate::sla::recompute(&app.profile, &mut tx, ticket.id, now).await?;
    let ticket = visible(&mut tx, actor, ticket.id).await?;
    commit(tx).await?;
    Ok(ticket)
}

/// Changes only the status (a customer solving or reopening, an agent after replying).
pub async fn set_status(app: &App, actor: &Actor, id: i64, status: TicketStatus, via: TicketChannel) -> Result<Ticket> {
    let changes = TicketChanges {
        status: Some(status),
        ..TicketChanges::default()
    };
    update(app, actor, id, changes, via).await
}

/// Adds a public reply or (staff only) an internal note. A customer's reply reopens a solved
/// ticket and brings a pending one back to open; a staff reply opens a new ticket.
pub async fn add_message(
    app: &App,
    actor: &Actor,
    ticket_id: i64,
    body: Body,
    visibility: Visibility,
    via: TicketChannel,
    attachments: Vec<Upload>,
) -> Result<Message> {
    if visibility == Visibility::Internal && !actor.is_staff() {
        return Err(AppError::Forbidden("ticket.notes_staff_only"));
    }
    let files = check_all(attachments)?;
    let mut tx = app.db.begin().await?;
    let message = append_message(app, &mut tx, actor, ticket_id, body, visibility, via, &files).await?;
    commit(tx).await?;
    Ok(message)
}

/// `add_message` inside the caller's transaction (a logged phone call adds its own row beside it).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn append_message(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    ticket_id: i64,
    body: Body,
    visibility: Visibility,
    via: TicketChannel,
    files: &[CheckedUpload],
) -> Result<Message> {
    tickets::lock_ticket(tx, ticket_id).await?;
    let now: Timestamp = app.clock.now();
    let ticket = visible(tx, actor, ticket_id).await?;
    if ticket.status == TicketStatus::Closed {
        return Err(AppError::Rejected("ticket.closed"));
    }
    let message = tickets::insert_message(tx, ticket.id, actor.id(), visibility, via, body.as_str(), now).await?;
    store_all(tx, ticket.id, Some(message.id), actor.id(), files, now).await?;
    let requester = directory::get_user(tx, ticket.requester_id).await?;
    let lang = requester.map_or(app.settings.default_language, |r| crate::search::ticket_lang(app, &r));
    // A new message: nothing of it is in the index to replace.
    atende_store::search::index_new(
        tx,
        &[atende_store::search::IndexDoc {
            kind: "message",
            ref_id: message.id,
            lang,
            ticket_id: Some(ticket.id),
            internal: visibility == Visibility::Internal,
            title: "",
            body: body.as_str(),
            created_at: now,
        }],
    )
    .await?;
    let event = |kind: &'static str, data: serde_json::Value| tickets::NewEvent {
        ticket_id: ticket.id,
        actor_id: Some(actor.id()),
        channel: via.code(),
        kind,
        data: data.to_string(),
    };
    let mut events = vec![event(
        "message_added",
        json!({"message_id": message.id, "visibility": visibility.code(), "by_staff": actor.is_staff()}),
    )];
    let next_status = match (actor.is_staff(), visibility, ticket.status) {
        (false, _, TicketStatus::Solved | TicketStatus::Pending) => Some(TicketStatus::Open),
        (true, Visibility::Public, TicketStatus::New) => Some(TicketStatus::Open),
        _ => None,
    };
    let status = next_status.unwrap_or(ticket.status);
    if let Some(next) = next_status {
        events.push(event(
            "status_changed",
            json!({"from": ticket.status.code(), "to": next.code(), "cause": "message"}),
        ));
    }
    tickets::insert_events(tx, &events, now).await?;
    tickets::touch_ticket(tx, ticket.id, status, now).await?;
    crate::sla::recompute(&app.profile, tx, ticket.id, now).await?;
    Ok(message)
}

pub async fn messages(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<Message>> {
    let mut conn = app.db.read().await?;
    visible(&mut conn, actor, ticket_id).await?;
    Ok(tickets::list_messages(&mut conn, ticket_id, actor.is_staff()).await?)
}

/// The audit trail; customers do not see the events of internal notes.
pub async fn events(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<TicketEvent>> {
    let mut conn = app.db.read().await?;
    visible(&mut conn, actor, ticket_id).await?;
    let mut events = tickets::list_events(&mut conn, ticket_id).await?;
    if !actor.is_staff() {
        events.retain(|e| !(e.kind == "message_added" && e.data.contains("\"visibility\":\"internal\"")));
    }
    Ok(events)
}
