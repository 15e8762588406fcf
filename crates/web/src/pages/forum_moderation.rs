//! Forum moderation pages for staff: the review queue, bans and the trail (`/agent/moderation`),
//! and the topic page's moderation forms (publish, hide, lock, move, merge, ban, ticket).

use askama::Template;
use atende_app::community::{
    self, ModerationRecord,
    forum::{Ban, Post},
    moderation::{self, TopicEdit},
};
use atende_domain::community::PostState;
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use jiff::{SignedDuration, Timestamp};

use super::{
    OrBack, PageError, Staff,
    chrome::Chrome,
    done,
    form::Submitted,
    forum::{back, to_ticket},
    page,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forum/posts/{id}/state", post(set_state))
        .route("/forum/t/{id}/moderate", post(moderate))
        .route("/forum/t/{id}/merge", post(merge))
        .route("/forum/t/{id}/ticket", post(to_ticket))
        .route("/agent/moderation", get(queue))
        .route("/agent/moderation/bans", post(ban))
        .route("/agent/moderation/bans/{user}/lift", post(lift))
}

const QUEUE: &str = "/agent/moderation";

/// Where a moderation form leads back to: the queue or the topic.
fn return_to(form: &super::form::Fields, topic: i64) -> String {
    match form.opt("back") {
        Some(QUEUE) => QUEUE.to_owned(),
        _ => back(topic),
    }
}

async fn set_state(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let topic: i64 = form.parse("topic")?;
    let to = return_to(&form, topic);
    let new_state: PostState = form.parse("state").or_back(&to)?;
    moderation::set_post_state(&state.app, &signed.actor, id, new_state)
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "admin-saved"))
}

async fn moderate(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let edit = TopicEdit {
        title: None,
        category_id: form.parse_opt("category").or_back(&back(id))?,
        locked: Some(form.checked("locked")),
    };
    moderation::edit_topic(&state.app, &signed.actor, id, edit)
        .await
        .or_back(&back(id))?;
    Ok(done(&signed.ctx, &state, &back(id), "admin-saved"))
}

async fn merge(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let into: i64 = form
        .text("into")
        .trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| PageError::invalid_field("into").back(back(id)))?;
    moderation::merge(&state.app, &signed.actor, id, into)
        .await
        .or_back(&back(id))?;
    Ok(done(&signed.ctx, &state, &back(into), "forum-merged"))
}

#[derive(Template)]
#[template(path = "agent_moderation.html")]
struct QueuePage {
    c: Chrome,
    held: Vec<(Post, String)>,
    bans: Vec<Ban>,
    trail: Vec<ModerationRecord>,
}

impl QueuePage {
    fn html(&self, post: &Post) -> String {
        atende_app::kb::render(&post.body)
    }

    fn action_name(&self, action: &str) -> String {
        self.c.t(&format!("moderation-action-{action}"))
    }
}

async fn queue(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let held = moderation::held(&state.app, &signed.actor).await?;
    let bans = moderation::bans(&state.app, &signed.actor).await?;
    let trail = community::moderation_log(&state.app, &signed.actor, 50).await?;
    page(&QueuePage {
        c: signed.ctx.chrome(&state, "moderation"),
        held,
        bans,
        trail,
    })
}

async fn ban(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let topic: Option<i64> = form.parse_opt("topic")?;
    let to = topic.map(back).unwrap_or_else(|| QUEUE.to_owned());
    let user: i64 = form.parse("user").or_back(&to)?;
    let days: Option<i64> = form.parse_opt("days").or_back(&to)?;
    let until = days.filter(|d| *d > 0).map(|d| {
        let now = state.app.clock.now();
        now.checked_add(SignedDuration::from_hours(24 * d.min(3650)))
            .unwrap_or(Timestamp::MAX)
    });
    moderation::ban(&state.app, &signed.actor, user, form.text("reason"), until)
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "forum-banned"))
}

async fn lift(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(user): Path<i64>,
) -> Result<Response, PageError> {
    moderation::unban(&state.app, &signed.actor, user)
        .await
        .or_back(QUEUE)?;
    Ok(done(&signed.ctx, &state, QUEUE, "admin-saved"))
}
