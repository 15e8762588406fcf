//! Events (the weekly AMA and one-off sessions), their cancelled or moved sessions, and the
//! questions asked ahead of a session with their votes (one per person).

use std::collections::HashMap;

use atende_domain::community::{EventKind, events::Exception};
use jiff::{
    Timestamp,
    civil::{Date, DateTime},
};
use sqlx::any::AnyRow;

use super::{Localized, localized_from, localized_to, votes};
use crate::{
    Conn, Filter, Result, StoreError,
    rows::{get_bool, get_i64, get_opt_i64, get_opt_str, get_parsed, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    /// `{"es": {"title": .., "description": ..}, ..}`
    pub texts: Localized,
    /// The first session's start on the clock of `time_zone`.
    pub starts_at: DateTime,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub weekly: bool,
    pub until_on: Option<Date>,
    /// Where it happens: a link to the live stream, or a place.
    pub location: String,
    pub published: bool,
    pub updated_at: Timestamp,
}

/// An event as staff write it.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub kind: EventKind,
    pub texts: Localized,
    pub starts_at: DateTime,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub weekly: bool,
    pub until_on: Option<Date>,
    pub location: String,
    pub published: bool,
}

fn parse<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("event {what}: {raw}")))
}

fn event_from(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        id: get_i64(row, "id")?,
        kind: get_parsed(row, "kind")?,
        texts: localized_from(&get_str(row, "texts")?)?,
        starts_at: parse(&get_str(row, "starts_at")?, "start")?,
        time_zone: get_str(row, "time_zone")?,
        duration_minutes: get_i64(row, "duration_minutes")?,
        weekly: get_bool(row, "weekly")?,
        until_on: get_opt_str(row, "until_on")?.map(|d| parse(&d, "end")).transpose()?,
        location: get_str(row, "location")?,
        published: get_bool(row, "published")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

const EVENT: &str = "SELECT id, kind, texts, starts_at, time_zone, duration_minutes, weekly, until_on, location, \
    published, updated_at FROM events";

pub async fn events(conn: &mut Conn, published_only: bool) -> Result<Vec<Event>> {
    let sql = if published_only {
        format!("{EVENT} WHERE published = $1 ORDER BY id")
    } else {
        format!("{EVENT} ORDER BY id")
    };
    let mut query = sqlx::query(&sql);
    if published_only {
        query = query.bind(true);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(event_from).collect()
}

pub async fn event(conn: &mut Conn, id: i64) -> Result<Option<Event>> {
    let sql = format!("{EVENT} WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(event_from).transpose()
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM events")
        .fetch_one(&mut *conn)
        .await?;
    get_i64(&row, "n")
}

pub async fn insert(conn: &mut Conn, e: &EventRecord, by: Option<i64>, now: Timestamp) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO events (kind, texts, starts_at, time_zone, duration_minutes, weekly, until_on, location, published, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(e.kind.code())
    .bind(localized_to(&e.texts)?)
    .bind(e.starts_at.to_string())
    .bind(e.time_zone.clone())
    .bind(e.duration_minutes)
    .bind(e.weekly)
    .bind(e.until_on.map(|d| d.to_string()))
    .bind(e.location.clone())
    .bind(e.published)
    .bind(by)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// Whether the event existed.
pub async fn update(conn: &mut Conn, id: i64, e: &EventRecord, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE events SET kind = $1, texts = $2, starts_at = $3, time_zone = $4, duration_minutes = $5, weekly = $6, \
         until_on = $7, location = $8, published = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(e.kind.code())
    .bind(localized_to(&e.texts)?)
    .bind(e.starts_at.to_string())
    .bind(e.time_zone.clone())
    .bind(e.duration_minutes)
    .bind(e.weekly)
    .bind(e.until_on.map(|d| d.to_string()))
    .bind(e.location.clone())
    .bind(e.published)
    .bind(ms(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The cancelled and moved sessions of each event.
pub async fn exceptions(conn: &mut Conn, events: &[i64]) -> Result<HashMap<i64, Vec<Exception>>> {
    let mut all: HashMap<i64, Vec<Exception>> = HashMap::new();
    if events.is_empty() {
        return Ok(all);
    }
    let filter = Filter::new().int_in("event_id", events);
    let sql = format!(
        "SELECT event_id, occurs_on, cancelled, moved_to FROM event_exceptions {} ORDER BY occurs_on",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        all.entry(get_i64(&row, "event_id")?).or_default().push(Exception {
            occurs_on: parse(&get_str(&row, "occurs_on")?, "session date")?,
            cancelled: get_bool(&row, "cancelled")?,
            moved_to: get_opt_str(&row, "moved_to")?
                .map(|d| parse(&d, "moved start"))
                .transpose()?,
        });
    }
    Ok(all)
}

pub async fn set_exception(conn: &mut Conn, event: i64, x: &Exception, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO event_exceptions (event_id, occurs_on, cancelled, moved_to) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (event_id, occurs_on) DO UPDATE SET cancelled = $3, moved_to = $4",
    )
    .bind(event)
    .bind(x.occurs_on.to_string())
    .bind(x.cancelled)
    .bind(x.moved_to.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    touch(conn, event, now).await
}

/// Whether there was an exception to remove (the session is back as planned).
pub async fn remove_exception(conn: &mut Conn, event: i64, occurs_on: Date, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("DELETE FROM event_exceptions WHERE event_id = $1 AND occurs_on = $2")
        .bind(event)
        .bind(occurs_on.to_string())
        .execute(&mut *conn)
        .await?;
    touch(conn, event, now).await?;
    Ok(done.rows_affected() > 0)
}

async fn touch(conn: &mut Conn, event: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE events SET updated_at = $1 WHERE id = $2")
        .bind(ms(now))
        .bind(event)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: i64,
    pub event_id: i64,
    pub occurs_on: Date,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub hidden: bool,
    pub votes: i64,
    pub created_at: Timestamp,
}

const QUESTION: &str = "SELECT q.id, q.event_id, q.occurs_on, q.author_id, u.name AS author_name, q.body, q.hidden, q.votes, \
    q.created_at FROM event_questions q LEFT JOIN users u ON u.id = q.author_id";

fn question_from(row: &AnyRow) -> Result<Question> {
    Ok(Question {
        id: get_i64(row, "id")?,
        event_id: get_i64(row, "event_id")?,
        occurs_on: parse(&get_str(row, "occurs_on")?, "session date")?,
        author_id: get_opt_i64(row, "author_id")?,
        author_name: get_opt_str(row, "author_name")?,
        body: get_str(row, "body")?,
        hidden: get_bool(row, "hidden")?,
        votes: get_i64(row, "votes")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// A session's questions, most voted first (hidden ones only when asked).
pub async fn questions(conn: &mut Conn, event: i64, occurs_on: Date, with_hidden: bool) -> Result<Vec<Question>> {
    let hidden = if with_hidden { "" } else { "AND q.hidden = $3" };
    let sql = format!("{QUESTION} WHERE q.event_id = $1 AND q.occurs_on = $2 {hidden} ORDER BY q.votes DESC, q.id");
    let mut query = sqlx::query(&sql).bind(event).bind(occurs_on.to_string());
    if !with_hidden {
        query = query.bind(false);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(question_from).collect()
}

pub async fn question(conn: &mut Conn, id: i64) -> Result<Option<Question>> {
    let sql = format!("{QUESTION} WHERE q.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(question_from).transpose()
}

pub async fn insert_question(
    conn: &mut Conn,
    event: i64,
    occurs_on: Date,
    author: i64,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO event_questions (event_id, occurs_on, author_id, body, hidden, votes, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
    )
    .bind(event)
    .bind(occurs_on.to_string())
    .bind(author)
    .bind(body)
    .bind(false)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

pub async fn set_question_hidden(conn: &mut Conn, id: i64, hidden: bool) -> Result<bool> {
    let done = sqlx::query("UPDATE event_questions SET hidden = $1 WHERE id = $2")
        .bind(hidden)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds (or withdraws) the user's vote; the question's new count.
pub async fn set_question_vote(conn: &mut Conn, id: i64, user: i64, up: bool, now: Timestamp) -> Result<i64> {
    votes::cast(conn, &votes::QUESTIONS, id, user, up, now).await
}

/// Which of `ids` the user voted for.
pub async fn voted_questions(conn: &mut Conn, user: i64, ids: &[i64]) -> Result<Vec<i64>> {
    votes::voted_among(conn, &votes::QUESTIONS, user, ids).await
}
