//! The API reference: the OpenAPI document and a page that renders it, both served by atende
//! itself (nothing is fetched from elsewhere).

use std::sync::Arc;

use axum::{
    Json,
    http::header,
    response::{Html, IntoResponse, Response},
};

pub async fn openapi_json(doc: Arc<utoipa::openapi::OpenApi>) -> Json<utoipa::openapi::OpenApi> {
    Json((*doc).clone())
}

pub async fn page() -> Html<&'static str> {
    Html(include_str!("../assets/docs.html"))
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/docs.js"),
    )
        .into_response()
}
