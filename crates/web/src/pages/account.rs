//! Signing in and out, forgotten passwords, preferences (language first), and registration
//! through an invitation link.

use std::net::SocketAddr;

use askama::Template;
use atende_app::{
    auth,
    directory::{self, UserChanges},
    invitations::{self, AcceptInput, InvitationView},
    passwords,
};
use atende_domain::Lang;
use axum::{
    Router,
    extract::{ConnectInfo, FromRequest, Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    OrBack, PageError, Signed,
    chrome::Chrome,
    done,
    form::Submitted,
    page,
    session::{LANG_COOKIE, PageCtx, SESSION_COOKIE, cookie, removal, set_cookie},
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(choose_language))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
        .route("/preferences", get(preferences_form).post(save_preferences))
        .route("/invitations/{token}", get(invitation_form).post(accept_invitation))
}

/// Only paths of this site: an open redirect would let a link send people elsewhere after sign-in.
pub(super) fn local_path(next: Option<&str>) -> String {
    // Browsers drop tabs and line breaks inside a URL, so `/\t/evil` would become `//evil`: only
    // plain printable characters pass, and the second one may not start another authority.
    let safe = |p: &str| {
        p.starts_with('/')
            && !matches!(p.as_bytes().get(1), Some(b'/' | b'\\'))
            && p.chars().all(|c| c.is_ascii_graphic() && c != '\\')
    };
    match next {
        Some(p) if safe(p) => p.to_owned(),
        _ => "/".to_owned(),
    }
}

fn session_cookie(state: &AppState, ctx: &PageCtx, token: String) -> cookie::Cookie<'static> {
    let mut c = cookie(SESSION_COOKIE, token, ctx.secure, true);
    c.set_max_age(cookie::time::Duration::days(state.app.settings.session_days));
    c
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    email: String,
}

async fn login_form(State(state): State<AppState>, ctx: PageCtx, Query(q): Query<NextParam>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to(&local_path(q.next.as_deref())).into_response();
    }
    page(&LoginPage {
        c: ctx.chrome(&state, "login"),
        next: local_path(q.next.as_deref()),
        email: String::new(),
    })
    .into_response()
}

async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let next = local_path(form.opt("next"));
    let back = format!(
        "/login?next={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    );
    let session = auth::login(
        &state.app,
        form.text("email"),
        form.text("password"),
        &peer.ip().to_string(),
    )
    .await
    .or_back(&back)?;
    let mut response = Redirect::to(&next).into_response();
    set_cookie(&mut response, session_cookie(&state, &ctx, session.token));
    Ok(response)
}

/// Ends the session. Without a live session (it expired in an open tab) there is nothing to end
/// and nothing to protect, so the form's token is not asked for.
async fn logout(
    State(state): State<AppState>,
    ctx: PageCtx,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    if let Some(token) = &ctx.token {
        Submitted::from_request(request, &state).await?;
        auth::logout(&state.app, token).await?;
    }
    let mut response = done(&ctx, &state, "/login", "signed-out");
    set_cookie(&mut response, removal(SESSION_COOKIE, ctx.secure));
    Ok(response)
}

/// A visitor's language choice, kept in a cookie; signed-in users choose in their preferences.
async fn choose_language(ctx: PageCtx, Path(code): Path<String>, Query(q): Query<NextParam>) -> Response {
    let mut response = Redirect::to(&local_path(q.next.as_deref())).into_response();
    if let Ok(lang) = code.parse::<Lang>() {
        let mut c = cookie(LANG_COOKIE, lang.code().to_owned(), ctx.secure, false);
        c.set_max_age(cookie::time::Duration::days(365));
        set_cookie(&mut response, c);
    }
    response
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    c: Chrome,
}

async fn forgot_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    page(&ForgotPage {
        c: ctx.chrome(&state, "login"),
    })
}

