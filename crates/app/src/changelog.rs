//! The changelog: what changed in the product, in the readers' languages. Staff write and
//! publish entries; everyone reads the published ones (pages, JSON, Atom).

use atende_domain::{Lang, ParseError, changelog::parse_tags, text::bounded};
use atende_store::{
    changelog::{self as store, Entry, Translation},
    community::ideas as ideas_store,
};
use jiff::civil::Date;

use crate::{Actor, App, AppError, Result, auth::commit};

/// An entry with its translations (at least one).
#[derive(Debug, Clone)]
pub struct EntryView {
    pub entry: Entry,
    pub translations: Vec<Translation>,
    /// The ideas it shipped.
    pub ideas: Vec<i64>,
}

impl EntryView {
    /// The translation in `lang`, else the first there is (`None` only for a malformed entry).
    pub fn in_lang(&self, lang: Lang) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|t| t.lang == lang.code())
            .or_else(|| self.translations.first())
    }
}

pub struct EntryInput {
    pub published_on: Date,
    pub tags: Vec<String>,
    pub published: bool,
    /// (language, title, Markdown body)
    pub translations: Vec<(Lang, String, String)>,
    /// The ideas it ships: they become completed and their followers are told on publication.
    pub ideas: Vec<i64>,
}

fn check(input: &EntryInput) -> Result<(Vec<String>, Vec<Translation>)> {
    let tags = parse_tags(&input.tags)?
        .into_iter()
        .map(|t| t.code().to_owned())
        .collect();
    if input.translations.is_empty() {
        return Err(ParseError::Empty { field: "translations" }.into());
    }
    let mut translations: Vec<Translation> = Vec::new();
    for (lang, title, body) in &input.translations {
        if translations.iter().any(|t| t.lang == lang.code()) {
            return Err(ParseError::Invalid {
                field: "translations",
                reason: "one_per_language",
            }
            .into());
        }
        translations.push(Translation {
            lang: lang.code().to_owned(),
            title: bounded("title", title, 200)?,
            body: bounded("body", body, 50_000)?,
        });
    }
    Ok((tags, translations))
}

async fn view(conn: &mut atende_store::Conn, entries: Vec<Entry>) -> Result<Vec<EntryView>> {
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let mut translations = store::translations_of(conn, &ids).await?;
    let mut ideas = ideas_store::ideas_of_entries(conn, &ids).await?;
    Ok(entries
        .into_iter()
        .map(|entry| EntryView {
            translations: translations.remove(&entry.id).unwrap_or_default(),
            ideas: ideas.remove(&entry.id).unwrap_or_default(),
            entry,
        })
        .collect())
}

/// Records the ideas an entry ships; once it is published they are completed and their
/// followers told (once per entry).
async fn link_ideas(
    app: &App,
    tx: &mut atende_store::Conn,
    actor: &Actor,
    entry: &Entry,
    ideas: &[i64],
) -> Result<Vec<i64>> {
    let ideas = crate::community::ideas::check_ids(tx, ideas).await?;
    ideas_store::set_entry_ideas(tx, entry.id, &ideas).await?;
    if entry.published {
        crate::community::ideas::shipped(app, tx, actor, entry.id, &ideas).await?;
    }
    Ok(ideas)
}

pub async fn create(app: &App, actor: &Actor, input: EntryInput) -> Result<EntryView> {
    actor.require_staff()?;
    let (tags, translations) = check(&input)?;
    let mut tx = app.db.begin().await?;
    let entry = store::insert_entry(
        &mut tx,
        input.published_on,
        &tags,
        input.published,
        actor.id(),
        app.clock.now(),
    )
    .await?;
    store::set_translations(&mut tx, entry.id, &translations).await?;
    let ideas = link_ideas(app, &mut tx, actor, &entry, &input.ideas).await?;
    commit(tx).await?;
    Ok(EntryView {
        entry,
        translations,
        ideas,
    })
}

pub async fn update(app: &App, actor: &Actor, id: i64, input: EntryInput) -> Result<EntryView> {
    actor.require_staff()?;
    let (tags, translations) = check(&input)?;
    let mut tx = app.db.begin().await?;
    let entry = store::update_entry(&mut tx, id, input.published_on, &tags, input.published, app.clock.now())
        .await?
        .ok_or(AppError::NotFound("entry"))?;
    store::set_translations(&mut tx, id, &translations).await?;
    let ideas = link_ideas(app, &mut tx, actor, &entry, &input.ideas).await?;
    commit(tx).await?;
    Ok(EntryView {
        entry,
        translations,
        ideas,
    })
}

/// Newest first; drafts only for staff.
pub async fn list(app: &App, actor: Option<&Actor>, limit: i64) -> Result<Vec<EntryView>> {
    let staff = actor.is_some_and(Actor::is_staff);
    let mut conn = app.db.read().await?;
    let entries = store::list_entries(&mut conn, staff, limit.clamp(1, 500)).await?;
    view(&mut conn, entries).await
}

/// One entry; a draft is "not found" to anyone but staff.
pub async fn get(app: &App, actor: Option<&Actor>, id: i64) -> Result<EntryView> {
    let staff = actor.is_some_and(Actor::is_staff);
    let mut conn = app.db.read().await?;
    let entry = store::get_entry(&mut conn, id)
        .await?
        .filter(|e| e.published || staff)
        .ok_or(AppError::NotFound("entry"))?;
    let mut all = view(&mut conn, vec![entry]).await?;
    all.pop().ok_or(AppError::NotFound("entry"))
}
