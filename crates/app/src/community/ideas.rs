//! Ideas: customers suggest, vote once each and comment; staff set the status, merge duplicates
//! and ship ideas in changelog entries. Followers (voters and subscribers) hear of each decision.

use atende_domain::{ParseError, community::IdeaStatus, text::bounded};
use atende_store::{
    Conn,
    community::{self as community_store, ideas as store},
};

pub use atende_store::community::ideas::{Comment, Idea, Order};

use super::{Notice, tell};
use crate::{Actor, App, AppError, Result, auth::commit, i18n::Arg};

/// One idea as its page shows it.
pub struct IdeaDetail {
    pub idea: Idea,
    pub comments: Vec<Comment>,
    /// Whether the reader voted for it and follows it.
    pub voted: bool,
    pub subscribed: bool,
    /// Published changelog entries that shipped it.
    pub shipped_in: Vec<crate::changelog::EntryView>,
}

fn check_text(title: &str, body: &str) -> Result<(String, String)> {
    Ok((bounded("title", title, 200)?, bounded("body", body, 20_000)?))
}

async fn existing(conn: &mut Conn, id: i64) -> Result<Idea> {
    store::get(conn, id).await?.ok_or(AppError::NotFound("idea"))
}

/// A new idea; its author votes for it and follows it.
pub async fn submit(app: &App, actor: &Actor, title: &str, body: &str) -> Result<Idea> {
    let (title, body) = check_text(title, body)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = store::insert(&mut tx, &title, &body, actor.id(), now).await?;
    store::set_vote(&mut tx, id, actor.id(), true, now).await?;
    store::subscribe(&mut tx, id, actor.id()).await?;
    let idea = existing(&mut tx, id).await?;
    commit(tx).await?;
    Ok(idea)
}

/// The author or staff rewrite an idea's title and description.
pub async fn edit(app: &App, actor: &Actor, id: i64, title: &str, body: &str) -> Result<Idea> {
    let (title, body) = check_text(title, body)?;
    let mut tx = app.db.begin().await?;
    let idea = existing(&mut tx, id).await?;
    if !actor.is_staff() && idea.author_id != Some(actor.id()) {
        return Err(AppError::Forbidden("idea.not_author"));
    }
    store::update_text(&mut tx, id, &title, &body, app.clock.now()).await?;
    let idea = existing(&mut tx, id).await?;
    commit(tx).await?;
    Ok(idea)
}

pub struct IdeaList {
    pub ideas: Vec<Idea>,
    /// Which of them the reader voted for.
    pub voted: Vec<i64>,
}

pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    status: Option<IdeaStatus>,
    order: Order,
    limit: i64,
    offset: i64,
) -> Result<IdeaList> {
    let mut conn = app.db.read().await?;
    let ideas = store::list(&mut conn, status, order, limit, offset).await?;
    let voted = match actor {
        Some(actor) => {
            let ids: Vec<i64> = ideas.iter().map(|i| i.id).collect();
            store::voted_among(&mut conn, actor.id(), &ids).await?
        }
        None => Vec::new(),
    };
    Ok(IdeaList { ideas, voted })
}

/// An idea with its comments (hidden ones for staff) and the entries that shipped it.
pub async fn get(app: &App, actor: Option<&Actor>, id: i64) -> Result<IdeaDetail> {
    let staff = actor.is_some_and(Actor::is_staff);
    let mut conn = app.db.read().await?;
    let idea = existing(&mut conn, id).await?;
    let comments = store::comments(&mut conn, id, staff).await?;
    let (voted, subscribed) = match actor {
        Some(actor) => (
            !store::voted_among(&mut conn, actor.id(), &[id]).await?.is_empty(),
            store::is_subscribed(&mut conn, id, actor.id()).await?,
        ),
        None => (false, false),
    };
    let entry_ids = store::entries_of_idea(&mut conn, id).await?;
    drop(conn);
    let mut shipped_in = Vec::new();
    for entry in entry_ids {
        if let Ok(view) = crate::changelog::get(app, None, entry).await {
            shipped_in.push(view);
        }
    }
    Ok(IdeaDetail {
        idea,
        comments,
        voted,
        subscribed,
        shipped_in,
    })
}

/// Votes for an idea (or withdraws the vote): one per person, counted at once. Voting follows it.
pub async fn vote(app: &App, actor: &Actor, id: i64, up: bool) -> Result<i64> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let idea = existing(&mut tx, id).await?;
    if idea.merged_into.is_some() {
        return Err(AppError::Rejected("idea.merged"));
    }
    if up && !idea.status.takes_votes() {
        return Err(AppError::Rejected("idea.decided"));
    }
    let votes = store::set_vote(&mut tx, id, actor.id(), up, now).await?;
    if up {
        store::subscribe(&mut tx, id, actor.id()).await?;
    }
    commit(tx).await?;
    Ok(votes)
}

pub async fn set_subscribed(app: &App, actor: &Actor, id: i64, on: bool) -> Result<()> {
    let mut tx = app.db.begin().await?;
    existing(&mut tx, id).await?;
    if on {
        store::subscribe(&mut tx, id, actor.id()).await?;
    } else {
        store::unsubscribe(&mut tx, id, actor.id()).await?;
        // A voter who unfollows is no longer told either: followers include voters.
        store::set_vote(&mut tx, id, actor.id(), false, app.clock.now()).await?;
    }
    commit(tx).await
}

