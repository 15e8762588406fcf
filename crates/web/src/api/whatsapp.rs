//! WhatsApp's webhook (the Cloud API calls it): the subscription check, and notifications signed
//! with the app secret. Both answer 404 while WhatsApp is not configured.

use atende_app::bot::whatsapp;
use atende_channels::whatsapp::Notification;
use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify, notify))
        .routes(routes!(my_number, link_number, unlink_number))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NumberIo {
    /// With its country code: `+55 11 98765 4321`; answered as WhatsApp writes it, digits only.
    number: String,
}

/// The WhatsApp number the smart contact knows you by.
#[utoipa::path(get, path = "/me/whatsapp", tag = "whatsapp", security(("bearer" = [])),
    responses((status = 200, body = NumberIo), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn my_number(State(state): State<AppState>, caller: Caller) -> Result<Json<NumberIo>, ApiError> {
    match atende_app::bot::number_of(&state.app, &caller).await? {
        Some(number) => Ok(Json(NumberIo { number })),
        None => Err(atende_app::AppError::NotFound("whatsapp_number").into()),
    }
}

/// Link your WhatsApp number: when you write from it, the smart contact knows it is you.
#[utoipa::path(put, path = "/me/whatsapp", tag = "whatsapp", request_body = NumberIo, security(("bearer" = [])),
    responses((status = 200, body = NumberIo), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn link_number(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NumberIo>,
) -> Result<Json<NumberIo>, ApiError> {
    let number = atende_app::bot::link_number(&state.app, &caller, &body.number).await?;
    Ok(Json(NumberIo { number }))
}

/// Unlink your WhatsApp number.
#[utoipa::path(delete, path = "/me/whatsapp", tag = "whatsapp", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unlink_number(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    atende_app::bot::unlink_number(&state.app, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct VerifyParams {
    #[serde(rename = "hub.mode", default)]
    #[param(rename = "hub.mode")]
    mode: String,
    #[serde(rename = "hub.verify_token", default)]
    #[param(rename = "hub.verify_token")]
    verify_token: String,
    #[serde(rename = "hub.challenge", default)]
    #[param(rename = "hub.challenge")]
    challenge: String,
}

/// Meta's subscription check: answers the challenge when the verify token is the configured one.
#[utoipa::path(get, path = "/whatsapp/webhook", tag = "whatsapp", params(VerifyParams),
    responses((status = 200, description = "The challenge, as plain text", body = String, content_type = "text/plain"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn verify(State(state): State<AppState>, ApiQuery(params): ApiQuery<VerifyParams>) -> Result<String, ApiError> {
    Ok(whatsapp::verify_subscription(
        &state.app.settings.whatsapp,
        &params.mode,
        &params.verify_token,
        &params.challenge,
    )?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandledOut {
    /// Messages the bot took.
    messages: usize,
    /// Messages delivered before, ignored.
    duplicates: usize,
    /// Delivery statuses recorded.
    statuses: usize,
}

/// A notification from the Cloud API: messages and delivery statuses. Refused (401) unless
/// `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body with the app secret.
#[utoipa::path(post, path = "/whatsapp/webhook", tag = "whatsapp",
    request_body(content = serde_json::Value, content_type = "application/json"),
    responses((status = 200, body = HandledOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn notify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<HandledOut>), ApiError> {
    let signature = headers.get("x-hub-signature-256").and_then(|v| v.to_str().ok());
    whatsapp::check_signature(&state.app.settings.whatsapp, &body, signature)?;
    let notification: Notification = serde_json::from_slice(&body)
        .map_err(|e| ApiError::request(StatusCode::BAD_REQUEST, "request.invalid_json", Some(e.to_string())))?;
    let done = whatsapp::handle(&state.app, &notification).await?;
    Ok((
        StatusCode::OK,
        Json(HandledOut {
            messages: done.messages,
            duplicates: done.duplicates,
            statuses: done.statuses,
        }),
    ))
}
