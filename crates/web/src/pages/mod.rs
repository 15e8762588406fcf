//! Server-rendered pages: sign-in and preferences, the customer portal and the agent workspace.
//! They call the same use cases as the API, so they enforce the same rules and scoping; they work
//! without JavaScript, and `assets/app.js` only adds countdowns and keyboard shortcuts.

mod account;
mod admin;
mod admin_sla;
mod agent;
mod assets;
mod changelog;
mod changelog_editor;
mod charts;
mod chrome;
mod customer;
mod events;
pub(crate) mod form;
mod forum;
mod forum_moderation;
mod gallery;
mod help;
mod help_editor;
mod ideas;
mod mail;
mod organization;
mod portal;
mod reports;
mod session;
mod site;
mod status;
mod status_admin;

use std::sync::Arc;

use askama::Template;
use atende_app::{Actor, AppError};
use atende_domain::{Lang, ParseError};
use axum::{
    Router,
    extract::{FromRequestParts, State},
    http::{StatusCode, Uri, header, request::Parts},
    middleware,
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};

pub use session::page_context;
pub(crate) use session::session_token;
use session::{Flash, PageCtx};

use crate::{AppState, error::ApiError};

/// The pages, with their context middleware; unknown paths end here too (API paths get the API's 404).
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/assets/{file}", get(assets::serve))
        .route("/chat/{file}", get(assets::widget))
        .merge(account::routes())
        .merge(portal::routes())
        .merge(organization::routes())
        .merge(agent::routes())
        .merge(admin::routes())
        .merge(admin_sla::routes())
        .merge(help::routes())
        .merge(help_editor::routes())
        .merge(mail::routes())
        .merge(status::routes())
        .merge(changelog::routes())
        .merge(changelog_editor::routes())
        .merge(ideas::routes())
        .merge(forum::routes())
        .merge(events::routes())
        .merge(gallery::routes())
        .merge(site::routes())
        .merge(customer::routes())
        .merge(reports::routes())
        .merge(status_admin::routes())
        .fallback(not_found)
        // Inside the page context, which renders its refusals.
        .layer(middleware::from_fn_with_state(state.clone(), crate::limits::limit))
        .layer(middleware::from_fn_with_state(state, page_context))
}

/// Where "/" leads: the workspace of the user's role, or the sign-in page.
async fn home(ctx: PageCtx) -> Response {
    match &ctx.actor {
        Some(actor) if actor.is_staff() => Redirect::to("/agent").into_response(),
        Some(_) => Redirect::to("/portal").into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

async fn not_found(State(state): State<AppState>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        let lang = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or(state.app.settings.default_language);
        return ApiError::request(StatusCode::NOT_FOUND, "route.not_found", None).render(
            &state.i18n,
            lang,
            &state.app.settings.support_email,
        );
    }
    PageError::status(StatusCode::NOT_FOUND, "page-not_found").into_response()
}

/// Renders a template into an HTML response.
pub fn page<T: Template>(template: &T) -> Result<Response, PageError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| PageError::from(AppError::Internal(format!("template: {e}"))))
}

/// Why a page could not be shown: rendered by `page_context` in the reader's language, as an
/// error page, a redirect to sign in, or a redirect back to the form with the message.
#[derive(Debug, Clone)]
pub struct PageError(Box<Failure>);

#[derive(Debug, Clone)]
enum Failure {
    Shown(ApiError),
    SignIn { next: String },
    Back { to: String, error: ApiError },
}

impl PageError {
    fn new(failure: Failure) -> Self {
        PageError(Box::new(failure))
    }

    pub fn status(status: StatusCode, key: &str) -> Self {
        PageError::new(Failure::Shown(ApiError::new(status, key.replace('-', "."), key)))
    }

    pub fn invalid_field(field: &'static str) -> Self {
        ParseError::Invalid {
            field,
            reason: "form_value",
        }
        .into()
    }

    /// The error as the API shows it (forms read by the API's uploads).
    pub(crate) fn into_api(self) -> ApiError {
        match *self.0 {
            Failure::Shown(error) | Failure::Back { error, .. } => error,
            Failure::SignIn { .. } => ApiError::new(StatusCode::UNAUTHORIZED, "auth.required", "auth-required"),
        }
    }

    /// Show the message on the page `to` (the form) instead of on an error page.
    pub fn back(self, to: impl Into<String>) -> Self {
        match *self.0 {
            Failure::Shown(error) => PageError::new(Failure::Back { to: to.into(), error }),
            other => PageError(Box::new(other)),
        }
    }

    fn render(&self, state: &AppState, ctx: &PageCtx, _set: &mut Vec<cookie::Cookie<'static>>) -> Response {
        match &*self.0 {
            Failure::SignIn { next } => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            Failure::Back { to, error } => session::redirect_with(
                to,
                Some(Flash {
                    error: true,
                    text: error.message(&state.i18n, ctx.lang),
                }),
                ctx.secure,
            ),
            Failure::Shown(error) => {
                let view = ErrorPage {
                    c: ctx.chrome(state, ""),
                    status: i64::from(error.status.as_u16()),
                    message: error.message(&state.i18n, ctx.lang),
                    remedy: error.remedy_action(),
                    refusal: error.code.starts_with("not_entitled."),
                };
                match view.render() {
                    Ok(html) => (error.status, Html(html)).into_response(),
                    Err(_) => error.status.into_response(),
                }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: chrome::Chrome,
    status: i64,
    message: String,
    remedy: Option<&'static str>,
    refusal: bool,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = match &*self.0 {
            Failure::Shown(e) => e.status,
            Failure::SignIn { .. } | Failure::Back { .. } => StatusCode::SEE_OTHER,
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        PageError::new(Failure::Shown(error))
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<ParseError> for PageError {
    fn from(error: ParseError) -> Self {
        ApiError::from(error).into()
    }
}

/// `?` that sends the reader back to a form with the message.
pub trait OrBack<T> {
    fn or_back(self, to: &str) -> Result<T, PageError>;
}

impl<T, E: Into<PageError>> OrBack<T> for Result<T, E> {
    fn or_back(self, to: &str) -> Result<T, PageError> {
        self.map_err(|e| e.into().back(to))
    }
}

/// A signed-in reader; anyone else is taken to the sign-in page and brought back afterwards.
pub struct Signed {
    pub ctx: PageCtx,
    pub actor: Arc<Actor>,
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = PageCtx::from_request_parts(parts, state).await?;
        match ctx.actor.clone() {
            Some(actor) => Ok(Signed { ctx, actor }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .filter(|_| parts.method == axum::http::Method::GET)
                    .unwrap_or_else(|| "/".into());
                Err(PageError::new(Failure::SignIn { next }))
            }
        }
    }
}

/// A member of the support staff; customers get a 403 page.
pub struct Staff(pub Signed);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let signed = Signed::from_request_parts(parts, state).await?;
        if signed.actor.is_staff() {
            Ok(Staff(signed))
        } else {
            Err(AppError::Forbidden("staff_only").into())
        }
    }
}

/// A message for the next page after a successful form.
pub fn done(ctx: &PageCtx, state: &AppState, to: &str, key: &str) -> Response {
    session::redirect_with(
        to,
        Some(Flash {
            error: false,
            text: state.i18n.text(ctx.lang, key, &[]),
        }),
        ctx.secure,
    )
}
