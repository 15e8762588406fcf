//! The forum over HTTP: everyone reads what is published; registered users ask, answer, vote and
//! follow; the asker or staff accept an answer; staff moderate (see `forum_moderation`).

use atende_app::{
    Actor,
    community::forum::{self, Category, Post, Topic, TopicDetail, TopicOrder, TopicQuery},
    kb::render,
};
use atende_domain::{Lang, community::PostState};
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ideas::VotesOut, rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category))
        .routes(routes!(list_topics, create_topic))
        .routes(routes!(get_topic, edit_topic))
        .routes(routes!(reply))
        .routes(routes!(accept))
        .routes(routes!(follow, unfollow))
        .routes(routes!(edit_post))
        .routes(routes!(vote, withdraw_vote))
        .merge(super::forum_moderation::routes())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryOut {
    id: i64,
    position: i64,
    /// In the caller's language (another one when it has none).
    name: String,
    description: String,
    /// Published topics.
    topics: i64,
}

pub(crate) use atende_app::community::localized;

pub(crate) fn category_out(c: Category, lang: Lang) -> CategoryOut {
    CategoryOut {
        id: c.id,
        position: c.position,
        name: localized(&c.names, lang, "name"),
        description: localized(&c.names, lang, "description"),
        topics: c.topics,
    }
}

