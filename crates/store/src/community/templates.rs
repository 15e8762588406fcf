//! The templates gallery: bot templates the community shares, each a file kept with the other
//! files' bytes, reviewed by staff before everyone sees it, and counted as it is downloaded.

use atende_domain::community::TemplateState;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result,
    rows::{get_i64, get_opt_i64, get_opt_str, get_parsed, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct BotTemplate {
    pub id: i64,
    pub name: String,
    /// Markdown.
    pub description: String,
    pub category: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub state: TemplateState,
    /// The reviewer's word to the author.
    pub review_note: String,
    pub downloads: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const SELECT: &str = "SELECT t.id, t.name, t.description, t.category, t.author_id, u.name AS author_name, t.file_name, \
    t.content_type, t.size, t.sha256, t.state, t.review_note, t.downloads, t.created_at, t.updated_at \
    FROM bot_templates t LEFT JOIN users u ON u.id = t.author_id";

fn from_row(row: &AnyRow) -> Result<BotTemplate> {
    Ok(BotTemplate {
        id: get_i64(row, "id")?,
        name: get_str(row, "name")?,
        description: get_str(row, "description")?,
        category: get_str(row, "category")?,
        author_id: get_opt_i64(row, "author_id")?,
        author_name: get_opt_str(row, "author_name")?,
        file_name: get_str(row, "file_name")?,
        content_type: get_str(row, "content_type")?,
        size: get_i64(row, "size")?,
        sha256: get_str(row, "sha256")?,
        state: get_parsed(row, "state")?,
        review_note: get_str(row, "review_note")?,
        downloads: get_i64(row, "downloads")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// A template as submitted; its bytes are stored apart, by their SHA-256.
pub struct NewTemplate<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub author_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub state: TemplateState,
}

pub async fn insert(conn: &mut Conn, t: &NewTemplate<'_>, now: Timestamp) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO bot_templates (name, description, category, author_id, file_name, content_type, size, sha256, state, \
         review_note, downloads, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', 0, $10, $10) RETURNING id",
    )
    .bind(t.name)
    .bind(t.description)
    .bind(t.category)
    .bind(t.author_id)
    .bind(t.file_name)
    .bind(t.content_type)
    .bind(t.size)
    .bind(t.sha256)
    .bind(t.state.code())
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<BotTemplate>> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Who lists: everyone sees published templates; an author also their own; staff all.
#[derive(Debug, Clone, Copy)]
pub enum Lister {
    Visitor,
    User(i64),
    Staff,
}

#[derive(Debug, Clone, Default)]
pub struct TemplateQuery {
    pub category: Option<String>,
    /// Only templates in this state (within what the lister may see).
    pub state: Option<TemplateState>,
    /// Most downloaded first, else newest first.
    pub popular: bool,
    pub limit: i64,
}

pub async fn list(conn: &mut Conn, lister: Lister, q: &TemplateQuery) -> Result<Vec<BotTemplate>> {
    let mut filter = match lister {
        Lister::Staff => Filter::new(),
        Lister::Visitor => Filter::new().text_eq("t.state", TemplateState::Published.code()),
        Lister::User(id) => Filter::new().int("(t.state = 'published' OR t.author_id = ?)", &[id]),
    };
    if let Some(category) = &q.category {
        filter = filter.text_eq("t.category", category);
    }
    if let Some(state) = q.state {
        filter = filter.text_eq("t.state", state.code());
    }
    let order = if q.popular {
        "t.downloads DESC, t.id DESC"
    } else {
        "t.id DESC"
    };
    let sql = format!(
        "{SELECT} {} ORDER BY {order} LIMIT {}",
        filter.where_clause(),
        q.limit.clamp(1, 500)
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// The categories of published templates, with how many each has.
pub async fn categories(conn: &mut Conn) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT category, COUNT(*) AS n FROM bot_templates WHERE state = 'published' GROUP BY category ORDER BY category",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((get_str(r, "category")?, get_i64(r, "n")?)))
        .collect()
}

pub async fn set_state(conn: &mut Conn, id: i64, state: TemplateState, note: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE bot_templates SET state = $1, review_note = $2, updated_at = $3 WHERE id = $4")
        .bind(state.code())
        .bind(note)
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn count_download(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE bot_templates SET downloads = downloads + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
