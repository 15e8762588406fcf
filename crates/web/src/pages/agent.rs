//! The agent workspace: queues sorted by the next SLA due time, the ticket page with everything
//! needed to answer (conversation, notes, SLA, the customer's contract and other tickets, the
//! history), bulk changes, and phone support (logging calls, the call-back queue).

use std::collections::HashMap;

use askama::Template;
use atende_app::{Attachment, Callback, Rating};
use atende_app::{
    TicketQuery, directory, entitlements, feedback, groups, phone,
    phone::CallFacts,
    tickets::{self, OpenTicket, TicketChanges},
};
use atende_domain::{
    Body, PhoneNumber, Priority, Subject, Tag, TicketChannel, TicketStatus, TicketType, Visibility,
    entities::{Group, Ticket, TicketEvent, User},
};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    OrBack, PageError, Staff,
    chrome::{By, Chrome},
    done,
    form::Submitted,
    page,
    portal::{Entry, MAX_MB, UPLOAD_LIMIT, entries_of},
};
use crate::{AppState, api::sla::TicketSlaOut};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent", get(queue))
        .route("/agent/bulk", post(bulk))
        .route("/agent/tickets/{id}", get(show))
        .route(
            "/agent/tickets/{id}/reply",
            post(reply).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/agent/tickets/{id}/update", post(update))
        .route("/agent/tickets/{id}/tags", post(set_tags))
        .route("/agent/tickets/{id}/take", post(take))
        .route("/agent/tickets/{id}/next", get(next))
        .route("/agent/calls", get(calls).post(log_call))
        .route("/agent/callbacks/{id}", post(close_callback))
}

const QUEUE_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
struct QueueParams {
    view: Option<String>,
    group: Option<i64>,
    /// The last ticket of the previous page: `<due in ms or "none">_<id>`.
    after: Option<String>,
}

/// Reads the `after` cursor of a queue page.
fn cursor(raw: &str) -> Option<(Option<jiff::Timestamp>, i64)> {
    let (due, id) = raw.split_once('_')?;
    let due = match due {
        "none" => None,
        ms => Some(jiff::Timestamp::from_millisecond(ms.parse().ok()?).ok()?),
    };
    Some((due, id.parse().ok()?))
}

/// The queues. "Breaching soon" is every ticket with a running SLA clock, overdue ones first and
/// then by due time: a fixed window would empty it every night and weekend, when business hours
/// push the due times to the next morning.
fn queue_query(view: &str, group: Option<i64>, me: i64) -> Result<TicketQuery, PageError> {
    let mut q = TicketQuery {
        unsolved: true,
        by_due: true,
        limit: QUEUE_PAGE,
        ..TicketQuery::default()
    };
    match view {
        "breaching" => q.with_due = true,
        "mine" => q.assignee_id = Some(me),
        "unassigned" => q.unassigned = true,
        "open" => {}
        "group" => q.group_id = Some(group.ok_or_else(|| PageError::invalid_field("group"))?),
        _ => return Err(PageError::invalid_field("view")),
    }
    Ok(q)
}

#[derive(Template)]
#[template(path = "agent_queue.html")]
struct QueuePage {
    c: Chrome,
    view: String,
    group: Option<i64>,
    tickets: Vec<Ticket>,
    /// The cursor of the next page, when there is one.
    next: Option<String>,
    people: HashMap<i64, String>,
    groups: Vec<Group>,
    agents: Vec<User>,
}

impl QueuePage {
    fn name(&self, id: impl By<i64>) -> &str {
        self.people.get(&id.get()).map(String::as_str).unwrap_or_default()
    }

    fn group_name(&self, id: impl By<i64>) -> &str {
        let id = id.get();
        self.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.as_str())
            .unwrap_or_default()
    }
}

async fn staff_users(state: &AppState, actor: &atende_app::Actor) -> Result<Vec<User>, PageError> {
    Ok(directory::list_staff(&state.app, actor).await?)
}

