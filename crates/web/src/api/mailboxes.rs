//! The support mailboxes atende reads over IMAP (admins). The password is written, never read.

use atende_app::mail::{
    Mailbox,
    mailboxes::{self, MailboxInput},
};
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::rfc3339;
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mailboxes, create_mailbox))
        .routes(routes!(get_mailbox, update_mailbox, delete_mailbox))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxOut {
    id: i64,
    /// The support address whose messages the mailbox holds.
    address: String,
    imap_host: String,
    imap_port: i64,
    /// TLS from the first byte (port 993); without it, for a server on the same machine or network.
    imap_tls: bool,
    imap_username: String,
    folder: String,
    active: bool,
    /// The last error reading it (a wrong password, an unreachable server); `null` when the
    /// last round went well.
    last_error: Option<String>,
    #[schema(format = DateTime)]
    polled_at: Option<String>,
}

impl From<Mailbox> for MailboxOut {
    fn from(m: Mailbox) -> Self {
        MailboxOut {
            id: m.id,
            address: m.address,
            imap_host: m.imap_host,
            imap_port: m.imap_port,
            imap_tls: m.imap_tls,
            imap_username: m.imap_username,
            folder: m.folder,
            active: m.active,
            last_error: m.last_error,
            polled_at: m.polled_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxIn {
    address: String,
    imap_host: String,
    /// 993 by default (with TLS), 143 without.
    imap_port: Option<i64>,
    #[serde(default = "yes")]
    imap_tls: bool,
    imap_username: String,
    /// Required when creating; leave it out on a change to keep the stored one.
    imap_password: Option<String>,
    /// `INBOX` by default.
    folder: Option<String>,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

impl From<MailboxIn> for MailboxInput {
    fn from(m: MailboxIn) -> Self {
        MailboxInput {
            address: m.address,
            imap_host: m.imap_host,
            imap_port: m.imap_port.unwrap_or(if m.imap_tls { 993 } else { 143 }),
            imap_tls: m.imap_tls,
            imap_username: m.imap_username,
            imap_password: m.imap_password,
            folder: m.folder,
            active: m.active,
        }
    }
}

/// The mailboxes atende reads (admins).
#[utoipa::path(get, path = "/mailboxes", tag = "email", security(("bearer" = [])),
    responses((status = 200, body = Vec<MailboxOut>), (status = 403, body = ErrorBody)))]
async fn list_mailboxes(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<MailboxOut>>, ApiError> {
    let all = mailboxes::list(&state.app, &caller).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Add a mailbox to read over IMAP (admins). Reading starts within seconds when it is active.
#[utoipa::path(post, path = "/mailboxes", tag = "email", request_body = MailboxIn, security(("bearer" = [])),
    responses((status = 201, body = MailboxOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_mailbox(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<MailboxIn>,
) -> Result<(StatusCode, Json<MailboxOut>), ApiError> {
    let mailbox = mailboxes::create(&state.app, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(mailbox.into())))
}

#[utoipa::path(get, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MailboxOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_mailbox(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MailboxOut>, ApiError> {
    Ok(Json(mailboxes::get(&state.app, &caller, id).await?.into()))
}

/// Change a mailbox (admins). Another server, user or folder is read from its start again;
/// messages already taken are recognized and skipped.
#[utoipa::path(put, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), request_body = MailboxIn,
    security(("bearer" = [])),
    responses((status = 200, body = MailboxOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_mailbox(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MailboxIn>,
) -> Result<Json<MailboxOut>, ApiError> {
    Ok(Json(
        mailboxes::update(&state.app, &caller, id, body.into()).await?.into(),
    ))
}

/// Stop reading a mailbox and forget its settings (admins); what it delivered stays.
#[utoipa::path(delete, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_mailbox(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    mailboxes::delete(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
