use atende_app::invitations::{self, AcceptInput, InviteInput};
use atende_domain::{
    Lang, Role,
    entities::{JoinRequest, JoinStatus},
};
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{UserOut, rfc3339, schemas};
use crate::{
    AppState,
    api::auth::SessionOut,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invitation))
        .routes(routes!(show_invitation))
        .routes(routes!(accept_invitation))
        .routes(routes!(list_join_requests, create_join_request))
        .routes(routes!(approve_join_request))
        .routes(routes!(reject_join_request))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationIn {
    email: String,
    /// Needed when neither a contract nor a bot is given.
    organization_id: Option<i64>,
    contract_id: Option<i64>,
    bot_id: Option<i64>,
    /// `customer` (default) or `customer_admin`.
    #[schema(schema_with = schemas::role_nullable)]
    role: Option<Role>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationOut {
    id: i64,
    email: String,
    organization_id: i64,
    contract_id: Option<i64>,
    bot_id: Option<i64>,
    #[schema(schema_with = schemas::role)]
    role: Role,
    #[schema(format = DateTime)]
    expires_at: String,
    /// Shown once, to send to the invitee; `null` when the invitee already has tickets here as an
    /// unregistered contact and the inviter is not support staff: then the link goes only to
    /// the invitee's address.
    token: Option<String>,
    accept_url: Option<String>,
}

/// Invite someone to your organization and to a contract's or bot's team (staff, or the
/// organization's admin). The invitee registers by accepting.
#[utoipa::path(post, path = "/invitations", tag = "access", request_body = InvitationIn, security(("bearer" = [])),
    responses((status = 201, body = InvitationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_invitation(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<InvitationIn>,
) -> Result<(StatusCode, Json<InvitationOut>), ApiError> {
    let input = InviteInput {
        email: body.email,
        organization_id: body.organization_id,
        contract_id: body.contract_id,
        bot_id: body.bot_id,
        role: body.role.unwrap_or(Role::Customer),
    };
    let created = invitations::invite(&state.app, &caller, input).await?;
    let i = created.invitation;
    Ok((
        StatusCode::CREATED,
        Json(InvitationOut {
            id: i.id,
            email: i.email,
            organization_id: i.organization_id,
            contract_id: i.contract_id,
            bot_id: i.bot_id,
            role: i.role,
            expires_at: rfc3339(i.expires_at),
            token: created.token,
            accept_url: created.accept_url,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationViewOut {
    email: String,
    organization: String,
    contract: Option<String>,
    bot: Option<String>,
    #[schema(format = DateTime)]
    expires_at: String,
    /// The address already has an account: sign in, then accept.
    existing_account: bool,
}

/// What an invitation offers. Public: the token is the proof.
#[utoipa::path(get, path = "/invitations/{token}", tag = "access", params(("token" = String, Path)),
    responses((status = 200, body = InvitationViewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn show_invitation(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<InvitationViewOut>, ApiError> {
    let view = invitations::show_invitation(&state.app, &token).await?;
    Ok(Json(InvitationViewOut {
        email: view.invitation.email,
        organization: view.organization_name,
        contract: view.contract_name,
        bot: view.bot_name,
        expires_at: rfc3339(view.invitation.expires_at),
        existing_account: view.existing_account,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// Required for a new account.
    name: Option<String>,
    /// Required for a new account: at least 10 characters.
    password: Option<String>,
    #[schema(schema_with = schemas::lang_nullable)]
    language: Option<Lang>,
    time_zone: Option<String>,
}

/// Accept an invitation: registers a new account (or, signed in, joins with yours) and returns a session.
#[utoipa::path(post, path = "/invitations/{token}/accept", tag = "access", params(("token" = String, Path)), request_body = AcceptIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accept_invitation(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<Json<SessionOut>, ApiError> {
    let input = AcceptInput {
        name: body.name,
        password: body.password,
        language: body.language,
        time_zone: body.time_zone,
    };
    let session = invitations::accept_invitation(&state.app, ctx.actor.as_deref(), &token, input).await?;
    Ok(Json(session.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinRequestOut {
    id: i64,
    user_id: i64,
    contract_id: i64,
    bot_id: Option<i64>,
    message: String,
    /// `pending`, `approved` or `rejected`.
    status: &'static str,
    decided_by: Option<i64>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    decided_at: Option<String>,
}

impl From<JoinRequest> for JoinRequestOut {
    fn from(r: JoinRequest) -> Self {
        JoinRequestOut {
            id: r.id,
            user_id: r.user_id,
            contract_id: r.contract_id,
            bot_id: r.bot_id,
            message: r.message,
            status: r.status.code(),
            decided_by: r.decided_by,
            created_at: rfc3339(r.created_at),
            decided_at: r.decided_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequestIn {
    contract_id: i64,
    /// Ask for a bot's team instead of the contract's.
    bot_id: Option<i64>,
    #[serde(default)]
    message: String,
}

/// Ask to join a contract's or a bot's team of your organization.
#[utoipa::path(post, path = "/join-requests", tag = "access", request_body = JoinRequestIn, security(("bearer" = [])),
    responses((status = 201, body = JoinRequestOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_join_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<JoinRequestIn>,
) -> Result<(StatusCode, Json<JoinRequestOut>), ApiError> {
    let request =
        invitations::request_to_join(&state.app, &caller, body.contract_id, body.bot_id, &body.message).await?;
    Ok((StatusCode::CREATED, Json(request.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JoinListParams {
    /// `pending`, `approved` or `rejected`.
    status: Option<String>,
}

/// Requests to join: yours, your organization's (customer admin) or all (staff).
#[utoipa::path(get, path = "/join-requests", tag = "access", params(JoinListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<JoinRequestOut>), (status = 400, body = ErrorBody)))]
async fn list_join_requests(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<JoinListParams>,
) -> Result<Json<Vec<JoinRequestOut>>, ApiError> {
    let status = match params.status.as_deref() {
        Some(s) => Some(JoinStatus::from_code(s).ok_or(atende_domain::ParseError::NotOneOf {
            field: "status",
            allowed: "pending, approved, rejected",
        })?),
        None => None,
    };
    Ok(Json(
        invitations::list_join_requests(&state.app, &caller, status)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    request: JoinRequestOut,
    user: UserOut,
}

async fn decide(state: AppState, caller: Caller, id: i64, approve: bool) -> Result<Json<DecisionOut>, ApiError> {
    let (request, user) = invitations::decide_join_request(&state.app, &caller, id, approve).await?;
    Ok(Json(DecisionOut {
        request: request.into(),
        user: user.into(),
    }))
}

/// Approve a request: the requester joins the team (staff or the organization's admin).
#[utoipa::path(post, path = "/join-requests/{id}/approve", tag = "access", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = DecisionOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn approve_join_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DecisionOut>, ApiError> {
    decide(state, caller, id, true).await
}

/// Reject a request.
#[utoipa::path(post, path = "/join-requests/{id}/reject", tag = "access", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = DecisionOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reject_join_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DecisionOut>, ApiError> {
    decide(state, caller, id, false).await
}