async fn queue(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(params): Query<QueueParams>,
) -> Result<Response, PageError> {
    let view = params.view.unwrap_or_else(|| "breaching".into());
    let mut query = queue_query(&view, params.group, signed.actor.id())?;
    if let Some(raw) = params.after.as_deref() {
        query.after_due = Some(cursor(raw).ok_or_else(|| PageError::invalid_field("after"))?);
    }
    let (tickets, more) = tickets::list(&state.app, &signed.actor, query).await?;
    let next = more.and(tickets.last()).map(|t| {
        let due = t
            .sla_due_at
            .map(|d| d.as_millisecond().to_string())
            .unwrap_or_else(|| "none".into());
        format!("{due}_{}", t.id)
    });
    let mut ids: Vec<i64> = tickets.iter().map(|t| t.requester_id).collect();
    ids.extend(tickets.iter().filter_map(|t| t.assignee_id));
    let people = directory::display_names(&state.app, &ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    page(&QueuePage {
        c: signed.ctx.chrome(&state, "agent"),
        view,
        group: params.group,
        tickets,
        next,
        people,
        groups: groups::list(&state.app, &signed.actor).await?,
        agents: staff_users(&state, &signed.actor).await?,
    })
}

/// Assign or solve the checked tickets; each change is its own use case, so each is checked and
/// written with its events exactly as if done one by one.
async fn bulk(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = local_back(form.text("back"));
    let ids: Vec<i64> = form.all("ticket").iter().filter_map(|v| v.parse().ok()).collect();
    if ids.is_empty() {
        return Err(PageError::from(atende_app::AppError::Rejected("bulk.nothing_chosen")).back(back));
    }
    let changes = || -> Result<TicketChanges, PageError> {
        Ok(match form.text("action") {
            "assign" => TicketChanges {
                assignee_id: Some(form.parse_opt::<i64>("assignee")?),
                ..Default::default()
            },
            "solve" => TicketChanges {
                status: Some(TicketStatus::Solved),
                ..Default::default()
            },
            _ => return Err(PageError::invalid_field("action")),
        })
    };
    for id in ids {
        let change = changes().map_err(|e| e.back(back.clone()))?;
        tickets::update(&state.app, &signed.actor, id, change, TicketChannel::Portal)
            .await
            .or_back(&back)?;
    }
    Ok(done(&signed.ctx, &state, &back, "bulk-done"))
}

/// A queue address to come back to; anything else falls back to the default queue.
fn local_back(raw: &str) -> String {
    let path = super::account::local_path(Some(raw));
    if path.starts_with("/agent") {
        path
    } else {
        "/agent".to_owned()
    }
}

#[derive(Template)]
#[template(path = "agent_ticket.html")]
struct TicketPage {
    c: Chrome,
    ticket: Ticket,
    entries: Vec<Entry>,
    opening_files: Vec<Attachment>,
    names: HashMap<i64, String>,
    sla: TicketSlaOut,
    contract_name: String,
    plan_name: String,
    phone_included: bool,
    other_tickets: Vec<Ticket>,
    events: Vec<TicketEvent>,
    tags: String,
    agents: Vec<User>,
    groups: Vec<Group>,
    statuses: Vec<TicketStatus>,
    priorities: Vec<Priority>,
    types: Vec<TicketType>,
    max_mb: i64,
    rating: Option<Rating>,
    /// Platform incidents under way (offered on incident tickets): whether this ticket follows each,
    /// and whether it affects the component of the ticket's channel (those come first).
    incidents: Vec<(atende_app::status::IncidentView, bool, bool)>,
    /// The bot conversation that led to (or went through) the ticket.
    transcript: Vec<atende_app::bot::Said>,
}

impl TicketPage {
    fn name(&self, id: impl By<i64>) -> &str {
        self.names.get(&id.get()).map(String::as_str).unwrap_or_default()
    }

    /// What an event changed, in words: "Open → Solved", "Sam Agent", "billing, vip".
    fn event_detail(&self, event: &TicketEvent) -> String {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
        let code = |key: &str| data[key].as_str().unwrap_or_default().to_owned();
        let person = |key: &str| match data[key].as_i64() {
            Some(id) => self.name(id).to_owned(),
            None => self.c.t("unassigned"),
        };
        match event.kind.as_str() {
            "status_changed" => format!(
                "{} → {}",
                self.c.t(&format!("status-{}", code("from"))),
                self.c.t(&format!("status-{}", code("to")))
            ),
            "priority_changed" => format!(
                "{} → {}",
                self.c.t(&format!("priority-{}", code("from"))),
                self.c.t(&format!("priority-{}", code("to")))
            ),
            "type_changed" => format!(
                "{} → {}",
                self.c.t(&format!("type-{}", code("from"))),
                self.c.t(&format!("type-{}", code("to")))
            ),
            "assignee_changed" => format!("{} → {}", person("from"), person("to")),
            "tags_changed" => data["to"]
                .as_array()
                .map(|tags| tags.iter().filter_map(|t| t.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
            "message_added" if code("visibility") == "internal" => self.c.t("badge-note"),
            _ => String::new(),
        }
    }

    fn actor_name(&self, id: impl By<Option<i64>>) -> &str {
        match id.get() {
            Some(id) => self.name(id),
            None => "atende",
        }
    }
}

async fn show(State(state): State<AppState>, Staff(signed): Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    let actor = &signed.actor;
    let workspace = atende_app::workspace::of_ticket(&state.app, actor, id).await?;
    let ticket = workspace.ticket;
    let contract = workspace.contract;
    let plan = workspace.plan.as_ref();
    let phone_included = plan.is_some_and(|p| {
        matches!(
            p.availability(atende_domain::Channel::Phone),
            Some(atende_domain::Availability::Included)
        ) || (p.availability(atende_domain::Channel::Phone).is_some() && contract.phone_addon)
    });
    let (entries, opening_files, names) = entries_of(workspace.messages, workspace.files, workspace.people);
    let query = TicketQuery {
        requester_id: Some(ticket.requester_id),
        limit: 11,
        ..TicketQuery::default()
    };
    let (mut other_tickets, _) = tickets::list(&state.app, actor, query).await?;
    other_tickets.retain(|t| t.id != ticket.id);
    other_tickets.truncate(10);
    let sla = crate::api::sla::sla_out(workspace.sla, signed.ctx.lang, &state.i18n);
    let mut incidents = Vec::new();
    if ticket.ticket_type == TicketType::Incident {
        let channel_component: Option<i64> = atende_app::status::components(&state.app)
            .await?
            .iter()
            .find(|c| Some(c.code.as_str()) == atende_app::status::component_of_channel(ticket.channel))
            .map(|c| c.id);
        let followed = atende_app::status::incidents_of_ticket(&state.app, actor, ticket.id).await?;
        for view in atende_app::status::open_incidents(&state.app).await? {
            let linked = followed.contains(&view.incident.id);
            let matches = channel_component.is_some_and(|c| view.components.contains(&c));
            incidents.push((view, linked, matches));
        }
        incidents.sort_by_key(|(_, _, matches)| !matches);
    }
    page(&TicketPage {
        c: signed.ctx.chrome(&state, "agent"),
        tags: workspace.tags.join(", "),
        rating: workspace.rating,
        contract_name: contract.name.clone(),
        plan_name: plan.map(|p| p.name.clone()).unwrap_or_default(),
        phone_included,
        ticket,
        entries,
        opening_files,
        names,
        sla,
        other_tickets,
        events: workspace.events,
        transcript: workspace.transcript,
        agents: staff_users(&state, actor).await?,
        groups: groups::list(&state.app, actor).await?,
        statuses: TicketStatus::ALL.to_vec(),
        priorities: Priority::ALL.to_vec(),
        types: TicketType::ALL.to_vec(),
        max_mb: MAX_MB,
        incidents,
    })
}

async fn reply(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(mut form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/tickets/{id}");
    let files = std::mem::take(&mut form.files);
    let visibility: Visibility = form.parse("visibility").or_back(&back)?;
    let body = Body::parse("body", form.text("body")).or_back(&back)?;
    tickets::add_message(
        &state.app,
        &signed.actor,
        id,
        body,
        visibility,
        TicketChannel::Portal,
        files,
    )
    .await
    .or_back(&back)?;
    if let Some(status) = form.parse_opt::<TicketStatus>("then_status").or_back(&back)? {
        tickets::set_status(&state.app, &signed.actor, id, status, TicketChannel::Portal)
            .await
            .or_back(&back)?;
    }
    let key = if visibility == Visibility::Internal {
        "note-saved"
    } else {
        "reply-sent"
    };
    Ok(done(&signed.ctx, &state, &back, key))
}

async fn update(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/tickets/{id}");
    // Only what the agent changed on the form: a field left as it was loaded must not undo a
    // change someone else made meanwhile (a customer's reply reopening it, a colleague taking it).
    let changed = |name: &str| form.text(name) != form.text(&format!("was_{name}"));
    let changes = TicketChanges {
        status: if changed("status") {
            form.parse_opt("status").or_back(&back)?
        } else {
            None
        },
        priority: if changed("priority") {
            form.parse_opt("priority").or_back(&back)?
        } else {
            None
        },
        ticket_type: if changed("type") {
            form.parse_opt("type").or_back(&back)?
        } else {
            None
        },
        assignee_id: if changed("assignee") {
            Some(form.parse_opt("assignee").or_back(&back)?)
        } else {
            None
        },
        group_id: if changed("group") {
            Some(form.parse_opt("group").or_back(&back)?)
        } else {
            None
        },
    };
    tickets::update(&state.app, &signed.actor, id, changes, TicketChannel::Portal)
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "ticket-updated"))
}

async fn set_tags(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/tickets/{id}");
    let tags = Tag::parse_list(form.text("tags")).or_back(&back)?;
    feedback::set_tags(&state.app, &signed.actor, id, tags, TicketChannel::Portal)
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "tags-saved"))
}

