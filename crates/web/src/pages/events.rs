//! Events (`/events`): the next sessions in the visitor's time zone (their profile's, or one they
//! choose), the iCalendar feeds, each event's page with the questions asked ahead and their votes,
//! and for staff the forms to plan an event and to cancel or move a session.

use askama::Template;
use atende_app::community::events::{self, Event, EventDetail, EventInput, SessionChange, Upcoming};
use atende_domain::{Lang, community::EventKind};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use jiff::{
    civil::{Date, DateTime},
    tz::TimeZone,
};
use serde::Deserialize;

use super::{
    OrBack, PageError, Signed, Staff,
    chrome::Chrome,
    done,
    form::{Fields, Submitted},
    page,
    session::PageCtx,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(index).post(create))
        .route("/events.ics", get(feed_all))
        .route("/events/{id}", get(show))
        .route("/events/{id}/ask", post(ask))
        .route("/events/{id}/session", post(change_session))
        .route("/event-questions/{id}/vote", post(vote))
        .route("/event-questions/{id}/hidden", post(hide))
}

#[derive(Debug, Deserialize, Default)]
struct ZoneQuery {
    /// A time zone to show the sessions in (`America/New_York`).
    tz: Option<String>,
    /// The session whose questions to show.
    session: Option<String>,
}

/// The reader's zone, or the one they chose on the page.
fn in_zone(mut ctx: PageCtx, q: &ZoneQuery) -> PageCtx {
    if let Some(tz) = q.tz.as_deref().and_then(|name| TimeZone::get(name).ok()) {
        ctx.tz = tz;
    }
    ctx
}

/// The zones offered on the page: the reader's first, then common ones of the manual's markets.
const ZONES: &[&str] = &[
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Santiago",
    "America/Bogota",
    "America/Mexico_City",
    "America/New_York",
    "Europe/Lisbon",
    "Europe/Madrid",
    "UTC",
];

#[derive(Template)]
#[template(path = "events.html")]
struct IndexPage {
    c: Chrome,
    events: Vec<Upcoming>,
    zones: Vec<&'static str>,
    kinds: Vec<EventKind>,
}

impl IndexPage {
    fn title(&self, event: &Event) -> String {
        atende_app::community::localized(&event.texts, self.c.lang, "title")
    }

    fn description(&self, event: &Event) -> String {
        atende_app::community::localized(&event.texts, self.c.lang, "description")
    }
}

async fn index(State(state): State<AppState>, ctx: PageCtx, Query(q): Query<ZoneQuery>) -> Result<Response, PageError> {
    let ctx = in_zone(ctx, &q);
    let events = events::list(&state.app, ctx.actor.as_deref()).await?;
    page(&IndexPage {
        c: ctx.chrome(&state, "events"),
        events,
        zones: ZONES.to_vec(),
        kinds: EventKind::ALL.to_vec(),
    })
}

fn event_input(form: &Fields) -> Result<EventInput, PageError> {
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let title = form.text(&format!("title_{}", lang.code()));
        if !title.trim().is_empty() {
            texts.push((
                lang,
                title.to_owned(),
                form.text(&format!("description_{}", lang.code())).to_owned(),
            ));
        }
    }
    Ok(EventInput {
        kind: form.parse("kind")?,
        texts,
        starts_at: form.parse::<DateTime>("starts_at")?,
        time_zone: form.text("time_zone").to_owned(),
        duration_minutes: form.parse("duration_minutes")?,
        weekly: form.checked("weekly"),
        until_on: form.parse_opt::<Date>("until_on")?,
        location: form.text("location").to_owned(),
        published: form.checked("published"),
    })
}

async fn create(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let input = event_input(&form).or_back("/events")?;
    let event = events::save(&state.app, &signed.actor, None, input)
        .await
        .or_back("/events")?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/events/{}", event.id),
        "admin-saved",
    ))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    c: Chrome,
    detail: EventDetail,
    title: String,
    description: String,
    zones: Vec<&'static str>,
}

impl EventPage {
    fn has_voted(&self, id: &i64) -> bool {
        self.detail.voted.contains(id)
    }

    fn is_session(&self, date: &Date) -> bool {
        self.detail.session == Some(*date)
    }

    fn is_author(&self, author: &Option<i64>) -> bool {
        author.is_some() && *author == self.c.user.as_ref().map(|u| u.id)
    }

    fn session_code(&self) -> String {
        self.detail.session.map(|d| d.to_string()).unwrap_or_default()
    }

    fn cancelled(&self) -> Vec<String> {
        self.detail
            .exceptions
            .iter()
            .filter(|x| x.cancelled)
            .map(|x| x.occurs_on.to_string())
            .collect()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<ZoneQuery>,
) -> Result<Response, PageError> {
    // `/events/7.ics` is the one event's feed.
    if let Some(raw) = id.strip_suffix(".ics") {
        let id: i64 = raw.parse().map_err(|_| PageError::invalid_field("id"))?;
        return feed(&state, &ctx, Some(id)).await;
    }
    let id: i64 = id.parse().map_err(|_| PageError::invalid_field("id"))?;
    let ctx = in_zone(ctx, &q);
    let session = q
        .session
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(str::parse::<Date>)
        .transpose()
        .map_err(|_| PageError::invalid_field("session"))?;
    let detail = events::get(&state.app, ctx.actor.as_deref(), id, session).await?;
    let event = &detail.upcoming.event;
    page(&EventPage {
        title: atende_app::community::localized(&event.texts, ctx.lang, "title"),
        description: atende_app::community::localized(&event.texts, ctx.lang, "description"),
        c: ctx.chrome(&state, "events"),
        detail,
        zones: ZONES.to_vec(),
    })
}

async fn feed(state: &AppState, ctx: &PageCtx, only: Option<i64>) -> Result<Response, PageError> {
    let body = events::feed(&state.app, ctx.lang, only).await?;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(response)
}

async fn feed_all(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    feed(&state, &ctx, None).await
}

fn back(id: i64, session: &str) -> String {
    if session.is_empty() {
        format!("/events/{id}")
    } else {
        format!("/events/{id}?session={session}")
    }
}

async fn ask(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let to = back(id, form.text("session"));
    let session: Date = form.parse("session").or_back(&to)?;
    events::ask(&state.app, &signed.actor, id, session, form.text("body"))
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "events-asked"))
}

async fn vote(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let event: i64 = form.parse("event")?;
    let to = back(event, form.text("session"));
    let up = form.text("up") != "0";
    events::vote(&state.app, &signed.actor, id, up).await.or_back(&to)?;
    Ok(done(
        &signed.ctx,
        &state,
        &to,
        if up { "idea-voted" } else { "idea-unvoted" },
    ))
}

async fn hide(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let event: i64 = form.parse("event")?;
    let to = back(event, form.text("session"));
    events::set_question_hidden(&state.app, &signed.actor, id, form.text("hidden") == "1")
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "admin-saved"))
}

async fn change_session(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let to = back(id, "");
    let occurs_on: Date = form.parse("occurs_on").or_back(&to)?;
    let change = match form.text("action") {
        "cancel" => SessionChange::Cancel,
        "restore" => SessionChange::Restore,
        _ => SessionChange::MoveTo(form.parse::<DateTime>("moved_to").or_back(&to)?),
    };
    events::change_session(&state.app, &signed.actor, id, occurs_on, change)
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "admin-saved"))
}
