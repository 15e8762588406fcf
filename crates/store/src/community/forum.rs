//! The forum: categories, topics and their posts, votes (one per person), subscriptions and bans.
//! Who may read what is one condition (`Reader::restrict`), applied by every query that lists.

use atende_domain::community::PostState;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use super::{Localized, localized_from, localized_to, votes};
use crate::{
    Conn, Filter, Result,
    rows::{get_bool, get_i64, get_opt_i64, get_opt_str, get_opt_ts, get_parsed, get_str, get_ts, ms},
};

/// Who reads: visitors see what is visible, authors also their own posts waiting for review,
/// staff everything.
#[derive(Debug, Clone, Copy)]
pub enum Reader {
    Visitor,
    User(i64),
    Staff,
}

impl Reader {
    /// Adds the condition on rows of `alias` (a topic or a post, both have `state` and `author_id`).
    pub fn restrict(self, filter: Filter, alias: &str) -> Filter {
        match self {
            Reader::Staff => filter,
            Reader::Visitor => filter.text_eq(&format!("{alias}.state"), PostState::Visible.code()),
            Reader::User(id) => filter.int(
                &format!("({alias}.state = 'visible' OR ({alias}.state = 'held' AND {alias}.author_id = ?))"),
                &[id],
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub position: i64,
    /// `{"es": {"name": .., "description": ..}, ..}`
    pub names: Localized,
    /// Visible topics.
    pub topics: i64,
}

pub async fn categories(conn: &mut Conn) -> Result<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT c.id, c.position, c.names, (SELECT COUNT(*) FROM forum_topics t WHERE t.category_id = c.id \
         AND t.state = 'visible' AND t.merged_into IS NULL) AS topics FROM forum_categories c ORDER BY c.position, c.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Category {
                id: get_i64(row, "id")?,
                position: get_i64(row, "position")?,
                names: localized_from(&get_str(row, "names")?)?,
                topics: get_i64(row, "topics")?,
            })
        })
        .collect()
}

