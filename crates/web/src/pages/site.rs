//! Cases (`/cases`) and policies (`/policies`): pages staff write in each language, with the
//! editing forms on the pages themselves; and the useful-links page (`/links`) that lists every
//! place of the support operation, as the manual does.

use askama::Template;
use atende_app::{
    community::pages::{self, PageInput, SitePage},
    kb::render,
};
use atende_domain::Lang;
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::get,
};

use super::{
    OrBack, PageError, Staff,
    chrome::Chrome,
    done,
    form::{Fields, Submitted},
    page,
    session::PageCtx,
};
use crate::{AppState, api::site_pages::path_of};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(cases).post(create_case))
        .route("/cases/{slug}", get(case).post(update_case))
        .route("/policies", get(policies).post(create_policy))
        .route("/policies/{slug}", get(policy).post(update_policy))
        .route("/links", get(links))
}

/// A page as a list shows it: (address, title, summary, published).
type Row = (String, String, String, bool);

#[derive(Template)]
#[template(path = "site_pages.html")]
struct ListPage {
    c: Chrome,
    kind: &'static str,
    rows: Vec<Row>,
}

async fn list(state: AppState, ctx: PageCtx, kind: &'static str) -> Result<Response, PageError> {
    let all = pages::list(&state.app, ctx.actor.as_deref(), kind).await?;
    let rows = all
        .iter()
        .filter_map(|p| {
            let t = pages::text(p, ctx.lang)?;
            Some((
                format!("{}/{}", path_of(kind), p.slug),
                t.title.clone(),
                t.summary.clone(),
                p.published,
            ))
        })
        .collect();
    page(&ListPage {
        c: ctx.chrome(&state, if kind == "case" { "cases" } else { "policies" }),
        kind,
        rows,
    })
}

async fn cases(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    list(state, ctx, "case").await
}

async fn policies(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    list(state, ctx, "policy").await
}

#[derive(Template)]
#[template(path = "site_page.html")]
struct OnePage {
    c: Chrome,
    kind: &'static str,
    page: SitePage,
    title: String,
    html: String,
    /// For the staff's form: (language code, language name, title, summary, body).
    fields: Vec<(&'static str, &'static str, String, String, String)>,
}

fn editor_fields(page: Option<&SitePage>) -> Vec<(&'static str, &'static str, String, String, String)> {
    Lang::ALL
        .iter()
        .map(|lang| {
            let t = page.and_then(|p| p.texts.iter().find(|t| t.lang == lang.code()));
            (
                lang.code(),
                match lang {
                    Lang::Es => "Español",
                    Lang::PtBr => "Português",
                    Lang::En => "English",
                },
                t.map(|t| t.title.clone()).unwrap_or_default(),
                t.map(|t| t.summary.clone()).unwrap_or_default(),
                t.map(|t| t.body.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

async fn one(state: AppState, ctx: PageCtx, kind: &'static str, slug: &str) -> Result<Response, PageError> {
    let p = pages::get(&state.app, ctx.actor.as_deref(), kind, slug).await?;
    let (title, html) = pages::text(&p, ctx.lang)
        .map(|t| (t.title.clone(), render(&t.body)))
        .unwrap_or_default();
    page(&OnePage {
        fields: editor_fields(Some(&p)),
        c: ctx.chrome(&state, if kind == "case" { "cases" } else { "policies" }),
        kind,
        page: p,
        title,
        html,
    })
}

async fn case(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> Result<Response, PageError> {
    one(state, ctx, "case", &slug).await
}

async fn policy(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> Result<Response, PageError> {
    one(state, ctx, "policy", &slug).await
}

fn page_input(form: &Fields) -> Result<PageInput, PageError> {
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let title = form.text(&format!("title_{}", lang.code()));
        if !title.trim().is_empty() {
            texts.push((
                lang,
                title.to_owned(),
                form.text(&format!("summary_{}", lang.code())).to_owned(),
                form.text(&format!("body_{}", lang.code())).to_owned(),
            ));
        }
    }
    Ok(PageInput {
        position: form.parse_opt("position")?.unwrap_or(0),
        published: form.checked("published"),
        slug: form.opt("slug").map(str::to_owned),
        texts,
    })
}

async fn save(
    state: AppState,
    signed: super::Signed,
    kind: &'static str,
    slug: Option<&str>,
    form: Fields,
) -> Result<Response, PageError> {
    let base = path_of(kind);
    let back = slug.map(|s| format!("{base}/{s}")).unwrap_or_else(|| base.to_owned());
    let input = page_input(&form).or_back(&back)?;
    let id = match slug {
        Some(s) => Some(pages::get(&state.app, Some(&signed.actor), kind, s).await?.id),
        None => None,
    };
    let saved = pages::save(&state.app, &signed.actor, kind, id, input)
        .await
        .or_back(&back)?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("{base}/{}", saved.slug),
        "admin-saved",
    ))
}

async fn create_case(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    save(state, signed, "case", None, form).await
}

async fn update_case(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(slug): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    save(state, signed, "case", Some(&slug), form).await
}

async fn create_policy(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    save(state, signed, "policy", None, form).await
}

async fn update_policy(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(slug): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    save(state, signed, "policy", Some(&slug), form).await
}

#[derive(Template)]
#[template(path = "links.html")]
struct LinksPage {
    c: Chrome,
    /// (address, name key, description key)
    links: Vec<(String, &'static str, &'static str)>,
}

async fn links(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let settings = &state.app.settings;
    let lang = ctx.lang.code();
    let links = vec![
        ("/api/docs".to_owned(), "link-api", "links-api"),
        ("/status".to_owned(), "nav-status", "links-status"),
        (settings.forum_url.clone(), "nav-forum", "links-forum"),
        ("/events".to_owned(), "events-kind-ama", "links-ama"),
        ("/cases".to_owned(), "cases-title", "links-cases"),
        (settings.documentation_url.clone(), "nav-help", "links-help"),
        ("/ideas".to_owned(), "nav-ideas", "links-ideas"),
        (format!("/changelog/{lang}"), "changelog-title", "links-changelog"),
        ("/templates".to_owned(), "nav-templates", "links-templates"),
        ("/policies".to_owned(), "policies-title", "links-policies"),
    ];
    page(&LinksPage {
        c: ctx.chrome(&state, "links"),
        links,
    })
}
