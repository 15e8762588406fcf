//! What is said about a ticket beside its conversation: its tags and the requester's rating.

use jiff::Timestamp;

use crate::{
    Conn, Result,
    rows::{get_i64, get_str, get_ts, ms},
};

pub async fn tags(conn: &mut Conn, ticket_id: i64) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT tag FROM ticket_tags WHERE ticket_id = $1 ORDER BY tag")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_str(r, "tag")).collect()
}

/// Replaces the ticket's tags with `tags` (already normalized and deduplicated).
pub async fn set_tags(conn: &mut Conn, ticket_id: i64, tags: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = $1")
        .bind(ticket_id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)")
            .bind(ticket_id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Rating {
    pub ticket_id: i64,
    pub good: bool,
    pub comment: String,
    pub rated_by: i64,
    pub rated_at: Timestamp,
}

pub async fn rating(conn: &mut Conn, ticket_id: i64) -> Result<Option<Rating>> {
    let row =
        sqlx::query("SELECT ticket_id, rating, comment, rated_by, rated_at FROM ticket_ratings WHERE ticket_id = $1")
            .bind(ticket_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        Ok(Rating {
            ticket_id: get_i64(&r, "ticket_id")?,
            good: get_str(&r, "rating")? == "good",
            comment: get_str(&r, "comment")?,
            rated_by: get_i64(&r, "rated_by")?,
            rated_at: get_ts(&r, "rated_at")?,
        })
    })
    .transpose()
}

pub async fn save_rating(conn: &mut Conn, rating: &Rating) -> Result<()> {
    // A rating changed leaves the day it was first given with one rating fewer in the reports.
    sqlx::query("INSERT INTO report_stale (since) SELECT rated_at FROM ticket_ratings WHERE ticket_id = $1")
        .bind(rating.ticket_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO ticket_ratings (ticket_id, rating, comment, rated_by, rated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, \
         rated_by = excluded.rated_by, rated_at = excluded.rated_at",
    )
    .bind(rating.ticket_id)
    .bind(if rating.good { "good" } else { "bad" })
    .bind(&rating.comment)
    .bind(rating.rated_by)
    .bind(ms(rating.rated_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
