//! Tags, the requester's rating, and the files of a ticket.

use atende_app::{Attachment, Rating, attachments, feedback};
use atende_domain::{Tag, TicketChannel};
use axum::{
    Json,
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
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
        .routes(routes!(get_tags, set_tags))
        .routes(routes!(get_rating, rate))
        .routes(routes!(list_attachments))
        .routes(routes!(download))
}

const VIA: TicketChannel = TicketChannel::Api;

/// The ticket's tags, in order.
#[utoipa::path(get, path = "/tickets/{id}/tags", tag = "tickets", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<String>), (status = 404, body = ErrorBody)))]
async fn get_tags(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<String>>, ApiError> {
    Ok(Json(feedback::tags(&state.app, &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsIn {
    /// Lower-cased, spaces become `-`; up to 20 tags of up to 40 characters.
    tags: Vec<String>,
}

/// Replace the ticket's tags (staff).
#[utoipa::path(put, path = "/tickets/{id}/tags", tag = "tickets", params(("id" = i64, Path)), request_body = TagsIn,
    security(("bearer" = [])),
    responses((status = 200, body = Vec<String>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn set_tags(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TagsIn>,
) -> Result<Json<Vec<String>>, ApiError> {
    let mut tags = body.tags.iter().map(|t| Tag::parse(t)).collect::<Result<Vec<_>, _>>()?;
    tags.sort();
    tags.dedup();
    Ok(Json(feedback::set_tags(&state.app, &caller, id, tags, VIA).await?))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingIo {
    /// `good` or `bad`.
    rating: String,
    #[serde(default)]
    comment: String,
    #[serde(default, skip_deserializing)]
    #[schema(format = DateTime, read_only)]
    rated_at: Option<String>,
}

impl From<Rating> for RatingIo {
    fn from(r: Rating) -> Self {
        RatingIo {
            rating: if r.good { "good" } else { "bad" }.into(),
            comment: r.comment,
            rated_at: Some(rfc3339(r.rated_at)),
        }
    }
}

/// The requester's rating of the solution, or `null` before one is given.
#[utoipa::path(get, path = "/tickets/{id}/rating", tag = "tickets", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Option<RatingIo>), (status = 404, body = ErrorBody)))]
async fn get_rating(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Option<RatingIo>>, ApiError> {
    Ok(Json(feedback::rating(&state.app, &caller, id).await?.map(Into::into)))
}

/// Rate a solved ticket (its requester); rating again replaces the earlier verdict.
#[utoipa::path(put, path = "/tickets/{id}/rating", tag = "tickets", params(("id" = i64, Path)), request_body = RatingIo,
    security(("bearer" = [])),
    responses((status = 200, body = RatingIo), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RatingIo>,
) -> Result<Json<RatingIo>, ApiError> {
    let good = match body.rating.as_str() {
        "good" => true,
        "bad" => false,
        _ => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "rating",
                allowed: "good, bad",
            }
            .into());
        }
    };
    let rating = feedback::rate(&state.app, &caller, id, good, &body.comment, VIA).await?;
    Ok(Json(rating.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentOut {
    id: i64,
    /// The message the file came with; `null` for the files of the ticket's opening.
    message_id: Option<i64>,
    file_name: String,
    /// Judged from the file's contents when it was uploaded.
    content_type: String,
    size: i64,
    #[schema(format = DateTime)]
    created_at: String,
    /// Where to download it.
    href: String,
}

impl From<Attachment> for AttachmentOut {
    fn from(a: Attachment) -> Self {
        AttachmentOut {
            href: format!("/api/v1/attachments/{}", a.id),
            id: a.id,
            message_id: a.message_id,
            file_name: a.file_name,
            content_type: a.content_type,
            size: a.size,
            created_at: rfc3339(a.created_at),
        }
    }
}

/// The files of a ticket that the caller may see (customers: not those of internal notes).
#[utoipa::path(get, path = "/tickets/{id}/attachments", tag = "tickets", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = ErrorBody)))]
async fn list_attachments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentOut>>, ApiError> {
    let files = attachments::of_ticket(&state.app, &caller, id).await?;
    Ok(Json(files.into_iter().map(Into::into).collect()))
}

/// Download a file, always as an attachment (never rendered by the browser).
#[utoipa::path(get, path = "/attachments/{id}", tag = "tickets", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (file, data) = attachments::download(&state.app, &caller, id).await?;
    Ok(file_response(&file, data))
}

/// A file as a download: its checked type, `attachment` disposition with the name in ASCII and
/// UTF-8 (RFC 6266), never cached by shared caches.
pub(crate) fn file_response(file: &Attachment, data: Vec<u8>) -> Response {
    download_response(&file.file_name, &file.content_type, data)
}

/// Any stored file as a download (see `file_response`).
pub(crate) fn download_response(file_name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let mut response = Body::from(data).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encoded.replace('+', "%20")
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
