//! Events: the weekly AMA and one-off sessions. Everyone sees the next sessions (in their own
//! zone, by the page) and subscribes to the iCalendar feed; registered users ask questions ahead
//! of a session and vote for others' (once each); staff plan events, cancel or move a session and
//! hide questions.

use atende_domain::{
    Lang, ParseError,
    community::{
        EventKind,
        calendar::{CalendarEvent, calendar},
        events::{Exception, Schedule, Session},
    },
    text::bounded,
};
use atende_store::community::{
    self as community_store, Localized,
    events::{self as store, EventRecord},
};
use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};

pub use atende_store::community::events::{Event, Question};

use crate::{Actor, App, AppError, Result, auth::commit};

/// How far ahead the pages list sessions.
const AHEAD_DAYS: i64 = 8 * 7;

fn schedule(event: &Event) -> Result<Schedule> {
    let tz = TimeZone::get(&event.time_zone)
        .map_err(|_| AppError::Internal(format!("event {}: unknown zone {}", event.id, event.time_zone)))?;
    Ok(Schedule {
        first_start: event.starts_at,
        tz,
        duration_minutes: event.duration_minutes,
        weekly: event.weekly,
        until: event.until_on,
    })
}

/// An event with its coming sessions.
pub struct Upcoming {
    pub event: Event,
    pub sessions: Vec<Session>,
}

fn upcoming(event: Event, exceptions: &[Exception], now: Timestamp, max: usize) -> Result<Upcoming> {
    let to = now
        .checked_add(SignedDuration::from_hours(24 * AHEAD_DAYS))
        .unwrap_or(now);
    let sessions = schedule(&event)?.sessions(exceptions, now, to, max);
    Ok(Upcoming { event, sessions })
}

/// Published events (staff: all) with their next sessions, the soonest first.
pub async fn list(app: &App, actor: Option<&Actor>) -> Result<Vec<Upcoming>> {
    let staff = actor.is_some_and(Actor::is_staff);
    let mut conn = app.db.read().await?;
    let events = store::events(&mut conn, !staff).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let mut exceptions = store::exceptions(&mut conn, &ids).await?;
    let now = app.clock.now();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let x = exceptions.remove(&event.id).unwrap_or_default();
        out.push(upcoming(event, &x, now, 4)?);
    }
    out.sort_by_key(|u| {
        u.sessions
            .first()
            .map(|s| s.start.timestamp())
            .unwrap_or(Timestamp::MAX)
    });
    Ok(out)
}

async fn visible(conn: &mut atende_store::Conn, actor: Option<&Actor>, id: i64) -> Result<Event> {
    match store::event(conn, id).await? {
        Some(e) if e.published || actor.is_some_and(Actor::is_staff) => Ok(e),
        _ => Err(AppError::NotFound("event")),
    }
}

/// An event's page: its next sessions, its exceptions, and one session's questions.
pub struct EventDetail {
    pub upcoming: Upcoming,
    pub exceptions: Vec<Exception>,
    /// The session whose questions are shown (the next one unless another is asked for).
    pub session: Option<Date>,
    pub questions: Vec<Question>,
    /// The questions the reader voted for.
    pub voted: Vec<i64>,
}

