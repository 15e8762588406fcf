//! The e-mail channel over HTTP: an MTA pipe posts each raw message it receives.

use atende_app::{auth::sha256_hex, mail::inbound};
use axum::{
    Json,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode},
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    error::{ApiError, ErrorBody},
};

/// Its own header: `Authorization` carries users' tokens, and the pipe is not a user.
pub const INBOUND_TOKEN: &str = "x-inbound-token";

/// Large enough for a message with its 10 attachments of 10 MB each, base64-encoded.
const MAX_MESSAGE_BYTES: usize = 150 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive))
        .layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES))
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
