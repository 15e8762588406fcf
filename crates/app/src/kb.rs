//! The help center: authoring by staff, reading by everyone (internal articles: staff only),
//! views and "was this helpful?" votes. Every write reindexes the article in its transaction.

use atende_domain::{
    Lang, ParseError,
    kb::{self, Article, Category, Section, Translation},
    text::bounded,
};
use atende_store::{kb as store, search};
use pulldown_cmark::{Event, Options, Parser, TagEnd};

use crate::{Actor, App, AppError, Result, auth::commit};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 100_000;
pub const MAX_FAQ_ANSWER: usize = 1_000;

/// Markdown to HTML that is safe to show: ammonia keeps formatting and links, drops scripts,
/// event handlers and anything else that could run.
pub fn render(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// The words of a Markdown text without its markup (for the index and for snippets).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// An article as an author writes it.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub section_id: i64,
    pub position: i64,
    pub internal: bool,
    pub published: bool,
    pub faq: bool,
    pub tags: Vec<String>,
    /// `(language, title, Markdown body, FAQ answer)`; at least one.
    pub translations: Vec<(Lang, String, String, String)>,
    pub related: Vec<i64>,
}

pub async fn create_category(
    app: &App,
    actor: &Actor,
    position: i64,
    texts: Vec<(Lang, String, String)>,
) -> Result<i64> {
    actor.require_staff()?;
    for (_, name, description) in &texts {
        bounded("name", name, MAX_TITLE)?;
        bounded("description", description, 1000)?;
    }
    let mut tx = app.db.begin().await?;
    let id = store::insert_category(&mut tx, position, &texts, app.clock.now()).await?;
    commit(tx).await?;
    Ok(id)
}

pub async fn create_section(
    app: &App,
    actor: &Actor,
    category_id: i64,
    position: i64,
    names: Vec<(Lang, String)>,
) -> Result<i64> {
    actor.require_staff()?;
    for (_, name) in &names {
        bounded("name", name, MAX_TITLE)?;
    }
    let mut tx = app.db.begin().await?;
    let id = store::insert_section(&mut tx, category_id, position, &names, app.clock.now()).await?;
    commit(tx).await?;
    Ok(id)
}

pub async fn categories(app: &App) -> Result<(Vec<Category>, Vec<Section>)> {
    let mut conn = app.db.read().await?;
    Ok((store::categories(&mut conn).await?, store::sections(&mut conn).await?))
}

/// Creates (`id` 0) or replaces an article; staff only.
pub async fn save_article(app: &App, actor: &Actor, id: i64, input: ArticleInput) -> Result<Article> {
    actor.require_staff()?;
    store_article(app, Some(actor.id()), id, input).await
}

async fn store_article(app: &App, author: Option<i64>, id: i64, input: ArticleInput) -> Result<Article> {
    if input.translations.is_empty() {
        return Err(ParseError::Empty { field: "translations" }.into());
    }
    let now = app.clock.now();
    let mut translations = Vec::with_capacity(input.translations.len());
    for (lang, title, body, faq_answer) in input.translations {
        let title = bounded("title", title.trim(), MAX_TITLE)?;
        if title.is_empty() {
            return Err(ParseError::Empty { field: "title" }.into());
        }
        if translations.iter().any(|t: &Translation| t.lang == lang) {
            return Err(AppError::Rejected("article.language_twice"));
        }
        translations.push(Translation {
            lang,
            slug: kb::slug(&title),
            title,
            body: if body.trim().is_empty() {
                return Err(ParseError::Empty { field: "body" }.into());
            } else {
                bounded("body", &body, MAX_BODY)?
            },
            faq_answer: if faq_answer.trim().is_empty() {
                String::new()
            } else {
                bounded("faq_answer", faq_answer.trim(), MAX_FAQ_ANSWER)?
            },
            updated_at: now,
        });
    }
    let mut tx = app.db.begin().await?;
    let previous = if id == 0 {
        None
    } else {
        Some(
            store::get_article(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound("article"))?,
        )
    };
    if !store::sections(&mut tx).await?.iter().any(|s| s.id == input.section_id) {
        return Err(AppError::NotFound("section"));
    }
    let article = Article {
        id,
        section_id: input.section_id,
        position: input.position,
        internal: input.internal,
        published: input.published,
        faq: input.faq,
        tags: input.tags,
        views: previous.as_ref().map(|p| p.views).unwrap_or(0),
        helpful_yes: previous.as_ref().map(|p| p.helpful_yes).unwrap_or(0),
        helpful_no: previous.as_ref().map(|p| p.helpful_no).unwrap_or(0),
        author_id: previous.as_ref().map_or(author, |p| p.author_id),
        created_at: previous.as_ref().map_or(now, |p| p.created_at),
        updated_at: now,
        translations,
        related: input.related,
    };
    let id = store::save_article(&mut tx, &article).await?;
    // Drafts are not searchable; a published article is, in each of its languages.
    search::remove(&mut tx, "article", id, None).await?;
    if article.published {
        for t in &article.translations {
            let body = format!("{}\n{}", plain_text(&t.body), t.faq_answer);
            search::index(
                &mut tx,
                &search::IndexDoc {
                    kind: "article",
                    ref_id: id,
                    lang: t.lang,
                    ticket_id: None,
                    internal: article.internal,
                    title: &t.title,
                    body: &body,
                    created_at: article.created_at,
                },
            )
            .await?;
        }
    }
    let saved = store::get_article(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("article"))?;
    commit(tx).await?;
    Ok(saved)
}

