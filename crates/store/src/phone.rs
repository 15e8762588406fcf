//! Phone support: calls logged on tickets, and customers' requests to be called back.

use jiff::Timestamp;

use crate::{
    Conn, Result,
    rows::{get_i64, get_opt_i64, get_opt_ts, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct Call {
    pub id: i64,
    pub ticket_id: i64,
    pub message_id: Option<i64>,
    pub inbound: bool,
    pub phone_number: String,
    pub duration_seconds: i64,
    pub agent_id: i64,
    pub created_at: Timestamp,
}

pub async fn insert_call(conn: &mut Conn, call: &Call) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO phone_calls (ticket_id, message_id, direction, phone_number, duration_seconds, agent_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(call.ticket_id)
    .bind(call.message_id)
    .bind(if call.inbound { "inbound" } else { "outbound" })
    .bind(&call.phone_number)
    .bind(call.duration_seconds)
    .bind(call.agent_id)
    .bind(ms(call.created_at))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

pub async fn calls_of_ticket(conn: &mut Conn, ticket_id: i64) -> Result<Vec<Call>> {
    let rows = sqlx::query(
        "SELECT id, ticket_id, message_id, direction, phone_number, duration_seconds, agent_id, created_at \
         FROM phone_calls WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Call {
                id: get_i64(r, "id")?,
                ticket_id: get_i64(r, "ticket_id")?,
                message_id: get_opt_i64(r, "message_id")?,
                inbound: get_str(r, "direction")? == "inbound",
                phone_number: get_str(r, "phone_number")?,
                duration_seconds: get_i64(r, "duration_seconds")?,
                agent_id: get_i64(r, "agent_id")?,
                created_at: get_ts(r, "created_at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Callback {
    pub id: i64,
    pub requester_id: i64,
    pub contract_id: i64,
    pub phone_number: String,
    pub preferred_at: Timestamp,
    pub subject: String,
    /// `waiting`, `done` or `cancelled`.
    pub status: String,
    pub ticket_id: Option<i64>,
    pub handled_by: Option<i64>,
    pub created_at: Timestamp,
    pub handled_at: Option<Timestamp>,
}

const CALLBACK_COLUMNS: &str = "id, requester_id, contract_id, phone_number, preferred_at, subject, status, ticket_id, \
                                handled_by, created_at, handled_at";

fn callback_from_row(r: &sqlx::any::AnyRow) -> Result<Callback> {
    Ok(Callback {
        id: get_i64(r, "id")?,
        requester_id: get_i64(r, "requester_id")?,
        contract_id: get_i64(r, "contract_id")?,
        phone_number: get_str(r, "phone_number")?,
        preferred_at: get_ts(r, "preferred_at")?,
        subject: get_str(r, "subject")?,
        status: get_str(r, "status")?,
        ticket_id: get_opt_i64(r, "ticket_id")?,
        handled_by: get_opt_i64(r, "handled_by")?,
        created_at: get_ts(r, "created_at")?,
        handled_at: get_opt_ts(r, "handled_at")?,
    })
}

pub async fn insert_callback(
    conn: &mut Conn,
    requester_id: i64,
    contract_id: i64,
    phone_number: &str,
    preferred_at: Timestamp,
    subject: &str,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO callback_requests (requester_id, contract_id, phone_number, preferred_at, subject, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'waiting', $6) RETURNING id",
    )
    .bind(requester_id)
    .bind(contract_id)
    .bind(phone_number)
    .bind(ms(preferred_at))
    .bind(subject)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// The call-back queue: waiting requests, the earliest preferred time first.
pub async fn waiting_callbacks(conn: &mut Conn, limit: i64) -> Result<Vec<Callback>> {
    let sql = format!(
        "SELECT {CALLBACK_COLUMNS} FROM callback_requests WHERE status = 'waiting' ORDER BY preferred_at, id LIMIT $1"
    );
    let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(callback_from_row).collect()
}

pub async fn callbacks_of(conn: &mut Conn, requester_id: i64, limit: i64) -> Result<Vec<Callback>> {
    let sql =
        format!("SELECT {CALLBACK_COLUMNS} FROM callback_requests WHERE requester_id = $1 ORDER BY id DESC LIMIT $2");
    let rows = sqlx::query(&sql)
        .bind(requester_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(callback_from_row).collect()
}

pub async fn get_callback(conn: &mut Conn, id: i64) -> Result<Option<Callback>> {
    let sql = format!("SELECT {CALLBACK_COLUMNS} FROM callback_requests WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(callback_from_row).transpose()
}

/// Closes a waiting request; false when it was no longer waiting (someone else handled it).
pub async fn close_callback(
    conn: &mut Conn,
    id: i64,
    status: &str,
    ticket_id: Option<i64>,
    handled_by: i64,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE callback_requests SET status = $2, ticket_id = $3, handled_by = $4, handled_at = $5 \
         WHERE id = $1 AND status = 'waiting'",
    )
    .bind(id)
    .bind(status)
    .bind(ticket_id)
    .bind(handled_by)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
