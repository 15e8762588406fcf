//! Cases (success stories) and policies (the public security information): pages staff write in
//! each language and everyone reads once published.

use atende_domain::{Lang, ParseError, kb::slug, text::bounded};
use atende_store::community::pages::{self as store, PageRecord};

pub use atende_store::community::pages::{PageText, SitePage};

use crate::{Actor, App, AppError, Result, auth::commit};

/// The kinds of page, as their addresses name them (`/cases`, `/policies`).
pub const KINDS: [&str; 2] = ["case", "policy"];

fn check_kind(kind: &str) -> Result<&'static str> {
    KINDS.iter().copied().find(|k| *k == kind).ok_or_else(|| {
        ParseError::NotOneOf {
            field: "kind",
            allowed: "case, policy",
        }
        .into()
    })
}

pub async fn list(app: &App, actor: Option<&Actor>, kind: &str) -> Result<Vec<SitePage>> {
    let kind = check_kind(kind)?;
    let mut conn = app.db.read().await?;
    Ok(store::list(&mut conn, kind, actor.is_some_and(Actor::is_staff)).await?)
}

pub async fn get(app: &App, actor: Option<&Actor>, kind: &str, slug: &str) -> Result<SitePage> {
    let kind = check_kind(kind)?;
    let mut conn = app.db.read().await?;
    match store::by_slug(&mut conn, kind, slug).await? {
        Some(p) if p.published || actor.is_some_and(Actor::is_staff) => Ok(p),
        _ => Err(AppError::NotFound("page")),
    }
}

/// The page's text in `lang`, or in another language when it has none.
pub fn text(page: &SitePage, lang: Lang) -> Option<&PageText> {
    page.texts
        .iter()
        .find(|t| t.lang == lang.code())
        .or_else(|| page.texts.first())
}

/// A page as staff write it.
#[derive(Debug, Clone)]
pub struct PageInput {
    pub position: i64,
    pub published: bool,
    /// The address; made from the first title when absent.
    pub slug: Option<String>,
    /// (language, title, summary, Markdown body); at least one.
    pub texts: Vec<(Lang, String, String, String)>,
}

/// Staff create (`id` None) or rewrite a page.
pub async fn save(app: &App, actor: &Actor, kind: &str, id: Option<i64>, input: PageInput) -> Result<SitePage> {
    actor.require_staff()?;
    let kind = check_kind(kind)?;
    let mut texts: Vec<PageText> = Vec::with_capacity(input.texts.len());
    for (lang, title, summary, body) in input.texts {
        if texts.iter().any(|t| t.lang == lang.code()) {
            return Err(ParseError::Invalid {
                field: "texts",
                reason: "one_per_language",
            }
            .into());
        }
        texts.push(PageText {
            lang: lang.code().to_owned(),
            title: bounded("title", &title, 200)?,
            summary: summary.trim().chars().take(500).collect(),
            body: bounded("body", &body, 100_000)?,
        });
    }
    let first = texts.first().ok_or(ParseError::Empty { field: "texts" })?;
    let slug = slug(
        input
            .slug
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&first.title),
    );
    if slug.is_empty() {
        return Err(ParseError::Empty { field: "slug" }.into());
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    if let Some(id) = id
        && store::get(&mut tx, id).await?.is_none_or(|p| p.kind != kind)
    {
        return Err(AppError::NotFound("page"));
    }
    let record = PageRecord {
        kind,
        slug: &slug,
        position: input.position,
        published: input.published,
        texts: &texts,
    };
    let id = store::save(&mut tx, id, &record, actor.id(), now).await?;
    let page = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("page"))?;
    commit(tx).await?;
    Ok(page)
}
