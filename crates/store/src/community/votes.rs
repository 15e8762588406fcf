//! One vote a person, for everything the community votes on: ideas, forum posts and the
//! questions asked ahead of an event. The count on the voted row is always recounted from the
//! votes themselves, so repeating a vote or withdrawing it twice changes nothing.

use jiff::Timestamp;

use crate::{
    Conn, Filter, Result,
    rows::{get_i64, ms},
};

/// Where the votes of one kind of thing are kept.
pub(crate) struct Ballot {
    /// The table of votes: one row per (thing, user).
    votes: &'static str,
    /// Its column naming the thing.
    key: &'static str,
    /// The table of the things, with their `votes` count.
    counted: &'static str,
    /// Whether a vote records when it was cast.
    stamped: bool,
}

pub(crate) const IDEAS: Ballot = Ballot {
    votes: "idea_votes",
    key: "idea_id",
    counted: "ideas",
    stamped: true,
};

pub(crate) const POSTS: Ballot = Ballot {
    votes: "forum_votes",
    key: "post_id",
    counted: "forum_posts",
    stamped: true,
};

pub(crate) const QUESTIONS: Ballot = Ballot {
    votes: "event_question_votes",
    key: "question_id",
    counted: "event_questions",
    stamped: false,
};

/// Casts (or withdraws) `user`'s vote on `id`; the thing's new count.
pub(crate) async fn cast(conn: &mut Conn, b: &Ballot, id: i64, user: i64, up: bool, now: Timestamp) -> Result<i64> {
    let (votes, key) = (b.votes, b.key);
    if !up {
        sqlx::query(&format!("DELETE FROM {votes} WHERE {key} = $1 AND user_id = $2"))
            .bind(id)
            .bind(user)
            .execute(&mut *conn)
            .await?;
    } else if b.stamped {
        sqlx::query(&format!(
            "INSERT INTO {votes} ({key}, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT ({key}, user_id) DO NOTHING"
        ))
        .bind(id)
        .bind(user)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query(&format!(
            "INSERT INTO {votes} ({key}, user_id) VALUES ($1, $2) ON CONFLICT ({key}, user_id) DO NOTHING"
        ))
        .bind(id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    recount(conn, b, id).await
}

/// Counts the thing's votes again from the votes themselves; the count.
pub(crate) async fn recount(conn: &mut Conn, b: &Ballot, id: i64) -> Result<i64> {
    let (votes, key, counted) = (b.votes, b.key, b.counted);
    let row = sqlx::query(&format!(
        "UPDATE {counted} SET votes = (SELECT COUNT(*) FROM {votes} WHERE {key} = $1) WHERE id = $1 RETURNING votes"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "votes")
}

/// Which of `ids` the user voted for.
pub(crate) async fn voted_among(conn: &mut Conn, b: &Ballot, user: i64, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter::new().int_eq("user_id", user).int_in(b.key, ids);
    let sql = format!("SELECT {} AS voted FROM {} {}", b.key, b.votes, filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| get_i64(r, "voted")).collect()
}
