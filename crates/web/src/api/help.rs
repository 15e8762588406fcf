//! The help center and search over the API: articles in three languages (reading is open to
//! everyone; internal articles to staff), authoring by staff, and one search endpoint.

use atende_app::{
    TicketFilters,
    kb::{self, ArticleInput},
    search,
};
use atende_domain::{Lang, kb::Article, search::Piece};
use axum::{Json, extract::State, http::StatusCode};
use jiff::Timestamp;
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
        .routes(routes!(list_articles, create_article))
        .routes(routes!(get_article, update_article))
        .routes(routes!(vote))
        .routes(routes!(article_from_ticket))
        .routes(routes!(search_endpoint))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TranslationIo {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    title: String,
    /// Markdown.
    body: String,
    /// The short answer the smart contact gives when the article is an FAQ.
    #[serde(default)]
    faq_answer: String,
    /// The body as safe HTML (read only).
    #[serde(default, skip_deserializing)]
    html: String,
    #[serde(default, skip_deserializing)]
    slug: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOut {
    id: i64,
    section_id: i64,
    position: i64,
    internal: bool,
    published: bool,
    faq: bool,
    tags: Vec<String>,
    views: i64,
    helpful_yes: i64,
    helpful_no: i64,
    related: Vec<i64>,
    translations: Vec<TranslationIo>,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<Article> for ArticleOut {
    fn from(a: Article) -> Self {
        ArticleOut {
            id: a.id,
            section_id: a.section_id,
            position: a.position,
            internal: a.internal,
            published: a.published,
            faq: a.faq,
            tags: a.tags,
            views: a.views,
            helpful_yes: a.helpful_yes,
            helpful_no: a.helpful_no,
            related: a.related,
            updated_at: rfc3339(a.updated_at),
            translations: a
                .translations
                .into_iter()
                .map(|t| TranslationIo {
                    html: kb::render(&t.body),
                    lang: t.lang,
                    title: t.title,
                    body: t.body,
                    faq_answer: t.faq_answer,
                    slug: t.slug,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ArticleListParams {
    section_id: Option<i64>,
    /// Most viewed first instead of the section's order.
    popular: Option<bool>,
    limit: Option<i64>,
}

/// Articles the caller may read (visitors and customers: published and public).
#[utoipa::path(get, path = "/articles", tag = "help", params(ArticleListParams),
    responses((status = 200, body = Vec<ArticleOut>), (status = 400, body = ErrorBody)))]
async fn list_articles(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<ArticleListParams>,
) -> Result<Json<Vec<ArticleOut>>, ApiError> {
    let articles = kb::articles(
        &state.app,
        ctx.actor.as_deref(),
        params.section_id,
        params.popular.unwrap_or(false),
        params.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(articles.into_iter().map(Into::into).collect()))
}

/// One article with all its translations (internal or unpublished ones: staff only).
#[utoipa::path(get, path = "/articles/{id}", tag = "help", params(("id" = i64, Path)),
    responses((status = 200, body = ArticleOut), (status = 404, body = ErrorBody)))]
async fn get_article(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ArticleOut>, ApiError> {
    Ok(Json(kb::article(&state.app, ctx.actor.as_deref(), id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleIn {
    section_id: i64,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    internal: bool,
    #[serde(default)]
    published: bool,
    #[serde(default)]
    faq: bool,
    #[serde(default)]
    tags: Vec<String>,
    translations: Vec<TranslationIo>,
    #[serde(default)]
    related: Vec<i64>,
}

impl From<ArticleIn> for ArticleInput {
    fn from(a: ArticleIn) -> Self {
        ArticleInput {
            section_id: a.section_id,
            position: a.position,
            internal: a.internal,
            published: a.published,
            faq: a.faq,
            tags: a.tags,
            translations: a
                .translations
                .into_iter()
                .map(|t| (t.lang, t.title, t.body, t.faq_answer))
                .collect(),
            related: a.related,
        }
    }
}

/// Write a new article (staff).
#[utoipa::path(post, path = "/articles", tag = "help", request_body = ArticleIn, security(("bearer" = [])),
    responses((status = 201, body = ArticleOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_article(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ArticleIn>,
) -> Result<(StatusCode, Json<ArticleOut>), ApiError> {
    let article = kb::save_article(&state.app, &caller, 0, body.into()).await?;
    Ok((StatusCode::CREATED, Json(article.into())))
}

/// Replace an article: its fields, all its translations and related articles (staff).
#[utoipa::path(put, path = "/articles/{id}", tag = "help", params(("id" = i64, Path)), request_body = ArticleIn, security(("bearer" = [])),
    responses((status = 200, body = ArticleOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_article(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ArticleIn>,
) -> Result<Json<ArticleOut>, ApiError> {
    Ok(Json(
        kb::save_article(&state.app, &caller, id, body.into()).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteIn {
    helpful: bool,
}

/// "Was this helpful?" One vote per user, which they may change.
#[utoipa::path(post, path = "/articles/{id}/votes", tag = "help", params(("id" = i64, Path)), request_body = VoteIn, security(("bearer" = [])),
    responses((status = 200, body = ArticleOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VoteIn>,
) -> Result<Json<ArticleOut>, ApiError> {
    Ok(Json(
        kb::vote(&state.app, Some(&caller), id, "", body.helpful).await?.into(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    q: String,
    /// `articles` (default), `tickets` (signed-in users: only what they may see) or `forum`
    /// (published topics and replies).
    scope: Option<String>,
    /// The language of the query and, for articles, of the results; defaults to the caller's.
    lang: Option<String>,
    /// Ticket filters.
    status: Option<String>,
    #[serde(rename = "type")]
    ticket_type: Option<String>,
    contract_id: Option<i64>,
    /// Tickets created from this instant (RFC 3339)...
    from: Option<String>,
    /// ...and before this one.
    to: Option<String>,
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    /// `article`, `ticket` or `topic`.
    kind: &'static str,
    id: i64,
    title: String,
    /// The matching passage as safe HTML, the matched words in `<mark>`.
    snippet_html: String,
    /// Where a person reads it.
    url: String,
    /// For tickets: the message that matched, if it was not the ticket's own text; for topics:
    /// the post that matched.
    message_id: Option<i64>,
}

fn snippet_html(pieces: &[Piece]) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => escape(t),
            Piece::Hit(t) => format!("<mark>{}</mark>", escape(t)),
        })
        .collect()
}

fn instant(field: &'static str, raw: &Option<String>) -> Result<Option<Timestamp>, atende_domain::ParseError> {
    raw.as_deref()
        .map(|r| {
            r.parse::<Timestamp>().map_err(|_| atende_domain::ParseError::Invalid {
                field,
                reason: "instant",
            })
        })
        .transpose()
}

/// Search the help center (`scope=articles`), tickets and their messages (`scope=tickets`) or the
/// forum (`scope=forum`).
#[utoipa::path(get, path = "/search", tag = "help", params(SearchParams),
    responses((status = 200, body = Vec<SearchResult>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_endpoint(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<Vec<SearchResult>>, ApiError> {
    let lang = match params.lang.as_deref() {
        Some(code) => code.parse::<Lang>().map_err(ApiError::from)?,
        None => ctx.lang,
    };
    let limit = params.limit.unwrap_or(20);
    match params.scope.as_deref().unwrap_or("articles") {
        "articles" => {
            let hits = search::articles(&state.app, ctx.actor.as_deref(), &params.q, lang, false, limit).await?;
            Ok(Json(
                hits.into_iter()
                    .map(|h| {
                        let t = h.article.translation(h.lang);
                        SearchResult {
                            kind: "article",
                            id: h.article.id,
                            title: t.map(|t| t.title.clone()).unwrap_or_default(),
                            url: format!(
                                "/help/{}/articles/{}-{}",
                                h.lang.code(),
                                h.article.id,
                                t.map(|t| t.slug.as_str()).unwrap_or("")
                            ),
                            snippet_html: snippet_html(&h.snippet),
                            message_id: None,
                        }
                    })
                    .collect(),
            ))
        }
        "tickets" => {
            let actor = ctx
                .actor
                .as_deref()
                .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "auth.required", "auth-required"))?;
            let filters = TicketFilters {
                status: params.status.clone(),
                ticket_type: params.ticket_type.clone(),
                contract_id: params.contract_id,
                created_from: instant("from", &params.from)?,
                created_to: instant("to", &params.to)?,
            };
            let hits = search::tickets(&state.app, actor, &params.q, lang, &filters, limit).await?;
            let base = if actor.is_staff() {
                "/agent/tickets"
            } else {
                "/portal/tickets"
            };
            Ok(Json(
                hits.into_iter()
                    .map(|h| SearchResult {
                        kind: "ticket",
                        id: h.ticket.id,
                        title: h.ticket.subject.clone(),
                        url: format!("{base}/{}", h.ticket.id),
                        snippet_html: snippet_html(&h.snippet),
                        message_id: h.message_id,
                    })
                    .collect(),
            ))
        }
        "forum" => {
            let hits = search::forum(&state.app, &params.q, lang, limit).await?;
            Ok(Json(
                hits.into_iter()
                    .map(|h| SearchResult {
                        kind: "topic",
                        id: h.topic.id,
                        title: h.topic.title.clone(),
                        url: format!("/forum/t/{}#post-{}", h.topic.id, h.post_id),
                        snippet_html: snippet_html(&h.snippet),
                        message_id: Some(h.post_id),
                    })
                    .collect(),
            ))
        }
        _ => Err(atende_domain::ParseError::NotOneOf {
            field: "scope",
            allowed: "articles, tickets, forum",
        }
        .into()),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromTicketIn {
    /// The section to put the draft in; the first section when absent.
    section_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftOut {
    id: i64,
    /// Where staff finish and publish it.
    edit_url: String,
}

/// Draft a help article from a solved ticket (staff): the subject, the question and the public
/// answers, in the requester's language; unpublished until staff publish it.
#[utoipa::path(post, path = "/tickets/{id}/article", tag = "help", params(("id" = i64, Path)), request_body = FromTicketIn,
    security(("bearer" = [])),
    responses((status = 201, body = DraftOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn article_from_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FromTicketIn>,
) -> Result<(StatusCode, Json<DraftOut>), ApiError> {
    let article = kb::draft_from_ticket(&state.app, &caller, id, body.section_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(DraftOut {
            id: article.id,
            edit_url: format!("/agent/articles/{}", article.id),
        }),
    ))
}