async fn take(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(_): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/tickets/{id}");
    let changes = TicketChanges {
        assignee_id: Some(Some(signed.actor.id())),
        ..Default::default()
    };
    tickets::update(&state.app, &signed.actor, id, changes, TicketChannel::Portal)
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "ticket-taken"))
}

/// The ticket after this one in the all-open queue (most urgent first), or the queue at its end.
async fn next(State(state): State<AppState>, Staff(signed): Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    let query = queue_query("open", None, signed.actor.id())?;
    let (queue, _) = tickets::list(&state.app, &signed.actor, query).await?;
    let after = queue
        .iter()
        .position(|t| t.id == id)
        .and_then(|i| queue.get(i + 1))
        .or_else(|| queue.iter().find(|t| t.id != id));
    Ok(match after {
        Some(t) => Redirect::to(&format!("/agent/tickets/{}", t.id)).into_response(),
        None => Redirect::to("/agent?view=open").into_response(),
    })
}

#[derive(Deserialize, Default)]
struct CallParams {
    ticket: Option<i64>,
    email: Option<String>,
    callback: Option<i64>,
}

#[derive(Template)]
#[template(path = "agent_calls.html")]
struct CallsPage {
    c: Chrome,
    waiting: Vec<Callback>,
    people: HashMap<i64, String>,
    contracts: HashMap<i64, String>,
    ticket: Option<i64>,
    callback: Option<i64>,
    email: String,
    requester: Option<User>,
    /// The requester's contracts with whether phone support is open to them.
    offers: Vec<(i64, String, Option<String>)>,
    types: Vec<TicketType>,
}

