//! The templates gallery: registered users share bot templates (a file with a name, description
//! and category); staff review each before it is published and tell the author what they decided;
//! everyone downloads what is published, and each download is counted.

use atende_domain::{community::TemplateState, text::bounded};
use atende_store::{
    attachments as files,
    community::{
        self as community_store,
        templates::{self as store, Lister, NewTemplate},
    },
};

pub use atende_store::community::templates::{BotTemplate, TemplateQuery};

use super::{Notice, tell};
use crate::{
    Actor, App, AppError, Result,
    attachments::{Upload, check_one},
    auth::commit,
    i18n::Arg,
};

fn lister(actor: Option<&Actor>) -> Lister {
    match actor {
        Some(a) if a.is_staff() => Lister::Staff,
        Some(a) => Lister::User(a.id()),
        None => Lister::Visitor,
    }
}

fn may_see(actor: Option<&Actor>, t: &BotTemplate) -> bool {
    t.state == TemplateState::Published || actor.is_some_and(|a| a.is_staff() || t.author_id == Some(a.id()))
}

pub struct Gallery {
    pub templates: Vec<BotTemplate>,
    /// Published categories with their counts.
    pub categories: Vec<(String, i64)>,
}

pub async fn list(app: &App, actor: Option<&Actor>, query: &TemplateQuery) -> Result<Gallery> {
    let mut conn = app.db.read().await?;
    Ok(Gallery {
        templates: store::list(&mut conn, lister(actor), query).await?,
        categories: store::categories(&mut conn).await?,
    })
}

pub async fn get(app: &App, actor: Option<&Actor>, id: i64) -> Result<BotTemplate> {
    let mut conn = app.db.read().await?;
    match store::get(&mut conn, id).await? {
        Some(t) if may_see(actor, &t) => Ok(t),
        _ => Err(AppError::NotFound("template")),
    }
}

/// What a person submits.
pub struct Submission {
    pub name: String,
    pub description: String,
    pub category: String,
    pub file: Option<Upload>,
}

/// Shares a template: staff publish at once; everyone else's waits for review.
pub async fn submit(app: &App, actor: &Actor, s: Submission) -> Result<BotTemplate> {
    let name = bounded("name", &s.name.replace(['\r', '\n', '\t'], " "), 120)?;
    let description = bounded("description", &s.description, 10_000)?;
    let category = bounded("category", &s.category.replace(['\r', '\n', '\t'], " "), 60)?;
    let file = check_one(s.file.ok_or(atende_domain::ParseError::Empty { field: "file" })?)?;
    let state = if actor.is_staff() {
        TemplateState::Published
    } else {
        TemplateState::Review
    };
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    files::insert_blob(&mut tx, file.sha256(), file.bytes()).await?;
    let id = store::insert(
        &mut tx,
        &NewTemplate {
            name: &name,
            description: &description,
            category: &category,
            author_id: actor.id(),
            file_name: file.file_name(),
            content_type: file.content_type(),
            size: file.size(),
            sha256: file.sha256(),
            state,
        },
        now,
    )
    .await?;
    let template = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("template"))?;
    commit(tx).await?;
    Ok(template)
}

/// Staff publish or reject a template, with a word to its author, who is told by mail.
pub async fn review(app: &App, actor: &Actor, id: i64, state: TemplateState, note: &str) -> Result<BotTemplate> {
    actor.require_staff()?;
    let note: String = note.trim().chars().take(2_000).collect();
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let template = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("template"))?;
    if template.state != state {
        store::set_state(&mut tx, id, state, &note, now).await?;
        community_store::log_moderation(&mut tx, "template", id, state.code(), actor.id(), &note, now).await?;
        if let Some(author) = template.author_id {
            let notice = Notice {
                kind: "template_review",
                dedupe_prefix: format!("template-review:{id}:{}:{}", state.code(), now.as_millisecond()),
                subject_key: "mail-template-review-subject",
                body_keys: if note.is_empty() {
                    &["mail-template-review-body"]
                } else {
                    &["mail-template-review-body", "mail-idea-status-note"]
                },
                args: vec![
                    ("title", Arg::Text(template.name.clone())),
                    ("status", Arg::Term(format!("template-state-{}", state.code()))),
                    ("note", Arg::Text(note.clone())),
                ],
                path: format!("/templates/{id}"),
            };
            tell(app, &mut tx, &[author], Some(actor.id()), &notice).await?;
        }
    }
    let template = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("template"))?;
    commit(tx).await?;
    Ok(template)
}

/// The file of a template the reader may see; a download of a published one is counted.
pub async fn download(app: &App, actor: Option<&Actor>, id: i64) -> Result<(BotTemplate, Vec<u8>)> {
    let mut tx = app.db.begin().await?;
    let template = match store::get(&mut tx, id).await? {
        Some(t) if may_see(actor, &t) => t,
        _ => return Err(AppError::NotFound("template")),
    };
    if template.state == TemplateState::Published {
        store::count_download(&mut tx, id).await?;
    }
    let data = files::data(&mut tx, &template.sha256).await?;
    commit(tx).await?;
    Ok((template, data))
}
