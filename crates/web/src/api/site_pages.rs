//! Cases and policies over HTTP: everyone reads the published pages; staff write them.

use atende_app::{
    Actor,
    community::pages::{self, PageInput, SitePage},
    kb::render,
};
use atende_domain::Lang;
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pages, create_page))
        .routes(routes!(get_page, update_page))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PageTextIo {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    title: String,
    #[serde(default)]
    summary: String,
    /// Markdown.
    body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageOut {
    id: i64,
    /// `case` or `policy`.
    kind: String,
    slug: String,
    position: i64,
    published: bool,
    /// In the caller's language (another one when it has none).
    title: String,
    summary: String,
    /// The body rendered and sanitized.
    body_html: String,
    /// Every translation, as written.
    texts: Vec<PageTextIo>,
    /// Where a person reads it.
    url: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

pub(crate) fn path_of(kind: &str) -> &'static str {
    if kind == "case" { "/cases" } else { "/policies" }
}

fn page_out(p: SitePage, lang: Lang) -> PageOut {
    let shown = pages::text(&p, lang).cloned();
    PageOut {
        url: format!("{}/{}", path_of(&p.kind), p.slug),
        id: p.id,
        title: shown.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
        summary: shown.as_ref().map(|t| t.summary.clone()).unwrap_or_default(),
        body_html: shown.as_ref().map(|t| render(&t.body)).unwrap_or_default(),
        texts: p
            .texts
            .into_iter()
            .filter_map(|t| {
                Some(PageTextIo {
                    lang: t.lang.parse().ok()?,
                    title: t.title,
                    summary: t.summary,
                    body: t.body,
                })
            })
            .collect(),
        kind: p.kind,
        slug: p.slug,
        position: p.position,
        published: p.published,
        updated_at: rfc3339(p.updated_at),
    }
}

/// Pages of a kind (`case` or `policy`); drafts for staff only.
#[utoipa::path(get, path = "/pages/{kind}", tag = "community", params(("kind" = String, Path)),
    responses((status = 200, body = Vec<PageOut>), (status = 422, body = ErrorBody)))]
async fn list_pages(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(kind): ApiPath<String>,
) -> Result<Json<Vec<PageOut>>, ApiError> {
    let all = pages::list(&state.app, ctx.actor.as_deref(), &kind).await?;
    Ok(Json(all.into_iter().map(|p| page_out(p, ctx.lang)).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageIn {
    #[serde(default)]
    position: i64,
    #[serde(default)]
    published: bool,
    /// The address; made from the first title when absent.
    slug: Option<String>,
    texts: Vec<PageTextIo>,
}

fn input(body: PageIn) -> PageInput {
    PageInput {
        position: body.position,
        published: body.published,
        slug: body.slug,
        texts: body
            .texts
            .into_iter()
            .map(|t| (t.lang, t.title, t.summary, t.body))
            .collect(),
    }
}

/// Write a page (staff).
#[utoipa::path(post, path = "/pages/{kind}", tag = "community", params(("kind" = String, Path)), request_body = PageIn,
    security(("bearer" = [])),
    responses((status = 201, body = PageOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_page(
    State(state): State<AppState>,
    caller: Caller,
    ctx: RequestContext,
    ApiPath(kind): ApiPath<String>,
    ApiJson(body): ApiJson<PageIn>,
) -> Result<(StatusCode, Json<PageOut>), ApiError> {
    let page = pages::save(&state.app, &caller, &kind, None, input(body)).await?;
    Ok((StatusCode::CREATED, Json(page_out(page, ctx.lang))))
}

/// One page.
#[utoipa::path(get, path = "/pages/{kind}/{slug}", tag = "community", params(("kind" = String, Path), ("slug" = String, Path)),
    responses((status = 200, body = PageOut), (status = 404, body = ErrorBody)))]
async fn get_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath((kind, slug)): ApiPath<(String, String)>,
) -> Result<Json<PageOut>, ApiError> {
    let page = pages::get(&state.app, ctx.actor.as_deref(), &kind, &slug).await?;
    Ok(Json(page_out(page, ctx.lang)))
}

/// Rewrite a page (staff); the body may give it a new address.
#[utoipa::path(put, path = "/pages/{kind}/{slug}", tag = "community", params(("kind" = String, Path), ("slug" = String, Path)),
    request_body = PageIn, security(("bearer" = [])),
    responses((status = 200, body = PageOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_page(
    State(state): State<AppState>,
    caller: Caller,
    ctx: RequestContext,
    ApiPath((kind, slug)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<PageIn>,
) -> Result<Json<PageOut>, ApiError> {
    let actor: &Actor = &caller;
    actor.require_staff()?;
    let existing = pages::get(&state.app, Some(actor), &kind, &slug).await?;
    let page = pages::save(&state.app, actor, &kind, Some(existing.id), input(body)).await?;
    Ok(Json(page_out(page, ctx.lang)))
}
