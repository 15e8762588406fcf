//! Ideas, their votes (one per person), subscribers, comments, and the changelog entries that
//! shipped them.

use std::collections::HashMap;

use atende_domain::community::IdeaStatus;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use super::votes;
use crate::{
    Conn, Filter, Result,
    rows::{get_bool, get_i64, get_opt_i64, get_opt_str, get_parsed, get_str, get_ts, ms},
};

#[derive(Debug, Clone)]
pub struct Idea {
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub status: IdeaStatus,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub merged_into: Option<i64>,
    pub votes: i64,
    pub comments: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub idea_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub hidden: bool,
    pub created_at: Timestamp,
}

const SELECT: &str = "SELECT i.id, i.title, i.body, i.status, i.author_id, u.name AS author_name, i.merged_into, \
    i.votes, i.comments, i.created_at, i.updated_at FROM ideas i LEFT JOIN users u ON u.id = i.author_id";

fn from_row(row: &AnyRow) -> Result<Idea> {
    Ok(Idea {
        id: get_i64(row, "id")?,
        title: get_str(row, "title")?,
        body: get_str(row, "body")?,
        status: get_parsed(row, "status")?,
        author_id: get_opt_i64(row, "author_id")?,
        author_name: get_opt_str(row, "author_name")?,
        merged_into: get_opt_i64(row, "merged_into")?,
        votes: get_i64(row, "votes")?,
        comments: get_i64(row, "comments")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, title: &str, body: &str, author: i64, now: Timestamp) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO ideas (title, body, status, author_id, votes, comments, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, 0, $5, $5) RETURNING id",
    )
    .bind(title)
    .bind(body)
    .bind(IdeaStatus::Open.code())
    .bind(author)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Idea>> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Idea>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter::new().int_in("i.id", ids);
    let sql = format!("{SELECT} {} ORDER BY i.votes DESC, i.id", filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    MostVoted,
    Newest,
}

/// Ideas that were not merged away, optionally of one status.
pub async fn list(
    conn: &mut Conn,
    status: Option<IdeaStatus>,
    order: Order,
    limit: i64,
    offset: i64,
) -> Result<Vec<Idea>> {
    let mut filter = Filter::new().int("i.merged_into IS NULL", &[]);
    if let Some(status) = status {
        filter = filter.text_eq("i.status", status.code());
    }
    let order = match order {
        Order::MostVoted => "i.votes DESC, i.id DESC",
        Order::Newest => "i.id DESC",
    };
    let sql = format!(
        "{SELECT} {} ORDER BY {order} LIMIT {} OFFSET {}",
        filter.where_clause(),
        limit.clamp(1, 500),
        offset.max(0)
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn update_text(conn: &mut Conn, id: i64, title: &str, body: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE ideas SET title = $1, body = $2, updated_at = $3 WHERE id = $4")
        .bind(title)
        .bind(body)
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_status(conn: &mut Conn, id: i64, status: IdeaStatus, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE ideas SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds (or withdraws) the user's vote; the new count.
pub async fn set_vote(conn: &mut Conn, id: i64, user: i64, up: bool, now: Timestamp) -> Result<i64> {
    votes::cast(conn, &votes::IDEAS, id, user, up, now).await
}

/// Which of `ids` the user voted for.
pub async fn voted_among(conn: &mut Conn, user: i64, ids: &[i64]) -> Result<Vec<i64>> {
    votes::voted_among(conn, &votes::IDEAS, user, ids).await
}

pub async fn subscribe(conn: &mut Conn, id: i64, user: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO idea_subscribers (idea_id, user_id) VALUES ($1, $2) ON CONFLICT (idea_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn unsubscribe(conn: &mut Conn, id: i64, user: i64) -> Result<()> {
    sqlx::query("DELETE FROM idea_subscribers WHERE idea_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn is_subscribed(conn: &mut Conn, id: i64, user: i64) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM idea_subscribers WHERE idea_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Who follows the idea: its subscribers and its voters, each once.
pub async fn followers(conn: &mut Conn, id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT user_id FROM idea_subscribers WHERE idea_id = $1 UNION SELECT user_id FROM idea_votes WHERE idea_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| get_i64(r, "user_id")).collect()
}

/// Folds `source` into `target`: each person's vote counts once on the target, subscribers
/// follow it, and the source points at it. The target's new vote count.
pub async fn merge(conn: &mut Conn, source: i64, target: i64, now: Timestamp) -> Result<i64> {
    sqlx::query(
        "INSERT INTO idea_votes (idea_id, user_id, created_at) SELECT $1, user_id, created_at FROM idea_votes \
         WHERE idea_id = $2 ON CONFLICT (idea_id, user_id) DO NOTHING",
    )
    .bind(target)
    .bind(source)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO idea_subscribers (idea_id, user_id) SELECT $1, user_id FROM idea_subscribers \
         WHERE idea_id = $2 ON CONFLICT (idea_id, user_id) DO NOTHING",
    )
    .bind(target)
    .bind(source)
    .execute(&mut *conn)
    .await?;
    for table in ["idea_votes", "idea_subscribers"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE idea_id = $1"))
            .bind(source)
            .execute(&mut *conn)
            .await?;
    }
    // Ideas merged into the source earlier now point at the target too.
    sqlx::query("UPDATE ideas SET merged_into = $1, updated_at = $2 WHERE id = $3 OR merged_into = $3")
        .bind(target)
        .bind(ms(now))
        .bind(source)
        .execute(&mut *conn)
        .await?;
    votes::recount(conn, &votes::IDEAS, source).await?;
    votes::recount(conn, &votes::IDEAS, target).await
}

pub async fn add_comment(conn: &mut Conn, id: i64, author: i64, body: &str, now: Timestamp) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO idea_comments (idea_id, author_id, body, hidden, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(author)
    .bind(body)
    .bind(false)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    count_comments(conn, id).await?;
    get_i64(&row, "id")
}

async fn count_comments(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE ideas SET comments = (SELECT COUNT(*) FROM idea_comments WHERE idea_id = $1 AND hidden = $2) WHERE id = $1")
        .bind(id)
        .bind(false)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Hides or shows a comment; the idea it belongs to.
pub async fn set_comment_hidden(conn: &mut Conn, comment: i64, hidden: bool) -> Result<Option<i64>> {
    let row = sqlx::query("UPDATE idea_comments SET hidden = $1 WHERE id = $2 RETURNING idea_id")
        .bind(hidden)
        .bind(comment)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let idea = get_i64(&row, "idea_id")?;
    count_comments(conn, idea).await?;
    Ok(Some(idea))
}

/// Oldest first; hidden ones only when asked.
pub async fn comments(conn: &mut Conn, id: i64, with_hidden: bool) -> Result<Vec<Comment>> {
    let hidden = if with_hidden { "" } else { "AND c.hidden = $2" };
    let sql = format!(
        "SELECT c.id, c.idea_id, c.author_id, u.name AS author_name, c.body, c.hidden, c.created_at \
         FROM idea_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.idea_id = $1 {hidden} ORDER BY c.id"
    );
    let mut query = sqlx::query(&sql).bind(id);
    if !with_hidden {
        query = query.bind(false);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Comment {
                id: get_i64(row, "id")?,
                idea_id: get_i64(row, "idea_id")?,
                author_id: get_opt_i64(row, "author_id")?,
                author_name: get_opt_str(row, "author_name")?,
                body: get_str(row, "body")?,
                hidden: get_bool(row, "hidden")?,
                created_at: get_ts(row, "created_at")?,
            })
        })
        .collect()
}

/// Replaces the ideas an entry shipped.
pub async fn set_entry_ideas(conn: &mut Conn, entry: i64, ideas: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM changelog_ideas WHERE entry_id = $1")
        .bind(entry)
        .execute(&mut *conn)
        .await?;
    for idea in ideas {
        sqlx::query("INSERT INTO changelog_ideas (entry_id, idea_id) VALUES ($1, $2) ON CONFLICT (entry_id, idea_id) DO NOTHING")
            .bind(entry)
            .bind(idea)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The ideas of each entry.
pub async fn ideas_of_entries(conn: &mut Conn, entries: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut all: HashMap<i64, Vec<i64>> = HashMap::new();
    if entries.is_empty() {
        return Ok(all);
    }
    let filter = Filter::new().int_in("entry_id", entries);
    let sql = format!(
        "SELECT entry_id, idea_id FROM changelog_ideas {} ORDER BY idea_id",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        all.entry(get_i64(&row, "entry_id")?)
            .or_default()
            .push(get_i64(&row, "idea_id")?);
    }
    Ok(all)
}

/// The entries that shipped an idea, published or not.
pub async fn entries_of_idea(conn: &mut Conn, idea: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT entry_id FROM changelog_ideas WHERE idea_id = $1 ORDER BY entry_id")
        .bind(idea)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "entry_id")).collect()
}
