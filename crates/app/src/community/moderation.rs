//! Forum moderation (staff): review held posts, hide and show, lock, move, merge duplicates, ban
//! and lift bans, and follow a topic up in a ticket. Every action is written to the trail.

use atende_domain::{
    Priority, TicketChannel, TicketType,
    community::PostState,
    entities::Ticket,
    ticket::{Body, Subject},
};
use atende_store::{
    community::{
        self as community_store,
        forum::{self as store, Ban, Post, TopicChanges},
    },
    directory,
};
use jiff::Timestamp;

use super::forum::{Topic, index_post, tell_followers, visible_topic};
use crate::{Actor, App, AppError, Result, auth::commit};

/// Posts waiting for review, oldest first, with their topic's title.
pub async fn held(app: &App, actor: &Actor) -> Result<Vec<(Post, String)>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::held_posts(&mut conn, 200).await?)
}

/// Publishes, holds or hides a post. A topic's question carries its topic along; a reply
/// published after review is news for the topic's followers.
pub async fn set_post_state(app: &App, actor: &Actor, post_id: i64, state: PostState) -> Result<Post> {
    actor.require_staff()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let post = store::post(&mut tx, post_id).await?.ok_or(AppError::NotFound("post"))?;
    let topic = store::topic(&mut tx, post.topic_id)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    if post.state == state {
        return Ok(post);
    }
    let before = post.state;
    store::set_post_state(&mut tx, post_id, topic.id, state, now).await?;
    let question = topic.first_post_id == Some(post_id);
    if question {
        let changes = TopicChanges {
            state: Some(state),
            ..TopicChanges::default()
        };
        store::update_topic(&mut tx, topic.id, &changes, now).await?;
    }
    if topic.accepted_post_id == Some(post_id) && state != PostState::Visible {
        store::set_accepted(&mut tx, topic.id, None, now).await?;
    }
    let post = store::post(&mut tx, post_id).await?.ok_or(AppError::NotFound("post"))?;
    if !question && state == PostState::Visible && before == PostState::Held {
        tell_followers(app, &mut tx, &topic, &post).await?;
    }
    let action = match state {
        PostState::Visible => "publish",
        PostState::Held => "hold",
        PostState::Hidden => "hide",
    };
    let (subject, subject_id) = if question {
        ("topic", topic.id)
    } else {
        ("post", post_id)
    };
    community_store::log_moderation(&mut tx, subject, subject_id, action, actor.id(), "", now).await?;
    commit(tx).await?;
    Ok(post)
}

/// What may change on a topic: the title (its author too), and, for staff, the category and the lock.
#[derive(Debug, Clone, Default)]
pub struct TopicEdit {
    pub title: Option<String>,
    pub category_id: Option<i64>,
    pub locked: Option<bool>,
}

pub async fn edit_topic(app: &App, actor: &Actor, topic_id: i64, edit: TopicEdit) -> Result<Topic> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let topic = visible_topic(&mut tx, Some(actor), topic_id).await?;
    let staff = actor.is_staff();
    if !staff && (edit.category_id.is_some() || edit.locked.is_some()) {
        return Err(AppError::Forbidden("staff_only"));
    }
    if !staff && topic.author_id != Some(actor.id()) {
        return Err(AppError::Forbidden("topic.not_asker"));
    }
    if !staff && topic.locked {
        return Err(AppError::Rejected("topic.locked"));
    }
    let title = edit
        .title
        .as_deref()
        .map(|t| atende_domain::text::bounded("title", &t.replace(['\r', '\n', '\t'], " "), super::forum::MAX_TITLE))
        .transpose()?;
    if let Some(category) = edit.category_id
        && !store::categories(&mut tx).await?.iter().any(|c| c.id == category)
    {
        return Err(AppError::NotFound("category"));
    }
    let changes = TopicChanges {
        title: title.clone(),
        category_id: edit.category_id,
        locked: edit.locked,
        ..TopicChanges::default()
    };
    store::update_topic(&mut tx, topic_id, &changes, now).await?;
    let updated = store::topic(&mut tx, topic_id)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    if title.is_some()
        && let Some(first) = updated.first_post_id
        && let Some(question) = store::post(&mut tx, first).await?
    {
        index_post(app, &mut tx, &updated, first, &question.body, question.created_at).await?;
    }
    if staff {
        let mut done = Vec::new();
        if let Some(locked) = edit.locked.filter(|l| *l != topic.locked) {
            done.push((if locked { "lock" } else { "unlock" }, String::new()));
        }
        if let Some(category) = edit.category_id.filter(|c| *c != topic.category_id) {
            done.push(("move", format!("from category {} to {category}", topic.category_id)));
        }
        if title.as_ref().is_some_and(|t| *t != topic.title) && topic.author_id != Some(actor.id()) {
            done.push(("retitle", topic.title.clone()));
        }
        for (action, detail) in done {
            community_store::log_moderation(&mut tx, "topic", topic_id, action, actor.id(), &detail, now).await?;
        }
    }
    commit(tx).await?;
    Ok(updated)
}

