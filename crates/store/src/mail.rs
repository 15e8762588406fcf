//! The e-mail channel's records: mailboxes, received messages (the access queue among them),
//! the Message-IDs that thread conversations, and the outbox.

use jiff::Timestamp;
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, Result, StoreError,
    queue::OUTBOX,
    rows::{get_bool, get_i64, get_opt_i64, get_opt_str, get_opt_ts, get_str, get_ts, ms},
};

// ---- mailboxes

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub id: i64,
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_tls: bool,
    pub imap_username: String,
    pub imap_password: String,
    pub folder: String,
    pub active: bool,
    pub uid_validity: i64,
    pub last_uid: i64,
    pub last_error: Option<String>,
    pub polled_at: Option<Timestamp>,
}

const MAILBOX_COLUMNS: &str = "id, address, imap_host, imap_port, imap_tls, imap_username, imap_password, folder, active, uid_validity, last_uid, last_error, polled_at";

fn mailbox_from_row(row: &AnyRow) -> Result<Mailbox> {
    Ok(Mailbox {
        id: get_i64(row, "id")?,
        address: get_str(row, "address")?,
        imap_host: get_str(row, "imap_host")?,
        imap_port: get_i64(row, "imap_port")?,
        imap_tls: get_bool(row, "imap_tls")?,
        imap_username: get_str(row, "imap_username")?,
        imap_password: get_str(row, "imap_password")?,
        folder: get_str(row, "folder")?,
        active: get_bool(row, "active")?,
        uid_validity: get_i64(row, "uid_validity")?,
        last_uid: get_i64(row, "last_uid")?,
        last_error: get_opt_str(row, "last_error")?,
        polled_at: get_opt_ts(row, "polled_at")?,
    })
}

/// A mailbox's settings as an admin gives them.
pub struct MailboxSettings<'a> {
    pub address: &'a str,
    pub imap_host: &'a str,
    pub imap_port: i64,
    pub imap_tls: bool,
    pub imap_username: &'a str,
    pub imap_password: &'a str,
    pub folder: &'a str,
    pub active: bool,
}

pub async fn insert_mailbox(conn: &mut Conn, m: &MailboxSettings<'_>, now: Timestamp) -> Result<Mailbox> {
    let sql = format!(
        "INSERT INTO mailboxes (address, imap_host, imap_port, imap_tls, imap_username, imap_password, folder, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {MAILBOX_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(m.address)
        .bind(m.imap_host)
        .bind(m.imap_port)
        .bind(m.imap_tls)
        .bind(m.imap_username)
        .bind(m.imap_password)
        .bind(m.folder)
        .bind(m.active)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("mailbox")(e))?;
    mailbox_from_row(&row)
}

/// Changes the settings; a new host, user or folder starts reading from the beginning.
pub async fn update_mailbox(conn: &mut Conn, id: i64, m: &MailboxSettings<'_>) -> Result<Option<Mailbox>> {
    let sql = format!(
        "UPDATE mailboxes SET address = $1, imap_host = $2, imap_port = $3, imap_tls = $4, imap_username = $5, \
         imap_password = $6, folder = $7, active = $8, \
         uid_validity = CASE WHEN imap_host = $2 AND imap_username = $5 AND folder = $7 THEN uid_validity ELSE 0 END, \
         last_uid = CASE WHEN imap_host = $2 AND imap_username = $5 AND folder = $7 THEN last_uid ELSE 0 END, \
         last_error = NULL WHERE id = $9 RETURNING {MAILBOX_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(m.address)
        .bind(m.imap_host)
        .bind(m.imap_port)
        .bind(m.imap_tls)
        .bind(m.imap_username)
        .bind(m.imap_password)
        .bind(m.folder)
        .bind(m.active)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("mailbox")(e))?;
    row.as_ref().map(mailbox_from_row).transpose()
}

