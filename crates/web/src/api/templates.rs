//! The templates gallery over HTTP: everyone lists and downloads published templates; registered
//! users submit one as a multipart form; staff review what waits.

use atende_app::community::templates::{self, BotTemplate, Submission};
use atende_domain::community::TemplateState;
use axum::{
    Json,
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{feedback::download_response, rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    pages::form::read_fields,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, submit))
        .routes(routes!(get_template))
        .routes(routes!(download))
        .routes(routes!(review))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateOut {
    id: i64,
    name: String,
    /// Markdown.
    description: String,
    category: String,
    author: Option<String>,
    file_name: String,
    content_type: String,
    size: i64,
    /// `review` until staff decide; then `published` or `rejected`.
    #[schema(schema_with = schemas::template_state)]
    state: TemplateState,
    /// The reviewer's word (its author and staff only).
    review_note: Option<String>,
    downloads: i64,
    /// Where the file is downloaded.
    file_url: String,
    #[schema(format = DateTime)]
    created_at: String,
}

fn template_out(t: BotTemplate, caller: Option<&atende_app::Actor>) -> TemplateOut {
    let own = caller.is_some_and(|c| c.is_staff() || t.author_id == Some(c.id()));
    TemplateOut {
        file_url: format!("/api/v1/templates/{}/file", t.id),
        id: t.id,
        name: t.name,
        description: t.description,
        category: t.category,
        author: t.author_name,
        file_name: t.file_name,
        content_type: t.content_type,
        size: t.size,
        state: t.state,
        review_note: own.then_some(t.review_note),
        downloads: t.downloads,
        created_at: rfc3339(t.created_at),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TemplateListParams {
    category: Option<String>,
    /// `review`, `published` or `rejected` (each caller sees only what they may).
    state: Option<String>,
    /// `popular` (most downloaded) or `new` (the default).
    sort: Option<String>,
    limit: Option<i64>,
}

/// Templates: published ones for everyone, one's own submissions, and everything for staff.
#[utoipa::path(get, path = "/templates", tag = "community", params(TemplateListParams),
    responses((status = 200, body = Vec<TemplateOut>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_templates(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<TemplateListParams>,
) -> Result<Json<Vec<TemplateOut>>, ApiError> {
    let query = atende_app::community::templates::TemplateQuery {
        category: params.category,
        state: params.state.as_deref().map(str::parse::<TemplateState>).transpose()?,
        popular: match params.sort.as_deref() {
            None | Some("new") => false,
            Some("popular") => true,
            Some(_) => {
                return Err(atende_domain::ParseError::NotOneOf {
                    field: "sort",
                    allowed: "new, popular",
                }
                .into());
            }
        },
        limit: params.limit.unwrap_or(100),
    };
    let actor = ctx.actor.as_deref();
    let gallery = templates::list(&state.app, actor, &query).await?;
    Ok(Json(
        gallery.templates.into_iter().map(|t| template_out(t, actor)).collect(),
    ))
}

/// The form that submits a template.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct TemplateForm {
    name: String,
    /// Markdown.
    description: String,
    category: String,
    /// The template's file (JSON, ZIP...), at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Share a template (registered users): it waits for review, unless staff submit it.
#[utoipa::path(post, path = "/templates", tag = "community",
    request_body(content_type = "multipart/form-data", content = TemplateForm), security(("bearer" = [])),
    responses((status = 201, body = TemplateOut), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<(StatusCode, Json<TemplateOut>), ApiError> {
    let mut fields = read_fields(req, &state).await.map_err(|e| e.into_api())?;
    let submission = Submission {
        name: fields.text("name").to_owned(),
        description: fields.text("description").to_owned(),
        category: fields.text("category").to_owned(),
        file: fields.files.pop(),
    };
    let template = templates::submit(&state.app, &caller, submission).await?;
    Ok((StatusCode::CREATED, Json(template_out(template, Some(&caller)))))
}

/// One template.
#[utoipa::path(get, path = "/templates/{id}", tag = "community", params(("id" = i64, Path)),
    responses((status = 200, body = TemplateOut), (status = 404, body = ErrorBody)))]
async fn get_template(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TemplateOut>, ApiError> {
    let actor = ctx.actor.as_deref();
    Ok(Json(template_out(templates::get(&state.app, actor, id).await?, actor)))
}

/// Download a template's file (counted when it is published).
#[utoipa::path(get, path = "/templates/{id}/file", tag = "community", params(("id" = i64, Path)),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (template, data) = templates::download(&state.app, ctx.actor.as_deref(), id).await?;
    Ok(download_response(&template.file_name, &template.content_type, data))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewIn {
    #[schema(schema_with = schemas::template_state)]
    state: TemplateState,
    /// A word to the author, sent by mail with the decision.
    #[serde(default)]
    note: String,
}

/// Publish or reject a template (staff); the author is told by mail.
#[utoipa::path(put, path = "/templates/{id}/review", tag = "community", params(("id" = i64, Path)), request_body = ReviewIn,
    security(("bearer" = [])),
    responses((status = 200, body = TemplateOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn review(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewIn>,
) -> Result<Json<TemplateOut>, ApiError> {
    let template = templates::review(&state.app, &caller, id, body.state, &body.note).await?;
    Ok(Json(template_out(template, Some(&caller))))
}
