use atende_app::TicketQuery;
use atende_app::tickets::{self, OpenTicket, TicketChanges};
use atende_domain::{
    Body, ParseError, Priority, Subject, TicketChannel, TicketStatus, TicketType, Visibility,
    entities::{Message, Ticket, TicketEvent},
    sla::{Impact, Urgency, priority_for},
};
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{double_option, rfc3339, schemas};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_ticket, list_tickets))
        .routes(routes!(get_ticket, update_ticket))
        .routes(routes!(add_message, list_messages))
        .routes(routes!(list_events))
}

/// Requests through the REST API arrive on the `api` channel (which follows the portal column).
const VIA: TicketChannel = TicketChannel::Api;

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketOut {
    id: i64,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::ticket_type)]
    ticket_type: TicketType,
    subject: String,
    description: String,
    #[schema(schema_with = schemas::priority)]
    priority: Priority,
    #[schema(schema_with = schemas::status)]
    status: TicketStatus,
    /// How the ticket reached support.
    #[schema(schema_with = schemas::ticket_channel)]
    channel: TicketChannel,
    contract_id: i64,
    bot_id: Option<i64>,
    requester_id: i64,
    assignee_id: Option<i64>,
    /// The group (queue) of support staff the ticket belongs to.
    group_id: Option<i64>,
    /// The earliest due time of the ticket's running SLA clocks; `null` when none runs.
    #[schema(format = DateTime)]
    sla_due_at: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        TicketOut {
            id: t.id,
            ticket_type: t.ticket_type,
            subject: t.subject,
            description: t.description,
            priority: t.priority,
            status: t.status,
            channel: t.channel,
            contract_id: t.contract_id,
            bot_id: t.bot_id,
            requester_id: t.requester_id,
            assignee_id: t.assignee_id,
            group_id: t.group_id,
            sla_due_at: t.sla_due_at.map(rfc3339),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketIn {
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::ticket_type)]
    ticket_type: TicketType,
    /// One line, at most 200 characters.
    subject: String,
    description: String,
    /// Give either a priority, or the urgency and impact in plain words (`low`, `medium`, `high`),
    /// from which the priority follows; neither means `normal`.
    #[schema(schema_with = schemas::priority_nullable)]
    priority: Option<Priority>,
    /// `low` (it can wait), `medium` (it slows us down), `high` (we are stopped).
    urgency: Option<String>,
    /// `low` (me or a few users), `medium` (a team or many users), `high` (all our customers).
    impact: Option<String>,
    contract_id: i64,
    bot_id: Option<i64>,
    /// Staff only: the customer the ticket is opened for.
    requester_id: Option<i64>,
    /// Staff only: the channel the customer used (the access rules are checked for it).
    #[schema(schema_with = schemas::ticket_channel_nullable)]
    channel: Option<TicketChannel>,
}

/// The priority as given, or as the urgency x impact matrix says.
fn priority_of(body: &NewTicketIn) -> Result<Priority, ParseError> {
    match (body.priority, body.urgency.as_deref(), body.impact.as_deref()) {
        (Some(p), None, None) => Ok(p),
        (None, None, None) => Ok(Priority::Normal),
        (None, Some(u), Some(i)) => Ok(priority_for(u.parse::<Urgency>()?, i.parse::<Impact>()?)),
        (Some(_), _, _) => Err(ParseError::Invalid {
            field: "priority",
            reason: "priority_or_urgency",
        }),
        (None, _, _) => Err(ParseError::Invalid {
            field: "urgency",
            reason: "urgency_and_impact",
        }),
    }
}

