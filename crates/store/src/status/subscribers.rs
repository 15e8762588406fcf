//! Subscribers (by e-mail or webhook) and the queue of webhook deliveries.

use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Result, StoreError,
    queue::DELIVERIES,
    rows::{get_i64, get_opt_str, get_opt_ts, get_str, get_ts, ms},
};

// ---- subscribers

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub lang: String,
    /// JSON ids of the components followed; empty: all.
    pub components: String,
    pub token: String,
    pub confirmed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const SUBSCRIBER_COLUMNS: &str = "id, kind, target, lang, components, token, confirmed_at, created_at";

fn subscriber_from_row(row: &AnyRow) -> Result<Subscriber> {
    Ok(Subscriber {
        id: get_i64(row, "id")?,
        kind: get_str(row, "kind")?,
        target: get_str(row, "target")?,
        lang: get_str(row, "lang")?,
        components: get_str(row, "components")?,
        token: get_str(row, "token")?,
        confirmed_at: get_opt_ts(row, "confirmed_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// Adds an e-mail subscriber, or changes what an existing one follows (its token and its
/// confirmation stay).
pub async fn upsert_email_subscriber(
    conn: &mut Conn,
    email: &str,
    lang: &str,
    components: &str,
    token: &str,
    now: Timestamp,
) -> Result<Subscriber> {
    let sql = format!(
        "INSERT INTO status_subscribers (kind, target, lang, components, token, created_at) VALUES ('email', $1, $2, $3, $4, $5) \
         ON CONFLICT (kind, target) DO UPDATE SET lang = excluded.lang, components = excluded.components \
         RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(email)
        .bind(lang)
        .bind(components)
        .bind(token)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    subscriber_from_row(&row)
}

pub async fn confirm_subscriber(conn: &mut Conn, token: &str, now: Timestamp) -> Result<Option<Subscriber>> {
    let sql = format!(
        "UPDATE status_subscribers SET confirmed_at = COALESCE(confirmed_at, $1) WHERE token = $2 RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(ms(now))
        .bind(token)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(subscriber_from_row).transpose()
}

pub async fn delete_subscriber(conn: &mut Conn, token: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_subscribers WHERE token = $1")
        .bind(token)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn subscriber_by_token(conn: &mut Conn, token: &str) -> Result<Option<Subscriber>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers WHERE token = $1");
    let row = sqlx::query(&sql).bind(token).fetch_optional(&mut *conn).await?;
    row.as_ref().map(subscriber_from_row).transpose()
}

pub async fn confirmed_subscribers(conn: &mut Conn, kind: &str) -> Result<Vec<Subscriber>> {
    let sql = format!(
        "SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers WHERE kind = $1 AND confirmed_at IS NOT NULL ORDER BY id"
    );
    let rows = sqlx::query(&sql).bind(kind).fetch_all(&mut *conn).await?;
    rows.iter().map(subscriber_from_row).collect()
}

/// A webhook subscriber, confirmed at once (admins add them); its secret signs the payloads.
pub async fn insert_webhook_subscriber(
    conn: &mut Conn,
    url: &str,
    components: &str,
    token: &str,
    secret: &str,
    now: Timestamp,
) -> Result<Subscriber> {
    let sql = format!(
        "INSERT INTO status_subscribers (kind, target, lang, components, token, secret, confirmed_at, created_at) \
         VALUES ('webhook', $1, 'en', $2, $3, $4, $5, $5) RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(url)
        .bind(components)
        .bind(token)
        .bind(secret)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("subscriber")(e))?;
    subscriber_from_row(&row)
}

pub async fn list_subscribers(conn: &mut Conn, limit: i64) -> Result<Vec<Subscriber>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers ORDER BY id LIMIT $1");
    let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(subscriber_from_row).collect()
}

pub async fn delete_subscriber_by_id(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_subscribers WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

// ---- webhook deliveries: a durable queue with retries

/// Queues a payload for a subscriber; false when this key was queued before.
pub async fn enqueue_delivery(
    conn: &mut Conn,
    subscriber_id: i64,
    dedupe_key: &str,
    payload: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO status_deliveries (subscriber_id, dedupe_key, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(subscriber_id)
    .bind(dedupe_key)
    .bind(payload)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub payload: String,
    pub attempts: i64,
}

/// Claims what is due until `lease_until` (one process posts each), counting the attempt.
pub async fn claim_due_deliveries(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let sql = DELIVERIES.claim_sql("id, subscriber_id, payload, attempts");
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(ms(lease_until))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let subscriber_id = get_i64(row, "subscriber_id")?;
        let target = sqlx::query("SELECT target, secret FROM status_subscribers WHERE id = $1")
            .bind(subscriber_id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(target) = target else { continue };
        out.push(Delivery {
            id: get_i64(row, "id")?,
            url: get_str(&target, "target")?,
            secret: get_opt_str(&target, "secret")?.unwrap_or_default(),
            payload: get_str(row, "payload")?,
            attempts: get_i64(row, "attempts")?,
        });
    }
    out.sort_by_key(|d| d.id);
    Ok(out)
}

pub async fn mark_delivered(conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
    DELIVERIES.mark_done(conn, id, now).await
}

pub async fn mark_delivery_retry(conn: &mut Conn, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
    DELIVERIES.mark_retry(conn, id, next_attempt_at, error).await
}

/// Webhook deliveries still to go, and those given up.
pub async fn delivery_backlog(conn: &mut Conn) -> Result<(i64, i64)> {
    DELIVERIES.backlog(conn).await
}

pub async fn mark_delivery_failed(conn: &mut Conn, id: i64, now: Timestamp, error: &str) -> Result<()> {
    DELIVERIES.mark_failed(conn, id, now, error).await
}
