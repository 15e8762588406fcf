//! Phone support over the API: call-back requests (customers whose plan and contract include
//! phone) and calls logged on tickets (staff).

use atende_app::{Call, Callback, phone};
use atende_domain::{Body, PhoneNumber, Visibility};
use axum::{Json, extract::State, http::StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_callback, list_callbacks))
        .routes(routes!(close_callback))
        .routes(routes!(log_call, list_calls))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackOut {
    id: i64,
    requester_id: i64,
    contract_id: i64,
    phone_number: String,
    #[schema(format = DateTime)]
    preferred_at: String,
    subject: String,
    /// `waiting`, `done` or `cancelled`.
    status: String,
    ticket_id: Option<i64>,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Callback> for CallbackOut {
    fn from(c: Callback) -> Self {
        CallbackOut {
            id: c.id,
            requester_id: c.requester_id,
            contract_id: c.contract_id,
            phone_number: c.phone_number,
            preferred_at: rfc3339(c.preferred_at),
            subject: c.subject,
            status: c.status,
            ticket_id: c.ticket_id,
            created_at: rfc3339(c.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackIn {
    contract_id: i64,
    /// Digits with an optional leading `+`; spaces, dots, dashes and parentheses are ignored.
    phone_number: String,
    /// When to call, from now to 30 days ahead (RFC 3339).
    #[schema(format = DateTime)]
    preferred_at: String,
    subject: String,
}

/// Ask to be called back. Refused (403 `not_entitled.*`, with the reason) when the contract's plan
/// or terms do not include phone support, or the caller may not open tickets on it.
#[utoipa::path(post, path = "/callbacks", tag = "phone", request_body = CallbackIn, security(("bearer" = [])),
    responses((status = 201, body = CallbackOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn request_callback(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CallbackIn>,
) -> Result<(StatusCode, Json<CallbackOut>), ApiError> {
    let number = PhoneNumber::parse(&body.phone_number)?;
    let at: Timestamp = body
        .preferred_at
        .parse()
        .map_err(|_| atende_domain::ParseError::Invalid {
            field: "preferred_at",
            reason: "instant",
        })?;
    let callback = phone::request_callback(&state.app, &caller, body.contract_id, number, at, &body.subject).await?;
    Ok((StatusCode::CREATED, Json(callback.into())))
}

/// Staff: the waiting queue, earliest preferred time first. Customers: their own requests.
#[utoipa::path(get, path = "/callbacks", tag = "phone", security(("bearer" = [])),
    responses((status = 200, body = Vec<CallbackOut>), (status = 401, body = ErrorBody)))]
async fn list_callbacks(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<CallbackOut>>, ApiError> {
    Ok(Json(
        phone::callbacks(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseCallbackIn {
    /// `true` when the call was made, `false` to cancel the request.
    done: bool,
    /// The ticket the call was logged on.
    ticket_id: Option<i64>,
}

/// Close a waiting call-back request (staff).
#[utoipa::path(post, path = "/callbacks/{id}/close", tag = "phone", params(("id" = i64, Path)), request_body = CloseCallbackIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_callback(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloseCallbackIn>,
) -> Result<StatusCode, ApiError> {
    phone::close_callback(&state.app, &caller, id, body.done, body.ticket_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallOut {
    id: i64,
    ticket_id: i64,
    /// The message holding the call's notes; `null` when the call opened the ticket.
    message_id: Option<i64>,
    /// `inbound` or `outbound`.
    direction: &'static str,
    phone_number: String,
    duration_seconds: i64,
    agent_id: i64,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Call> for CallOut {
    fn from(c: Call) -> Self {
        CallOut {
            id: c.id,
            ticket_id: c.ticket_id,
            message_id: c.message_id,
            direction: if c.inbound { "inbound" } else { "outbound" },
            phone_number: c.phone_number,
            duration_seconds: c.duration_seconds,
            agent_id: c.agent_id,
            created_at: rfc3339(c.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallIn {
    /// `inbound` (the customer called) or `outbound`.
    direction: String,
    phone_number: String,
    duration_seconds: i64,
    notes: String,
    /// `internal` (default) or `public`.
    #[schema(schema_with = schemas::visibility_nullable)]
    visibility: Option<Visibility>,
}

/// Log a phone call on a ticket (staff): the notes become a message of channel `phone`.
#[utoipa::path(post, path = "/tickets/{id}/calls", tag = "phone", params(("id" = i64, Path)), request_body = CallIn,
    security(("bearer" = [])),
    responses((status = 201, body = CallOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn log_call(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CallIn>,
) -> Result<(StatusCode, Json<CallOut>), ApiError> {
    let inbound = match body.direction.as_str() {
        "inbound" => true,
        "outbound" => false,
        _ => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "direction",
                allowed: "inbound, outbound",
            }
            .into());
        }
    };
    let call = phone::CallFacts::new(inbound, PhoneNumber::parse(&body.phone_number)?, body.duration_seconds)?;
    let notes = Body::parse("notes", &body.notes)?;
    let visibility = body.visibility.unwrap_or(Visibility::Internal);
    let message_id = phone::log_call(&state.app, &caller, id, call, notes, visibility).await?;
    let logged = phone::calls(&state.app, &caller, id)
        .await?
        .into_iter()
        .find(|c| c.message_id == Some(message_id))
        .ok_or(atende_app::AppError::NotFound("ticket"))?;
    Ok((StatusCode::CREATED, Json(logged.into())))
}

/// The calls logged on a ticket.
#[utoipa::path(get, path = "/tickets/{id}/calls", tag = "phone", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<CallOut>), (status = 404, body = ErrorBody)))]
async fn list_calls(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CallOut>>, ApiError> {
    Ok(Json(
        phone::calls(&state.app, &caller, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