pub async fn get(app: &App, actor: Option<&Actor>, id: i64, session: Option<Date>) -> Result<EventDetail> {
    let mut conn = app.db.read().await?;
    let event = visible(&mut conn, actor, id).await?;
    let exceptions = store::exceptions(&mut conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let upcoming = upcoming(event, &exceptions, app.clock.now(), 8)?;
    let session = session.or_else(|| upcoming.sessions.first().map(|s| s.occurs_on));
    let staff = actor.is_some_and(Actor::is_staff);
    let questions = match session {
        Some(date) => store::questions(&mut conn, id, date, staff).await?,
        None => Vec::new(),
    };
    let voted = match actor {
        Some(a) => {
            let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
            store::voted_questions(&mut conn, a.id(), &ids).await?
        }
        None => Vec::new(),
    };
    Ok(EventDetail {
        upcoming,
        exceptions,
        session,
        questions,
        voted,
    })
}

/// An event as staff write it.
#[derive(Debug, Clone)]
pub struct EventInput {
    pub kind: EventKind,
    /// (language, title, description); at least one.
    pub texts: Vec<(Lang, String, String)>,
    pub starts_at: DateTime,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub weekly: bool,
    pub until_on: Option<Date>,
    pub location: String,
    pub published: bool,
}

fn check(input: EventInput) -> Result<EventRecord> {
    if input.texts.is_empty() {
        return Err(ParseError::Empty { field: "texts" }.into());
    }
    let mut texts = Localized::new();
    for (lang, title, description) in input.texts {
        if texts.contains_key(lang.code()) {
            return Err(ParseError::Invalid {
                field: "texts",
                reason: "one_per_language",
            }
            .into());
        }
        let mut t = std::collections::BTreeMap::new();
        t.insert("title".to_owned(), bounded("title", &title, 200)?);
        t.insert(
            "description".to_owned(),
            description.trim().chars().take(5_000).collect(),
        );
        texts.insert(lang.code().to_owned(), t);
    }
    let tz = TimeZone::get(input.time_zone.trim()).map_err(|_| ParseError::Invalid {
        field: "time_zone",
        reason: "time_zone_unknown",
    })?;
    let weekly = input.weekly || input.kind == EventKind::Ama;
    Schedule {
        first_start: input.starts_at,
        tz,
        duration_minutes: input.duration_minutes,
        weekly,
        until: input.until_on,
    }
    .check()?;
    let location = input.location.trim().to_owned();
    if location.chars().count() > 500 {
        return Err(ParseError::TooLong {
            field: "location",
            max: 500,
        }
        .into());
    }
    Ok(EventRecord {
        kind: input.kind,
        texts,
        starts_at: input.starts_at,
        time_zone: input.time_zone.trim().to_owned(),
        duration_minutes: input.duration_minutes,
        weekly,
        until_on: if weekly { input.until_on } else { None },
        location,
        published: input.published,
    })
}

/// Staff create (`id` None) or rewrite an event.
pub async fn save(app: &App, actor: &Actor, id: Option<i64>, input: EventInput) -> Result<Event> {
    actor.require_staff()?;
    let record = check(input)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = match id {
        Some(id) => {
            if !store::update(&mut tx, id, &record, now).await? {
                return Err(AppError::NotFound("event"));
            }
            id
        }
        None => store::insert(&mut tx, &record, Some(actor.id()), now).await?,
    };
    let event = store::event(&mut tx, id).await?.ok_or(AppError::NotFound("event"))?;
    commit(tx).await?;
    Ok(event)
}

/// What happens to one planned session.
#[derive(Debug, Clone, Copy)]
pub enum SessionChange {
    Cancel,
    MoveTo(DateTime),
    /// Back as planned.
    Restore,
}

/// Staff cancel, move or restore the session planned for `occurs_on`.
pub async fn change_session(app: &App, actor: &Actor, id: i64, occurs_on: Date, change: SessionChange) -> Result<()> {
    actor.require_staff()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let event = store::event(&mut tx, id).await?.ok_or(AppError::NotFound("event"))?;
    let schedule = schedule(&event)?;
    if !schedule.plans(occurs_on) {
        return Err(AppError::Rejected("event.no_session_that_day"));
    }
    match change {
        SessionChange::Restore => {
            store::remove_exception(&mut tx, id, occurs_on, now).await?;
        }
        SessionChange::Cancel | SessionChange::MoveTo(_) => {
            let moved_to = match change {
                SessionChange::MoveTo(at) => {
                    at.to_zoned(schedule.tz.clone()).map_err(|_| ParseError::Invalid {
                        field: "moved_to",
                        reason: "instant",
                    })?;
                    Some(at)
                }
                _ => None,
            };
            let x = Exception {
                occurs_on,
                cancelled: moved_to.is_none(),
                moved_to,
            };
            store::set_exception(&mut tx, id, &x, now).await?;
        }
    }
    commit(tx).await
}

/// Asks a question ahead of a session that has not ended.
pub async fn ask(app: &App, actor: &Actor, id: i64, occurs_on: Date, body: &str) -> Result<Question> {
    let body = bounded("body", body, 1_000)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let event = visible(&mut tx, Some(actor), id).await?;
    let exceptions = store::exceptions(&mut tx, &[id]).await?.remove(&id).unwrap_or_default();
    let coming = upcoming(event, &exceptions, now, 64)?;
    if !coming.sessions.iter().any(|s| s.occurs_on == occurs_on) {
        return Err(AppError::Rejected("event.session_not_coming"));
    }
    let qid = store::insert_question(&mut tx, id, occurs_on, actor.id(), &body, now).await?;
    let question = store::question(&mut tx, qid)
        .await?
        .ok_or(AppError::NotFound("question"))?;
    commit(tx).await?;
    Ok(question)
}

/// Votes for a question (once per person; not one's own) or withdraws the vote; the count.
pub async fn vote(app: &App, actor: &Actor, question_id: i64, up: bool) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    let question = match store::question(&mut tx, question_id).await? {
        Some(q) if !q.hidden || actor.is_staff() => q,
        _ => return Err(AppError::NotFound("question")),
    };
    visible(&mut tx, Some(actor), question.event_id).await?;
    if up && question.author_id == Some(actor.id()) {
        return Err(AppError::Rejected("post.own_vote"));
    }
    let votes = store::set_question_vote(&mut tx, question_id, actor.id(), up, app.clock.now()).await?;
    commit(tx).await?;
    Ok(votes)
}