/// The answer is the same whether or not the address has an account, so it reveals nothing.
async fn forgot(
    State(state): State<AppState>,
    ctx: PageCtx,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    if let Some(link) = passwords::request_reset(&state.app, form.text("email"))
        .await
        .or_back("/password/forgot")?
        && !state.app.settings.mail.outbound
    {
        // Without a mail server the link waits in the outbox; the operator passes it on from the log.
        tracing::info!(target: "atende::mail", to = %link.email, url = %link.url, "password reset link (no mail server configured)");
    }
    Ok(done(&ctx, &state, "/login", "password-reset-sent"))
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    c: Chrome,
    token: String,
    works: bool,
}

async fn reset_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let works = passwords::reset_link_works(&state.app, &token).await?;
    page(&ResetPage {
        c: ctx.chrome(&state, "login"),
        token,
        works,
    })
}

async fn reset(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/password/reset/{token}");
    if form.text("password") != form.text("password_again") {
        return Err(PageError::from(atende_app::AppError::Rejected("password.mismatch")).back(back));
    }
    passwords::reset(&state.app, &token, form.text("password"))
        .await
        .or_back(&back)?;
    Ok(done(&ctx, &state, "/login", "password-changed"))
}

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    c: Chrome,
    first_time: bool,
    language: String,
    time_zone: String,
    name: String,
    zones: Vec<String>,
}

fn zones() -> Vec<String> {
    let mut zones: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    zones.sort();
    zones
}

async fn preferences_form(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    let user = &signed.actor.user;
    page(&PreferencesPage {
        c: signed.ctx.chrome(&state, "preferences"),
        first_time: user.language.is_none(),
        language: user.language.map(|l| l.code().to_owned()).unwrap_or_default(),
        time_zone: user.time_zone.clone(),
        name: user.name.clone(),
        zones: zones(),
    })
}

async fn save_preferences(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/preferences";
    let language: Lang = form.parse("language").or_back(back)?;
    let changes = UserChanges {
        name: form.opt("name").map(str::to_owned),
        language: Some(Some(language)),
        time_zone: form.opt("time_zone").map(str::to_owned),
        role: None,
        organization_id: None,
    };
    directory::update_user(&state.app, &signed.actor, signed.actor.id(), changes)
        .await
        .or_back(back)?;
    let home = if signed.actor.is_staff() { "/agent" } else { "/portal" };
    // The message is in the language just chosen, which the next page will speak too.
    let mut ctx = signed.ctx.clone();
    ctx.lang = language;
    Ok(done(&ctx, &state, home, "preferences-saved"))
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    c: Chrome,
    token: String,
    view: InvitationView,
    signed_in_as_invitee: bool,
    zones: Vec<String>,
    time_zone: String,
}

async fn invitation_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let view = invitations::show_invitation(&state.app, &token).await?;
    let signed_in_as_invitee = ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.user.email.eq_ignore_ascii_case(&view.invitation.email));
    page(&InvitationPage {
        c: ctx.chrome(&state, "login"),
        token,
        view,
        signed_in_as_invitee,
        zones: zones(),
        time_zone: state.app.settings.time_zone.iana_name().unwrap_or("UTC").to_owned(),
    })
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/invitations/{token}");
    if form.opt("password").is_some() && form.text("password") != form.text("password_again") {
        return Err(PageError::from(atende_app::AppError::Rejected("password.mismatch")).back(back));
    }
    let input = AcceptInput {
        name: form.opt("name").map(str::to_owned),
        password: form.opt("password").map(str::to_owned),
        language: form.parse_opt("language").or_back(&back)?,
        time_zone: form.opt("time_zone").map(str::to_owned),
    };
    let session = invitations::accept_invitation(&state.app, ctx.actor.as_deref(), &token, input)
        .await
        .or_back(&back)?;
    let mut response = done(&ctx, &state, "/portal", "invitation-accepted");
    set_cookie(&mut response, session_cookie(&state, &ctx, session.token));
    Ok(response)
}
