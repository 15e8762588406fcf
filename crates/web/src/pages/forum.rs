//! The forum (`/forum`): categories, the topic list with search, a form to ask, and each topic's
//! page with its answers, votes, the accepted answer and, for staff, the moderation controls.

use askama::Template;
use atende_app::{
    community::{
        forum::{self, Category, Post, TopicDetail, TopicOrder, TopicQuery},
        moderation,
    },
    entitlements::{self, Offer},
    kb::render,
    search::{self, ForumHit},
};
use atende_domain::{Priority, TicketType, community::PostState, search::Piece};
use axum::{
    Router,
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    OrBack, PageError, Signed, Staff,
    chrome::{By, Chrome},
    done,
    form::Submitted,
    page,
    session::PageCtx,
};
use crate::{AppState, api::forum::localized};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forum", get(index).post(ask))
        .route("/forum/t/{id}", get(show))
        .route("/forum/t/{id}/reply", post(reply))
        .route("/forum/t/{id}/accept", post(accept))
        .route("/forum/t/{id}/follow", post(follow))
        .route("/forum/posts/{id}/vote", post(vote))
        .route("/forum/posts/{id}/edit", post(edit))
        .merge(super::forum_moderation::routes())
}

#[derive(Debug, Deserialize, Default)]
struct IndexQuery {
    category: Option<i64>,
    sort: Option<String>,
    unsolved: Option<String>,
    q: Option<String>,
}

/// A category as the page lists it: (id, name, description, topics).
pub(super) type CategoryRow = (i64, String, String, i64);

pub(super) fn category_rows(categories: Vec<Category>, ctx: &PageCtx) -> Vec<CategoryRow> {
    categories
        .into_iter()
        .map(|c| {
            (
                c.id,
                localized(&c.names, ctx.lang, "name"),
                localized(&c.names, ctx.lang, "description"),
                c.topics,
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "forum.html")]
struct IndexPage {
    c: Chrome,
    categories: Vec<CategoryRow>,
    topics: Vec<forum::Topic>,
    category: Option<i64>,
    sort: &'static str,
    unsolved: bool,
    q: String,
    hits: Vec<ForumHit>,
}

impl IndexPage {
    fn category_name(&self, id: &i64) -> String {
        self.categories
            .iter()
            .find(|c| c.0 == *id)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    }

    fn href_category(&self, id: impl By<i64>) -> String {
        self.href(Some(id.get()), self.sort, self.unsolved)
    }

    fn href_all(&self) -> String {
        self.href(None, self.sort, self.unsolved)
    }

    fn href_sort(&self, sort: &str) -> String {
        self.href(self.category, sort, self.unsolved)
    }

    fn href_unsolved(&self) -> String {
        self.href(self.category, self.sort, !self.unsolved)
    }

    /// The list's address with one choice changed.
    fn href(&self, category: Option<i64>, sort: &str, unsolved: impl By<bool>) -> String {
        let mut parts = Vec::new();
        if let Some(c) = category {
            parts.push(format!("category={c}"));
        }
        if sort != "active" {
            parts.push(format!("sort={sort}"));
        }
        if unsolved.get() {
            parts.push("unsolved=1".to_owned());
        }
        if parts.is_empty() {
            "/forum".to_owned()
        } else {
            format!("/forum?{}", parts.join("&"))
        }
    }

    fn snippet(&self, pieces: &[Piece]) -> String {
        snippet_html(pieces)
    }
}

pub(super) fn snippet_html(pieces: &[Piece]) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => escape(t),
            Piece::Hit(t) => format!("<mark>{}</mark>", escape(t)),
        })
        .collect()
}

async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let (sort, order) = match q.sort.as_deref() {
        Some("new") => ("new", TopicOrder::Newest),
        Some("top") => ("top", TopicOrder::MostVoted),
        _ => ("active", TopicOrder::Active),
    };
    let unsolved = q.unsolved.as_deref() == Some("1");
    let query = TopicQuery {
        category_id: q.category,
        unsolved,
        order,
        limit: 100,
        offset: 0,
    };
    let actor = ctx.actor.as_deref();
    let topics = forum::topics(&state.app, actor, &query).await?;
    let text = q.q.unwrap_or_default();
    let hits = if text.trim().is_empty() {
        Vec::new()
    } else {
        search::forum(&state.app, &text, ctx.lang, 20).await?
    };
    page(&IndexPage {
        categories: category_rows(forum::categories(&state.app).await?, &ctx),
        c: ctx.chrome(&state, "forum"),
        topics,
        category: q.category,
        sort,
        unsolved,
        q: text,
        hits,
    })
}

async fn ask(State(state): State<AppState>, signed: Signed, Submitted(form): Submitted) -> Result<Response, PageError> {
    let category: i64 = form.parse("category").or_back("/forum")?;
    let topic = forum::create_topic(
        &state.app,
        &signed.actor,
        category,
        form.text("title"),
        form.text("body"),
    )
    .await
    .or_back("/forum")?;
    let key = if topic.state == PostState::Held {
        "forum-held"
    } else {
        "forum-posted"
    };
    Ok(done(&signed.ctx, &state, &format!("/forum/t/{}", topic.id), key))
}

