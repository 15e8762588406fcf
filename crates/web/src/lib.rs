//! atende's HTTP edge: the `/api/v1` REST API and its OpenAPI document, and the operations
//! endpoints. Handlers only translate HTTP to use cases (`atende-app`) and back.

mod api;
mod client_address;
mod context;
mod docs;
pub mod error;
mod extract;
pub mod i18n;
mod limits;
mod ops;
mod pages;
mod statuspage;

use std::{sync::Arc, time::Duration};

use atende_app::App;
use axum::{Router, extract::DefaultBodyLimit, http::StatusCode, middleware};
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use crate::ops::Metrics;
use crate::{error::ApiError, i18n::I18n};

/// Largest request body accepted (JSON); uploads get their own limit when they arrive.
const MAX_BODY: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<limits::PublicLimits>,
    pub proxies: Arc<client_address::TrustedProxies>,
}

impl AppState {
    pub fn new(app: App) -> Result<Self, String> {
        Ok(AppState {
            proxies: Arc::new(client_address::TrustedProxies::parse(&app.settings.trusted_proxies)?),
            i18n: Arc::new(I18n::load()?),
            metrics: Arc::new(Metrics::new()),
            limits: Arc::new(limits::PublicLimits::new(
                app.settings.public_forms_per_minute,
                app.settings.webhooks_per_minute,
            )),
            app,
        })
    }
}

/// What went wrong, as a sentence in `lang` (the command line's errors use the API's messages).
pub fn describe(err: atende_app::AppError, lang: atende_domain::Lang) -> String {
    match I18n::load() {
        Ok(i18n) => ApiError::from(err).message(&i18n, lang),
        Err(_) => err.to_string(),
    }
}

/// The OpenAPI document of `/api/v1`, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(api::ApiDoc::openapi())
        .nest("/api/v1", api::routes())
        .split_for_parts()
        .1
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = OpenApiRouter::with_openapi(api::ApiDoc::openapi())
        .nest("/api/v1", api::routes())
        .split_for_parts();
    let openapi = Arc::new(openapi);
    let api_router = api_router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || docs::openapi_json(openapi.clone())),
        )
        .route("/api/docs", axum::routing::get(docs::page))
        .route("/api/docs.js", axum::routing::get(docs::script))
        .method_not_allowed_fallback(|| async {
            ApiError::request(StatusCode::METHOD_NOT_ALLOWED, "route.method_not_allowed", None)
        })
        // Inside the context, which renders its refusals in the caller's language.
        .layer(middleware::from_fn_with_state(state.clone(), limits::limit))
        .layer(middleware::from_fn_with_state(state.clone(), context::context));
    Router::new()
        .merge(ops::routes())
        .merge(statuspage::routes())
        .merge(api_router)
        .merge(pages::routes(state.clone()))
        // Before the limits and the sign-in's failure count, which key on the client's address.
        .layer(middleware::from_fn_with_state(state.clone(), client_address::resolve))
        .layer(middleware::from_fn_with_state(state.clone(), ops::track))
        .layer(middleware::from_fn(api::chat::cors))
        // Enforced by the extractors, so the refusal is a localized 413 like every other error.
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The span of a request names its route (`/password/reset/{token}`), never the path or query
/// it came with: those carry tokens (password resets, invitations, one-click links, WhatsApp's
/// verify token) and what people search for.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("(no route)", |matched| matched.as_str());
    tracing::debug_span!("request", method = %request.method(), route)
}
