//! The changelog's public pages (`/changelog/{lang}`) and its Atom feed per language.

use askama::Template;
use atende_app::{
    changelog::{self, EntryView},
    kb::render,
};
use atende_domain::{Lang, text::escape_markup};
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

use super::{PageError, chrome::Chrome, page, session::PageCtx};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/changelog", get(to_language))
        .route("/changelog/{lang}", get(list))
        .route("/changelog/{lang}/{id}", get(entry))
}

async fn to_language(ctx: PageCtx) -> Response {
    Redirect::to(&format!("/changelog/{}", ctx.lang.code())).into_response()
}

/// `es`, `pt-BR`, `en`, or `<lang>.atom` for the feed.
fn lang_of(code: &str) -> Result<Lang, PageError> {
    code.parse::<Lang>()
        .map_err(|_| PageError::status(axum::http::StatusCode::NOT_FOUND, "page-not_found"))
}

/// An entry as a page shows it, in one language.
pub struct Shown {
    pub id: i64,
    pub date: String,
    pub tags: Vec<String>,
    pub title: String,
    pub html: String,
    /// The language it is written in, when not the reader's.
    pub other_lang: Option<String>,
    pub draft: bool,
}

fn shown(view: &EntryView, lang: Lang) -> Option<Shown> {
    let t = view.in_lang(lang)?;
    Some(Shown {
        id: view.entry.id,
        date: view.entry.published_on.to_string(),
        tags: view.entry.tags.clone(),
        title: t.title.clone(),
        html: render(&t.body),
        other_lang: (t.lang != lang.code()).then(|| t.lang.clone()),
        draft: !view.entry.published,
    })
}

#[derive(Template)]
#[template(path = "changelog.html")]
struct ListPage {
    c: Chrome,
    lang: Lang,
    entries: Vec<Shown>,
}

impl ListPage {
    fn tag(&self, code: &str) -> String {
        self.c.t(&format!("ctag-{code}"))
    }
}

async fn list(State(state): State<AppState>, ctx: PageCtx, Path(code): Path<String>) -> Result<Response, PageError> {
    if let Some(feed_lang) = code.strip_suffix(".atom") {
        return feed(&state, lang_of(feed_lang)?).await;
    }
    let lang = lang_of(&code)?;
    let ctx = PageCtx { lang, ..ctx };
    let all = changelog::list(&state.app, ctx.actor.as_deref(), 200).await?;
    page(&ListPage {
        c: ctx.chrome(&state, "changelog"),
        entries: all.iter().filter_map(|v| shown(v, lang)).collect(),
        lang,
    })
}

#[derive(Template)]
#[template(path = "changelog_entry.html")]
struct EntryPage {
    c: Chrome,
    lang: Lang,
    entry: Shown,
    /// The ideas it shipped: (number, title).
    ideas: Vec<(i64, String)>,
}

impl EntryPage {
    fn tag(&self, code: &str) -> String {
        self.c.t(&format!("ctag-{code}"))
    }
}

async fn entry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = PageCtx { lang, ..ctx };
    let view = changelog::get(&state.app, ctx.actor.as_deref(), id).await?;
    let entry = shown(&view, lang).ok_or(atende_app::AppError::NotFound("entry"))?;
    let ideas = atende_app::community::ideas::titles(&state.app, &view.ideas).await?;
    page(&EntryPage {
        ideas,
        c: ctx.chrome(&state, "changelog"),
        lang,
        entry,
    })
}

/// The published entries in one language as Atom (RFC 4287).
async fn feed(state: &AppState, lang: Lang) -> Result<Response, PageError> {
    let base = state.app.settings.public_url.trim_end_matches('/').to_owned();
    let all = changelog::list(&state.app, None, 50).await?;
    let updated = all
        .iter()
        .map(|v| v.entry.updated_at)
        .max()
        .unwrap_or_else(|| state.app.clock.now());
    let code = lang.code();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">\n\
         <id>{base}/changelog/{code}</id>\n<title>{}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/changelog/{code}\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/changelog/{code}.atom\"/>\n",
        escape_markup(&state.i18n.text(lang, "changelog-title", &[]))
    );
    for view in &all {
        let Some(shown) = shown(view, lang) else { continue };
        let published = view
            .entry
            .published_on
            .to_zoned(state.app.settings.time_zone.clone())
            .map(|z| z.timestamp().to_string())
            .unwrap_or_else(|_| view.entry.created_at.to_string());
        xml.push_str(&format!(
            "<entry>\n<id>{base}/changelog/{code}/{id}</id>\n<title>{}</title>\n<published>{published}</published>\n\
             <updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}/changelog/{code}/{id}\"/>\n\
             {}<content type=\"html\">{}</content>\n</entry>\n",
            escape_markup(&shown.title),
            view.entry.updated_at,
            shown
                .tags
                .iter()
                .map(|t| format!("<category term=\"{}\"/>\n", escape_markup(t)))
                .collect::<String>(),
            escape_markup(&shown.html),
            id = shown.id,
        ));
    }
    xml.push_str("</feed>\n");
    let mut response = xml.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(response)
}