/// Folds a duplicate topic into another: its posts and followers move over.
pub async fn merge(app: &App, actor: &Actor, source: i64, target: i64) -> Result<Topic> {
    actor.require_staff()?;
    if source == target {
        return Err(AppError::Rejected("topic.merge_into_itself"));
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let from = store::topic(&mut tx, source)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    let into = store::topic(&mut tx, target)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    if from.merged_into.is_some() || into.merged_into.is_some() {
        return Err(AppError::Rejected("topic.merged"));
    }
    store::merge_topics(&mut tx, source, target, now).await?;
    // The moved question is a reply now: indexed under the surviving title's topic.
    if let Some(first) = from.first_post_id
        && let Some(post) = store::post(&mut tx, first).await?
    {
        index_post(app, &mut tx, &into, first, &post.body, post.created_at).await?;
    }
    community_store::log_moderation(
        &mut tx,
        "topic",
        source,
        "merge",
        actor.id(),
        &format!("into {target}"),
        now,
    )
    .await?;
    let topic = store::topic(&mut tx, target)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    commit(tx).await?;
    Ok(topic)
}

pub async fn bans(app: &App, actor: &Actor) -> Result<Vec<Ban>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::bans(&mut conn, app.clock.now()).await?)
}

/// Stops a customer from posting, voting and asking in the forum (reading stays open), until a
/// moment or until lifted.
pub async fn ban(app: &App, actor: &Actor, user_id: i64, reason: &str, until: Option<Timestamp>) -> Result<()> {
    actor.require_staff()?;
    let reason = atende_domain::text::bounded("reason", reason, 500)?;
    let now = app.clock.now();
    if until.is_some_and(|u| u <= now) {
        return Err(atende_domain::ParseError::Invalid {
            field: "until",
            reason: "in_the_past",
        }
        .into());
    }
    let mut tx = app.db.begin().await?;
    let user = directory::get_user(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if user.role.is_staff() {
        return Err(AppError::Rejected("forum.ban_staff"));
    }
    store::ban(&mut tx, user_id, &reason, actor.id(), until, now).await?;
    community_store::log_moderation(&mut tx, "user", user_id, "ban", actor.id(), &reason, now).await?;
    commit(tx).await
}

pub async fn unban(app: &App, actor: &Actor, user_id: i64) -> Result<()> {
    actor.require_staff()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    if !store::unban(&mut tx, user_id).await? {
        return Err(AppError::NotFound("ban"));
    }
    community_store::log_moderation(&mut tx, "user", user_id, "unban", actor.id(), "", now).await?;
    commit(tx).await
}

/// Follows a topic up in a ticket for its asker (the access rules are the asker's): the question
/// becomes the description, with a link back to the topic.
pub async fn to_ticket(
    app: &App,
    actor: &Actor,
    topic_id: i64,
    contract_id: i64,
    ticket_type: TicketType,
    priority: Priority,
) -> Result<Ticket> {
    actor.require_staff()?;
    let (topic, question) = {
        let mut conn = app.db.read().await?;
        let topic = visible_topic(&mut conn, Some(actor), topic_id).await?;
        let question = match topic.first_post_id {
            Some(id) => store::post(&mut conn, id).await?,
            None => None,
        };
        (topic, question.ok_or(AppError::NotFound("post"))?)
    };
    let requester = topic.author_id.ok_or(AppError::NotFound("requester"))?;
    let link = format!("{}/forum/t/{}", app.settings.public_url.trim_end_matches('/'), topic.id);
    let input = crate::tickets::OpenTicket {
        ticket_type,
        subject: Subject::parse(&topic.title)?,
        description: Body::parse("description", &format!("{}\n\n{link}", question.body))?,
        priority,
        contract_id,
        bot_id: None,
        requester_id: Some(requester),
        channel: Some(TicketChannel::Portal),
        attachments: Vec::new(),
        call: None,
    };
    let ticket = crate::tickets::open(app, actor, input, TicketChannel::Portal).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let changes = TopicChanges {
        ticket_id: Some(ticket.id),
        ..TopicChanges::default()
    };
    store::update_topic(&mut tx, topic_id, &changes, now).await?;
    community_store::log_moderation(
        &mut tx,
        "topic",
        topic_id,
        "to_ticket",
        actor.id(),
        &format!("ticket {}", ticket.id),
        now,
    )
    .await?;
    commit(tx).await?;
    Ok(ticket)
}