/// The starting help center, written for atende itself: one file per language, articles that
/// share a key are translations of each other.
const DEFAULT_HELP: [(Lang, &str); 3] = [
    (Lang::Es, include_str!("../help/es.md")),
    (Lang::PtBr, include_str!("../help/pt-BR.md")),
    (Lang::En, include_str!("../help/en.md")),
];

/// `(key, section, faq, title, faq answer, body)` of each article in a default-help file.
fn parse_default_help(source: &str) -> Vec<(&str, &str, bool, &str, &str, String)> {
    source
        .split("=== ")
        .filter(|block| !block.trim().is_empty())
        .filter_map(|block| {
            let (header, rest) = block.split_once('\n')?;
            let mut fields = header.split('|').map(str::trim);
            let (key, section) = (fields.next()?, fields.next()?);
            let faq = fields.next() == Some("faq");
            let (title_line, rest) = rest.split_once('\n')?;
            let (answer_line, body) = rest.split_once('\n')?;
            Some((
                key,
                section,
                faq,
                title_line.strip_prefix("# ")?,
                answer_line.strip_prefix("> ")?,
                body.trim().to_owned(),
            ))
        })
        .collect()
}

/// Writes the default help center on a fresh install (when there is no category at all).
pub async fn ensure_default_help(app: &App) -> Result<()> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    // Two servers starting together on one PostgreSQL: the second waits here, then finds it done.
    atende_store::one_at_a_time(&mut tx, "default help center").await?;
    if !store::categories(&mut tx).await?.is_empty() {
        return Ok(());
    }
    let category = store::insert_category(
        &mut tx,
        1,
        &[
            (
                Lang::Es,
                "Soporte con atende".into(),
                "Tickets, planes, niveles de servicio y acceso.".into(),
            ),
            (
                Lang::PtBr,
                "Suporte com o atende".into(),
                "Tickets, planos, níveis de serviço e acesso.".into(),
            ),
            (
                Lang::En,
                "Support with atende".into(),
                "Tickets, plans, service levels and access.".into(),
            ),
        ],
        now,
    )
    .await?;
    let mut sections = Vec::new();
    for (position, (key, names)) in [
        (
            "tickets",
            [("Tickets", Lang::Es), ("Tickets", Lang::PtBr), ("Tickets", Lang::En)],
        ),
        (
            "plans",
            [
                ("Planes y niveles de servicio", Lang::Es),
                ("Planos e níveis de serviço", Lang::PtBr),
                ("Plans and service levels", Lang::En),
            ],
        ),
        (
            "access",
            [
                ("Acceso y cuentas", Lang::Es),
                ("Acesso e contas", Lang::PtBr),
                ("Access and accounts", Lang::En),
            ],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let names: Vec<(Lang, String)> = names.iter().map(|(n, l)| (*l, (*n).to_owned())).collect();
        sections.push((
            key,
            store::insert_section(&mut tx, category, position as i64 + 1, &names, now).await?,
        ));
    }
    commit(tx).await?;
    let parsed: Vec<(Lang, Vec<_>)> = DEFAULT_HELP.iter().map(|(l, s)| (*l, parse_default_help(s))).collect();
    let Some((_, first)) = parsed.first() else {
        return Ok(());
    };
    for (position, (key, section, faq, _, _, _)) in first.iter().enumerate() {
        let section_id = sections
            .iter()
            .find(|(k, _)| k == section)
            .map(|(_, id)| *id)
            .ok_or_else(|| AppError::Internal(format!("default help: no section {section}")))?;
        let translations = parsed
            .iter()
            .filter_map(|(lang, articles)| {
                let (_, _, _, title, answer, body) = articles.iter().find(|a| a.0 == *key)?;
                Some((*lang, (*title).to_owned(), body.clone(), (*answer).to_owned()))
            })
            .collect();
        let input = ArticleInput {
            section_id,
            position: position as i64 + 1,
            internal: false,
            published: true,
            faq: *faq,
            tags: Vec::new(),
            translations,
            related: Vec::new(),
        };
        store_article(app, None, 0, input).await?;
    }
    Ok(())
}

/// Whether the reader may see the article: published and public, or staff.
fn may_read(article: &Article, actor: Option<&Actor>) -> bool {
    article.is_public() || actor.is_some_and(Actor::is_staff)
}

