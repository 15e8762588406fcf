//! Tags (staff's labels on a ticket) and the requester's rating of a solved ticket.

use atende_domain::{Tag, TicketChannel, TicketStatus, text::bounded};
use atende_store::{
    feedback::{self, Rating},
    tickets,
};
use serde_json::json;

use crate::{Actor, App, AppError, Result, auth::commit};

pub const MAX_TAGS: usize = 20;
pub const MAX_COMMENT: usize = 2000;

pub async fn tags(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<String>> {
    let mut conn = app.db.read().await?;
    crate::tickets::visible(&mut conn, actor, ticket_id).await?;
    Ok(feedback::tags(&mut conn, ticket_id).await?)
}

/// Replaces the ticket's tags (staff only); the change is an event like any other.
pub async fn set_tags(
    app: &App,
    actor: &Actor,
    ticket_id: i64,
    tags: Vec<Tag>,
    via: TicketChannel,
) -> Result<Vec<String>> {
    actor.require_staff()?;
    if tags.len() > MAX_TAGS {
        return Err(AppError::Rejected("ticket.too_many_tags"));
    }
    let wanted: Vec<String> = tags.iter().map(|t| t.as_str().to_owned()).collect();
    let mut tx = app.db.begin().await?;
    tickets::lock_ticket(&mut tx, ticket_id).await?;
    let now = app.clock.now();
    crate::tickets::visible(&mut tx, actor, ticket_id).await?;
    let before = feedback::tags(&mut tx, ticket_id).await?;
    if before == wanted {
        return Ok(before);
    }
    feedback::set_tags(&mut tx, ticket_id, &wanted).await?;
    let data = json!({"from": before, "to": wanted});
    tickets::insert_event(
        &mut tx,
        ticket_id,
        Some(actor.id()),
        via.code(),
        "tags_changed",
        &data,
        now,
    )
    .await?;
    commit(tx).await?;
    Ok(wanted)
}

pub async fn rating(app: &App, actor: &Actor, ticket_id: i64) -> Result<Option<Rating>> {
    let mut conn = app.db.read().await?;
    crate::tickets::visible(&mut conn, actor, ticket_id).await?;
    Ok(feedback::rating(&mut conn, ticket_id).await?)
}

/// The requester says whether the solution was good, with an optional comment. Only a solved or
/// closed ticket can be rated; rating again replaces the earlier verdict.
pub async fn rate(
    app: &App,
    actor: &Actor,
    ticket_id: i64,
    good: bool,
    comment: &str,
    via: TicketChannel,
) -> Result<Rating> {
    let comment = if comment.trim().is_empty() {
        String::new()
    } else {
        bounded("comment", comment, MAX_COMMENT)?
    };
    let mut tx = app.db.begin().await?;
    tickets::lock_ticket(&mut tx, ticket_id).await?;
    let now = app.clock.now();
    let ticket = crate::tickets::visible(&mut tx, actor, ticket_id).await?;
    if ticket.requester_id != actor.id() {
        return Err(AppError::Forbidden("ticket.rating_requester_only"));
    }
    if !matches!(ticket.status, TicketStatus::Solved | TicketStatus::Closed) {
        return Err(AppError::Rejected("ticket.rating_not_solved"));
    }
    let rating = Rating {
        ticket_id,
        good,
        comment,
        rated_by: actor.id(),
        rated_at: now,
    };
    feedback::save_rating(&mut tx, &rating).await?;
    let data = json!({"rating": if good { "good" } else { "bad" }, "comment": !rating.comment.is_empty()});
    tickets::insert_event(&mut tx, ticket_id, Some(actor.id()), via.code(), "rated", &data, now).await?;
    commit(tx).await?;
    Ok(rating)
}
