//! Files on tickets: checked for size and type before anything is stored, and read back only by
//! those who may see the ticket (and, for files on internal notes, only by staff).

use atende_store::{
    Conn,
    attachments::{self, Attachment, NewAttachment},
    tickets,
};
use jiff::Timestamp;

use crate::{Actor, App, AppError, Result};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PER_MESSAGE: usize = 10;
const MAX_NAME_CHARS: usize = 200;

/// The types a file may have, judged from its contents (not from its name or the browser's word).
const ALLOWED: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "application/gzip",
];
const TEXT: &str = "text/plain; charset=utf-8";

/// A file as it arrived.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub data: Vec<u8>,
}

/// A file that passed the checks.
#[derive(Debug, Clone)]
pub struct CheckedUpload {
    file_name: String,
    content_type: &'static str,
    sha256: String,
    data: Vec<u8>,
}

impl CheckedUpload {
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn size(&self) -> i64 {
        self.data.len() as i64
    }

    pub fn bytes(&self) -> &[u8] {
        &self.data
    }
}

/// Checks one file: not empty, not too large, of an allowed type judged from its contents.
pub fn check_one(upload: Upload) -> Result<CheckedUpload> {
    check(upload)
}

/// Checks every file; the first that fails refuses them all, before anything is written.
pub fn check_all(uploads: Vec<Upload>) -> Result<Vec<CheckedUpload>> {
    if uploads.len() > MAX_PER_MESSAGE {
        return Err(AppError::Rejected("attachment.too_many"));
    }
    uploads.into_iter().map(check).collect()
}

fn check(upload: Upload) -> Result<CheckedUpload> {
    if upload.data.is_empty() {
        return Err(AppError::Rejected("attachment.empty"));
    }
    if upload.data.len() > MAX_BYTES {
        return Err(AppError::Rejected("attachment.too_large"));
    }
    let content_type = match infer::get(&upload.data) {
        Some(kind) => ALLOWED
            .iter()
            .copied()
            .find(|allowed| *allowed == kind.mime_type())
            .ok_or(AppError::Rejected("attachment.type_not_allowed"))?,
        None if is_text(&upload.data) => TEXT,
        None => return Err(AppError::Rejected("attachment.type_not_allowed")),
    };
    Ok(CheckedUpload {
        file_name: clean_name(&upload.file_name),
        content_type,
        sha256: crate::auth::sha256_hex(&upload.data),
        data: upload.data,
    })
}

/// UTF-8 without control characters other than line breaks, tabs and form feeds: a log, a CSV.
fn is_text(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok_and(|text| {
        text.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    })
}

/// The last path segment, without control characters, at most 200 characters.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(MAX_NAME_CHARS)
        .collect();
    let name = name.trim().to_owned();
    if name.is_empty() || name == "." || name == ".." {
        "file".to_owned()
    } else {
        name
    }
}

/// Stores checked files on a ticket, in the caller's transaction.
pub(crate) async fn store_all(
    tx: &mut Conn,
    ticket_id: i64,
    message_id: Option<i64>,
    uploaded_by: i64,
    files: &[CheckedUpload],
    now: Timestamp,
) -> Result<()> {
    for file in files {
        attachments::insert(
            tx,
            &NewAttachment {
                ticket_id,
                message_id,
                file_name: &file.file_name,
                content_type: file.content_type,
                sha256: &file.sha256,
                data: &file.data,
                uploaded_by,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The files of a ticket the actor may see.
pub async fn of_ticket(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<Attachment>> {
    let mut conn = app.db.read().await?;
    visible_files(&mut conn, actor, ticket_id).await
}

async fn visible_files(conn: &mut Conn, actor: &Actor, ticket_id: i64) -> Result<Vec<Attachment>> {
    tickets::get_ticket(conn, ticket_id, actor.ticket_scope())
        .await?
        .ok_or(AppError::NotFound("ticket"))?;
    let files = attachments::of_ticket(conn, ticket_id).await?;
    if actor.is_staff() {
        return Ok(files);
    }
    let public: Vec<i64> = tickets::list_messages(conn, ticket_id, false)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    Ok(files
        .into_iter()
        .filter(|f| f.message_id.is_none_or(|m| public.contains(&m)))
        .collect())
}

/// One file and its contents, if the actor may see it.
pub async fn download(app: &App, actor: &Actor, id: i64) -> Result<(Attachment, Vec<u8>)> {
    let mut conn = app.db.read().await?;
    let file = attachments::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("attachment"))?;
    let visible = visible_files(&mut conn, actor, file.ticket_id)
        .await
        .map_err(|_| AppError::NotFound("attachment"))?;
    if !visible.iter().any(|f| f.id == id) {
        return Err(AppError::NotFound("attachment"));
    }
    let data = attachments::data(&mut conn, &file.sha256).await?;
    Ok((file, data))
}

#[cfg(test)]
#[path = "attachments_test.rs"]
mod tests;
