//! Files attached to tickets. Contents are stored once per distinct SHA-256.

use jiff::Timestamp;
use sqlx::Row;

use crate::{
    Conn, Result, StoreError,
    rows::{get_i64, get_opt_i64, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: i64,
    pub ticket_id: i64,
    pub message_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: i64,
    pub created_at: Timestamp,
}

pub struct NewAttachment<'a> {
    pub ticket_id: i64,
    pub message_id: Option<i64>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: i64,
}

/// Keeps a file's bytes once, however many records name them.
pub async fn insert_blob(conn: &mut Conn, sha256: &str, data: &[u8]) -> Result<()> {
    sqlx::query("INSERT INTO attachment_blobs (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
        .bind(sha256)
        .bind(data.to_vec())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert(conn: &mut Conn, new: &NewAttachment<'_>, now: Timestamp) -> Result<i64> {
    insert_blob(conn, new.sha256, new.data).await?;
    let row = sqlx::query(
        "INSERT INTO attachments (ticket_id, message_id, file_name, content_type, size, sha256, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.ticket_id)
    .bind(new.message_id)
    .bind(new.file_name)
    .bind(new.content_type)
    .bind(new.data.len() as i64)
    .bind(new.sha256)
    .bind(new.uploaded_by)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

const COLUMNS: &str = "id, ticket_id, message_id, file_name, content_type, size, sha256, uploaded_by, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: get_i64(row, "id")?,
        ticket_id: get_i64(row, "ticket_id")?,
        message_id: get_opt_i64(row, "message_id")?,
        file_name: get_str(row, "file_name")?,
        content_type: get_str(row, "content_type")?,
        size: get_i64(row, "size")?,
        sha256: get_str(row, "sha256")?,
        uploaded_by: get_i64(row, "uploaded_by")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub async fn of_ticket(conn: &mut Conn, ticket_id: i64) -> Result<Vec<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE ticket_id = $1 ORDER BY id");
    let rows = sqlx::query(&sql).bind(ticket_id).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn of_message(conn: &mut Conn, message_id: i64) -> Result<Vec<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE message_id = $1 ORDER BY id");
    let rows = sqlx::query(&sql).bind(message_id).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn data(conn: &mut Conn, sha256: &str) -> Result<Vec<u8>> {
    let row = sqlx::query("SELECT data FROM attachment_blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get::<Vec<u8>, _>("data")
        .map_err(|e| StoreError::Corrupt(format!("attachment {sha256}: {e}")))
}
