//! The templates gallery (`/templates`): published bot templates by category, most downloaded or
//! newest first, a form to share one, each template's page and download, and staff's review.

use askama::Template;
use atende_app::{
    community::templates::{self, BotTemplate, Gallery, Submission, TemplateQuery},
    kb::render,
};
use atende_domain::community::TemplateState;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;

use super::{OrBack, PageError, Signed, Staff, chrome::Chrome, done, form::Submitted, page, session::PageCtx};
use crate::{AppState, api::feedback::download_response};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/templates", get(index).post(submit))
        .route("/templates/{id}", get(show))
        .route("/templates/{id}/download", get(download))
        .route("/templates/{id}/review", post(review))
}

#[derive(Debug, Deserialize, Default)]
struct IndexQuery {
    category: Option<String>,
    sort: Option<String>,
}

#[derive(Template)]
#[template(path = "templates.html")]
struct IndexPage {
    c: Chrome,
    gallery: Gallery,
    /// Staff: what waits for review.
    waiting: Vec<BotTemplate>,
    category: String,
    popular: bool,
}

impl IndexPage {
    fn href(&self, category: &str, popular: bool) -> String {
        let sort = if popular { "popular" } else { "new" };
        if category.is_empty() {
            format!("/templates?sort={sort}")
        } else {
            let encoded: String = form_urlencoded::byte_serialize(category.as_bytes()).collect();
            format!("/templates?category={encoded}&sort={sort}")
        }
    }

    fn href_category(&self, category: &str) -> String {
        self.href(category, self.popular)
    }

    fn href_sort(&self, popular: bool) -> String {
        self.href(&self.category, popular)
    }

    fn state_name(&self, state: &TemplateState) -> String {
        self.c.t(&format!("template-state-{}", state.code()))
    }
}

async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let category = q.category.unwrap_or_default();
    let popular = q.sort.as_deref() != Some("new");
    let query = TemplateQuery {
        category: Some(category.clone()).filter(|c| !c.is_empty()),
        state: None,
        popular,
        limit: 200,
    };
    let actor = ctx.actor.clone();
    let gallery = templates::list(&state.app, actor.as_deref(), &query).await?;
    let waiting = if actor.as_deref().is_some_and(atende_app::Actor::is_staff) {
        let review = TemplateQuery {
            state: Some(TemplateState::Review),
            limit: 100,
            ..TemplateQuery::default()
        };
        templates::list(&state.app, actor.as_deref(), &review).await?.templates
    } else {
        Vec::new()
    };
    page(&IndexPage {
        c: ctx.chrome(&state, "templates"),
        gallery,
        waiting,
        category,
        popular,
    })
}

async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(mut form): Submitted,
) -> Result<Response, PageError> {
    let submission = Submission {
        name: form.text("name").to_owned(),
        description: form.text("description").to_owned(),
        category: form.text("category").to_owned(),
        file: form.files.pop(),
    };
    let template = templates::submit(&state.app, &signed.actor, submission)
        .await
        .or_back("/templates")?;
    let key = if template.state == TemplateState::Published {
        "templates-published"
    } else {
        "templates-submitted"
    };
    Ok(done(&signed.ctx, &state, &format!("/templates/{}", template.id), key))
}

#[derive(Template)]
#[template(path = "template.html")]
struct TemplatePage {
    c: Chrome,
    t: BotTemplate,
    html: String,
}

impl TemplatePage {
    fn state_name(&self) -> String {
        self.c.t(&format!("template-state-{}", self.t.state.code()))
    }

    fn is_author(&self) -> bool {
        self.t.author_id.is_some() && self.t.author_id == self.c.user.as_ref().map(|u| u.id)
    }

    fn kib(&self) -> i64 {
        (self.t.size + 1023) / 1024
    }
}

async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let t = templates::get(&state.app, ctx.actor.as_deref(), id).await?;
    page(&TemplatePage {
        html: render(&t.description),
        c: ctx.chrome(&state, "templates"),
        t,
    })
}

async fn download(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let (t, data) = templates::download(&state.app, ctx.actor.as_deref(), id).await?;
    Ok(download_response(&t.file_name, &t.content_type, data))
}

async fn review(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let to = format!("/templates/{id}");
    let decision: TemplateState = form.parse("state").or_back(&to)?;
    templates::review(&state.app, &signed.actor, id, decision, form.text("note"))
        .await
        .or_back(&to)?;
    Ok(done(&signed.ctx, &state, &to, "admin-saved"))
}
