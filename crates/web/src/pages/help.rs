//! The public help center: home, categories, articles and search in each language, readable
//! without signing in and without JavaScript; `hreflang` links between translations, canonical
//! addresses, a sitemap, "was this helpful?", and the suggestions the ticket form shows.

use askama::Template;
use atende_app::{kb, search};
use atende_domain::{
    Lang,
    kb::{Article, Category, Section},
    search::Piece,
};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};

use super::{OrBack, PageError, chrome::Chrome, done, form::Submitted, page, session::PageCtx};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/help", get(to_language))
        .route("/help/sitemap.xml", get(sitemap))
        .route("/help/suggest", get(suggest))
        .route("/help/{lang}", get(home))
        .route("/help/{lang}/categories/{id}", get(category))
        .route("/help/{lang}/articles/{slug}", get(article))
        .route("/help/{lang}/articles/{id}/vote", post(vote))
        .route("/help/{lang}/search", get(search_page))
}

/// The language of the address; the page speaks it whatever the reader's preference.
fn lang_of(code: &str) -> Result<Lang, PageError> {
    code.parse()
        .map_err(|_| PageError::status(axum::http::StatusCode::NOT_FOUND, "page-not_found"))
}

fn in_lang(ctx: &PageCtx, lang: Lang) -> PageCtx {
    PageCtx { lang, ..ctx.clone() }
}

pub fn article_path(lang: Lang, article: &Article) -> String {
    let slug = article.translation(lang).map(|t| t.slug.as_str()).unwrap_or("article");
    format!("/help/{}/articles/{}-{slug}", lang.code(), article.id)
}

async fn to_language(ctx: PageCtx) -> Response {
    Redirect::to(&format!("/help/{}", ctx.lang.code())).into_response()
}

/// What a help page needs besides the chrome: the sections and the links to other languages.
struct Shelf {
    categories: Vec<Category>,
    sections: Vec<Section>,
}

impl Shelf {
    fn category_name(&self, lang: Lang, category: &Category) -> String {
        category
            .texts
            .iter()
            .find(|t| t.0 == lang)
            .or(category.texts.first())
            .map(|t| t.1.clone())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "help_home.html")]
struct HomePage {
    c: Chrome,
    lang: Lang,
    shelf: Shelf,
    articles: Vec<Article>,
    popular: Vec<Article>,
}

impl HomePage {
    fn title(&self, a: &Article) -> String {
        a.translation(self.lang).map(|t| t.title.clone()).unwrap_or_default()
    }
    fn path(&self, a: &Article) -> String {
        article_path(self.lang, a)
    }
    fn category_name(&self, c: &Category) -> String {
        self.shelf.category_name(self.lang, c)
    }
    fn category_description(&self, c: &Category) -> String {
        c.texts
            .iter()
            .find(|t| t.0 == self.lang)
            .map(|t| t.2.clone())
            .unwrap_or_default()
    }
    fn sections_of(&self, c: &Category) -> Vec<&Section> {
        self.shelf.sections.iter().filter(|s| s.category_id == c.id).collect()
    }
    fn section_name(&self, s: &Section) -> String {
        s.names
            .iter()
            .find(|n| n.0 == self.lang)
            .or(s.names.first())
            .map(|n| n.1.clone())
            .unwrap_or_default()
    }
    fn articles_of(&self, s: &Section) -> Vec<&Article> {
        self.articles
            .iter()
            .filter(|a| a.section_id == s.id && a.translation(self.lang).is_some())
            .collect()
    }
}

async fn shelf(state: &AppState) -> Result<Shelf, PageError> {
    let (categories, sections) = kb::categories(&state.app).await?;
    Ok(Shelf { categories, sections })
}

async fn home(State(state): State<AppState>, ctx: PageCtx, Path(code): Path<String>) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = in_lang(&ctx, lang);
    let actor = ctx.actor.as_deref();
    page(&HomePage {
        c: ctx.chrome(&state, "help"),
        lang,
        shelf: shelf(&state).await?,
        articles: kb::articles(&state.app, actor, None, false, 500).await?,
        popular: kb::articles(&state.app, actor, None, true, 6)
            .await?
            .into_iter()
            .filter(|a| a.translation(lang).is_some())
            .collect(),
    })
}

async fn category(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = in_lang(&ctx, lang);
    let shelf = shelf(&state).await?;
    if !shelf.categories.iter().any(|c| c.id == id) {
        return Err(PageError::status(axum::http::StatusCode::NOT_FOUND, "page-not_found"));
    }
    let articles = kb::articles(&state.app, ctx.actor.as_deref(), None, false, 500).await?;
    let mut shelf = shelf;
    shelf.categories.retain(|c| c.id == id);
    page(&HomePage {
        c: ctx.chrome(&state, "help"),
        lang,
        shelf,
        articles,
        popular: Vec::new(),
    })
}

