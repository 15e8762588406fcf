//! The community's storage: ideas, the forum, events, the templates gallery, site pages, and the
//! moderation log they share.

pub mod events;
pub mod forum;
pub mod ideas;
pub mod pages;
pub mod templates;
mod votes;

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::{
    Conn, Result, StoreError,
    rows::{get_i64, get_opt_i64, get_str, get_ts, ms},
};

/// Texts per language code, stored as JSON (`{"es": {"title": ..}, ..}`).
pub type Localized = BTreeMap<String, BTreeMap<String, String>>;

pub(crate) fn localized_from(raw: &str) -> Result<Localized> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("localized texts: {e}")))
}

pub(crate) fn localized_to(texts: &Localized) -> Result<String> {
    serde_json::to_string(texts).map_err(|e| StoreError::Corrupt(format!("localized texts: {e}")))
}

/// One moderator action.
#[derive(Debug, Clone)]
pub struct ModerationRecord {
    pub id: i64,
    /// `topic`, `post`, `user`, `idea`, `idea_comment`, `question`, `template`.
    pub subject: String,
    pub subject_id: i64,
    pub action: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub detail: String,
    pub created_at: Timestamp,
}

pub async fn log_moderation(
    conn: &mut Conn,
    subject: &str,
    subject_id: i64,
    action: &str,
    actor_id: i64,
    detail: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO moderation_log (subject, subject_id, action, actor_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(subject)
    .bind(subject_id)
    .bind(action)
    .bind(actor_id)
    .bind(detail)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Newest first.
pub async fn moderation_log(conn: &mut Conn, limit: i64) -> Result<Vec<ModerationRecord>> {
    let rows = sqlx::query(
        "SELECT m.id, m.subject, m.subject_id, m.action, m.actor_id, u.name AS actor_name, m.detail, m.created_at \
         FROM moderation_log m LEFT JOIN users u ON u.id = m.actor_id ORDER BY m.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ModerationRecord {
                id: get_i64(row, "id")?,
                subject: get_str(row, "subject")?,
                subject_id: get_i64(row, "subject_id")?,
                action: get_str(row, "action")?,
                actor_id: get_opt_i64(row, "actor_id")?,
                actor_name: crate::rows::get_opt_str(row, "actor_name")?,
                detail: get_str(row, "detail")?,
                created_at: get_ts(row, "created_at")?,
            })
        })
        .collect()
}
