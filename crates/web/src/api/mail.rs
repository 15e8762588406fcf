//! The e-mail channel over HTTP: an MTA pipe posts each raw message it receives.

use atende_app::{
    auth::sha256_hex,
    mail::{InboundRecord, inbound, queue},
};
use atende_domain::{Priority, TicketType};
use axum::{
    Json,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas, tickets::TicketOut};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

/// Its own header: `Authorization` carries users' tokens, and the pipe is not a user.
pub const INBOUND_TOKEN: &str = "x-inbound-token";

/// Large enough for a message with its 10 attachments of 10 MB each, base64-encoded.
const MAX_MESSAGE_BYTES: usize = 150 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    let pipe = OpenApiRouter::new()
        .routes(routes!(receive))
        .layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES));
    OpenApiRouter::new()
        .routes(routes!(list_received))
        .routes(routes!(get_received))
        .routes(routes!(dismiss_received))
        .routes(routes!(convert_received))
        .merge(pipe)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptOut {
    /// `ticket` (a new ticket), `reply` (added to a ticket), `queued` (the access queue),
    /// `ignored` (kept, not answered: auto-replies, bounces, lists) or `duplicate`.
    outcome: String,
    /// Why a message was queued or ignored (`unknown_sender`, `auto_reply`, a refusal's code...).
    reason: Option<String>,
    ticket_id: Option<i64>,
    /// The stored message.
    inbound_id: Option<i64>,
    /// Whether its sender was sent an explanation.
    answered: bool,
}

/// Take one raw RFC 5322 message (for an MTA pipe). Authorized by the inbound token of the
/// configuration, sent in the `X-Inbound-Token` header; off (404) when none is configured.
#[utoipa::path(post, path = "/inbound/email", tag = "email",
    request_body(content = Vec<u8>, content_type = "message/rfc822"),
    responses((status = 202, body = ReceiptOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<ReceiptOut>), ApiError> {
    let Some(token) = &state.app.settings.mail.inbound_token else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "not-found")
            .arg("entity", crate::i18n::Arg::Term("entity-route".into())));
    };
    let given = headers
        .get(INBOUND_TOKEN)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Digests compared, so the time taken says nothing about the token.
    if sha256_hex(given.as_bytes()) != sha256_hex(token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.inbound_token",
            "auth-inbound_token",
        ));
    }
    let receipt = inbound::receive(&state.app, &body, None).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ReceiptOut {
            outcome: receipt.outcome.to_owned(),
            reason: receipt.reason,
            ticket_id: receipt.ticket_id,
            inbound_id: receipt.inbound_id,
            answered: receipt.answered,
        }),
    ))
}

// ---- the access queue and what else was received

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedOut {
    id: i64,
    mailbox_id: Option<i64>,
    message_id: Option<String>,
    sender: String,
    subject: String,
    /// `queued` (the access queue), `ignored`, `dismissed`, `converted`, `ticket` or `reply`.
    outcome: String,
    reason: Option<String>,
    ticket_id: Option<i64>,
    answered: bool,
    #[schema(format = DateTime)]
    received_at: String,
    resolved_by: Option<i64>,
    #[schema(format = DateTime)]
    resolved_at: Option<String>,
}

impl From<InboundRecord> for ReceivedOut {
    fn from(r: InboundRecord) -> Self {
        ReceivedOut {
            id: r.id,
            mailbox_id: r.mailbox_id,
            message_id: r.message_id,
            sender: r.sender,
            subject: r.subject,
            outcome: r.outcome,
            reason: r.reason,
            ticket_id: r.ticket_id,
            answered: r.answered,
            received_at: rfc3339(r.received_at),
            resolved_by: r.resolved_by,
            resolved_at: r.resolved_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedDetailOut {
    #[serde(flatten)]
    record: ReceivedOut,
    from_name: Option<String>,
    /// The message's text as written, quoted history included.
    text: String,
    /// The names of its files.
    attachments: Vec<String>,
    /// The user whose address sent it, if any.
    sender_user_id: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReceivedListParams {
    /// `queued` (default: the access queue), `ignored`, `dismissed`, `converted`, `ticket`, `reply`.
    outcome: Option<String>,
    /// The last id of the previous page.
    after_id: Option<i64>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<i64>,
}

/// Received messages by outcome, oldest first: by default the access queue (staff).
#[utoipa::path(get, path = "/inbound", tag = "email", params(ReceivedListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<ReceivedOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_received(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ReceivedListParams>,
) -> Result<Json<Vec<ReceivedOut>>, ApiError> {
    let records = queue::list(
        &state.app,
        &caller,
        params.outcome.as_deref().unwrap_or("queued"),
        params.after_id.unwrap_or(0),
        params.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(records.into_iter().map(Into::into).collect()))
}

/// One received message, its text and files (staff).
#[utoipa::path(get, path = "/inbound/{id}", tag = "email", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReceivedDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_received(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReceivedDetailOut>, ApiError> {
    let message = queue::get(&state.app, &caller, id).await?;
    Ok(Json(ReceivedDetailOut {
        record: message.record.into(),
        from_name: message.from_name,
        text: message.text,
        attachments: message.attachments,
        sender_user_id: message.sender_user_id,
    }))
}

/// Set a queued message aside: nothing more is done with it (staff).
#[utoipa::path(post, path = "/inbound/{id}/dismiss", tag = "email", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn dismiss_received(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    queue::dismiss(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertIn {
    /// The customer the ticket is for; by default the user whose address sent the message.
    requester_id: Option<i64>,
    contract_id: i64,
    #[serde(rename = "type", default = "question")]
    #[schema(schema_with = schemas::ticket_type)]
    ticket_type: TicketType,
    #[schema(schema_with = schemas::priority_nullable)]
    priority: Option<Priority>,
}

fn question() -> TicketType {
    TicketType::Question
}

/// Turn a queued message into a ticket for a requester the access rules let open it (staff).
#[utoipa::path(post, path = "/inbound/{id}/ticket", tag = "email", params(("id" = i64, Path)), request_body = ConvertIn,
    security(("bearer" = [])),
    responses((status = 201, body = TicketOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn convert_received(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConvertIn>,
) -> Result<(StatusCode, Json<TicketOut>), ApiError> {
    let ticket = queue::convert(
        &state.app,
        &caller,
        id,
        queue::ConvertInput {
            requester_id: body.requester_id,
            contract_id: body.contract_id,
            ticket_type: body.ticket_type,
            priority: body.priority.unwrap_or(Priority::Normal),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ticket.into())))
}