#[derive(Template)]
#[template(path = "forum_topic.html")]
struct TopicPage {
    c: Chrome,
    detail: TopicDetail,
    categories: Vec<CategoryRow>,
    /// Staff following the topic up: the asker's contracts and whether the portal is open to them.
    offers: Vec<Offer>,
    types: Vec<TicketType>,
}

impl TopicPage {
    fn html(&self, post: &Post) -> String {
        render(&post.body)
    }

    fn has_voted(&self, id: &i64) -> bool {
        self.detail.voted.contains(id)
    }

    fn is_question(&self, post: &Post) -> bool {
        self.detail.topic.first_post_id == Some(post.id)
    }

    fn is_accepted(&self, post: &Post) -> bool {
        self.detail.topic.accepted_post_id == Some(post.id)
    }

    fn is_author(&self, post: &Post) -> bool {
        post.author_id.is_some() && post.author_id == self.c.user.as_ref().map(|u| u.id)
    }

    /// The asker or staff may mark an answer.
    fn may_accept(&self) -> bool {
        self.c.is_staff()
            || (self.detail.topic.author_id.is_some()
                && self.detail.topic.author_id == self.c.user.as_ref().map(|u| u.id))
    }

    fn may_reply(&self) -> bool {
        self.c.signed_in()
            && self.detail.topic.merged_into.is_none()
            && (!self.detail.topic.locked || self.c.is_staff())
    }

    fn in_category(&self, id: impl By<i64>) -> bool {
        self.detail.topic.category_id == id.get()
    }

    fn category_name(&self) -> String {
        self.categories
            .iter()
            .find(|c| c.0 == self.detail.topic.category_id)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    }

    fn reply_count(&self) -> i64 {
        self.detail.posts.len().saturating_sub(1) as i64
    }
}

async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let actor = ctx.actor.clone();
    let detail = forum::topic(&state.app, actor.as_deref(), id).await?;
    let offers = match (actor.as_deref(), detail.topic.author_id) {
        (Some(a), Some(author)) if a.is_staff() && detail.topic.ticket_id.is_none() => {
            let asker = atende_app::directory::get_user(&state.app, a, author).await?;
            entitlements::offers_for(&state.app, &asker).await?
        }
        _ => Vec::new(),
    };
    page(&TopicPage {
        categories: category_rows(forum::categories(&state.app).await?, &ctx),
        c: ctx.chrome(&state, "forum"),
        detail,
        offers,
        types: TicketType::ALL.to_vec(),
    })
}

pub(super) fn back(id: i64) -> String {
    format!("/forum/t/{id}")
}

async fn reply(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let post = forum::reply(&state.app, &signed.actor, id, form.text("body"))
        .await
        .or_back(&back(id))?;
    let key = if post.state == PostState::Held {
        "forum-held"
    } else {
        "forum-posted"
    };
    Ok(done(
        &signed.ctx,
        &state,
        &format!("{}#post-{}", back(id), post.id),
        key,
    ))
}

async fn accept(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let post: Option<i64> = form.parse_opt("post").or_back(&back(id))?;
    forum::accept(&state.app, &signed.actor, id, post)
        .await
        .or_back(&back(id))?;
    Ok(done(
        &signed.ctx,
        &state,
        &back(id),
        if post.is_some() {
            "forum-accepted"
        } else {
            "admin-saved"
        },
    ))
}

async fn follow(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let on = form.text("on") != "0";
    forum::set_subscribed(&state.app, &signed.actor, id, on)
        .await
        .or_back(&back(id))?;
    Ok(done(
        &signed.ctx,
        &state,
        &back(id),
        if on { "idea-followed" } else { "idea-unfollowed" },
    ))
}

async fn vote(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let topic: i64 = form.parse("topic")?;
    let up = form.text("up") != "0";
    forum::vote(&state.app, &signed.actor, id, up)
        .await
        .or_back(&back(topic))?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("{}#post-{id}", back(topic)),
        if up { "idea-voted" } else { "idea-unvoted" },
    ))
}

async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let topic: i64 = form.parse("topic")?;
    forum::edit_post(&state.app, &signed.actor, id, form.text("body"))
        .await
        .or_back(&back(topic))?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("{}#post-{id}", back(topic)),
        "admin-saved",
    ))
}

/// Staff follow the topic up in a ticket for the asker; on to the ticket.
pub(super) async fn to_ticket(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let contract: i64 = form.parse("contract").or_back(&back(id))?;
    let ticket_type: TicketType = form.parse("type").or_back(&back(id))?;
    let ticket = moderation::to_ticket(&state.app, &signed.actor, id, contract, ticket_type, Priority::Normal)
        .await
        .or_back(&back(id))?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/agent/tickets/{}", ticket.id),
        "forum-ticket-made",
    ))
}
