//! Ideas over HTTP: everyone reads; registered users submit, vote and comment; staff decide,
//! merge duplicates and hide comments.

use atende_app::community::ideas::{self, Comment, Idea, IdeaDetail, Order};
use atende_domain::community::IdeaStatus;
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_ideas, submit_idea))
        .routes(routes!(get_idea, edit_idea))
        .routes(routes!(vote, withdraw_vote))
        .routes(routes!(follow, unfollow))
        .routes(routes!(add_comment))
        .routes(routes!(set_status))
        .routes(routes!(merge))
        .routes(routes!(hide_comment))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaOut {
    id: i64,
    title: String,
    /// Markdown.
    body: String,
    #[schema(schema_with = schemas::idea_status)]
    status: IdeaStatus,
    author: Option<String>,
    /// Set when this idea was a duplicate: its votes and followers are on that idea now.
    merged_into: Option<i64>,
    votes: i64,
    comments: i64,
    /// Whether the caller voted for it.
    voted: bool,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

fn idea_out(idea: Idea, voted: bool) -> IdeaOut {
    IdeaOut {
        id: idea.id,
        title: idea.title,
        body: idea.body,
        status: idea.status,
        author: idea.author_name,
        merged_into: idea.merged_into,
        votes: idea.votes,
        comments: idea.comments,
        voted,
        created_at: rfc3339(idea.created_at),
        updated_at: rfc3339(idea.updated_at),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaCommentOut {
    id: i64,
    author: Option<String>,
    body: String,
    /// Hidden comments are shown to staff only.
    hidden: bool,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Comment> for IdeaCommentOut {
    fn from(c: Comment) -> Self {
        IdeaCommentOut {
            id: c.id,
            author: c.author_name,
            body: c.body,
            hidden: c.hidden,
            created_at: rfc3339(c.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShippedOut {
    /// The changelog entry.
    entry_id: i64,
    #[schema(format = Date)]
    published_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaDetailOut {
    #[serde(flatten)]
    idea: IdeaOut,
    subscribed: bool,
    comments_list: Vec<IdeaCommentOut>,
    /// Published changelog entries that shipped it.
    shipped_in: Vec<ShippedOut>,
}

impl From<IdeaDetail> for IdeaDetailOut {
    fn from(d: IdeaDetail) -> Self {
        IdeaDetailOut {
            idea: idea_out(d.idea, d.voted),
            subscribed: d.subscribed,
            comments_list: d.comments.into_iter().map(Into::into).collect(),
            shipped_in: d
                .shipped_in
                .into_iter()
                .map(|e| ShippedOut {
                    entry_id: e.entry.id,
                    published_on: e.entry.published_on.to_string(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IdeaListParams {
    /// Only ideas in this status.
    status: Option<String>,
    /// `top` (most voted, the default) or `new`.
    sort: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Ideas (duplicates merged away are left out).
#[utoipa::path(get, path = "/ideas", tag = "community", params(IdeaListParams),
    responses((status = 200, body = Vec<IdeaOut>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_ideas(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<IdeaListParams>,
) -> Result<Json<Vec<IdeaOut>>, ApiError> {
    let status = params.status.as_deref().map(str::parse::<IdeaStatus>).transpose()?;
    let order = match params.sort.as_deref() {
        None | Some("top") => Order::MostVoted,
        Some("new") => Order::Newest,
        Some(_) => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "sort",
                allowed: "top, new",
            }
            .into());
        }
    };
    let list = ideas::list(
        &state.app,
        ctx.actor.as_deref(),
        status,
        order,
        params.limit.unwrap_or(100),
        params.offset.unwrap_or(0),
    )
    .await?;
    let voted = list.voted;
    Ok(Json(
        list.ideas
            .into_iter()
            .map(|i| {
                let v = voted.contains(&i.id);
                idea_out(i, v)
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdeaIn {
    title: String,
    /// Markdown.
    body: String,
}

/// Suggest an idea (registered users); the author votes for it and follows it.
#[utoipa::path(post, path = "/ideas", tag = "community", request_body = IdeaIn, security(("bearer" = [])),
    responses((status = 201, body = IdeaOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_idea(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IdeaIn>,
) -> Result<(StatusCode, Json<IdeaOut>), ApiError> {
    let idea = ideas::submit(&state.app, &caller, &body.title, &body.body).await?;
    Ok((StatusCode::CREATED, Json(idea_out(idea, true))))
}

/// One idea with its comments and the changelog entries that shipped it.
#[utoipa::path(get, path = "/ideas/{id}", tag = "community", params(("id" = i64, Path)),
    responses((status = 200, body = IdeaDetailOut), (status = 404, body = ErrorBody)))]
async fn get_idea(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IdeaDetailOut>, ApiError> {
    Ok(Json(ideas::get(&state.app, ctx.actor.as_deref(), id).await?.into()))
}

/// Rewrite an idea (its author, or staff).
#[utoipa::path(put, path = "/ideas/{id}", tag = "community", params(("id" = i64, Path)), request_body = IdeaIn,
    security(("bearer" = [])),
    responses((status = 200, body = IdeaOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_idea(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IdeaIn>,
) -> Result<Json<IdeaOut>, ApiError> {
    let idea = ideas::edit(&state.app, &caller, id, &body.title, &body.body).await?;
    Ok(Json(idea_out(idea, false)))
}

/// How many votes an idea, post or event question has now.
#[derive(Debug, Serialize, ToSchema)]
pub struct VotesOut {
    pub votes: i64,
}

/// Vote for an idea: once per person, however often this is called. Voting follows the idea.
#[utoipa::path(put, path = "/ideas/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = ideas::vote(&state.app, &caller, id, true).await?;
    Ok(Json(VotesOut { votes }))
}

/// Withdraw a vote.
#[utoipa::path(delete, path = "/ideas/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 404, body = ErrorBody)))]
async fn withdraw_vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = ideas::vote(&state.app, &caller, id, false).await?;
    Ok(Json(VotesOut { votes }))
}

/// Follow an idea: be told by e-mail when its status changes or it ships.
#[utoipa::path(put, path = "/ideas/{id}/subscription", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn follow(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    ideas::set_subscribed(&state.app, &caller, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following an idea (a vote is withdrawn too, since voters are told).
#[utoipa::path(delete, path = "/ideas/{id}/subscription", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn unfollow(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    ideas::set_subscribed(&state.app, &caller, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOut {
    id: i64,
}

/// Comment on an idea (registered users).
#[utoipa::path(post, path = "/ideas/{id}/comments", tag = "community", params(("id" = i64, Path)), request_body = CommentIn,
    security(("bearer" = [])),
    responses((status = 201, body = CreatedOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_comment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CommentIn>,
) -> Result<(StatusCode, Json<CreatedOut>), ApiError> {
    let id = ideas::comment(&state.app, &caller, id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(CreatedOut { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    #[schema(schema_with = schemas::idea_status)]
    status: IdeaStatus,
    /// A word to the followers, sent with the news.
    #[serde(default)]
    note: String,
}

/// Decide on an idea (staff); voters and followers are told by e-mail.
#[utoipa::path(put, path = "/ideas/{id}/status", tag = "community", params(("id" = i64, Path)), request_body = StatusIn,
    security(("bearer" = [])),
    responses((status = 200, body = IdeaOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusIn>,
) -> Result<Json<IdeaOut>, ApiError> {
    let idea = ideas::set_status(&state.app, &caller, id, body.status, &body.note).await?;
    Ok(Json(idea_out(idea, false)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The idea that survives.
    into: i64,
}

/// Merge a duplicate into another idea (staff): each person's vote counts once on the survivor.
#[utoipa::path(post, path = "/ideas/{id}/merge", tag = "community", params(("id" = i64, Path)), request_body = MergeIn,
    security(("bearer" = [])),
    responses((status = 200, body = IdeaOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MergeIn>,
) -> Result<Json<IdeaOut>, ApiError> {
    let idea = ideas::merge(&state.app, &caller, id, body.into).await?;
    Ok(Json(idea_out(idea, false)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HiddenIn {
    hidden: bool,
}

/// Hide or show a comment (staff); logged in the moderation trail.
#[utoipa::path(put, path = "/idea-comments/{id}/hidden", tag = "community", params(("id" = i64, Path)), request_body = HiddenIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn hide_comment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HiddenIn>,
) -> Result<StatusCode, ApiError> {
    ideas::set_comment_hidden(&state.app, &caller, id, body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}
