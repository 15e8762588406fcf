//! Who is looking at a page: the session cookie, the language, the CSRF token and the one-time
//! message carried over a redirect. Resolved once per request by `page_context`.

use std::sync::Arc;

use atende_app::{Actor, auth};
use atende_domain::Lang;
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use cookie::{Cookie, SameSite};
use jiff::tz::TimeZone;

use super::{PageError, chrome};
use crate::AppState;

pub const SESSION_COOKIE: &str = "atende_session";
const CSRF_COOKIE: &str = "atende_csrf";
pub const LANG_COOKIE: &str = "atende_lang";
const FLASH_COOKIE: &str = "atende_flash";

/// A message shown once on the next page: the outcome of the form just sent.
#[derive(Debug, Clone)]
pub struct Flash {
    pub error: bool,
    pub text: String,
}

#[derive(Clone)]
pub struct PageCtx {
    pub actor: Option<Arc<Actor>>,
    pub lang: Lang,
    pub csrf: String,
    pub tz: TimeZone,
    pub flash: Option<Flash>,
    pub token: Option<String>,
    pub secure: bool,
}

fn cookies(headers: &HeaderMap) -> Vec<Cookie<'static>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse_encoded(v.to_owned()).filter_map(Result::ok))
        .collect()
}

fn cookie_value<'a>(jar: &'a [Cookie<'static>], name: &str) -> Option<&'a str> {
    jar.iter()
        .find(|c| c.name() == name)
        .map(Cookie::value)
        .filter(|v| !v.is_empty())
}

/// The session token a browser sends in its cookie, if any (the web chat reads it too).
pub(crate) fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(&cookies(headers), SESSION_COOKIE).map(str::to_owned)
}

/// The CSRF token of a session: derived from its secret, so it needs no storage and dies with it.
fn csrf_of_session(token: &str) -> String {
    auth::token_hash(&format!("csrf:{token}"))
}

pub fn set_cookie(response: &mut Response, cookie: Cookie<'static>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.encoded().to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub fn cookie(name: &'static str, value: String, secure: bool, http_only: bool) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(http_only);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c
}

pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut c = cookie(name, String::new(), secure, true);
    c.make_removal();
    c
}

/// Paths a signed-in user without a language may still reach: the preferences page itself,
/// signing out, and what the pages load.
fn allowed_without_language(path: &str) -> bool {
    path.starts_with("/preferences") || path == "/logout" || path.starts_with("/assets/")
}

pub async fn page_context(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let jar = cookies(request.headers());
    let secure = state.app.settings.public_url.starts_with("https://");
    let mut set: Vec<Cookie<'static>> = Vec::new();

    let token = cookie_value(&jar, SESSION_COOKIE).map(str::to_owned);
    let actor = match &token {
        Some(token) => match auth::authenticate(&state.app, token).await {
            Ok(actor) => Some(Arc::new(actor)),
            Err(_) => {
                set.push(removal(SESSION_COOKIE, secure));
                None
            }
        },
        None => None,
    };
    let token = token.filter(|_| actor.is_some());
    let csrf = match (&token, cookie_value(&jar, CSRF_COOKIE)) {
        (Some(token), _) => csrf_of_session(token),
        (None, Some(existing)) => existing.to_owned(),
        (None, None) => {
            let fresh = auth::new_token().unwrap_or_default();
            set.push(cookie(CSRF_COOKIE, fresh.clone(), secure, true));
            fresh
        }
    };
    let accepted = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let chosen_here = cookie_value(&jar, LANG_COOKIE).and_then(|v| v.parse::<Lang>().ok());
    let lang = actor
        .as_ref()
        .and_then(|a| a.user.language)
        .or(chosen_here)
        .or(accepted)
        .unwrap_or(state.app.settings.default_language);
    let tz = actor
        .as_ref()
        .and_then(|a| TimeZone::get(&a.user.time_zone).ok())
        .unwrap_or_else(|| state.app.settings.time_zone.clone());
    let flash = cookie_value(&jar, FLASH_COOKIE).map(|v| Flash {
        error: v.starts_with("e:"),
        text: v.get(2..).unwrap_or_default().to_owned(),
    });
    let flash_shown = flash.is_some();

    let needs_language = actor.as_ref().is_some_and(|a| a.user.language.is_none());
    let ctx = PageCtx {
        actor,
        lang,
        csrf,
        tz,
        flash,
        token,
        secure,
    };
    let mut response = if needs_language && !allowed_without_language(request.uri().path()) {
        Redirect::to("/preferences").into_response()
    } else {
        request.extensions_mut().insert(ctx.clone());
        next.run(request).await
    };
    if let Some(failure) = response.extensions_mut().remove::<PageError>() {
        response = failure.render(&state, &ctx, &mut set);
    }
    // The message was shown on this page, so it goes; unless this answer carries a new one.
    let sets_new_flash = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(FLASH_COOKIE.as_bytes()));
    if flash_shown && !sets_new_flash {
        set.push(removal(FLASH_COOKIE, secure));
    }
    for c in set {
        set_cookie(&mut response, c);
    }
    secure_headers(response.headers_mut(), ctx.lang, ctx.actor.is_some(), secure);
    response
}

/// Scripts only from atende itself, no framing, no sniffing; pages of a signed-in user are not
/// cached; served over HTTPS, browsers are told to never come back over plain HTTP.
fn secure_headers(headers: &mut HeaderMap, lang: Lang, signed_in: bool, https: bool) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if signed_in && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// A redirect after a form, with a message for the next page.
pub fn redirect_with(to: &str, flash: Option<Flash>, secure: bool) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(flash) = flash {
        let value = format!("{}:{}", if flash.error { "e" } else { "n" }, flash.text);
        set_cookie(&mut response, cookie(FLASH_COOKIE, value, secure, true));
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<PageCtx>()
            .cloned()
            .ok_or_else(|| PageError::status(StatusCode::INTERNAL_SERVER_ERROR, "internal"))
    }
}

impl PageCtx {
    pub fn chrome(&self, state: &AppState, section: &'static str) -> chrome::Chrome {
        chrome::Chrome::new(state, self, section)
    }
}