pub async fn insert_category(conn: &mut Conn, position: i64, names: &Localized, now: Timestamp) -> Result<i64> {
    let row =
        sqlx::query("INSERT INTO forum_categories (position, names, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(position)
            .bind(localized_to(names)?)
            .bind(ms(now))
            .fetch_one(&mut *conn)
            .await?;
    get_i64(&row, "id")
}

/// Whether the category existed.
pub async fn update_category(conn: &mut Conn, id: i64, position: i64, names: &Localized) -> Result<bool> {
    let done = sqlx::query("UPDATE forum_categories SET position = $1, names = $2 WHERE id = $3")
        .bind(position)
        .bind(localized_to(names)?)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: i64,
    pub category_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub title: String,
    pub lang: String,
    pub state: PostState,
    pub locked: bool,
    pub merged_into: Option<i64>,
    pub first_post_id: Option<i64>,
    pub accepted_post_id: Option<i64>,
    pub ticket_id: Option<i64>,
    /// The question's votes.
    pub votes: i64,
    /// Visible replies.
    pub replies: i64,
    pub last_post_at: Timestamp,
    pub created_at: Timestamp,
}

const TOPIC: &str = "SELECT t.id, t.category_id, t.author_id, u.name AS author_name, t.title, t.lang, t.state, t.locked, \
    t.merged_into, t.first_post_id, t.accepted_post_id, t.ticket_id, t.votes, t.replies, t.last_post_at, t.created_at \
    FROM forum_topics t LEFT JOIN users u ON u.id = t.author_id";

fn topic_from(row: &AnyRow) -> Result<Topic> {
    Ok(Topic {
        id: get_i64(row, "id")?,
        category_id: get_i64(row, "category_id")?,
        author_id: get_opt_i64(row, "author_id")?,
        author_name: get_opt_str(row, "author_name")?,
        title: get_str(row, "title")?,
        lang: get_str(row, "lang")?,
        state: get_parsed(row, "state")?,
        locked: get_bool(row, "locked")?,
        merged_into: get_opt_i64(row, "merged_into")?,
        first_post_id: get_opt_i64(row, "first_post_id")?,
        accepted_post_id: get_opt_i64(row, "accepted_post_id")?,
        ticket_id: get_opt_i64(row, "ticket_id")?,
        votes: get_i64(row, "votes")?,
        replies: get_i64(row, "replies")?,
        last_post_at: get_ts(row, "last_post_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// How topics are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TopicOrder {
    /// Latest activity first.
    #[default]
    Active,
    Newest,
    MostVoted,
}

#[derive(Debug, Clone, Default)]
pub struct TopicQuery {
    pub category_id: Option<i64>,
    /// Only topics without an accepted answer.
    pub unsolved: bool,
    pub order: TopicOrder,
    pub limit: i64,
    pub offset: i64,
}

/// Topics the reader may see (merged duplicates left out).
pub async fn topics(conn: &mut Conn, reader: Reader, q: &TopicQuery) -> Result<Vec<Topic>> {
    let mut filter = reader.restrict(Filter::new().int("t.merged_into IS NULL", &[]), "t");
    if let Some(category) = q.category_id {
        filter = filter.int_eq("t.category_id", category);
    }
    if q.unsolved {
        filter = filter.int("t.accepted_post_id IS NULL", &[]);
    }
    let order = match q.order {
        TopicOrder::Active => "t.last_post_at DESC, t.id DESC",
        TopicOrder::Newest => "t.id DESC",
        TopicOrder::MostVoted => "t.votes DESC, t.id DESC",
    };
    let sql = format!(
        "{TOPIC} {} ORDER BY {order} LIMIT {} OFFSET {}",
        filter.where_clause(),
        q.limit.clamp(1, 200),
        q.offset.max(0)
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(topic_from).collect()
}

pub async fn topic(conn: &mut Conn, id: i64) -> Result<Option<Topic>> {
    let sql = format!("{TOPIC} WHERE t.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(topic_from).transpose()
}

pub async fn topics_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Topic>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter::new().int_in("t.id", ids);
    let sql = format!("{TOPIC} {}", filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(topic_from).collect()
}

/// A topic as it is asked: its question is its first post.
#[derive(Clone, Copy)]
pub struct NewTopic<'a> {
    pub category_id: i64,
    pub author: i64,
    pub title: &'a str,
    /// The language it is asked in.
    pub lang: &'a str,
    pub body: &'a str,
    pub state: PostState,
}

/// A new topic and its question; the topic's id and the question's.
pub async fn insert_topic(conn: &mut Conn, t: &NewTopic<'_>, now: Timestamp) -> Result<(i64, i64)> {
    let NewTopic {
        category_id,
        author,
        title,
        lang,
        body,
        state,
    } = *t;
    let row = sqlx::query(
        "INSERT INTO forum_topics (category_id, author_id, title, lang, state, locked, votes, replies, last_post_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, $7, $7) RETURNING id",
    )
    .bind(category_id)
    .bind(author)
    .bind(title)
    .bind(lang)
    .bind(state.code())
    .bind(false)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    let topic = get_i64(&row, "id")?;
    let post = insert_post(conn, topic, author, body, state, now).await?;
    sqlx::query("UPDATE forum_topics SET first_post_id = $1 WHERE id = $2")
        .bind(post)
        .bind(topic)
        .execute(&mut *conn)
        .await?;
    Ok((topic, post))
}

/// Topic fields a moderator (or, for the title, the author) changes; `None` leaves one as it is.
#[derive(Debug, Clone, Default)]
pub struct TopicChanges {
    pub title: Option<String>,
    pub category_id: Option<i64>,
    pub locked: Option<bool>,
    pub state: Option<PostState>,
    pub ticket_id: Option<i64>,
}

pub async fn update_topic(conn: &mut Conn, id: i64, changes: &TopicChanges, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE forum_topics SET title = COALESCE($1, title), category_id = COALESCE($2, category_id), \
         locked = COALESCE($3, locked), state = COALESCE($4, state), ticket_id = COALESCE($5, ticket_id), updated_at = $6 WHERE id = $7",
    )
    .bind(changes.title.clone())
    .bind(changes.category_id)
    .bind(changes.locked)
    .bind(changes.state.map(|s| s.code()))
    .bind(changes.ticket_id)
    .bind(ms(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_accepted(conn: &mut Conn, topic: i64, post: Option<i64>, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE forum_topics SET accepted_post_id = $1, updated_at = $2 WHERE id = $3")
        .bind(post)
        .bind(ms(now))
        .bind(topic)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Counts a topic's visible replies, its latest visible post and its question's votes again.
pub async fn refresh_topic(conn: &mut Conn, topic: i64) -> Result<()> {
    sqlx::query(
        "UPDATE forum_topics SET \
         replies = (SELECT COUNT(*) FROM forum_posts p WHERE p.topic_id = $1 AND p.state = 'visible' \
                    AND p.id <> COALESCE(forum_topics.first_post_id, 0)), \
         last_post_at = COALESCE((SELECT MAX(p.created_at) FROM forum_posts p WHERE p.topic_id = $1 AND p.state = 'visible'), created_at), \
         votes = COALESCE((SELECT p.votes FROM forum_posts p WHERE p.id = forum_topics.first_post_id), 0) \
         WHERE id = $1",
    )
    .bind(topic)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Folds `source` into `target`: its posts and subscribers move, and it points at the target.
pub async fn merge_topics(conn: &mut Conn, source: i64, target: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE forum_posts SET topic_id = $1 WHERE topic_id = $2")
        .bind(target)
        .bind(source)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO forum_subscriptions (topic_id, user_id) SELECT $1, user_id FROM forum_subscriptions \
         WHERE topic_id = $2 ON CONFLICT (topic_id, user_id) DO NOTHING",
    )
    .bind(target)
    .bind(source)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM forum_subscriptions WHERE topic_id = $1")
        .bind(source)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE forum_topics SET merged_into = $1, accepted_post_id = NULL, replies = 0, updated_at = $2 \
         WHERE id = $3 OR merged_into = $3",
    )
    .bind(target)
    .bind(ms(now))
    .bind(source)
    .execute(&mut *conn)
    .await?;
    refresh_topic(conn, target).await
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub topic_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Markdown.
    pub body: String,
    pub state: PostState,
    pub votes: i64,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
}

const POST: &str = "SELECT p.id, p.topic_id, p.author_id, u.name AS author_name, p.body, p.state, p.votes, p.created_at, \
    CASE WHEN p.updated_at > p.created_at THEN p.updated_at END AS edited_at \
    FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id";

fn post_from(row: &AnyRow) -> Result<Post> {
    Ok(Post {
        id: get_i64(row, "id")?,
        topic_id: get_i64(row, "topic_id")?,
        author_id: get_opt_i64(row, "author_id")?,
        author_name: get_opt_str(row, "author_name")?,
        body: get_str(row, "body")?,
        state: get_parsed(row, "state")?,
        votes: get_i64(row, "votes")?,
        created_at: get_ts(row, "created_at")?,
        edited_at: get_opt_ts(row, "edited_at")?,
    })
}

pub async fn insert_post(
    conn: &mut Conn,
    topic: i64,
    author: i64,
    body: &str,
    state: PostState,
    now: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO forum_posts (topic_id, author_id, body, state, votes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
    )
    .bind(topic)
    .bind(author)
    .bind(body)
    .bind(state.code())
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    let id = get_i64(&row, "id")?;
    refresh_topic(conn, topic).await?;
    Ok(id)
}

pub async fn post(conn: &mut Conn, id: i64) -> Result<Option<Post>> {
    let sql = format!("{POST} WHERE p.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(post_from).transpose()
}

pub async fn posts_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Post>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter::new().int_in("p.id", ids);
    let sql = format!("{POST} {}", filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(post_from).collect()
}

/// A topic's posts the reader may see, in the order they were written.
pub async fn posts(conn: &mut Conn, topic: i64, reader: Reader) -> Result<Vec<Post>> {
    let filter = reader.restrict(Filter::new().int_eq("p.topic_id", topic), "p");
    let sql = format!("{POST} {} ORDER BY p.created_at, p.id", filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(post_from).collect()
}

/// Posts waiting for a moderator, oldest first, with their topic's title.
pub async fn held_posts(conn: &mut Conn, limit: i64) -> Result<Vec<(Post, String)>> {
    let sql = format!(
        "SELECT q.*, t.title AS topic_title FROM ({POST} WHERE p.state = 'held') q JOIN forum_topics t ON t.id = q.topic_id \
         ORDER BY q.id LIMIT $1"
    );
    let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| Ok((post_from(row)?, get_str(row, "topic_title")?)))
        .collect()
}

pub async fn set_post_state(conn: &mut Conn, id: i64, topic: i64, state: PostState, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE forum_posts SET state = $1 WHERE id = $2")
        .bind(state.code())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE forum_topics SET updated_at = $1 WHERE id = $2")
        .bind(ms(now))
        .bind(topic)
        .execute(&mut *conn)
        .await?;
    refresh_topic(conn, topic).await
}

pub async fn set_post_body(conn: &mut Conn, id: i64, body: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE forum_posts SET body = $1, updated_at = $2 WHERE id = $3")
        .bind(body)
        .bind(ms(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds (or withdraws) the user's vote on a post; the post's new count.
pub async fn set_vote(conn: &mut Conn, post: i64, topic: i64, user: i64, up: bool, now: Timestamp) -> Result<i64> {
    let count = votes::cast(conn, &votes::POSTS, post, user, up, now).await?;
    refresh_topic(conn, topic).await?;
    Ok(count)
}

/// Which of `posts` the user voted for.
pub async fn voted_among(conn: &mut Conn, user: i64, posts: &[i64]) -> Result<Vec<i64>> {
    votes::voted_among(conn, &votes::POSTS, user, posts).await
}

pub async fn set_subscribed(conn: &mut Conn, topic: i64, user: i64, on: bool) -> Result<()> {
    let sql = if on {
        "INSERT INTO forum_subscriptions (topic_id, user_id) VALUES ($1, $2) ON CONFLICT (topic_id, user_id) DO NOTHING"
    } else {
        "DELETE FROM forum_subscriptions WHERE topic_id = $1 AND user_id = $2"
    };
    sqlx::query(sql).bind(topic).bind(user).execute(&mut *conn).await?;
    Ok(())
}

pub async fn is_subscribed(conn: &mut Conn, topic: i64, user: i64) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM forum_subscriptions WHERE topic_id = $1 AND user_id = $2")
        .bind(topic)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

pub async fn subscribers(conn: &mut Conn, topic: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT user_id FROM forum_subscriptions WHERE topic_id = $1 ORDER BY user_id")
        .bind(topic)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "user_id")).collect()
}

/// The user's posts written since `since`: how many, and when the oldest of them was written.
pub async fn posts_since(
    conn: &mut Conn,
    user: i64,
    since: Timestamp,
    questions_only: bool,
) -> Result<(i64, Option<Timestamp>)> {
    let sql = if questions_only {
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM forum_topics WHERE author_id = $1 AND created_at > $2"
    } else {
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM forum_posts WHERE author_id = $1 AND created_at > $2"
    };
    let row = sqlx::query(sql)
        .bind(user)
        .bind(ms(since))
        .fetch_one(&mut *conn)
        .await?;
    Ok((get_i64(&row, "n")?, get_opt_ts(&row, "oldest")?))
}

/// How many of the user's posts are published: trust for posting without review.
pub async fn published_posts(conn: &mut Conn, user: i64) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM forum_posts WHERE author_id = $1 AND state = 'visible'")
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
    get_i64(&row, "n")
}

#[derive(Debug, Clone)]
pub struct Ban {
    pub user_id: i64,
    pub user_name: String,
    pub user_email: String,
    pub reason: String,
    pub until: Option<Timestamp>,
    pub created_at: Timestamp,
}

const BAN: &str = "SELECT b.user_id, u.name AS user_name, u.email AS user_email, b.reason, b.until_at, b.created_at \
    FROM forum_bans b JOIN users u ON u.id = b.user_id";

fn ban_from(row: &AnyRow) -> Result<Ban> {
    Ok(Ban {
        user_id: get_i64(row, "user_id")?,
        user_name: get_str(row, "user_name")?,
        user_email: get_str(row, "user_email")?,
        reason: get_str(row, "reason")?,
        until: get_opt_ts(row, "until_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub async fn ban(
    conn: &mut Conn,
    user: i64,
    reason: &str,
    by: i64,
    until: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO forum_bans (user_id, reason, banned_by, until_at, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET reason = $2, banned_by = $3, until_at = $4, created_at = $5",
    )
    .bind(user)
    .bind(reason)
    .bind(by)
    .bind(until.map(ms))
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether there was a ban to lift.
pub async fn unban(conn: &mut Conn, user: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM forum_bans WHERE user_id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The user's ban in force at `now`, if any.
pub async fn active_ban(conn: &mut Conn, user: i64, now: Timestamp) -> Result<Option<Ban>> {
    let sql = format!("{BAN} WHERE b.user_id = $1 AND (b.until_at IS NULL OR b.until_at > $2)");
    let row = sqlx::query(&sql)
        .bind(user)
        .bind(ms(now))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(ban_from).transpose()
}

pub async fn bans(conn: &mut Conn, now: Timestamp) -> Result<Vec<Ban>> {
    let sql = format!("{BAN} WHERE b.until_at IS NULL OR b.until_at > $1 ORDER BY b.created_at DESC");
    let rows = sqlx::query(&sql).bind(ms(now)).fetch_all(&mut *conn).await?;
    rows.iter().map(ban_from).collect()
}
