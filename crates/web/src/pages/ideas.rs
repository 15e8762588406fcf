//! The ideas board (`/ideas`): the most voted or newest ideas, a form to suggest one, and each
//! idea's page with votes, comments, the changelog entries that shipped it and, for staff, the
//! status and merge controls.

use askama::Template;
use atende_app::{
    community::ideas::{self, Idea, IdeaDetail, Order},
    kb::render,
};
use atende_domain::community::IdeaStatus;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
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
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ideas", get(board).post(submit))
        .route("/ideas/{id}", get(show))
        .route("/ideas/{id}/vote", post(vote))
        .route("/ideas/{id}/follow", post(follow))
        .route("/ideas/{id}/comments", post(comment))
        .route("/ideas/{id}/status", post(set_status))
        .route("/ideas/{id}/merge", post(merge))
        .route("/idea-comments/{id}/hidden", post(hide_comment))
}

#[derive(Debug, Deserialize, Default)]
struct BoardQuery {
    status: Option<String>,
    sort: Option<String>,
}

#[derive(Template)]
#[template(path = "ideas.html")]
struct BoardPage {
    c: Chrome,
    ideas: Vec<Idea>,
    voted: Vec<i64>,
    statuses: Vec<IdeaStatus>,
    status: String,
    newest: bool,
}

impl BoardPage {
    fn status_name(&self, status: &IdeaStatus) -> String {
        self.c.t(&format!("idea-status-{}", status.code()))
    }

    fn has_voted(&self, id: &i64) -> bool {
        self.voted.contains(id)
    }

    /// The board's address with one filter changed.
    fn href(&self, status: &str, newest: impl By<bool>) -> String {
        let sort = if newest.get() { "new" } else { "top" };
        if status.is_empty() {
            format!("/ideas?sort={sort}")
        } else {
            format!("/ideas?status={status}&sort={sort}")
        }
    }
}

async fn board(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(str::parse::<IdeaStatus>)
        .transpose()?;
    let newest = q.sort.as_deref() == Some("new");
    let order = if newest { Order::Newest } else { Order::MostVoted };
    let list = ideas::list(&state.app, ctx.actor.as_deref(), status, order, 100, 0).await?;
    page(&BoardPage {
        c: ctx.chrome(&state, "ideas"),
        ideas: list.ideas,
        voted: list.voted,
        statuses: IdeaStatus::ALL.to_vec(),
        status: status.map(|s| s.code().to_owned()).unwrap_or_default(),
        newest,
    })
}

async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let idea = ideas::submit(&state.app, &signed.actor, form.text("title"), form.text("body"))
        .await
        .or_back("/ideas")?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/ideas/{}", idea.id),
        "idea-submitted",
    ))
}

#[derive(Template)]
#[template(path = "idea.html")]
struct IdeaPage {
    c: Chrome,
    detail: IdeaDetail,
    html: String,
    statuses: Vec<IdeaStatus>,
    /// (entry id, date, title in the reader's language)
    shipped: Vec<(i64, String, String)>,
}

impl IdeaPage {
    fn status_name(&self, status: &IdeaStatus) -> String {
        self.c.t(&format!("idea-status-{}", status.code()))
    }

    fn comment_count(&self) -> i64 {
        self.detail.comments.len() as i64
    }

    fn comment_html(&self, body: &str) -> String {
        render(body)
    }
}

async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let detail = ideas::get(&state.app, ctx.actor.as_deref(), id).await?;
    if let Some(into) = detail.idea.merged_into
        && !ctx.actor.as_deref().is_some_and(atende_app::Actor::is_staff)
    {
        return Ok(Redirect::to(&format!("/ideas/{into}")).into_response());
    }
    let shipped = detail
        .shipped_in
        .iter()
        .filter_map(|e| {
            let t = e.in_lang(ctx.lang)?;
            Some((e.entry.id, e.entry.published_on.to_string(), t.title.clone()))
        })
        .collect();
    page(&IdeaPage {
        html: render(&detail.idea.body),
        c: ctx.chrome(&state, "ideas"),
        detail,
        statuses: IdeaStatus::ALL.to_vec(),
        shipped,
    })
}

fn back(id: i64) -> String {
    format!("/ideas/{id}")
}

async fn vote(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let up = form.text("up") != "0";
    ideas::vote(&state.app, &signed.actor, id, up)
        .await
        .or_back(&back(id))?;
    let to = form
        .opt("back")
        .filter(|b| b.starts_with("/ideas"))
        .unwrap_or(&back(id))
        .to_owned();
    Ok(done(
        &signed.ctx,
        &state,
        &to,
        if up { "idea-voted" } else { "idea-unvoted" },
    ))
}

async fn follow(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let on = form.text("on") != "0";
    ideas::set_subscribed(&state.app, &signed.actor, id, on)
        .await
        .or_back(&back(id))?;
    Ok(done(
        &signed.ctx,
        &state,
        &back(id),
        if on { "idea-followed" } else { "idea-unfollowed" },
    ))
}

async fn comment(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    ideas::comment(&state.app, &signed.actor, id, form.text("body"))
        .await
        .or_back(&back(id))?;
    Ok(done(&signed.ctx, &state, &back(id), "idea-commented"))
}

async fn set_status(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let status: IdeaStatus = form.parse("status").or_back(&back(id))?;
    ideas::set_status(&state.app, &signed.actor, id, status, form.text("note"))
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
    ideas::merge(&state.app, &signed.actor, id, into)
        .await
        .or_back(&back(id))?;
    Ok(done(&signed.ctx, &state, &back(into), "idea-merged"))
}

async fn hide_comment(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let idea: i64 = form.parse("idea")?;
    ideas::set_comment_hidden(&state.app, &signed.actor, id, form.text("hidden") == "1")
        .await
        .or_back(&back(idea))?;
    Ok(done(&signed.ctx, &state, &back(idea), "admin-saved"))
}