pub async fn delete_mailbox(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM mailboxes WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn list_mailboxes(conn: &mut Conn) -> Result<Vec<Mailbox>> {
    let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes ORDER BY id");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(mailbox_from_row).collect()
}

pub async fn get_mailbox(conn: &mut Conn, id: i64) -> Result<Option<Mailbox>> {
    let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(mailbox_from_row).transpose()
}

/// Records how far the mailbox has been read, in the transaction that stored the message, so a
/// message is taken exactly once across restarts.
pub async fn set_position(conn: &mut Conn, id: i64, uid_validity: i64, last_uid: i64, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE mailboxes SET uid_validity = $1, last_uid = $2, last_error = NULL, polled_at = $3 WHERE id = $4",
    )
    .bind(uid_validity)
    .bind(last_uid)
    .bind(ms(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes or renews the right to read an active mailbox until `until`; false when another
/// reader holds it, or the mailbox is gone or turned off.
pub async fn claim_mailbox(conn: &mut Conn, id: i64, reader: &str, now: Timestamp, until: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mailboxes SET reader = $1, reader_until = $2 \
         WHERE id = $3 AND active = $4 AND (reader IS NULL OR reader = $1 OR reader_until < $5)",
    )
    .bind(reader)
    .bind(ms(until))
    .bind(id)
    .bind(true)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives the mailbox up, so that another process may read it at once.
pub async fn release_mailbox(conn: &mut Conn, id: i64, reader: &str) -> Result<()> {
    sqlx::query("UPDATE mailboxes SET reader = NULL, reader_until = NULL WHERE id = $1 AND reader = $2")
        .bind(id)
        .bind(reader)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_poll_result(conn: &mut Conn, id: i64, error: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE mailboxes SET last_error = $1, polled_at = $2 WHERE id = $3")
        .bind(error)
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- received messages

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundRecord {
    pub id: i64,
    pub mailbox_id: Option<i64>,
    pub message_id: Option<String>,
    pub sender: String,
    pub subject: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub ticket_id: Option<i64>,
    pub answered: bool,
    pub received_at: Timestamp,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<Timestamp>,
}

const INBOUND_COLUMNS: &str = "id, mailbox_id, message_id, sender, subject, outcome, reason, ticket_id, answered, received_at, resolved_by, resolved_at";

fn inbound_from_row(row: &AnyRow) -> Result<InboundRecord> {
    Ok(InboundRecord {
        id: get_i64(row, "id")?,
        mailbox_id: get_opt_i64(row, "mailbox_id")?,
        message_id: get_opt_str(row, "message_id")?,
        sender: get_str(row, "sender")?,
        subject: get_str(row, "subject")?,
        outcome: get_str(row, "outcome")?,
        reason: get_opt_str(row, "reason")?,
        ticket_id: get_opt_i64(row, "ticket_id")?,
        answered: get_bool(row, "answered")?,
        received_at: get_ts(row, "received_at")?,
        resolved_by: get_opt_i64(row, "resolved_by")?,
        resolved_at: get_opt_ts(row, "resolved_at")?,
    })
}

pub struct NewInbound<'a> {
    pub mailbox_id: Option<i64>,
    pub message_id: Option<&'a str>,
    pub sender: &'a str,
    pub subject: &'a str,
    pub raw: &'a [u8],
    pub outcome: &'a str,
    pub reason: Option<&'a str>,
    pub ticket_id: Option<i64>,
    pub answered: bool,
}

pub async fn insert_inbound(conn: &mut Conn, new: &NewInbound<'_>, now: Timestamp) -> Result<InboundRecord> {
    let sql = format!(
        "INSERT INTO inbound_mails (mailbox_id, message_id, sender, subject, raw, outcome, reason, ticket_id, answered, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {INBOUND_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.mailbox_id)
        .bind(new.message_id)
        .bind(new.sender)
        .bind(new.subject)
        .bind(new.raw.to_vec())
        .bind(new.outcome)
        .bind(new.reason)
        .bind(new.ticket_id)
        .bind(new.answered)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    inbound_from_row(&row)
}

pub async fn get_inbound(conn: &mut Conn, id: i64) -> Result<Option<(InboundRecord, Vec<u8>)>> {
    let sql = format!("SELECT {INBOUND_COLUMNS}, raw FROM inbound_mails WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => {
            let raw: Vec<u8> = row.try_get("raw")?;
            Ok(Some((inbound_from_row(&row)?, raw)))
        }
        None => Ok(None),
    }
}

/// Received messages with this outcome (`queued`: the access queue), oldest first, after `after_id`.
pub async fn list_inbound(conn: &mut Conn, outcome: &str, after_id: i64, limit: i64) -> Result<Vec<InboundRecord>> {
    let sql =
        format!("SELECT {INBOUND_COLUMNS} FROM inbound_mails WHERE outcome = $1 AND id > $2 ORDER BY id LIMIT $3");
    let rows = sqlx::query(&sql)
        .bind(outcome)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(inbound_from_row).collect()
}

/// Settles a queued message (`dismissed` or `converted`); false when it was no longer queued.
pub async fn resolve_inbound(
    conn: &mut Conn,
    id: i64,
    outcome: &str,
    by: i64,
    ticket_id: Option<i64>,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE inbound_mails SET outcome = $1, resolved_by = $2, resolved_at = $3, ticket_id = COALESCE($4, ticket_id) \
         WHERE id = $5 AND outcome = 'queued'",
    )
    .bind(outcome)
    .bind(by)
    .bind(ms(now))
    .bind(ticket_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How many answers went to `sender` since `since` (the per-sender limit on our answers).
pub async fn answers_to_since(conn: &mut Conn, sender: &str, since: Timestamp) -> Result<i64> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM inbound_mails WHERE sender = $1 AND answered AND received_at >= $2")
            .bind(sender)
            .bind(ms(since))
            .fetch_one(&mut *conn)
            .await?;
    get_i64(&row, "n")
}

/// How many messages came from `sender` since `since`, counted up to `limit` (the caller only
/// asks whether the limit is reached, so a busy sender's history is not counted whole).
pub async fn received_from_since(conn: &mut Conn, sender: &str, since: Timestamp, limit: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM inbound_mails WHERE sender = $1 AND received_at >= $2 LIMIT $3) AS recent",
    )
    .bind(sender)
    .bind(ms(since))
    .bind(limit)
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "n")
}

// ---- Message-IDs

/// Remembers a Message-ID and its ticket. False when it was already known (a duplicate).
pub async fn remember_id(
    conn: &mut Conn,
    message_id: &str,
    ticket_id: Option<i64>,
    direction: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO mail_ids (message_id, ticket_id, direction, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(message_id)
    .bind(ticket_id)
    .bind(direction)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ties a Message-ID kept without a ticket (a queued message) to the ticket made of it, so that
/// replies to that message thread there.
pub async fn set_ticket_of_id(conn: &mut Conn, message_id: &str, ticket_id: i64) -> Result<()> {
    sqlx::query("UPDATE mail_ids SET ticket_id = $1 WHERE message_id = $2 AND ticket_id IS NULL")
        .bind(ticket_id)
        .bind(message_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn is_known_id(conn: &mut Conn, message_id: &str) -> Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM mail_ids WHERE message_id = $1")
        .bind(message_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(get_i64(&row, "n")? > 0)
}

/// The ticket of the first of `ids` (newest first) that we know.
pub async fn ticket_of_ids(conn: &mut Conn, ids: &[String]) -> Result<Option<i64>> {
    for id in ids.iter().take(50) {
        let row = sqlx::query("SELECT ticket_id FROM mail_ids WHERE message_id = $1 AND ticket_id IS NOT NULL")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(row) = row {
            return get_opt_i64(&row, "ticket_id");
        }
    }
    Ok(None)
}

/// The Message-IDs of a ticket's conversation, oldest first (for `References`).
pub async fn ids_of_ticket(conn: &mut Conn, ticket_id: i64, limit: i64) -> Result<Vec<String>> {
    let rows =
        sqlx::query("SELECT message_id FROM mail_ids WHERE ticket_id = $1 ORDER BY created_at, message_id LIMIT $2")
            .bind(ticket_id)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|r| get_str(r, "message_id")).collect()
}

// ---- followers and links

pub async fn add_follower(conn: &mut Conn, ticket_id: i64, user_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_followers (ticket_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(ticket_id)
    .bind(user_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn followers(conn: &mut Conn, ticket_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT user_id FROM ticket_followers WHERE ticket_id = $1 ORDER BY user_id")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "user_id")).collect()
}

pub async fn link_tickets(conn: &mut Conn, ticket_id: i64, linked_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_links (ticket_id, linked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(ticket_id)
    .bind(linked_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn linked_tickets(conn: &mut Conn, ticket_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT linked_id FROM ticket_links WHERE ticket_id = $1 ORDER BY linked_id")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "linked_id")).collect()
}

// ---- outbox

pub struct NewOutgoing<'a> {
    pub kind: &'a str,
    /// The same key is queued once: `event:<id>:<recipient>`, `inbound:<id>`...
    pub dedupe_key: &'a str,
    pub sender: &'a str,
    pub recipients: &'a [String],
    pub message_id: &'a str,
    pub raw: &'a [u8],
    pub ticket_id: Option<i64>,
}

/// Queues a message; false when one with the same key was queued before.
pub async fn enqueue(conn: &mut Conn, new: &NewOutgoing<'_>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO mail_outbox (kind, dedupe_key, sender, recipients, message_id, raw, ticket_id, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(new.kind)
    .bind(new.dedupe_key)
    .bind(new.sender)
    .bind(new.recipients.join(" "))
    .bind(new.message_id)
    .bind(new.raw.to_vec())
    .bind(new.ticket_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: i64,
    pub kind: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub message_id: String,
    pub raw: Vec<u8>,
    pub ticket_id: Option<i64>,
    pub attempts: i64,
}

/// Claims up to `limit` messages due for sending, hiding them from other senders until
/// `lease_until` (a sender that dies mid-way leaves them to be retried then).
pub async fn claim_due(conn: &mut Conn, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<QueuedMail>> {
    let sql = OUTBOX.claim_sql("id, kind, sender, recipients, message_id, raw, ticket_id, attempts");
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(ms(lease_until))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = rows
        .iter()
        .map(|row| {
            Ok(QueuedMail {
                id: get_i64(row, "id")?,
                kind: get_str(row, "kind")?,
                sender: get_str(row, "sender")?,
                recipients: get_str(row, "recipients")?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                message_id: get_str(row, "message_id")?,
                raw: row.try_get("raw")?,
                ticket_id: get_opt_i64(row, "ticket_id")?,
                attempts: get_i64(row, "attempts")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|m| m.id);
    Ok(out)
}

pub async fn mark_sent(conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
    OUTBOX.mark_done(conn, id, now).await
}

pub async fn mark_retry(conn: &mut Conn, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
    OUTBOX.mark_retry(conn, id, next_attempt_at, error).await
}

pub async fn mark_failed(conn: &mut Conn, id: i64, now: Timestamp, error: &str) -> Result<()> {
    OUTBOX.mark_failed(conn, id, now, error).await
}

/// Messages waiting to be sent (the backlog `/readyz` and `/metrics` show).
/// What operators watch of the e-mail channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailCounts {
    /// Messages waiting to be sent (first try or a retry).
    pub outbox_waiting: i64,
    /// Messages that will not be sent.
    pub outbox_failed: i64,
    /// Received messages waiting in the access queue.
    pub access_queue: i64,
    /// Active mailboxes whose last reading failed.
    pub mailboxes_failing: i64,
}

pub async fn counts(conn: &mut Conn) -> Result<MailCounts> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL) AS waiting, \
         (SELECT COUNT(*) FROM mail_outbox WHERE failed_at IS NOT NULL) AS failed, \
         (SELECT COUNT(*) FROM inbound_mails WHERE outcome = 'queued') AS queued, \
         (SELECT COUNT(*) FROM mailboxes WHERE active = $1 AND last_error IS NOT NULL) AS failing",
    )
    .bind(true)
    .fetch_one(&mut *conn)
    .await?;
    Ok(MailCounts {
        outbox_waiting: get_i64(&row, "waiting")?,
        outbox_failed: get_i64(&row, "failed")?,
        access_queue: get_i64(&row, "queued")?,
        mailboxes_failing: get_i64(&row, "failing")?,
    })
}

#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: String,
    pub recipients: Vec<String>,
    pub message_id: String,
    pub ticket_id: Option<i64>,
    pub attempts: i64,
    pub sent_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
}

/// The newest outgoing messages, for admins (and tests) to see what left and what is stuck.
pub async fn list_outbox(conn: &mut Conn, ticket_id: Option<i64>, limit: i64) -> Result<Vec<OutboxEntry>> {
    let rows = sqlx::query(
        "SELECT id, kind, recipients, message_id, ticket_id, attempts, sent_at, failed_at, last_error, created_at \
         FROM mail_outbox WHERE ($1 IS NULL OR ticket_id = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(ticket_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutboxEntry {
                id: get_i64(row, "id")?,
                kind: get_str(row, "kind")?,
                recipients: get_str(row, "recipients")?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                message_id: get_str(row, "message_id")?,
                ticket_id: get_opt_i64(row, "ticket_id")?,
                attempts: get_i64(row, "attempts")?,
                sent_at: get_opt_ts(row, "sent_at")?,
                failed_at: get_opt_ts(row, "failed_at")?,
                last_error: get_opt_str(row, "last_error")?,
                created_at: get_ts(row, "created_at")?,
            })
        })
        .collect()
}

/// The user with this e-mail address, as their account address or as an e-mail identity.
pub async fn user_id_by_address(conn: &mut Conn, address: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM users WHERE email = $1 UNION SELECT user_id AS id FROM identities WHERE kind = 'email' AND value = $1",
    )
    .bind(address)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(|r| get_i64(r, "id")).transpose()
}