/// The forum's categories.
#[utoipa::path(get, path = "/forum/categories", tag = "community", responses((status = 200, body = Vec<CategoryOut>)))]
async fn list_categories(
    State(state): State<AppState>,
    ctx: RequestContext,
) -> Result<Json<Vec<CategoryOut>>, ApiError> {
    let all = forum::categories(&state.app).await?;
    Ok(Json(all.into_iter().map(|c| category_out(c, ctx.lang)).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryText {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryIn {
    #[serde(default)]
    position: i64,
    /// One per language.
    names: Vec<CategoryText>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdOut {
    id: i64,
}

fn names(body: CategoryIn) -> (i64, Vec<(Lang, String, String)>) {
    (
        body.position,
        body.names
            .into_iter()
            .map(|n| (n.lang, n.name, n.description))
            .collect(),
    )
}

/// Add a category (staff).
#[utoipa::path(post, path = "/forum/categories", tag = "community", request_body = CategoryIn, security(("bearer" = [])),
    responses((status = 201, body = IdOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_category(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CategoryIn>,
) -> Result<(StatusCode, Json<IdOut>), ApiError> {
    let (position, names) = names(body);
    let id = forum::save_category(&state.app, &caller, None, position, &names).await?;
    Ok((StatusCode::CREATED, Json(IdOut { id })))
}

/// Rename or reorder a category (staff).
#[utoipa::path(put, path = "/forum/categories/{id}", tag = "community", params(("id" = i64, Path)), request_body = CategoryIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_category(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CategoryIn>,
) -> Result<StatusCode, ApiError> {
    let (position, names) = names(body);
    forum::save_category(&state.app, &caller, Some(id), position, &names).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicOut {
    id: i64,
    category_id: i64,
    title: String,
    /// The language it was asked in.
    lang: String,
    /// `held` while it waits for a moderator (only its author and staff see it then).
    #[schema(schema_with = schemas::post_state)]
    state: PostState,
    locked: bool,
    merged_into: Option<i64>,
    accepted_post_id: Option<i64>,
    /// The ticket it was followed up in (staff only).
    ticket_id: Option<i64>,
    author: Option<String>,
    votes: i64,
    replies: i64,
    #[schema(format = DateTime)]
    last_post_at: String,
    #[schema(format = DateTime)]
    created_at: String,
}

pub(crate) fn topic_out(t: Topic, actor: Option<&Actor>) -> TopicOut {
    TopicOut {
        id: t.id,
        category_id: t.category_id,
        title: t.title,
        lang: t.lang,
        state: t.state,
        locked: t.locked,
        merged_into: t.merged_into,
        accepted_post_id: t.accepted_post_id,
        ticket_id: t.ticket_id.filter(|_| actor.is_some_and(Actor::is_staff)),
        author: t.author_name,
        votes: t.votes,
        replies: t.replies,
        last_post_at: rfc3339(t.last_post_at),
        created_at: rfc3339(t.created_at),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostOut {
    id: i64,
    topic_id: i64,
    author: Option<String>,
    /// Markdown as written.
    body: String,
    /// The Markdown rendered and sanitized.
    body_html: String,
    #[schema(schema_with = schemas::post_state)]
    state: PostState,
    votes: i64,
    /// Whether the caller voted for it.
    voted: bool,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    edited_at: Option<String>,
}

pub(crate) fn post_out(p: Post, voted: bool) -> PostOut {
    PostOut {
        id: p.id,
        topic_id: p.topic_id,
        author: p.author_name,
        body_html: render(&p.body),
        body: p.body,
        state: p.state,
        votes: p.votes,
        voted,
        created_at: rfc3339(p.created_at),
        edited_at: p.edited_at.map(rfc3339),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TopicListParams {
    category_id: Option<i64>,
    /// Only topics without an accepted answer.
    unsolved: Option<bool>,
    /// `active` (latest reply first, the default), `new` or `top` (most voted question).
    sort: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Topics (a customer also sees their own that wait for review; staff see all).
#[utoipa::path(get, path = "/forum/topics", tag = "community", params(TopicListParams),
    responses((status = 200, body = Vec<TopicOut>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_topics(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<TopicListParams>,
) -> Result<Json<Vec<TopicOut>>, ApiError> {
    let order = match params.sort.as_deref() {
        None | Some("active") => TopicOrder::Active,
        Some("new") => TopicOrder::Newest,
        Some("top") => TopicOrder::MostVoted,
        Some(_) => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "sort",
                allowed: "active, new, top",
            }
            .into());
        }
    };
    let query = TopicQuery {
        category_id: params.category_id,
        unsolved: params.unsolved.unwrap_or(false),
        order,
        limit: params.limit.unwrap_or(50),
        offset: params.offset.unwrap_or(0),
    };
    let actor = ctx.actor.as_deref();
    let topics = forum::topics(&state.app, actor, &query).await?;
    Ok(Json(topics.into_iter().map(|t| topic_out(t, actor)).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicIn {
    category_id: i64,
    /// One line, at most 200 characters.
    title: String,
    /// The question, in Markdown.
    body: String,
}

/// Ask a question (registered users of any plan). A newcomer's first post waits for review.
#[utoipa::path(post, path = "/forum/topics", tag = "community", request_body = TopicIn, security(("bearer" = [])),
    responses((status = 201, body = TopicOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn create_topic(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<TopicIn>,
) -> Result<(StatusCode, Json<TopicOut>), ApiError> {
    let topic = forum::create_topic(&state.app, &caller, body.category_id, &body.title, &body.body).await?;
    Ok((StatusCode::CREATED, Json(topic_out(topic, Some(&caller)))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicDetailOut {
    #[serde(flatten)]
    topic: TopicOut,
    /// The question first, then the replies.
    posts: Vec<PostOut>,
    /// Whether the caller follows it.
    subscribed: bool,
}

impl TopicDetailOut {
    fn new(d: TopicDetail, actor: Option<&Actor>) -> Self {
        let voted = d.voted;
        TopicDetailOut {
            topic: topic_out(d.topic, actor),
            posts: d
                .posts
                .into_iter()
                .map(|p| {
                    let v = voted.contains(&p.id);
                    post_out(p, v)
                })
                .collect(),
            subscribed: d.subscribed,
        }
    }
}

/// A topic with its posts.
#[utoipa::path(get, path = "/forum/topics/{id}", tag = "community", params(("id" = i64, Path)),
    responses((status = 200, body = TopicDetailOut), (status = 404, body = ErrorBody)))]
async fn get_topic(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TopicDetailOut>, ApiError> {
    let actor = ctx.actor.as_deref();
    let detail = forum::topic(&state.app, actor, id).await?;
    Ok(Json(TopicDetailOut::new(detail, actor)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicEditIn {
    /// The asker or staff.
    title: Option<String>,
    /// Staff: move the topic.
    category_id: Option<i64>,
    /// Staff: lock it (no more replies) or open it again.
    locked: Option<bool>,
}

/// Retitle (the asker or staff), move or lock a topic (staff); staff actions are logged.
#[utoipa::path(patch, path = "/forum/topics/{id}", tag = "community", params(("id" = i64, Path)), request_body = TopicEditIn,
    security(("bearer" = [])),
    responses((status = 200, body = TopicOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_topic(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TopicEditIn>,
) -> Result<Json<TopicOut>, ApiError> {
    let edit = atende_app::community::moderation::TopicEdit {
        title: body.title,
        category_id: body.category_id,
        locked: body.locked,
    };
    let topic = atende_app::community::moderation::edit_topic(&state.app, &caller, id, edit).await?;
    Ok(Json(topic_out(topic, Some(&caller))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostIn {
    /// Markdown.
    body: String,
}

/// Reply in a topic; its followers are told by mail once the reply is published.
#[utoipa::path(post, path = "/forum/topics/{id}/posts", tag = "community", params(("id" = i64, Path)), request_body = PostIn,
    security(("bearer" = [])),
    responses((status = 201, body = PostOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn reply(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PostIn>,
) -> Result<(StatusCode, Json<PostOut>), ApiError> {
    let post = forum::reply(&state.app, &caller, id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(post_out(post, false))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// The reply that answered the question; null takes the mark back.
    post_id: Option<i64>,
}

/// Mark the accepted answer (the asker or staff).
#[utoipa::path(put, path = "/forum/topics/{id}/accepted", tag = "community", params(("id" = i64, Path)), request_body = AcceptIn,
    security(("bearer" = [])),
    responses((status = 200, body = TopicOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<Json<TopicOut>, ApiError> {
    let topic = forum::accept(&state.app, &caller, id, body.post_id).await?;
    Ok(Json(topic_out(topic, Some(&caller))))
}

/// Follow a topic: be told by mail of each new reply.
#[utoipa::path(put, path = "/forum/topics/{id}/subscription", tag = "community", params(("id" = i64, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn follow(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    forum::set_subscribed(&state.app, &caller, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following a topic.
#[utoipa::path(delete, path = "/forum/topics/{id}/subscription", tag = "community", params(("id" = i64, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn unfollow(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    forum::set_subscribed(&state.app, &caller, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rewrite a post (its author or staff).
#[utoipa::path(put, path = "/forum/posts/{id}", tag = "community", params(("id" = i64, Path)), request_body = PostIn,
    security(("bearer" = [])),
    responses((status = 200, body = PostOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_post(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PostIn>,
) -> Result<Json<PostOut>, ApiError> {
    let post = forum::edit_post(&state.app, &caller, id, &body.body).await?;
    Ok(Json(post_out(post, false)))
}

/// Vote for a post: once per person, however often this is called; not for one's own.
#[utoipa::path(put, path = "/forum/posts/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = forum::vote(&state.app, &caller, id, true).await?;
    Ok(Json(VotesOut { votes }))
}

/// Withdraw a vote.
#[utoipa::path(delete, path = "/forum/posts/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 404, body = ErrorBody)))]
async fn withdraw_vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = forum::vote(&state.app, &caller, id, false).await?;
    Ok(Json(VotesOut { votes }))
}
