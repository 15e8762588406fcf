//! The customer portal: the contracts and bots a customer can see with their plan's channels,
//! opening a ticket (only where the rules allow, with the reason elsewhere), following tickets,
//! replying, solving, reopening and rating, and asking for a call back.

use std::collections::HashMap;

use askama::Template;
use atende_app::{Attachment, Callback, Rating};
use atende_app::{
    TicketQuery,
    attachments::{self, MAX_BYTES, MAX_PER_MESSAGE},
    directory,
    entitlements::{self, Offer},
    feedback, invitations, phone, profile,
    tickets::{self, OpenTicket},
};
use atende_domain::{
    Body, Channel, PhoneNumber, Subject, TicketChannel, TicketStatus, TicketType, Visibility,
    entities::{Message, Ticket, TicketTypeText},
    sla::{Impact, Urgency, priority_for},
};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jiff::{civil::DateTime, tz::TimeZone};
use serde::Deserialize;

use super::{
    OrBack, PageError, Signed,
    chrome::{By, Chrome},
    done,
    form::Submitted,
    page,
};
use crate::AppState;

/// The largest file, in megabytes, as the forms say it.
pub const MAX_MB: i64 = (MAX_BYTES / (1024 * 1024)) as i64;

/// A form with files: every file at its limit, plus the text.
pub const UPLOAD_LIMIT: usize = MAX_BYTES * MAX_PER_MESSAGE + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(home))
        .route("/plans", get(plans))
        .route("/portal/tickets", get(list))
        .route(
            "/portal/tickets/new",
            get(new_form).post(create).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/portal/tickets/{id}", get(show))
        .route(
            "/portal/tickets/{id}/reply",
            post(reply).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/portal/tickets/{id}/status", post(change_status))
        .route("/portal/tickets/{id}/rating", post(rate))
        .route("/portal/join", post(join))
        .route("/portal/callbacks", get(callbacks).post(request_callback))
        .route("/attachments/{id}", get(download))
}

/// Staff have their own workspace; the portal is the customers'.
fn customers_only(signed: &Signed) -> Result<(), PageError> {
    if signed.actor.is_staff() {
        Err(PageError::status(
            axum::http::StatusCode::FORBIDDEN,
            "page-customers_only",
        ))
    } else {
        Ok(())
    }
}

/// The channel columns shown for a plan, in the manual's order.
pub struct MatrixCell {
    pub channel: &'static str,
    /// `included`, `conditional` or `none`.
    pub availability: &'static str,
}

fn matrix(offer: &Offer) -> Vec<MatrixCell> {
    Channel::ALL
        .iter()
        .map(|ch| MatrixCell {
            channel: ch.code(),
            availability: offer.plan.availability(*ch).map(|a| a.code()).unwrap_or("none"),
        })
        .collect()
}

pub struct OfferView {
    pub offer: Offer,
    pub matrix: Vec<MatrixCell>,
    /// The refusal's sentence, when the portal is closed to this user on this contract.
    pub refusal: Option<String>,
    pub refusal_code: Option<&'static str>,
}

fn offer_views(state: &AppState, signed: &Signed, offers: Vec<Offer>) -> Vec<OfferView> {
    offers
        .into_iter()
        .map(|offer| {
            let (refusal, refusal_code) = match &offer.portal {
                Some(r) => {
                    let api = crate::error::ApiError::from(atende_app::AppError::Refused {
                        refusal: r.clone(),
                        contract_id: Some(offer.contract.id),
                    });
                    (Some(api.message(&state.i18n, signed.ctx.lang)), Some(r.code()))
                }
                None => (None, None),
            };
            OfferView {
                matrix: matrix(&offer),
                offer,
                refusal,
                refusal_code,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    c: Chrome,
    offers: Vec<OfferView>,
    recent: Vec<Ticket>,
    may_open: bool,
    may_call: bool,
    documentation_url: String,
    forum_url: String,
}

async fn home(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    if signed.actor.is_staff() {
        return Ok(Redirect::to("/agent").into_response());
    }
    let offers = entitlements::offers(&state.app, &signed.actor).await?;
    let query = TicketQuery {
        limit: 10,
        ..TicketQuery::default()
    };
    let (recent, _) = tickets::list(&state.app, &signed.actor, query).await?;
    let may_open = offers.iter().any(|o| o.portal.is_none());
    let may_call = offers.iter().any(|o| o.phone.is_none());
    page(&HomePage {
        c: signed.ctx.chrome(&state, "portal"),
        offers: offer_views(&state, &signed, offers),
        recent,
        may_open,
        may_call,
        documentation_url: state.app.settings.documentation_url.clone(),
        forum_url: state.app.settings.forum_url.clone(),
    })
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    c: Chrome,
    plans: Vec<(atende_domain::Plan, Vec<MatrixCell>)>,
    channels: Vec<&'static str>,
}

/// The plans and the channels each includes: the manual's matrix.
async fn plans(State(state): State<AppState>, ctx: super::session::PageCtx) -> Result<Response, PageError> {
    let plans = profile::list_plans(&state.app).await?;
    let plans = plans
        .into_iter()
        .map(|plan| {
            let cells = Channel::ALL
                .iter()
                .map(|ch| MatrixCell {
                    channel: ch.code(),
                    availability: plan.availability(*ch).map(|a| a.code()).unwrap_or("none"),
                })
                .collect();
            (plan, cells)
        })
        .collect();
    page(&PlansPage {
        c: ctx.chrome(&state, "plans"),
        plans,
        channels: Channel::ALL.iter().map(|c| c.code()).collect(),
    })
}

#[derive(Deserialize)]
struct ListParams {
    status: Option<String>,
    cursor: Option<i64>,
}

#[derive(Template)]
#[template(path = "portal_tickets.html")]
struct ListPage {
    c: Chrome,
    tickets: Vec<Ticket>,
    contracts: HashMap<i64, String>,
    filter: String,
    next: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    customers_only(&signed)?;
    let filter = params.status.unwrap_or_else(|| "unsolved".into());
    let mut query = TicketQuery {
        before_id: params.cursor,
        limit: 25,
        ..TicketQuery::default()
    };
    match filter.as_str() {
        "unsolved" => query.unsolved = true,
        "mine" => query.requester_id = Some(signed.actor.id()),
        "all" => {}
        other => query.status = Some(other.parse().map_err(|_| PageError::invalid_field("status"))?),
    }
    let (tickets, next) = tickets::list(&state.app, &signed.actor, query).await?;
    let contracts = entitlements::offers(&state.app, &signed.actor)
        .await?
        .into_iter()
        .map(|o| (o.contract.id, o.contract.name))
        .collect();
    page(&ListPage {
        c: signed.ctx.chrome(&state, "tickets"),
        tickets,
        contracts,
        filter,
        next,
    })
}

impl ListPage {
    fn contract_name(&self, id: impl By<i64>) -> &str {
        self.contracts.get(&id.get()).map(String::as_str).unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct NewParams {
    contract: Option<i64>,
}

#[derive(Template)]
#[template(path = "ticket_new.html")]
struct NewPage {
    c: Chrome,
    open: Vec<OfferView>,
    closed: Vec<OfferView>,
    types: Vec<TicketTypeText>,
    chosen_contract: Option<i64>,
    documentation_url: String,
    forum_url: String,
    max_mb: i64,
    /// Platform incidents under way: the customer may be facing one of them already.
    incidents: Vec<atende_app::status::IncidentView>,
}

async fn new_form(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<NewParams>,
) -> Result<Response, PageError> {
    customers_only(&signed)?;
    let offers = entitlements::offers(&state.app, &signed.actor).await?;
    let (open, closed): (Vec<OfferView>, Vec<OfferView>) = offer_views(&state, &signed, offers)
        .into_iter()
        .partition(|o| o.refusal.is_none());
    let types = profile::type_texts(&state.app, signed.ctx.lang).await?;
    page(&NewPage {
        c: signed.ctx.chrome(&state, "new"),
        open,
        closed,
        types,
        chosen_contract: params.contract,
        documentation_url: state.app.settings.documentation_url.clone(),
        forum_url: state.app.settings.forum_url.clone(),
        max_mb: MAX_MB,
        incidents: atende_app::status::open_incidents(&state.app).await?,
    })
}

async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    customers_only(&signed)?;
    let back = "/portal/tickets/new";
    let urgency: Urgency = form.parse("urgency").or_back(back)?;
    let impact: Impact = form.parse("impact").or_back(back)?;
    let (contract_id, bot_id) =
        contract_and_bot(form.text("target")).ok_or_else(|| PageError::invalid_field("contract").back(back))?;
    let input = OpenTicket {
        ticket_type: form.parse::<TicketType>("type").or_back(back)?,
        subject: Subject::parse(form.text("subject")).or_back(back)?,
        description: Body::parse("description", form.text("description")).or_back(back)?,
        priority: priority_for(urgency, impact),
        contract_id,
        bot_id,
        requester_id: None,
        channel: None,
        attachments: form.files,
        call: None,
    };
    let ticket = tickets::open(&state.app, &signed.actor, input, TicketChannel::Portal)
        .await
        .or_back(back)?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/portal/tickets/{}", ticket.id),
        "ticket-created",
    ))
}

/// The form's "where" choice: `c<contract>` or `b<contract>-<bot>`.
fn contract_and_bot(target: &str) -> Option<(i64, Option<i64>)> {
    if let Some(contract) = target.strip_prefix('c') {
        return Some((contract.parse().ok()?, None));
    }
    let (contract, bot) = target.strip_prefix('b')?.split_once('-')?;
    Some((contract.parse().ok()?, Some(bot.parse().ok()?)))
}

/// A message with its author's name and files.
pub struct Entry {
    pub message: Message,
    pub author: String,
    pub files: Vec<Attachment>,
    pub staff: bool,
}

/// The conversation of a ticket as the actor may see it.
async fn conversation(
    state: &AppState,
    actor: &atende_app::Actor,
    ticket: &Ticket,
) -> Result<(Vec<Entry>, Vec<Attachment>, HashMap<i64, String>), PageError> {
    let messages = tickets::messages(&state.app, actor, ticket.id).await?;
    let files = attachments::of_ticket(&state.app, actor, ticket.id).await?;
    let mut ids: Vec<i64> = messages.iter().map(|m| m.author_id).collect();
    ids.push(ticket.requester_id);
    ids.extend(ticket.assignee_id);
    let people = directory::display_names(&state.app, &ids).await?;
    Ok(entries_of(messages, files, people))
}

/// The messages with their authors and files, the files on the ticket itself, and the names of
/// the people in `people`.
pub fn entries_of(
    messages: Vec<atende_domain::entities::Message>,
    files: Vec<Attachment>,
    people: HashMap<i64, directory::Person>,
) -> (Vec<Entry>, Vec<Attachment>, HashMap<i64, String>) {
    let entries = messages
        .into_iter()
        .map(|m| {
            let author = people.get(&m.author_id);
            Entry {
                author: author.map(|p| p.name.clone()).unwrap_or_default(),
                staff: author.is_some_and(|p| p.staff),
                files: files.iter().filter(|f| f.message_id == Some(m.id)).cloned().collect(),
                message: m,
            }
        })
        .collect();
    let names = people.into_iter().map(|(id, p)| (id, p.name)).collect();
    let opening_files = files.into_iter().filter(|f| f.message_id.is_none()).collect();
    (entries, opening_files, names)
}

#[derive(Template)]
#[template(path = "portal_ticket.html")]
struct TicketPage {
    c: Chrome,
    ticket: Ticket,
    entries: Vec<Entry>,
    opening_files: Vec<Attachment>,
    names: HashMap<i64, String>,
    rating: Option<Rating>,
    is_requester: bool,
    max_mb: i64,
}

impl TicketPage {
    fn name(&self, id: impl By<i64>) -> &str {
        self.names.get(&id.get()).map(String::as_str).unwrap_or_default()
    }
}

async fn show(State(state): State<AppState>, signed: Signed, Path(id): Path<i64>) -> Result<Response, PageError> {
    if signed.actor.is_staff() {
        return Ok(Redirect::to(&format!("/agent/tickets/{id}")).into_response());
    }
    let ticket = tickets::get(&state.app, &signed.actor, id).await?;
    let (entries, opening_files, names) = conversation(&state, &signed.actor, &ticket).await?;
    let rating = feedback::rating(&state.app, &signed.actor, id).await?;
    page(&TicketPage {
        c: signed.ctx.chrome(&state, "tickets"),
        is_requester: ticket.requester_id == signed.actor.id(),
        ticket,
        entries,
        opening_files,
        names,
        rating,
        max_mb: MAX_MB,
    })
}

async fn reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/portal/tickets/{id}");
    let body = Body::parse("body", form.text("body")).or_back(&back)?;
    tickets::add_message(
        &state.app,
        &signed.actor,
        id,
        body,
        Visibility::Public,
        TicketChannel::Portal,
        form.files,
    )
    .await
    .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "reply-sent"))
}