pub async fn comment(app: &App, actor: &Actor, id: i64, body: &str) -> Result<i64> {
    let body = bounded("body", body, 10_000)?;
    let mut tx = app.db.begin().await?;
    let idea = existing(&mut tx, id).await?;
    if idea.merged_into.is_some() {
        return Err(AppError::Rejected("idea.merged"));
    }
    let comment = store::add_comment(&mut tx, id, actor.id(), &body, app.clock.now()).await?;
    store::subscribe(&mut tx, id, actor.id()).await?;
    commit(tx).await?;
    Ok(comment)
}

/// Staff hide (or show again) a comment; logged.
pub async fn set_comment_hidden(app: &App, actor: &Actor, comment: i64, hidden: bool) -> Result<()> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    store::set_comment_hidden(&mut tx, comment, hidden)
        .await?
        .ok_or(AppError::NotFound("comment"))?;
    let action = if hidden { "hide" } else { "show" };
    community_store::log_moderation(
        &mut tx,
        "idea_comment",
        comment,
        action,
        actor.id(),
        "",
        app.clock.now(),
    )
    .await?;
    commit(tx).await
}

fn status_notice(idea: &Idea, status: IdeaStatus, note: &str, stamp: i64) -> Notice<'static> {
    Notice {
        kind: "idea_status",
        dedupe_prefix: format!("idea-status:{}:{}:{stamp}", idea.id, status.code()),
        subject_key: "mail-idea-status-subject",
        body_keys: if note.is_empty() {
            &["mail-idea-status-body"]
        } else {
            &["mail-idea-status-body", "mail-idea-status-note"]
        },
        args: vec![
            ("title", Arg::Text(idea.title.clone())),
            ("status", Arg::Term(format!("idea-status-{}", status.code()))),
            ("note", Arg::Text(note.to_owned())),
        ],
        path: format!("/ideas/{}", idea.id),
    }
}

/// Staff move an idea to a status, with an optional word to its followers, who are told by mail.
pub async fn set_status(app: &App, actor: &Actor, id: i64, status: IdeaStatus, note: &str) -> Result<Idea> {
    actor.require_staff()?;
    let note = note.trim();
    if note.chars().count() > 2_000 {
        return Err(ParseError::TooLong {
            field: "note",
            max: 2_000,
        }
        .into());
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let idea = existing(&mut tx, id).await?;
    if idea.merged_into.is_some() {
        return Err(AppError::Rejected("idea.merged"));
    }
    if idea.status != status {
        store::set_status(&mut tx, id, status, now).await?;
        let followers = store::followers(&mut tx, id).await?;
        tell(
            app,
            &mut tx,
            &followers,
            Some(actor.id()),
            &status_notice(&idea, status, note, now.as_millisecond()),
        )
        .await?;
        community_store::log_moderation(&mut tx, "idea", id, "status", actor.id(), status.code(), now).await?;
    }
    let idea = existing(&mut tx, id).await?;
    commit(tx).await?;
    Ok(idea)
}

/// Staff fold a duplicate into another idea: votes count once per person on the survivor, and
/// subscribers follow it. The survivor.
pub async fn merge(app: &App, actor: &Actor, source: i64, target: i64) -> Result<Idea> {
    actor.require_staff()?;
    if source == target {
        return Err(AppError::Rejected("idea.merge_into_itself"));
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let from = existing(&mut tx, source).await?;
    let into = existing(&mut tx, target).await?;
    if from.merged_into.is_some() || into.merged_into.is_some() {
        return Err(AppError::Rejected("idea.merged"));
    }
    store::merge(&mut tx, source, target, now).await?;
    community_store::log_moderation(
        &mut tx,
        "idea",
        source,
        "merge",
        actor.id(),
        &format!("into {target}"),
        now,
    )
    .await?;
    let idea = existing(&mut tx, target).await?;
    commit(tx).await?;
    Ok(idea)
}

/// After a published changelog entry names ideas: each becomes completed, and its followers are
/// told once per entry, in the caller's transaction.
pub(crate) async fn shipped(app: &App, tx: &mut Conn, actor: &Actor, entry_id: i64, idea_ids: &[i64]) -> Result<()> {
    let now = app.clock.now();
    for id in idea_ids {
        let idea = existing(tx, *id).await?;
        if idea.status != IdeaStatus::Completed {
            store::set_status(tx, idea.id, IdeaStatus::Completed, now).await?;
        }
        let followers = store::followers(tx, idea.id).await?;
        let notice = Notice {
            kind: "idea_shipped",
            dedupe_prefix: format!("idea-shipped:{entry_id}:{}", idea.id),
            subject_key: "mail-idea-shipped-subject",
            body_keys: &["mail-idea-shipped-body"],
            args: vec![("title", Arg::Text(idea.title.clone()))],
            path: format!("/changelog/{}/{entry_id}", app.settings.default_language.code()),
        };
        tell(app, tx, &followers, Some(actor.id()), &notice).await?;
    }
    Ok(())
}

/// Checks that every id names an idea that was not merged away.
pub(crate) async fn check_ids(tx: &mut Conn, ids: &[i64]) -> Result<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let found = store::by_ids(tx, &ids).await?;
    if found.len() != ids.len() {
        return Err(AppError::NotFound("idea"));
    }
    Ok(ids)
}

/// The titles of the ideas among `ids` that exist, most voted first.
pub async fn titles(app: &App, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut conn = app.db.read().await?;
    Ok(store::by_ids(&mut conn, ids)
        .await?
        .into_iter()
        .map(|i| (i.id, i.title))
        .collect())
}