impl CallsPage {
    fn name(&self, id: impl By<i64>) -> &str {
        self.people.get(&id.get()).map(String::as_str).unwrap_or_default()
    }

    fn contract_name(&self, id: impl By<i64>) -> &str {
        self.contracts.get(&id.get()).map(String::as_str).unwrap_or_default()
    }
}

async fn calls(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(params): Query<CallParams>,
) -> Result<Response, PageError> {
    let actor = &signed.actor;
    let waiting = phone::callbacks(&state.app, actor).await?;
    let ids: Vec<i64> = waiting.iter().map(|c| c.requester_id).collect();
    let people = directory::display_names(&state.app, &ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    let mut contracts = HashMap::new();
    for cb in &waiting {
        if let std::collections::hash_map::Entry::Vacant(slot) = contracts.entry(cb.contract_id) {
            slot.insert(phone::contract_name(&state.app, cb.contract_id).await?);
        }
    }
    let email = params.email.unwrap_or_default();
    let requester = match email.trim() {
        "" => None,
        e => Some(directory::find_by_email(&state.app, actor, e).await?),
    };
    let offers = match &requester {
        Some(user) => entitlements::offers_for(&state.app, user)
            .await?
            .into_iter()
            .map(|o| {
                let refusal = o.phone.map(|r| {
                    crate::error::ApiError::from(atende_app::AppError::Refused {
                        refusal: r,
                        contract_id: Some(o.contract.id),
                    })
                    .message(&state.i18n, signed.ctx.lang)
                });
                (o.contract.id, format!("{} ({})", o.contract.name, o.plan.name), refusal)
            })
            .collect(),
        None => Vec::new(),
    };
    page(&CallsPage {
        c: signed.ctx.chrome(&state, "calls"),
        waiting,
        people,
        contracts,
        ticket: params.ticket,
        callback: params.callback,
        email,
        requester,
        offers,
        types: TicketType::ALL.to_vec(),
    })
}

/// Logs a call: on an existing ticket (the notes become a message), or as a new phone ticket for
/// the caller, which the access rules check like any other.
async fn log_call(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/agent/calls";
    let minutes: i64 = form.parse("duration_minutes").or_back(back)?;
    let call = CallFacts::new(
        form.text("direction") != "outbound",
        PhoneNumber::parse(form.text("phone_number")).or_back(back)?,
        minutes.saturating_mul(60),
    )
    .or_back(back)?;
    let notes = Body::parse("notes", form.text("notes")).or_back(back)?;
    let ticket_id = match form.parse_opt::<i64>("ticket").or_back(back)? {
        Some(ticket_id) => {
            let visibility = if form.checked("public") {
                Visibility::Public
            } else {
                Visibility::Internal
            };
            phone::log_call(&state.app, &signed.actor, ticket_id, call, notes, visibility)
                .await
                .or_back(back)?;
            ticket_id
        }
        None => {
            let input = OpenTicket {
                ticket_type: form.parse("type").or_back(back)?,
                subject: Subject::parse(form.text("subject")).or_back(back)?,
                description: notes,
                priority: form.parse_opt("priority").or_back(back)?.unwrap_or(Priority::Normal),
                contract_id: form.parse("contract").or_back(back)?,
                bot_id: None,
                requester_id: Some(form.parse("requester").or_back(back)?),
                channel: Some(TicketChannel::Phone),
                attachments: Vec::new(),
                call: Some(call),
            };
            tickets::open(&state.app, &signed.actor, input, TicketChannel::Portal)
                .await
                .or_back(back)?
                .id
        }
    };
    if let Some(callback) = form.parse_opt::<i64>("callback").or_back(back)? {
        phone::close_callback(&state.app, &signed.actor, callback, true, Some(ticket_id))
            .await
            .or_back(back)?;
    }
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/agent/tickets/{ticket_id}"),
        "call-logged",
    ))
}

async fn close_callback(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(_): Submitted,
) -> Result<Response, PageError> {
    phone::close_callback(&state.app, &signed.actor, id, false, None)
        .await
        .or_back("/agent/calls")?;
    Ok(done(&signed.ctx, &state, "/agent/calls", "callback-cancelled"))
}