async fn change_status(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/portal/tickets/{id}");
    let status: TicketStatus = form.parse("status").or_back(&back)?;
    tickets::set_status(&state.app, &signed.actor, id, status, TicketChannel::Portal)
        .await
        .or_back(&back)?;
    let key = if status == TicketStatus::Solved {
        "ticket-solved"
    } else {
        "ticket-reopened"
    };
    Ok(done(&signed.ctx, &state, &back, key))
}

async fn rate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/portal/tickets/{id}");
    let good = match form.text("rating") {
        "good" => true,
        "bad" => false,
        _ => return Err(PageError::invalid_field("rating").back(back)),
    };
    feedback::rate(
        &state.app,
        &signed.actor,
        id,
        good,
        form.text("comment"),
        TicketChannel::Portal,
    )
    .await
    .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "rating-saved"))
}

async fn join(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/portal";
    let (contract_id, bot_id) =
        contract_and_bot(form.text("target")).ok_or_else(|| PageError::invalid_field("contract").back(back))?;
    invitations::request_to_join(&state.app, &signed.actor, contract_id, bot_id, form.text("message"))
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "join-requested"))
}

#[derive(Template)]
#[template(path = "portal_callbacks.html")]
struct CallbacksPage {
    c: Chrome,
    offers: Vec<Offer>,
    mine: Vec<Callback>,
    contracts: HashMap<i64, String>,
    zone: String,
}

