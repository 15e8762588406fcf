//! The changelog over HTTP: everyone reads the published entries; staff write them.

use atende_app::changelog::{self, EntryInput, EntryView};
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
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, update_entry))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationBody {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    title: String,
    /// Markdown.
    body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    id: i64,
    /// The day the change shipped.
    #[schema(format = Date)]
    published_on: String,
    /// `new`, `improved`, `fixed`.
    tags: Vec<String>,
    published: bool,
    #[schema(format = DateTime)]
    updated_at: String,
    translations: Vec<TranslationBody>,
    /// The ideas this entry shipped.
    ideas: Vec<i64>,
}

impl From<EntryView> for EntryOut {
    fn from(v: EntryView) -> Self {
        EntryOut {
            id: v.entry.id,
            published_on: v.entry.published_on.to_string(),
            tags: v.entry.tags,
            published: v.entry.published,
            updated_at: rfc3339(v.entry.updated_at),
            ideas: v.ideas,
            translations: v
                .translations
                .into_iter()
                .filter_map(|t| {
                    Some(TranslationBody {
                        lang: t.lang.parse().ok()?,
                        title: t.title,
                        body: t.body,
                    })
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    #[schema(format = Date)]
    published_on: String,
    #[serde(default)]
    tags: Vec<String>,
    /// Drafts are seen by staff only.
    #[serde(default)]
    published: bool,
    translations: Vec<TranslationBody>,
    /// Ideas it ships: once published, they become completed and their followers are told.
    #[serde(default)]
    ideas: Vec<i64>,
}

impl TryFrom<EntryIn> for EntryInput {
    type Error = ApiError;

    fn try_from(e: EntryIn) -> Result<Self, ApiError> {
        let published_on = e.published_on.parse().map_err(|_| {
            ApiError::from(atende_domain::ParseError::Invalid {
                field: "published_on",
                reason: "instant",
            })
        })?;
        Ok(EntryInput {
            published_on,
            tags: e.tags,
            published: e.published,
            translations: e.translations.into_iter().map(|t| (t.lang, t.title, t.body)).collect(),
            ideas: e.ideas,
        })
    }
}

/// The changelog, newest first (published entries; staff see drafts too).
#[utoipa::path(get, path = "/changelog", tag = "changelog", responses((status = 200, body = Vec<EntryOut>)))]
async fn list_entries(State(state): State<AppState>, ctx: RequestContext) -> Result<Json<Vec<EntryOut>>, ApiError> {
    let all = changelog::list(&state.app, ctx.actor.as_deref(), 200).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Write an entry (staff).
#[utoipa::path(post, path = "/changelog", tag = "changelog", request_body = EntryIn, security(("bearer" = [])),
    responses((status = 201, body = EntryOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<EntryIn>,
) -> Result<(StatusCode, Json<EntryOut>), ApiError> {
    let entry = changelog::create(&state.app, &caller, body.try_into()?).await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

#[utoipa::path(get, path = "/changelog/{id}", tag = "changelog", params(("id" = i64, Path)),
    responses((status = 200, body = EntryOut), (status = 404, body = ErrorBody)))]
async fn get_entry(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EntryOut>, ApiError> {
    Ok(Json(changelog::get(&state.app, ctx.actor.as_deref(), id).await?.into()))
}

/// Change an entry (staff): its translations are replaced by those given.
#[utoipa::path(put, path = "/changelog/{id}", tag = "changelog", params(("id" = i64, Path)), request_body = EntryIn,
    security(("bearer" = [])),
    responses((status = 200, body = EntryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EntryIn>,
) -> Result<Json<EntryOut>, ApiError> {
    Ok(Json(
        changelog::update(&state.app, &caller, id, body.try_into()?)
            .await?
            .into(),
    ))
}
