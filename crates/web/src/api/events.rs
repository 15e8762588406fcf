//! Events over HTTP: the weekly AMA and one-off sessions, their next sessions, questions asked
//! ahead and their votes; staff plan events and cancel or move sessions. The iCalendar feed is
//! at `/events.ics` (one event: `/events/{id}.ics`).

use atende_app::community::events::{self, Event, EventDetail, EventInput, Question, SessionChange};
use atende_domain::{
    Lang,
    community::{EventKind, events::Session},
};
use axum::{Json, extract::State, http::StatusCode};
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ideas::VotesOut, rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(change_session))
        .routes(routes!(ask))
        .routes(routes!(vote, withdraw_vote))
        .routes(routes!(hide_question))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventSessionOut {
    /// The date it was planned for: its name, also when moved.
    #[schema(format = Date)]
    occurs_on: String,
    /// RFC 3339 with the event zone's offset.
    #[schema(format = DateTime)]
    start: String,
    #[schema(format = DateTime)]
    end: String,
    moved: bool,
}

fn session_out(s: &Session) -> EventSessionOut {
    EventSessionOut {
        occurs_on: s.occurs_on.to_string(),
        start: s.start.timestamp().display_with_offset(s.start.offset()).to_string(),
        end: s.end.timestamp().display_with_offset(s.end.offset()).to_string(),
        moved: s.moved,
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventText {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    title: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityEventOut {
    id: i64,
    /// `ama` (the weekly live session) or `session` (a one-off).
    kind: String,
    /// In the caller's language (another one when it has none).
    title: String,
    description: String,
    /// Every translation.
    texts: Vec<EventText>,
    location: String,
    /// The first session's local start, on the clock of `time_zone`.
    starts_at: String,
    time_zone: String,
    duration_minutes: i64,
    weekly: bool,
    #[schema(format = Date)]
    until_on: Option<String>,
    published: bool,
    /// The coming sessions.
    sessions: Vec<EventSessionOut>,
    #[schema(format = DateTime)]
    updated_at: String,
}

fn event_out(e: &Event, sessions: &[Session], lang: Lang) -> CommunityEventOut {
    CommunityEventOut {
        id: e.id,
        kind: e.kind.code().to_owned(),
        title: atende_app::community::localized(&e.texts, lang, "title"),
        description: atende_app::community::localized(&e.texts, lang, "description"),
        texts: e
            .texts
            .iter()
            .filter_map(|(code, t)| {
                Some(EventText {
                    lang: code.parse().ok()?,
                    title: t.get("title").cloned().unwrap_or_default(),
                    description: t.get("description").cloned().unwrap_or_default(),
                })
            })
            .collect(),
        location: e.location.clone(),
        starts_at: e.starts_at.to_string(),
        time_zone: e.time_zone.clone(),
        duration_minutes: e.duration_minutes,
        weekly: e.weekly,
        until_on: e.until_on.map(|d| d.to_string()),
        published: e.published,
        sessions: sessions.iter().map(session_out).collect(),
        updated_at: rfc3339(e.updated_at),
    }
}

/// Published events (staff: drafts too) with their next sessions, the soonest first.
#[utoipa::path(get, path = "/events", tag = "community", responses((status = 200, body = Vec<CommunityEventOut>)))]
async fn list_events(
    State(state): State<AppState>,
    ctx: RequestContext,
) -> Result<Json<Vec<CommunityEventOut>>, ApiError> {
    let list = events::list(&state.app, ctx.actor.as_deref()).await?;
    Ok(Json(
        list.iter()
            .map(|u| event_out(&u.event, &u.sessions, ctx.lang))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    /// `ama` (weekly) or `session`.
    kind: String,
    texts: Vec<EventText>,
    /// The first session's local start (`2026-01-01T15:00`), on the clock of `time_zone`.
    starts_at: String,
    /// An IANA zone such as `America/Sao_Paulo`.
    time_zone: String,
    duration_minutes: i64,
    /// Repeats every week (an AMA always does).
    #[serde(default)]
    weekly: bool,
    /// The last day a weekly session may fall on.
    #[schema(format = Date)]
    until_on: Option<String>,
    #[serde(default)]
    location: String,
    #[serde(default)]
    published: bool,
}

fn input(body: EventIn) -> Result<EventInput, atende_domain::ParseError> {
    let invalid = |field, reason| atende_domain::ParseError::Invalid { field, reason };
    Ok(EventInput {
        kind: body.kind.parse::<EventKind>()?,
        texts: body
            .texts
            .into_iter()
            .map(|t| (t.lang, t.title, t.description))
            .collect(),
        starts_at: body
            .starts_at
            .parse::<DateTime>()
            .map_err(|_| invalid("starts_at", "local_datetime"))?,
        time_zone: body.time_zone,
        duration_minutes: body.duration_minutes,
        weekly: body.weekly,
        until_on: body
            .until_on
            .as_deref()
            .map(|d| d.parse::<Date>().map_err(|_| invalid("until_on", "date")))
            .transpose()?,
        location: body.location,
        published: body.published,
    })
}

/// Plan an event (staff).
#[utoipa::path(post, path = "/events", tag = "community", request_body = EventIn, security(("bearer" = [])),
    responses((status = 201, body = CommunityEventOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_event(
    State(state): State<AppState>,
    caller: Caller,
    ctx: RequestContext,
    ApiJson(body): ApiJson<EventIn>,
) -> Result<(StatusCode, Json<CommunityEventOut>), ApiError> {
    let event = events::save(&state.app, &caller, None, input(body)?).await?;
    let detail = events::get(&state.app, Some(&caller), event.id, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(event_out(&detail.upcoming.event, &detail.upcoming.sessions, ctx.lang)),
    ))
}

/// Rewrite an event (staff).
#[utoipa::path(put, path = "/events/{id}", tag = "community", params(("id" = i64, Path)), request_body = EventIn,
    security(("bearer" = [])),
    responses((status = 200, body = CommunityEventOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_event(
    State(state): State<AppState>,
    caller: Caller,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EventIn>,
) -> Result<Json<CommunityEventOut>, ApiError> {
    events::save(&state.app, &caller, Some(id), input(body)?).await?;
    let detail = events::get(&state.app, Some(&caller), id, None).await?;
    Ok(Json(event_out(
        &detail.upcoming.event,
        &detail.upcoming.sessions,
        ctx.lang,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionOut {
    id: i64,
    #[schema(format = Date)]
    occurs_on: String,
    author: Option<String>,
    body: String,
    votes: i64,
    /// Whether the caller voted for it.
    voted: bool,
    /// Hidden questions are shown to staff only.
    hidden: bool,
    #[schema(format = DateTime)]
    created_at: String,
}

fn question_out(q: Question, voted: bool) -> QuestionOut {
    QuestionOut {
        id: q.id,
        occurs_on: q.occurs_on.to_string(),
        author: q.author_name,
        body: q.body,
        votes: q.votes,
        voted,
        hidden: q.hidden,
        created_at: rfc3339(q.created_at),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetailOut {
    #[serde(flatten)]
    event: CommunityEventOut,
    /// The session whose questions follow.
    #[schema(format = Date)]
    session: Option<String>,
    /// Most voted first.
    questions: Vec<QuestionOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventParams {
    /// The session (its planned date) whose questions to list; the next one by default.
    session: Option<String>,
}

fn date_param(field: &'static str, raw: Option<&str>) -> Result<Option<Date>, atende_domain::ParseError> {
    raw.map(|d| {
        d.parse::<Date>()
            .map_err(|_| atende_domain::ParseError::Invalid { field, reason: "date" })
    })
    .transpose()
}

/// An event with its next sessions and one session's questions.
#[utoipa::path(get, path = "/events/{id}", tag = "community", params(("id" = i64, Path), EventParams),
    responses((status = 200, body = EventDetailOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_event(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<EventParams>,
) -> Result<Json<EventDetailOut>, ApiError> {
    let session = date_param("session", params.session.as_deref())?;
    let EventDetail {
        upcoming,
        session,
        questions,
        voted,
        ..
    } = events::get(&state.app, ctx.actor.as_deref(), id, session).await?;
    Ok(Json(EventDetailOut {
        event: event_out(&upcoming.event, &upcoming.sessions, ctx.lang),
        session: session.map(|d| d.to_string()),
        questions: questions
            .into_iter()
            .map(|q| {
                let v = voted.contains(&q.id);
                question_out(q, v)
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionChangeIn {
    /// `cancel`, `move` (with `moved_to`) or `restore` (as planned).
    action: String,
    /// The new local start, on the event's clock (`2026-12-11T10:00`).
    moved_to: Option<String>,
}

/// Cancel, move or restore one session (staff), named by the date it was planned for.
#[utoipa::path(put, path = "/events/{id}/sessions/{date}", tag = "community", params(("id" = i64, Path), ("date" = String, Path)),
    request_body = SessionChangeIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_session(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, date)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<SessionChangeIn>,
) -> Result<StatusCode, ApiError> {
    let occurs_on = date_param("date", Some(&date))?
        .ok_or_else(|| ApiError::from(atende_domain::ParseError::Empty { field: "date" }))?;
    let change = match (body.action.as_str(), body.moved_to.as_deref()) {
        ("cancel", _) => SessionChange::Cancel,
        ("restore", _) => SessionChange::Restore,
        ("move", Some(at)) => SessionChange::MoveTo(at.parse::<DateTime>().map_err(|_| {
            ApiError::from(atende_domain::ParseError::Invalid {
                field: "moved_to",
                reason: "local_datetime",
            })
        })?),
        ("move", None) => return Err(atende_domain::ParseError::Empty { field: "moved_to" }.into()),
        _ => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "action",
                allowed: "cancel, move, restore",
            }
            .into());
        }
    };
    events::change_session(&state.app, &caller, id, occurs_on, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionIn {
    body: String,
}

/// Ask a question ahead of a coming session (registered users).
#[utoipa::path(post, path = "/events/{id}/sessions/{date}/questions", tag = "community",
    params(("id" = i64, Path), ("date" = String, Path)), request_body = QuestionIn, security(("bearer" = [])),
    responses((status = 201, body = QuestionOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ask(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, date)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<QuestionIn>,
) -> Result<(StatusCode, Json<QuestionOut>), ApiError> {
    let occurs_on = date_param("date", Some(&date))?
        .ok_or_else(|| ApiError::from(atende_domain::ParseError::Empty { field: "date" }))?;
    let question = events::ask(&state.app, &caller, id, occurs_on, &body.body).await?;
    Ok((StatusCode::CREATED, Json(question_out(question, false))))
}

/// Vote for a question: once per person, however often this is called; not for one's own.
#[utoipa::path(put, path = "/event-questions/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = events::vote(&state.app, &caller, id, true).await?;
    Ok(Json(VotesOut { votes }))
}

/// Withdraw a vote.
#[utoipa::path(delete, path = "/event-questions/{id}/vote", tag = "community", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VotesOut), (status = 404, body = ErrorBody)))]
async fn withdraw_vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VotesOut>, ApiError> {
    let votes = events::vote(&state.app, &caller, id, false).await?;
    Ok(Json(VotesOut { votes }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionHiddenIn {
    hidden: bool,
}

/// Hide or show a question (staff); logged.
#[utoipa::path(put, path = "/event-questions/{id}/hidden", tag = "community", params(("id" = i64, Path)),
    request_body = QuestionHiddenIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn hide_question(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<QuestionHiddenIn>,
) -> Result<StatusCode, ApiError> {
    events::set_question_hidden(&state.app, &caller, id, body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}