impl CallbacksPage {
    fn contract_name(&self, id: impl By<i64>) -> &str {
        self.contracts.get(&id.get()).map(String::as_str).unwrap_or_default()
    }
}

async fn callbacks(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    customers_only(&signed)?;
    let offers = entitlements::offers(&state.app, &signed.actor).await?;
    let contracts = offers
        .iter()
        .map(|o| (o.contract.id, o.contract.name.clone()))
        .collect();
    let offers = offers.into_iter().filter(|o| o.phone.is_none()).collect();
    let mine = phone::callbacks(&state.app, &signed.actor).await?;
    page(&CallbacksPage {
        c: signed.ctx.chrome(&state, "portal"),
        offers,
        mine,
        contracts,
        zone: signed.ctx.tz.iana_name().unwrap_or("UTC").to_owned(),
    })
}

/// The preferred time is typed in the customer's own zone (`datetime-local`).
fn local_time(raw: &str, tz: &TimeZone) -> Option<jiff::Timestamp> {
    let civil: DateTime = raw.parse().ok()?;
    civil.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

async fn request_callback(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/portal/callbacks";
    let contract_id: i64 = form.parse("contract").or_back(back)?;
    let number = PhoneNumber::parse(form.text("phone_number")).or_back(back)?;
    let at = local_time(form.text("preferred_at"), &signed.ctx.tz)
        .ok_or_else(|| PageError::invalid_field("preferred_at").back(back))?;
    phone::request_callback(&state.app, &signed.actor, contract_id, number, at, form.text("subject"))
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "callback-requested"))
}

/// A file, always as a download: the browser never renders what a user uploaded.
async fn download(State(state): State<AppState>, signed: Signed, Path(id): Path<i64>) -> Result<Response, PageError> {
    let (file, data) = attachments::download(&state.app, &signed.actor, id).await?;
    Ok(crate::api::feedback::file_response(&file, data))
}
