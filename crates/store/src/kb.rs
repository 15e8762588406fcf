//! The help center's categories, sections and articles with their translations.

use atende_domain::{
    Lang,
    kb::{Article, Category, Section, Translation},
};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result,
    rows::{get_bool, get_i64, get_opt_i64, get_parsed, get_str, get_ts, ms},
};

pub async fn insert_category(
    conn: &mut Conn,
    position: i64,
    texts: &[(Lang, String, String)],
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query("INSERT INTO kb_categories (position, created_at) VALUES ($1, $2) RETURNING id")
        .bind(position)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    let id = get_i64(&row, "id")?;
    for (lang, name, description) in texts {
        sqlx::query("INSERT INTO kb_category_texts (category_id, lang, name, description) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(lang.code())
            .bind(name)
            .bind(description)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn categories(conn: &mut Conn) -> Result<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT c.id, c.position, t.lang, t.name, t.description FROM kb_categories c \
         JOIN kb_category_texts t ON t.category_id = c.id ORDER BY c.position, c.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Category> = Vec::new();
    for row in &rows {
        let id = get_i64(row, "id")?;
        let text = (
            get_parsed(row, "lang")?,
            get_str(row, "name")?,
            get_str(row, "description")?,
        );
        match out.last_mut() {
            Some(c) if c.id == id => c.texts.push(text),
            _ => out.push(Category {
                id,
                position: get_i64(row, "position")?,
                texts: vec![text],
            }),
        }
    }
    Ok(out)
}

pub async fn insert_section(
    conn: &mut Conn,
    category_id: i64,
    position: i64,
    names: &[(Lang, String)],
    now: Timestamp,
) -> Result<i64> {
    let row =
        sqlx::query("INSERT INTO kb_sections (category_id, position, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(category_id)
            .bind(position)
            .bind(ms(now))
            .fetch_one(&mut *conn)
            .await?;
    let id = get_i64(&row, "id")?;
    for (lang, name) in names {
        sqlx::query("INSERT INTO kb_section_texts (section_id, lang, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(lang.code())
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn sections(conn: &mut Conn) -> Result<Vec<Section>> {
    let rows = sqlx::query(
        "SELECT s.id, s.category_id, s.position, t.lang, t.name FROM kb_sections s \
         JOIN kb_section_texts t ON t.section_id = s.id ORDER BY s.position, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Section> = Vec::new();
    for row in &rows {
        let id = get_i64(row, "id")?;
        let name = (get_parsed(row, "lang")?, get_str(row, "name")?);
        match out.last_mut() {
            Some(s) if s.id == id => s.names.push(name),
            _ => out.push(Section {
                id,
                category_id: get_i64(row, "category_id")?,
                position: get_i64(row, "position")?,
                names: vec![name],
            }),
        }
    }
    Ok(out)
}

const ARTICLE_COLUMNS: &str = "a.id, a.section_id, a.position, a.visibility, a.status, a.faq, a.tags, a.views, \
                               a.helpful_yes, a.helpful_no, a.author_id, a.created_at, a.updated_at";

fn article_from_row(row: &AnyRow) -> Result<Article> {
    let tags = get_str(row, "tags")?;
    Ok(Article {
        id: get_i64(row, "id")?,
        section_id: get_i64(row, "section_id")?,
        position: get_i64(row, "position")?,
        internal: get_str(row, "visibility")? == "internal",
        published: get_str(row, "status")? == "published",
        faq: get_bool(row, "faq")?,
        tags: tags.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        views: get_i64(row, "views")?,
        helpful_yes: get_i64(row, "helpful_yes")?,
        helpful_no: get_i64(row, "helpful_no")?,
        author_id: get_opt_i64(row, "author_id")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
        translations: Vec::new(),
        related: Vec::new(),
    })
}

/// Writes the article's fields and replaces its translations and related articles.
pub async fn save_article(conn: &mut Conn, article: &Article) -> Result<i64> {
    let visibility = if article.internal { "internal" } else { "public" };
    let status = if article.published { "published" } else { "draft" };
    let tags = article.tags.join(",");
    let id = if article.id == 0 {
        let row = sqlx::query(
            "INSERT INTO kb_articles (section_id, position, visibility, status, faq, tags, views, helpful_yes, helpful_no, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, $7, $8, $8) RETURNING id",
        )
        .bind(article.section_id)
        .bind(article.position)
        .bind(visibility)
        .bind(status)
        .bind(article.faq)
        .bind(&tags)
        .bind(article.author_id)
        .bind(ms(article.updated_at))
        .fetch_one(&mut *conn)
        .await?;
        get_i64(&row, "id")?
    } else {
        sqlx::query(
            "UPDATE kb_articles SET section_id = $2, position = $3, visibility = $4, status = $5, faq = $6, tags = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(article.id)
        .bind(article.section_id)
        .bind(article.position)
        .bind(visibility)
        .bind(status)
        .bind(article.faq)
        .bind(&tags)
        .bind(ms(article.updated_at))
        .execute(&mut *conn)
        .await?;
        article.id
    };
    sqlx::query("DELETE FROM kb_translations WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for t in &article.translations {
        sqlx::query(
            "INSERT INTO kb_translations (article_id, lang, title, slug, body, faq_answer, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(t.lang.code())
        .bind(&t.title)
        .bind(&t.slug)
        .bind(&t.body)
        .bind(&t.faq_answer)
        .bind(ms(t.updated_at))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM kb_related WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for related in &article.related {
        sqlx::query("INSERT INTO kb_related (article_id, related_id) VALUES ($1, $2)")
            .bind(id)
            .bind(related)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Articles matching `filter` (on `a`), with their translations and related ids.
async fn load(conn: &mut Conn, filter: Filter, order: &str, limit: i64) -> Result<Vec<Article>> {
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM kb_articles a {} ORDER BY {order} LIMIT {}",
        filter.where_clause(),
        filter.placeholder_after(1)
    );
    let rows = filter.bind(sqlx::query(&sql)).bind(limit).fetch_all(&mut *conn).await?;
    let mut articles = rows.iter().map(article_from_row).collect::<Result<Vec<_>>>()?;
    if articles.is_empty() {
        return Ok(articles);
    }
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let by_ids = Filter::new().int_in("article_id", &ids);
    let sql = format!(
        "SELECT article_id, lang, title, slug, body, faq_answer, updated_at FROM kb_translations {}",
        by_ids.where_clause()
    );
    for row in by_ids.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        let id = get_i64(&row, "article_id")?;
        if let Some(a) = articles.iter_mut().find(|a| a.id == id) {
            a.translations.push(Translation {
                lang: get_parsed(&row, "lang")?,
                title: get_str(&row, "title")?,
                slug: get_str(&row, "slug")?,
                body: get_str(&row, "body")?,
                faq_answer: get_str(&row, "faq_answer")?,
                updated_at: get_ts(&row, "updated_at")?,
            });
        }
    }
    let sql = format!(
        "SELECT article_id, related_id FROM kb_related {} ORDER BY related_id",
        by_ids.where_clause()
    );
    for row in by_ids.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        let id = get_i64(&row, "article_id")?;
        if let Some(a) = articles.iter_mut().find(|a| a.id == id) {
            a.related.push(get_i64(&row, "related_id")?);
        }
    }
    for a in &mut articles {
        a.translations.sort_by_key(|t| t.lang);
    }
    Ok(articles)
}

pub async fn get_article(conn: &mut Conn, id: i64) -> Result<Option<Article>> {
    Ok(load(conn, Filter::new().int_eq("a.id", id), "a.id", 1).await?.pop())
}

pub async fn articles_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Article>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    load(conn, Filter::new().int_in("a.id", ids), "a.id", ids.len() as i64).await
}

/// Which articles a list shows.
#[derive(Debug, Default, Clone, Copy)]
pub struct ArticleFilter {
    pub section_id: Option<i64>,
    pub published_only: bool,
    pub public_only: bool,
    pub faq_only: bool,
}

pub async fn list_articles(conn: &mut Conn, f: ArticleFilter, popular_first: bool, limit: i64) -> Result<Vec<Article>> {
    let mut filter = Filter::new();
    if let Some(section) = f.section_id {
        filter = filter.int_eq("a.section_id", section);
    }
    if f.published_only {
        filter = filter.text_eq("a.status", "published");
    }
    if f.public_only {
        filter = filter.text_eq("a.visibility", "public");
    }
    if f.faq_only {
        filter = filter.int("a.faq", &[]);
    }
    let order = if popular_first {
        "a.views DESC, a.id"
    } else {
        "a.position, a.id"
    };
    load(conn, filter, order, limit).await
}

pub async fn count_view(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE kb_articles SET views = views + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records (or changes) one person's vote and recounts the article's totals.
pub async fn vote(conn: &mut Conn, id: i64, voter: &str, helpful: bool, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO kb_votes (article_id, voter, helpful, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (article_id, voter) DO UPDATE SET helpful = excluded.helpful",
    )
    .bind(id)
    .bind(voter)
    .bind(helpful)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE kb_articles SET \
           helpful_yes = (SELECT COUNT(*) FROM kb_votes WHERE article_id = $1 AND helpful), \
           helpful_no = (SELECT COUNT(*) FROM kb_votes WHERE article_id = $1 AND NOT helpful) \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records that a customer opened an article suggested while they were writing a ticket.
pub async fn record_suggestion_open(conn: &mut Conn, user_id: i64, article_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO kb_suggestion_opens (user_id, article_id, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(article_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
