//! Axum's extractors, with their rejections turned into `ApiError`s that say what was wrong.

use axum::{
    extract::{
        FromRequest, FromRequestParts, Request,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::{StatusCode, request::Parts},
};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The innermost error message: serde's own words, without axum's generic prefix.
fn innermost(err: &dyn std::error::Error) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match &rejection {
                JsonRejection::JsonSyntaxError(e) => {
                    ApiError::request(StatusCode::BAD_REQUEST, "request.malformed_json", Some(innermost(e)))
                }
                JsonRejection::JsonDataError(e) => ApiError::request(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "request.invalid_json",
                    Some(innermost(e)),
                ),
                JsonRejection::MissingJsonContentType(_) => {
                    ApiError::request(StatusCode::UNSUPPORTED_MEDIA_TYPE, "request.json_content_type", None)
                }
                JsonRejection::BytesRejection(_) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::request(StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", None)
                }
                other => ApiError::request(
                    StatusCode::BAD_REQUEST,
                    "request.malformed_json",
                    Some(other.body_text()),
                ),
            }),
        }
    }
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| {
                ApiError::request(StatusCode::BAD_REQUEST, "request.invalid_query", Some(innermost(&e)))
            })
    }
}

pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| {
                ApiError::request(StatusCode::BAD_REQUEST, "request.invalid_path", Some(e.body_text()))
            })
    }
}