/// Staff hide (or show again) a question; logged.
pub async fn set_question_hidden(app: &App, actor: &Actor, question_id: i64, hidden: bool) -> Result<()> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    if !store::set_question_hidden(&mut tx, question_id, hidden).await? {
        return Err(AppError::NotFound("question"));
    }
    let action = if hidden { "hide" } else { "show" };
    community_store::log_moderation(
        &mut tx,
        "question",
        question_id,
        action,
        actor.id(),
        "",
        app.clock.now(),
    )
    .await?;
    commit(tx).await
}

/// The iCalendar feed of the published events (one event when `only` names it), in `lang`.
pub async fn feed(app: &App, lang: Lang, only: Option<i64>) -> Result<String> {
    let mut conn = app.db.read().await?;
    let mut events = store::events(&mut conn, true).await?;
    if let Some(id) = only {
        events.retain(|e| e.id == id);
        if events.is_empty() {
            return Err(AppError::NotFound("event"));
        }
    }
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let exceptions = store::exceptions(&mut conn, &ids).await?;
    let base = app.settings.public_url.trim_end_matches('/');
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .split('/')
        .next()
        .unwrap_or("atende");
    let schedules: Vec<Schedule> = events.iter().map(schedule).collect::<Result<_>>()?;
    let texts: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (
                super::localized(&e.texts, lang, "title"),
                super::localized(&e.texts, lang, "description"),
            )
        })
        .collect();
    let none = Vec::new();
    let items: Vec<CalendarEvent<'_>> = events
        .iter()
        .zip(&schedules)
        .zip(&texts)
        .map(|((e, s), (title, description))| CalendarEvent {
            uid: format!("event-{}@{host}", e.id),
            summary: title,
            description,
            location: &e.location,
            url: format!("{base}/events/{}", e.id),
            schedule: s,
            exceptions: exceptions.get(&e.id).unwrap_or(&none),
            stamp: e.updated_at,
        })
        .collect();
    let name = crate::i18n::I18n::shared().text(lang, "events-calendar-name", &[]);
    Ok(calendar(&name, &items, app.clock.now()))
}
