//! The smart contact's storage: conversations (one per channel identity, with the bot's state),
//! what was said in them both ways, and the WhatsApp outbox (a durable queue).

use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Result,
    queue::WHATSAPP,
    rows::{get_i64, get_opt_i64, get_opt_str, get_opt_ts, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: i64,
    /// `whatsapp` or `webchat`.
    pub channel: String,
    pub identity: String,
    pub user_id: Option<i64>,
    pub display_name: String,
    /// The bot's state, as JSON.
    pub state: String,
    pub last_inbound_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

const CONVERSATION_COLUMNS: &str = "id, channel, identity, user_id, display_name, state, last_inbound_at, updated_at";

fn conversation_from(row: &AnyRow) -> Result<Conversation> {
    Ok(Conversation {
        id: get_i64(row, "id")?,
        channel: get_str(row, "channel")?,
        identity: get_str(row, "identity")?,
        user_id: get_opt_i64(row, "user_id")?,
        display_name: get_str(row, "display_name")?,
        state: get_str(row, "state")?,
        last_inbound_at: get_opt_ts(row, "last_inbound_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// The conversation of a channel identity, made when it is new (with `initial_state`).
pub async fn open(
    conn: &mut Conn,
    channel: &str,
    identity: &str,
    display_name: &str,
    initial_state: &str,
    now: Timestamp,
) -> Result<Conversation> {
    // Most messages continue a conversation: one read then. A new one is inserted; if another
    // process inserted it first, the read after finds theirs.
    if let Some(conversation) = by_identity(conn, channel, identity).await? {
        return Ok(conversation);
    }
    let insert = format!(
        "INSERT INTO conversations (channel, identity, display_name, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (channel, identity) DO NOTHING RETURNING {CONVERSATION_COLUMNS}"
    );
    let inserted = sqlx::query(&insert)
        .bind(channel)
        .bind(identity)
        .bind(display_name)
        .bind(initial_state)
        .bind(ms(now))
        .fetch_optional(&mut *conn)
        .await?;
    match inserted {
        Some(row) => conversation_from(&row),
        None => by_identity(conn, channel, identity)
            .await?
            // Inserted by another and gone again at once: as `fetch_one` would say.
            .ok_or(crate::StoreError::Database(sqlx::Error::RowNotFound)),
    }
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Conversation>> {
    let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(conversation_from).transpose()
}

/// The user's conversations on a channel, the most recently active first.
pub async fn of_user(conn: &mut Conn, user_id: i64) -> Result<Vec<Conversation>> {
    let sql = format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE user_id = $1 ORDER BY updated_at DESC, id DESC"
    );
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(&mut *conn).await?;
    rows.iter().map(conversation_from).collect()
}

/// Saves the bot's state, who the person is, and (for a message from them) when they last wrote.
pub async fn save(
    conn: &mut Conn,
    id: i64,
    user_id: Option<i64>,
    state: &str,
    inbound_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE conversations SET user_id = $1, state = $2, last_inbound_at = COALESCE($3, last_inbound_at), \
         updated_at = $4 WHERE id = $5",
    )
    .bind(user_id)
    .bind(state)
    .bind(inbound_at.map(ms))
    .bind(ms(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Said {
    pub id: i64,
    pub conversation_id: i64,
    /// `in` or `out`.
    pub direction: String,
    pub body: String,
    /// The words with their options (JSON), or empty.
    pub payload: String,
    pub external_id: Option<String>,
    pub status: String,
    pub error: String,
    pub ticket_id: Option<i64>,
    pub created_at: Timestamp,
}

const SAID: &str = "SELECT id, conversation_id, direction, body, payload, external_id, status, error, ticket_id, created_at \
    FROM conversation_messages";

fn said_from(row: &AnyRow) -> Result<Said> {
    Ok(Said {
        id: get_i64(row, "id")?,
        conversation_id: get_i64(row, "conversation_id")?,
        direction: get_str(row, "direction")?,
        body: get_str(row, "body")?,
        payload: get_str(row, "payload")?,
        external_id: get_opt_str(row, "external_id")?,
        status: get_str(row, "status")?,
        error: get_str(row, "error")?,
        ticket_id: get_opt_i64(row, "ticket_id")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// Records a message from the person; `None` when a message with this channel id was taken
/// before (a webhook delivered twice).
pub async fn record_inbound(
    conn: &mut Conn,
    conversation: i64,
    body: &str,
    external_id: Option<&str>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let row = sqlx::query(
        "INSERT INTO conversation_messages (conversation_id, direction, body, payload, external_id, status, error, created_at, updated_at) \
         VALUES ($1, 'in', $2, '', $3, 'received', '', $4, $4) ON CONFLICT (external_id) DO NOTHING RETURNING id",
    )
    .bind(conversation)
    .bind(body)
    .bind(external_id)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(|r| get_i64(r, "id")).transpose()
}

/// Records what the bot or an agent says; `status` is `queued` for a channel that sends later,
/// `sent` for one that shows it at once.
pub async fn record_outbound(
    conn: &mut Conn,
    conversation: i64,
    body: &str,
    payload: &str,
    status: &str,
    ticket_id: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO conversation_messages (conversation_id, direction, body, payload, status, error, ticket_id, created_at, updated_at) \
         VALUES ($1, 'out', $2, $3, $4, '', $5, $6, $6) RETURNING id",
    )
    .bind(conversation)
    .bind(body)
    .bind(payload)
    .bind(status)
    .bind(ticket_id)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// Ties a message to the ticket it went into (or came from).
pub async fn link_ticket(conn: &mut Conn, message: i64, ticket: i64) -> Result<()> {
    sqlx::query("UPDATE conversation_messages SET ticket_id = $1 WHERE id = $2")
        .bind(ticket)
        .bind(message)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A conversation's messages in order, the latest `limit` of them.
pub async fn messages(conn: &mut Conn, conversation: i64, limit: i64) -> Result<Vec<Said>> {
    let sql = format!("SELECT * FROM ({SAID} WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id");
    let rows = sqlx::query(&sql)
        .bind(conversation)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(said_from).collect()
}

/// The messages of every conversation that led to or went through a ticket.
pub async fn messages_of_ticket(conn: &mut Conn, ticket: i64) -> Result<Vec<Said>> {
    let sql = format!(
        "{SAID} WHERE conversation_id IN (SELECT conversation_id FROM conversation_messages WHERE ticket_id = $1) ORDER BY id"
    );
    let rows = sqlx::query(&sql).bind(ticket).fetch_all(&mut *conn).await?;
    rows.iter().map(said_from).collect()
}

/// Messages of a web chat conversation after `after` (what a reconnecting widget has not seen).
pub async fn messages_after(conn: &mut Conn, conversation: i64, after: i64) -> Result<Vec<Said>> {
    let sql = format!("{SAID} WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT 200");
    let rows = sqlx::query(&sql)
        .bind(conversation)
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(said_from).collect()
}

/// Records a delivery status the channel reported for a message it sent (by its channel id);
/// a status never goes back (a late `delivered` after `read` changes nothing).
pub async fn set_status(conn: &mut Conn, external_id: &str, status: &str, error: &str, now: Timestamp) -> Result<bool> {
    let rank = |s: &str| match s {
        "queued" => 0,
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        _ => 4,
    };
    let row = sqlx::query("SELECT id, status FROM conversation_messages WHERE external_id = $1")
        .bind(external_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let current = get_str(&row, "status")?;
    if status != "failed" && rank(status) <= rank(&current) {
        return Ok(true);
    }
    sqlx::query("UPDATE conversation_messages SET status = $1, error = $2, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(error)
        .bind(ms(now))
        .bind(get_i64(&row, "id")?)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Marks an outbound message sent, with the channel's id for it.
pub async fn mark_sent(conn: &mut Conn, message: i64, external_id: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE conversation_messages SET status = 'sent', external_id = $1, updated_at = $2 WHERE id = $3")
        .bind(external_id)
        .bind(ms(now))
        .bind(message)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn mark_failed(conn: &mut Conn, message: i64, error: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE conversation_messages SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3")
        .bind(error)
        .bind(ms(now))
        .bind(message)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Queues a WhatsApp message for sending.
pub async fn queue_whatsapp(
    conn: &mut Conn,
    message: i64,
    recipient: &str,
    payload: &str,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO whatsapp_outbox (message_id, recipient, payload, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, 0, $4, $4) RETURNING id",
    )
    .bind(message)
    .bind(recipient)
    .bind(payload)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// A WhatsApp message claimed for sending.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub message_id: i64,
    pub recipient: String,
    pub payload: String,
    pub attempts: i64,
}

/// Claims up to `limit` messages due at `now` for `lease` (another process skips them meanwhile).
pub async fn claim_whatsapp(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<Outgoing>> {
    let sql = WHATSAPP.claim_sql("id, message_id, recipient, payload, attempts");
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(ms(lease_until))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Outgoing {
                id: get_i64(row, "id")?,
                message_id: get_i64(row, "message_id")?,
                recipient: get_str(row, "recipient")?,
                payload: get_str(row, "payload")?,
                attempts: get_i64(row, "attempts")?,
            })
        })
        .collect()
}

/// The outbox row was sent (its message carries the channel's id, see `mark_sent`).
pub async fn outbox_done(conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
    WHATSAPP.mark_done(conn, id, now).await
}

pub async fn outbox_retry(conn: &mut Conn, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
    WHATSAPP.mark_retry(conn, id, next_attempt_at, error).await
}

pub async fn outbox_failed(conn: &mut Conn, id: i64, now: Timestamp, error: &str) -> Result<()> {
    WHATSAPP.mark_failed(conn, id, now, error).await
}

/// Messages waiting to be sent, and given up.
pub async fn whatsapp_backlog(conn: &mut Conn) -> Result<(i64, i64)> {
    crate::queue::WHATSAPP.backlog(conn).await
}

/// The user a WhatsApp number belongs to (digits only, as WhatsApp gives them).
pub async fn user_of_number(conn: &mut Conn, number: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT user_id FROM identities WHERE kind = 'whatsapp' AND value = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(|r| get_i64(r, "user_id")).transpose()
}

/// The user who linked this WhatsApp number, in one read.
pub async fn person_of_number(conn: &mut Conn, number: &str) -> Result<Option<atende_domain::entities::User>> {
    let sql = format!(
        "SELECT {} FROM identities i JOIN users u ON u.id = i.user_id WHERE i.kind = 'whatsapp' AND i.value = $1",
        crate::directory::user_columns_of("u")
    );
    let row = sqlx::query(&sql).bind(number).fetch_optional(&mut *conn).await?;
    row.as_ref().map(crate::directory::user_from_row).transpose()
}

/// The user's WhatsApp number, if they linked one.
pub async fn number_of_user(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM identities WHERE kind = 'whatsapp' AND user_id = $1 ORDER BY id LIMIT 1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(|r| get_str(r, "value")).transpose()
}

/// Links a WhatsApp number to a user (replacing the one they had); a number another user has
/// is a conflict.
pub async fn link_number(conn: &mut Conn, user_id: i64, number: &str, now: Timestamp) -> Result<()> {
    if let Some(owner) = user_of_number(conn, number).await?
        && owner != user_id
    {
        return Err(crate::StoreError::Conflict("whatsapp.number_taken"));
    }
    sqlx::query("DELETE FROM identities WHERE kind = 'whatsapp' AND user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO identities (user_id, kind, value, created_at) VALUES ($1, 'whatsapp', $2, $3)")
        .bind(user_id)
        .bind(number)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    // A conversation the number already had is now the user's.
    sqlx::query("UPDATE conversations SET user_id = $1 WHERE channel = 'whatsapp' AND identity = $2")
        .bind(user_id)
        .bind(number)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn unlink_number(conn: &mut Conn, user_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM identities WHERE kind = 'whatsapp' AND user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE conversations SET user_id = NULL WHERE channel = 'whatsapp' AND user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A file a person sent in a conversation, kept until a ticket takes it.
#[derive(Debug, Clone)]
pub struct SentFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
}

pub async fn insert_file(
    conn: &mut Conn,
    conversation: i64,
    file_name: &str,
    content_type: &str,
    sha256: &str,
    size: i64,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO conversation_files (conversation_id, file_name, content_type, sha256, size, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(conversation)
    .bind(file_name)
    .bind(content_type)
    .bind(sha256)
    .bind(size)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// The conversation's files among `ids`.
pub async fn files(conn: &mut Conn, conversation: i64, ids: &[i64]) -> Result<Vec<SentFile>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = crate::Filter::new()
        .int_eq("conversation_id", conversation)
        .int_in("id", ids);
    let sql = format!(
        "SELECT id, file_name, content_type, sha256 FROM conversation_files {} ORDER BY id",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(SentFile {
                id: get_i64(r, "id")?,
                file_name: get_str(r, "file_name")?,
                content_type: get_str(r, "content_type")?,
                sha256: get_str(r, "sha256")?,
            })
        })
        .collect()
}

/// Keeps a one-time code for a web chat visitor (one at a time: a new one replaces the last).
pub async fn put_code(
    conn: &mut Conn,
    identity: &str,
    user_id: i64,
    code_hash: &str,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_codes (identity, user_id, code_hash, attempts, expires_at) VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (identity) DO UPDATE SET user_id = $2, code_hash = $3, attempts = 0, expires_at = $4",
    )
    .bind(identity)
    .bind(user_id)
    .bind(code_hash)
    .bind(ms(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The user a visitor's code names when `code_hash` is right and in time; every try counts, and
/// after five the code is gone.
pub async fn take_code(conn: &mut Conn, identity: &str, code_hash: &str, now: Timestamp) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT user_id, code_hash, attempts, expires_at FROM chat_codes WHERE identity = $1")
        .bind(identity)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let fresh = get_i64(&row, "expires_at")? > ms(now) && get_i64(&row, "attempts")? < 5;
    if fresh && get_str(&row, "code_hash")? == code_hash {
        sqlx::query("DELETE FROM chat_codes WHERE identity = $1")
            .bind(identity)
            .execute(&mut *conn)
            .await?;
        return Ok(Some(get_i64(&row, "user_id")?));
    }
    sqlx::query("UPDATE chat_codes SET attempts = attempts + 1 WHERE identity = $1")
        .bind(identity)
        .execute(&mut *conn)
        .await?;
    Ok(None)
}

/// Marks the bot's and agents' messages up to `up_to` read by the person.
pub async fn mark_read(conn: &mut Conn, conversation: i64, up_to: i64, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE conversation_messages SET status = 'read', updated_at = $1 WHERE conversation_id = $2 AND id <= $3 \
         AND direction = 'out' AND status <> 'read'",
    )
    .bind(ms(now))
    .bind(conversation)
    .bind(up_to)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The user's most recent conversation on a channel.
pub async fn latest_of_user(conn: &mut Conn, user_id: i64, channel: &str) -> Result<Option<Conversation>> {
    let sql = format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE user_id = $1 AND channel = $2 ORDER BY updated_at DESC, id DESC LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(user_id)
        .bind(channel)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(conversation_from).transpose()
}

/// Sets who the person of a conversation is.
pub async fn set_user(conn: &mut Conn, id: i64, user_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE conversations SET user_id = $1, updated_at = $2 WHERE id = $3")
        .bind(user_id)
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn by_identity(conn: &mut Conn, channel: &str, identity: &str) -> Result<Option<Conversation>> {
    let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE channel = $1 AND identity = $2");
    let row = sqlx::query(&sql)
        .bind(channel)
        .bind(identity)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(conversation_from).transpose()
}