/// Open a ticket. The manual's access rules are checked for the requester and the channel; a
/// refusal (403 `not_entitled.*`) names its remedy and the support e-mail address.
#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = NewTicketIn,
    security(("bearer" = [])),
    responses(
        (status = 201, body = TicketOut),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewTicketIn>,
) -> Result<(StatusCode, Json<TicketOut>), ApiError> {
    let input = OpenTicket {
        ticket_type: body.ticket_type,
        subject: Subject::parse(&body.subject)?,
        description: Body::parse("description", &body.description)?,
        priority: priority_of(&body)?,
        contract_id: body.contract_id,
        bot_id: body.bot_id,
        requester_id: body.requester_id,
        channel: body.channel,
        attachments: Vec::new(),
        call: None,
    };
    let ticket = tickets::open(&state.app, &caller, input, VIA).await?;
    Ok((StatusCode::CREATED, Json(ticket.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TicketListParams {
    #[param(schema_with = schemas::status_nullable)]
    status: Option<TicketStatus>,
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = schemas::ticket_type_nullable)]
    ticket_type: Option<TicketType>,
    #[param(schema_with = schemas::priority_nullable)]
    priority: Option<Priority>,
    assignee_id: Option<i64>,
    /// Only tickets nobody is assigned to.
    unassigned: Option<bool>,
    group_id: Option<i64>,
    contract_id: Option<i64>,
    requester_id: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    limit: Option<i64>,
    /// `newest` (default) or `due`: most urgent first, by SLA due time (one page, no cursor).
    sort: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPage {
    items: Vec<TicketOut>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    next_cursor: Option<String>,
}

/// List the tickets the caller may see, newest first.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketListParams),
    security(("bearer" = [])),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_tickets(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<TicketListParams>,
) -> Result<Json<TicketPage>, ApiError> {
    let by_due = match params.sort.as_deref() {
        None | Some("newest") => false,
        Some("due") => true,
        Some(_) => {
            return Err(ParseError::NotOneOf {
                field: "sort",
                allowed: "newest, due",
            }
            .into());
        }
    };
    if by_due && params.cursor.is_some() {
        return Err(ParseError::Invalid {
            field: "cursor",
            reason: "cursor_with_due",
        }
        .into());
    }
    let before_id = match params.cursor.as_deref() {
        Some(c) => Some(c.parse::<i64>().map_err(|_| ParseError::Invalid {
            field: "cursor",
            reason: "cursor",
        })?),
        None => None,
    };
    let query = TicketQuery {
        status: params.status,
        ticket_type: params.ticket_type,
        priority: params.priority,
        assignee_id: params.assignee_id,
        unassigned: params.unassigned.unwrap_or(false),
        group_id: params.group_id,
        contract_id: params.contract_id,
        requester_id: params.requester_id,
        before_id,
        by_due,
        limit: params.limit.unwrap_or(25),
        ..TicketQuery::default()
    };
    let (items, next) = tickets::list(&state.app, &caller, query).await?;
    let next = next.filter(|_| !by_due);
    Ok(Json(TicketPage {
        items: items.into_iter().map(Into::into).collect(),
        next_cursor: next.map(|id| id.to_string()),
    }))
}

/// One ticket. Tickets the caller may not see answer 404, exactly like tickets that do not exist.
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = TicketOut), (status = 404, body = ErrorBody)))]
async fn get_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TicketOut>, ApiError> {
    Ok(Json(tickets::get(&state.app, &caller, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    #[schema(schema_with = schemas::status_nullable)]
    status: Option<TicketStatus>,
    #[schema(schema_with = schemas::priority_nullable)]
    priority: Option<Priority>,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::ticket_type_nullable)]
    ticket_type: Option<TicketType>,
    /// A staff user's id, or `null` to unassign.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    assignee_id: Option<Option<i64>>,
    /// A group's id, or `null` to take the ticket out of its group.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    group_id: Option<Option<i64>>,
}

/// Change status, priority, type or assignee. Customers may only mark solved or reopen.
#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)), request_body = TicketPatch,
    security(("bearer" = [])),
    responses((status = 200, body = TicketOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TicketPatch>,
) -> Result<Json<TicketOut>, ApiError> {
    let changes = TicketChanges {
        status: body.status,
        priority: body.priority,
        ticket_type: body.ticket_type,
        assignee_id: body.assignee_id,
        group_id: body.group_id,
    };
    Ok(Json(
        tickets::update(&state.app, &caller, id, changes, VIA).await?.into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageOut {
    id: i64,
    ticket_id: i64,
    author_id: i64,
    #[schema(schema_with = schemas::visibility)]
    visibility: Visibility,
    #[schema(schema_with = schemas::ticket_channel)]
    channel: TicketChannel,
    body: String,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Message> for MessageOut {
    fn from(m: Message) -> Self {
        MessageOut {
            id: m.id,
            ticket_id: m.ticket_id,
            author_id: m.author_id,
            visibility: m.visibility,
            channel: m.channel,
            body: m.body,
            created_at: rfc3339(m.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageIn {
    body: String,
    /// `public` (default) or, for staff, `internal`.
    #[schema(schema_with = schemas::visibility_nullable)]
    visibility: Option<Visibility>,
}

/// Add a public reply, or (staff) an internal note.
#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path)), request_body = NewMessageIn,
    security(("bearer" = [])),
    responses((status = 201, body = MessageOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_message(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewMessageIn>,
) -> Result<(StatusCode, Json<MessageOut>), ApiError> {
    let text = Body::parse("body", &body.body)?;
    let visibility = body.visibility.unwrap_or(Visibility::Public);
    let message = tickets::add_message(&state.app, &caller, id, text, visibility, VIA, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(message.into())))
}

/// The conversation, oldest first (customers do not see internal notes).
#[utoipa::path(get, path = "/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<MessageOut>), (status = 404, body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MessageOut>>, ApiError> {
    Ok(Json(
        tickets::messages(&state.app, &caller, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    id: i64,
    ticket_id: i64,
    actor_id: Option<i64>,
    /// The channel the change came through.
    channel: String,
    /// `created`, `status_changed`, `priority_changed`, `type_changed`, `assignee_changed`, `message_added`.
    kind: String,
    data: serde_json::Value,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<TicketEvent> for EventOut {
    fn from(e: TicketEvent) -> Self {
        EventOut {
            id: e.id,
            ticket_id: e.ticket_id,
            actor_id: e.actor_id,
            channel: e.channel,
            kind: e.kind,
            data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
            created_at: rfc3339(e.created_at),
        }
    }
}

/// The ticket's audit trail: every change, who made it, when, and through which channel.
#[utoipa::path(get, path = "/tickets/{id}/events", tag = "tickets", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<EventOut>), (status = 404, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EventOut>>, ApiError> {
    Ok(Json(
        tickets::events(&state.app, &caller, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