#[derive(Template)]
#[template(path = "help_article.html")]
struct ArticlePage {
    c: Chrome,
    lang: Lang,
    article: Article,
    title: String,
    html: String,
    canonical: String,
    alternates: Vec<(&'static str, String)>,
    related: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct ArticleParams {
    from: Option<String>,
}

async fn article(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, slug)): Path<(String, String)>,
    Query(params): Query<ArticleParams>,
) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = in_lang(&ctx, lang);
    let id: i64 = slug
        .split('-')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| PageError::status(axum::http::StatusCode::NOT_FOUND, "page-not_found"))?;
    let actor = ctx.actor.as_deref();
    let article = kb::article(&state.app, actor, id).await?;
    let Some(translation) = article.translation(lang) else {
        // Not written in this language: the first language it has.
        return match article.translations.first() {
            Some(t) => Ok(Redirect::to(&article_path(t.lang, &article)).into_response()),
            None => Err(PageError::status(axum::http::StatusCode::NOT_FOUND, "page-not_found")),
        };
    };
    let canonical = article_path(lang, &article);
    if canonical != format!("/help/{code}/articles/{slug}") {
        return Ok(Redirect::permanent(&canonical).into_response());
    }
    kb::count_view_from(&state.app, actor, id, params.from.as_deref() == Some("ticket-form")).await?;
    let related = kb::related(&state.app, actor, &article)
        .await?
        .into_iter()
        .filter_map(|r| r.translation(lang).map(|t| (t.title.clone(), article_path(lang, &r))))
        .collect();
    let base = state.app.settings.public_url.trim_end_matches('/').to_owned();
    page(&ArticlePage {
        c: ctx.chrome(&state, "help"),
        lang,
        title: translation.title.clone(),
        html: kb::render(&translation.body),
        alternates: article
            .translations
            .iter()
            .map(|t| (t.lang.code(), format!("{base}{}", article_path(t.lang, &article))))
            .collect(),
        canonical: format!("{base}{canonical}"),
        related,
        article,
    })
}

async fn vote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, i64)>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = in_lang(&ctx, lang);
    let article = kb::article(&state.app, ctx.actor.as_deref(), id).await?;
    let back = article_path(lang, &article);
    // A visitor is known by their form token's cookie: one vote per browser.
    let voter: String = ctx.csrf.chars().rev().take(32).collect();
    kb::vote(
        &state.app,
        ctx.actor.as_deref(),
        id,
        &voter,
        form.text("helpful") == "yes",
    )
    .await
    .or_back(&back)?;
    Ok(done(&ctx, &state, &back, "help-thanks"))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

pub struct ResultView {
    pub title: String,
    pub path: String,
    pub snippet: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "help_search.html")]
struct SearchPage {
    c: Chrome,
    lang: Lang,
    q: String,
    results: Vec<ResultView>,
}

async fn search_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Query(params): Query<SearchParams>,
) -> Result<Response, PageError> {
    let lang = lang_of(&code)?;
    let ctx = in_lang(&ctx, lang);
    let q = params.q.unwrap_or_default();
    let hits = search::articles(&state.app, ctx.actor.as_deref(), &q, lang, false, 30).await?;
    let results = hits
        .into_iter()
        .map(|h| ResultView {
            title: h.article.translation(lang).map(|t| t.title.clone()).unwrap_or_default(),
            path: article_path(lang, &h.article),
            snippet: h.snippet,
        })
        .collect();
    page(&SearchPage {
        c: ctx.chrome(&state, "help"),
        lang,
        q,
        results,
    })
}

#[derive(Serialize)]
struct Suggestion {
    title: String,
    url: String,
}

/// Articles matching what a customer types as a ticket's subject (the ticket form's script).
async fn suggest(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(params): Query<SearchParams>,
) -> Result<Json<Vec<Suggestion>>, PageError> {
    let q = params.q.unwrap_or_default();
    let hits = search::articles(&state.app, ctx.actor.as_deref(), &q, ctx.lang, true, 5).await?;
    Ok(Json(
        hits.into_iter()
            .map(|h| Suggestion {
                title: h
                    .article
                    .translation(ctx.lang)
                    .map(|t| t.title.clone())
                    .unwrap_or_default(),
                url: format!("{}?from=ticket-form", article_path(ctx.lang, &h.article)),
            })
            .collect(),
    ))
}

/// Every public article in every language it has, for search engines.
async fn sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = state.app.settings.public_url.trim_end_matches('/').to_owned();
    let articles = kb::articles(&state.app, None, None, false, 500).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for lang in Lang::ALL {
        xml.push_str(&format!("<url><loc>{base}/help/{}</loc></url>\n", lang.code()));
    }
    for a in &articles {
        for t in &a.translations {
            xml.push_str(&format!(
                "<url><loc>{base}{}</loc><lastmod>{}</lastmod>",
                article_path(t.lang, a),
                t.updated_at.strftime("%Y-%m-%d")
            ));
            for other in &a.translations {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}{}\"/>",
                    other.lang.code(),
                    article_path(other.lang, a)
                ));
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    let mut response = xml.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    Ok(response)
}
