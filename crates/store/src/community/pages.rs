//! Editable site pages: cases (success stories) and policies (the public security information),
//! each with a title, summary and Markdown body per language.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result, StoreError,
    rows::{get_bool, get_i64, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct PageText {
    pub lang: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct SitePage {
    pub id: i64,
    /// `case` or `policy`.
    pub kind: String,
    pub slug: String,
    pub position: i64,
    pub published: bool,
    pub updated_at: Timestamp,
    pub texts: Vec<PageText>,
}

fn page_from(row: &AnyRow) -> Result<SitePage> {
    Ok(SitePage {
        id: get_i64(row, "id")?,
        kind: get_str(row, "kind")?,
        slug: get_str(row, "slug")?,
        position: get_i64(row, "position")?,
        published: get_bool(row, "published")?,
        updated_at: get_ts(row, "updated_at")?,
        texts: Vec::new(),
    })
}

const SELECT: &str = "SELECT id, kind, slug, position, published, updated_at FROM site_pages";

async fn with_texts(conn: &mut Conn, mut pages: Vec<SitePage>) -> Result<Vec<SitePage>> {
    if pages.is_empty() {
        return Ok(pages);
    }
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    let filter = Filter::new().int_in("page_id", &ids);
    let sql = format!(
        "SELECT page_id, lang, title, summary, body FROM site_page_translations {} ORDER BY lang",
        filter.where_clause()
    );
    let mut texts: HashMap<i64, Vec<PageText>> = HashMap::new();
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        texts.entry(get_i64(&row, "page_id")?).or_default().push(PageText {
            lang: get_str(&row, "lang")?,
            title: get_str(&row, "title")?,
            summary: get_str(&row, "summary")?,
            body: get_str(&row, "body")?,
        });
    }
    for page in &mut pages {
        page.texts = texts.remove(&page.id).unwrap_or_default();
    }
    Ok(pages)
}

/// Pages of a kind in their order (drafts only when asked).
pub async fn list(conn: &mut Conn, kind: &str, with_drafts: bool) -> Result<Vec<SitePage>> {
    let drafts = if with_drafts { "" } else { "AND published = $2" };
    let sql = format!("{SELECT} WHERE kind = $1 {drafts} ORDER BY position, id");
    let mut query = sqlx::query(&sql).bind(kind);
    if !with_drafts {
        query = query.bind(true);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let pages = rows.iter().map(page_from).collect::<Result<Vec<_>>>()?;
    with_texts(conn, pages).await
}

pub async fn by_slug(conn: &mut Conn, kind: &str, slug: &str) -> Result<Option<SitePage>> {
    let sql = format!("{SELECT} WHERE kind = $1 AND slug = $2");
    let row = sqlx::query(&sql)
        .bind(kind)
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    let pages = row.as_ref().map(page_from).transpose()?.into_iter().collect();
    Ok(with_texts(conn, pages).await?.pop())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<SitePage>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    let pages = row.as_ref().map(page_from).transpose()?.into_iter().collect();
    Ok(with_texts(conn, pages).await?.pop())
}

/// A page's fields as staff write them.
pub struct PageRecord<'a> {
    pub kind: &'a str,
    pub slug: &'a str,
    pub position: i64,
    pub published: bool,
    pub texts: &'a [PageText],
}

/// Creates (`id` None) or rewrites a page; its id. A slug taken by another page of the kind is a
/// conflict.
pub async fn save(conn: &mut Conn, id: Option<i64>, p: &PageRecord<'_>, by: i64, now: Timestamp) -> Result<i64> {
    let taken = sqlx::query("SELECT id FROM site_pages WHERE kind = $1 AND slug = $2")
        .bind(p.kind)
        .bind(p.slug)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = taken
        && Some(get_i64(&row, "id")?) != id
    {
        return Err(StoreError::Conflict("page.slug"));
    }
    let id = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE site_pages SET slug = $1, position = $2, published = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(p.slug)
            .bind(p.position)
            .bind(p.published)
            .bind(ms(now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            let row = sqlx::query(
                "INSERT INTO site_pages (kind, slug, position, published, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(p.kind)
            .bind(p.slug)
            .bind(p.position)
            .bind(p.published)
            .bind(by)
            .bind(ms(now))
            .fetch_one(&mut *conn)
            .await?;
            get_i64(&row, "id")?
        }
    };
    sqlx::query("DELETE FROM site_page_translations WHERE page_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for t in p.texts {
        sqlx::query(
            "INSERT INTO site_page_translations (page_id, lang, title, summary, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(t.lang.as_str())
        .bind(t.title.as_str())
        .bind(t.summary.as_str())
        .bind(t.body.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}