/// One article for a reader (visitor when `actor` is `None`); others get a 404.
pub async fn article(app: &App, actor: Option<&Actor>, id: i64) -> Result<Article> {
    let mut conn = app.db.read().await?;
    let article = store::get_article(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("article"))?;
    if !may_read(&article, actor) {
        return Err(AppError::NotFound("article"));
    }
    Ok(article)
}

/// Articles of a section (or all), those the reader may see, in their order.
pub async fn articles(
    app: &App,
    actor: Option<&Actor>,
    section_id: Option<i64>,
    popular_first: bool,
    limit: i64,
) -> Result<Vec<Article>> {
    let staff = actor.is_some_and(Actor::is_staff);
    let filter = store::ArticleFilter {
        section_id,
        published_only: !staff,
        public_only: !staff,
        faq_only: false,
    };
    let mut conn = app.db.read().await?;
    Ok(store::list_articles(&mut conn, filter, popular_first, limit.clamp(1, 500)).await?)
}

pub async fn related(app: &App, actor: Option<&Actor>, article: &Article) -> Result<Vec<Article>> {
    let mut conn = app.db.read().await?;
    let related = store::articles_by_ids(&mut conn, &article.related).await?;
    Ok(related.into_iter().filter(|a| may_read(a, actor)).collect())
}

/// Counts a view; when a signed-in customer came from the suggestions of the ticket form, the
/// opening is recorded too (what the deflection report counts).
pub async fn count_view_from(app: &App, actor: Option<&Actor>, id: i64, from_ticket_form: bool) -> Result<()> {
    let mut tx = app.db.begin().await?;
    store::count_view(&mut tx, id).await?;
    if from_ticket_form && let Some(actor) = actor.filter(|a| !a.is_staff()) {
        store::record_suggestion_open(&mut tx, actor.id(), id, app.clock.now()).await?;
    }
    commit(tx).await
}

/// One vote per voter (a user's id, or a visitor's cookie), which they may change.
pub async fn vote(app: &App, actor: Option<&Actor>, id: i64, voter: &str, helpful: bool) -> Result<Article> {
    let article = self::article(app, actor, id).await?;
    let voter = match actor {
        Some(a) => format!("user:{}", a.id()),
        None => format!("visitor:{}", bounded("voter", voter, 100)?),
    };
    let mut tx = app.db.begin().await?;
    store::vote(&mut tx, article.id, &voter, helpful, app.clock.now()).await?;
    let article = store::get_article(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("article"))?;
    commit(tx).await?;
    Ok(article)
}

#[cfg(test)]
#[path = "kb_test.rs"]
mod tests;

/// A draft article made from a solved ticket, for staff to finish in the editor: the subject is
/// the title; the question and the public answers, the body; in the requester's language, in the
/// first section unless another is named. Nothing of internal notes goes in.
pub async fn draft_from_ticket(app: &App, actor: &Actor, ticket_id: i64, section_id: Option<i64>) -> Result<Article> {
    actor.require_staff()?;
    let ticket = crate::tickets::get(app, actor, ticket_id).await?;
    if !matches!(
        ticket.status,
        atende_domain::TicketStatus::Solved | atende_domain::TicketStatus::Closed
    ) {
        return Err(AppError::Rejected("ticket.not_solved"));
    }
    let messages = crate::tickets::messages(app, actor, ticket_id).await?;
    let (section, lang) = {
        let mut conn = app.db.read().await?;
        let sections = store::sections(&mut conn).await?;
        let section = match section_id {
            Some(id) => sections.iter().find(|s| s.id == id),
            None => sections.first(),
        }
        .ok_or(AppError::NotFound("section"))?
        .id;
        let requester = atende_store::directory::get_user(&mut conn, ticket.requester_id).await?;
        let lang = requester
            .and_then(|u| u.language)
            .unwrap_or(app.settings.default_language);
        (section, lang)
    };
    let texts = crate::i18n::I18n::shared();
    let mut body = format!(
        "## {}\n\n{}\n",
        texts.text(lang, "article-from-ticket-question", &[]),
        ticket.description
    );
    let answers: Vec<&str> = messages
        .iter()
        .filter(|m| m.visibility == atende_domain::Visibility::Public && m.author_id != ticket.requester_id)
        .map(|m| m.body.as_str())
        .collect();
    if !answers.is_empty() {
        body.push_str(&format!(
            "\n## {}\n\n{}\n",
            texts.text(lang, "article-from-ticket-answer", &[]),
            answers.join("\n\n")
        ));
    }
    let input = ArticleInput {
        section_id: section,
        position: 0,
        internal: false,
        published: false,
        faq: false,
        tags: Vec::new(),
        translations: vec![(lang, ticket.subject.clone(), body, String::new())],
        related: Vec::new(),
    };
    save_article(app, actor, 0, input).await
}
