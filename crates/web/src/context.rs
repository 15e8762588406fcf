//! Who is calling and in which language: resolved once per request by a middleware, which also
//! renders every error in that language on the way out.

use std::sync::Arc;

use atende_app::{Actor, auth};
use atende_domain::Lang;
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{AppState, error::ApiError};

#[derive(Clone)]
pub struct RequestContext {
    pub actor: Option<Arc<Actor>>,
    pub lang: Lang,
    pub token: Option<String>,
}

fn bearer(parts: &axum::http::HeaderMap) -> Option<&str> {
    let value = parts.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The language of a request: the user's choice, else `Accept-Language`, else the default.
pub async fn context(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let accepted = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let mut lang = accepted.unwrap_or(state.app.settings.default_language);
    let token = bearer(request.headers()).map(str::to_owned);
    let actor = match &token {
        Some(token) => match auth::authenticate(&state.app, token).await {
            Ok(actor) => Some(Arc::new(actor)),
            Err(err) => return finish(&state, ApiError::from(err).into_response(), lang),
        },
        None => None,
    };
    if let Some(chosen) = actor.as_ref().and_then(|a| a.user.language) {
        lang = chosen;
    }
    request.extensions_mut().insert(RequestContext { actor, lang, token });
    let response = next.run(request).await;
    finish(&state, response, lang)
}

fn finish(state: &AppState, mut response: Response, lang: Lang) -> Response {
    if let Some(error) = response.extensions_mut().remove::<ApiError>() {
        response = error.render(&state.i18n, lang, &state.app.settings.support_email);
    }
    response
        .headers_mut()
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    response
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal"))
    }
}

/// A signed-in caller; requests without a valid bearer token get 401 `auth.required`.
pub struct Caller(pub Arc<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestContext::from_request_parts(parts, state).await?;
        ctx.actor
            .map(Caller)
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "auth.required", "auth-required"))
    }
}

impl std::ops::Deref for Caller {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}
