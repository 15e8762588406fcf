//! Changelog entries and their translations.

use std::collections::HashMap;

use jiff::{Timestamp, civil::Date};
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result,
    rows::{get_bool, get_date, get_i64, get_opt_i64, get_str, get_ts, ms},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub published_on: Date,
    /// Tag codes.
    pub tags: Vec<String>,
    pub published: bool,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub lang: String,
    pub title: String,
    /// Markdown.
    pub body: String,
}

const COLUMNS: &str = "id, published_on, tags, published, created_by, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Entry> {
    Ok(Entry {
        id: get_i64(row, "id")?,
        published_on: get_date(row, "published_on")?,
        tags: get_str(row, "tags")?.split_whitespace().map(str::to_owned).collect(),
        published: get_bool(row, "published")?,
        created_by: get_opt_i64(row, "created_by")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub async fn insert_entry(
    conn: &mut Conn,
    published_on: Date,
    tags: &[String],
    published: bool,
    by: i64,
    now: Timestamp,
) -> Result<Entry> {
    let sql = format!(
        "INSERT INTO changelog_entries (published_on, tags, published, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(published_on.to_string())
        .bind(tags.join(" "))
        .bind(published)
        .bind(by)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    from_row(&row)
}

pub async fn update_entry(
    conn: &mut Conn,
    id: i64,
    published_on: Date,
    tags: &[String],
    published: bool,
    now: Timestamp,
) -> Result<Option<Entry>> {
    let sql = format!(
        "UPDATE changelog_entries SET published_on = $1, tags = $2, published = $3, updated_at = $4 WHERE id = $5 \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(published_on.to_string())
        .bind(tags.join(" "))
        .bind(published)
        .bind(ms(now))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Replaces an entry's translations with these.
pub async fn set_translations(conn: &mut Conn, id: i64, translations: &[Translation]) -> Result<()> {
    sqlx::query("DELETE FROM changelog_translations WHERE entry_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for t in translations {
        sqlx::query("INSERT INTO changelog_translations (entry_id, lang, title, body) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&t.lang)
            .bind(&t.title)
            .bind(&t.body)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn get_entry(conn: &mut Conn, id: i64) -> Result<Option<Entry>> {
    let sql = format!("SELECT {COLUMNS} FROM changelog_entries WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Newest first; drafts only when asked.
pub async fn list_entries(conn: &mut Conn, with_drafts: bool, limit: i64) -> Result<Vec<Entry>> {
    let only_published = if with_drafts { "" } else { "WHERE published = $2" };
    let sql = format!(
        "SELECT {COLUMNS} FROM changelog_entries {only_published} ORDER BY published_on DESC, id DESC LIMIT $1"
    );
    let mut query = sqlx::query(&sql).bind(limit);
    if !with_drafts {
        query = query.bind(true);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn translations_of(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<Translation>>> {
    let mut all: HashMap<i64, Vec<Translation>> = HashMap::new();
    if ids.is_empty() {
        return Ok(all);
    }
    let filter = Filter::new().int_in("entry_id", ids);
    let sql = format!(
        "SELECT entry_id, lang, title, body FROM changelog_translations {} ORDER BY entry_id, lang",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        all.entry(get_i64(&row, "entry_id")?).or_default().push(Translation {
            lang: get_str(&row, "lang")?,
            title: get_str(&row, "title")?,
            body: get_str(&row, "body")?,
        });
    }
    Ok(all)
}
