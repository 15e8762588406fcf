use std::net::SocketAddr;

use atende_app::{auth, directory::UserChanges};
use atende_domain::Lang;
use axum::{
    Json,
    extract::{ConnectInfo, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{UserOut, double_option, rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me, update_me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    email: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    token_type: &'static str,
    #[schema(format = DateTime)]
    expires_at: String,
    user: UserOut,
}

impl From<auth::Session> for SessionOut {
    fn from(s: auth::Session) -> Self {
        SessionOut {
            token: s.token,
            token_type: "Bearer",
            expires_at: rfc3339(s.expires_at),
            user: s.user.into(),
        }
    }
}

/// Sign in with e-mail and password; returns a bearer token. Repeated failures answer 429 for a while.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<LoginIn>,
) -> Result<Json<SessionOut>, ApiError> {
    let session = auth::login(&state.app, &body.email, &body.password, &peer.ip().to_string()).await?;
    Ok(Json(session.into()))
}

/// End the session of the token used for this request.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, _caller: Caller, ctx: RequestContext) -> Result<StatusCode, ApiError> {
    if let Some(token) = ctx.token {
        auth::logout(&state.app, &token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 401, body = ErrorBody)))]
async fn me(caller: Caller) -> Json<UserOut> {
    Json(caller.user.clone().into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeIn {
    name: Option<String>,
    /// `es`, `pt-BR` or `en`. Choosing one is required before opening tickets.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = schemas::lang_nullable)]
    language: Option<Option<Lang>>,
    /// An IANA time zone such as `America/Sao_Paulo`.
    time_zone: Option<String>,
}

/// Update your preferences: name, language, time zone.
#[utoipa::path(patch, path = "/me", tag = "auth", request_body = MeIn, security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<MeIn>,
) -> Result<Json<UserOut>, ApiError> {
    let changes = UserChanges {
        name: body.name,
        language: body.language,
        time_zone: body.time_zone,
        ..Default::default()
    };
    let user = atende_app::directory::update_user(&state.app, &caller, caller.id(), changes).await?;
    Ok(Json(user.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    id: i64,
    name: String,
    /// `session` (from signing in) or `api` (created for scripts).
    kind: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}

/// Your sessions and API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/tokens", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenOut>), (status = 401, body = ErrorBody)))]
async fn list_tokens(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<TokenOut>>, ApiError> {
    let tokens = auth::list_tokens(&state.app, &caller).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenOut {
                id: t.id,
                name: t.name,
                kind: t.kind,
                created_at: rfc3339(t.created_at),
                expires_at: t.expires_at.map(rfc3339),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenIn {
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenOut {
    id: i64,
    name: String,
    /// Shown only now: store it safely.
    token: String,
}

/// Create an API token for scripts and integrations.
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = NewTokenIn, security(("bearer" = [])),
    responses((status = 201, body = NewTokenOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewTokenIn>,
) -> Result<(StatusCode, Json<NewTokenOut>), ApiError> {
    let (id, token) = auth::create_api_token(&state.app, caller.id(), &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenOut {
            id,
            name: body.name.trim().to_owned(),
            token,
        }),
    ))
}

/// Revoke one of your tokens.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    auth::revoke_token(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
