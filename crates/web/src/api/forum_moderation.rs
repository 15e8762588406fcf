//! Forum moderation over HTTP (staff): the review queue, publishing and hiding posts, merging
//! topics, bans, following a topic up in a ticket, and the moderation trail.

use atende_app::community::{self, moderation};
use atende_domain::{Priority, TicketType, community::PostState};
use axum::{Json, extract::State, http::StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    forum::{PostOut, TopicOut, post_out, topic_out},
    rfc3339, schemas,
};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(held))
        .routes(routes!(set_post_state))
        .routes(routes!(merge))
        .routes(routes!(to_ticket))
        .routes(routes!(list_bans))
        .routes(routes!(ban, unban))
        .routes(routes!(moderation_log))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldOut {
    #[serde(flatten)]
    post: PostOut,
    topic_title: String,
}

/// Posts waiting for review, oldest first (staff).
#[utoipa::path(get, path = "/forum/held", tag = "community", security(("bearer" = [])),
    responses((status = 200, body = Vec<HeldOut>), (status = 403, body = ErrorBody)))]
async fn held(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<HeldOut>>, ApiError> {
    let posts = moderation::held(&state.app, &caller).await?;
    Ok(Json(
        posts
            .into_iter()
            .map(|(post, topic_title)| HeldOut {
                post: post_out(post, false),
                topic_title,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostStateIn {
    /// `visible` publishes, `hidden` hides (a topic's question carries its topic along).
    #[schema(schema_with = schemas::post_state)]
    state: PostState,
}

/// Publish, hold or hide a post (staff); logged.
#[utoipa::path(put, path = "/forum/posts/{id}/state", tag = "community", params(("id" = i64, Path)), request_body = PostStateIn,
    security(("bearer" = [])),
    responses((status = 200, body = PostOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_post_state(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PostStateIn>,
) -> Result<Json<PostOut>, ApiError> {
    let post = moderation::set_post_state(&state.app, &caller, id, body.state).await?;
    Ok(Json(post_out(post, false)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicMergeIn {
    /// The topic that stays.
    into: i64,
}

/// Merge a duplicate topic into another (staff): its posts and followers move over.
#[utoipa::path(post, path = "/forum/topics/{id}/merge", tag = "community", params(("id" = i64, Path)), request_body = TopicMergeIn,
    security(("bearer" = [])),
    responses((status = 200, body = TopicOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TopicMergeIn>,
) -> Result<Json<TopicOut>, ApiError> {
    let topic = moderation::merge(&state.app, &caller, id, body.into).await?;
    Ok(Json(topic_out(topic, Some(&caller))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToTicketIn {
    /// A contract the asker is in view of: the access rules are theirs.
    contract_id: i64,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::ticket_type)]
    ticket_type: TicketType,
    #[schema(schema_with = schemas::priority_nullable)]
    priority: Option<Priority>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketRefOut {
    ticket_id: i64,
}

/// Follow a topic up in a ticket for its asker (staff).
#[utoipa::path(post, path = "/forum/topics/{id}/ticket", tag = "community", params(("id" = i64, Path)), request_body = ToTicketIn,
    security(("bearer" = [])),
    responses((status = 201, body = TicketRefOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn to_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ToTicketIn>,
) -> Result<(StatusCode, Json<TicketRefOut>), ApiError> {
    let ticket = moderation::to_ticket(
        &state.app,
        &caller,
        id,
        body.contract_id,
        body.ticket_type,
        body.priority.unwrap_or(Priority::Normal),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(TicketRefOut { ticket_id: ticket.id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BanOut {
    user_id: i64,
    name: String,
    email: String,
    reason: String,
    /// Null: until lifted.
    #[schema(format = DateTime)]
    until: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

/// Bans in force (staff).
#[utoipa::path(get, path = "/forum/bans", tag = "community", security(("bearer" = [])),
    responses((status = 200, body = Vec<BanOut>), (status = 403, body = ErrorBody)))]
async fn list_bans(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<BanOut>>, ApiError> {
    let bans = moderation::bans(&state.app, &caller).await?;
    Ok(Json(
        bans.into_iter()
            .map(|b| BanOut {
                user_id: b.user_id,
                name: b.user_name,
                email: b.user_email,
                reason: b.reason,
                until: b.until.map(rfc3339),
                created_at: rfc3339(b.created_at),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanIn {
    /// Kept in the moderation trail.
    reason: String,
    /// When the ban ends (RFC 3339); absent: until lifted.
    #[schema(format = DateTime)]
    until: Option<String>,
}

/// Ban a customer from posting in the forum (staff); reading stays open.
#[utoipa::path(put, path = "/forum/bans/{user_id}", tag = "community", params(("user_id" = i64, Path)), request_body = BanIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ban(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(body): ApiJson<BanIn>,
) -> Result<StatusCode, ApiError> {
    let until = body
        .until
        .as_deref()
        .map(|raw| {
            raw.parse::<Timestamp>()
                .map_err(|_| atende_domain::ParseError::Invalid {
                    field: "until",
                    reason: "instant",
                })
        })
        .transpose()?;
    moderation::ban(&state.app, &caller, user_id, &body.reason, until).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lift a ban (staff).
#[utoipa::path(delete, path = "/forum/bans/{user_id}", tag = "community", params(("user_id" = i64, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unban(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    moderation::unban(&state.app, &caller, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    /// At most this many, newest first (500 at most).
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationOut {
    id: i64,
    /// `topic`, `post`, `user`, `idea`, `idea_comment`...
    subject: String,
    subject_id: i64,
    /// `publish`, `hide`, `lock`, `move`, `merge`, `ban`...
    action: String,
    actor: Option<String>,
    detail: String,
    #[schema(format = DateTime)]
    created_at: String,
}

/// What moderators did, newest first (staff).
#[utoipa::path(get, path = "/community/moderation-log", tag = "community", params(LogParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<ModerationOut>), (status = 403, body = ErrorBody)))]
async fn moderation_log(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<LogParams>,
) -> Result<Json<Vec<ModerationOut>>, ApiError> {
    let records = community::moderation_log(&state.app, &caller, params.limit.unwrap_or(100)).await?;
    Ok(Json(
        records
            .into_iter()
            .map(|r| ModerationOut {
                id: r.id,
                subject: r.subject,
                subject_id: r.subject_id,
                action: r.action,
                actor: r.actor_name,
                detail: r.detail,
                created_at: rfc3339(r.created_at),
            })
            .collect(),
    ))
}
