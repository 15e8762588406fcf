//! Search: help-center articles (visitors and customers: public ones; staff: internal too) and
//! tickets with their messages (each reader only what they may see), with highlighted snippets.

use atende_domain::{
    Lang,
    entities::{Ticket, User},
    kb::Article,
    search::{Piece, Query, score, snippet},
};
use atende_store::{
    community::forum::{self as forum_store, Topic},
    kb as kb_store,
    search::{self, IndexDoc, TicketFilters},
    tickets,
};

use crate::{Actor, App, Result};

/// Candidates read from the index per result shown: enough for the shared score to reorder.
const CANDIDATES: i64 = 3;

/// Highest score first, the newest first among equals, at most `limit`.
fn best_first<T>(mut scored: Vec<(f64, T)>, limit: i64, id: impl Fn(&T) -> i64) -> Vec<T> {
    scored.sort_by(|(a, x), (b, y)| b.total_cmp(a).then_with(|| id(y).cmp(&id(x))));
    scored.into_iter().take(limit.max(0) as usize).map(|(_, t)| t).collect()
}

pub const MAX_RESULTS: i64 = 50;
const SNIPPET_CHARS: usize = 200;

/// The language a ticket's texts are analyzed in: its requester's, else the deployment's.
pub(crate) fn ticket_lang(app: &App, requester: &User) -> Lang {
    requester.language.unwrap_or(app.settings.default_language)
}

/// A new ticket's subject and description, as the index takes them.
pub(crate) fn ticket_doc(ticket: &Ticket, lang: Lang) -> IndexDoc<'_> {
    IndexDoc {
        kind: "ticket",
        ref_id: ticket.id,
        lang,
        ticket_id: Some(ticket.id),
        internal: false,
        title: &ticket.subject,
        body: &ticket.description,
        created_at: ticket.created_at,
    }
}

/// Whether the index holds nothing of the tickets stored (an installation from before the
/// search index existed).
pub async fn needs_rebuild(app: &App) -> Result<bool> {
    let mut conn = app.db.read().await?;
    let any_ticket = !tickets::after_id(&mut conn, 0, 1).await?.is_empty();
    let any_doc = search::count(&mut conn, "ticket").await? > 0;
    Ok(any_ticket && !any_doc)
}

/// Indexes every ticket and message again, a batch per transaction; `progress` hears how many
/// tickets are done.
pub async fn rebuild_tickets(app: &App, mut progress: impl FnMut(u64)) -> Result<u64> {
    const BATCH: i64 = 500;
    let mut after = 0;
    let mut done = 0u64;
    loop {
        let mut tx = app.db.begin().await?;
        let batch = tickets::after_id(&mut tx, after, BATCH).await?;
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            break;
        };
        let (from, to) = (first.id, last.id);
        let messages = tickets::messages_of_range(&mut tx, from, to).await?;
        let requesters: Vec<i64> = batch.iter().map(|t| t.requester_id).collect();
        let langs: std::collections::HashMap<i64, Lang> = atende_store::directory::users_by_ids(&mut tx, &requesters)
            .await?
            .into_iter()
            .map(|u| (u.id, ticket_lang(app, &u)))
            .collect();
        for ticket in &batch {
            let lang = langs
                .get(&ticket.requester_id)
                .copied()
                .unwrap_or(app.settings.default_language);
            search::index(&mut tx, &ticket_doc(ticket, lang)).await?;
            for m in messages.iter().filter(|m| m.ticket_id == ticket.id) {
                search::index(
                    &mut tx,
                    &IndexDoc {
                        kind: "message",
                        ref_id: m.id,
                        lang,
                        ticket_id: Some(ticket.id),
                        internal: m.visibility == atende_domain::Visibility::Internal,
                        title: "",
                        body: &m.body,
                        created_at: m.created_at,
                    },
                )
                .await?;
            }
        }
        crate::auth::commit(tx).await?;
        after = to;
        done += batch.len() as u64;
        progress(done);
    }
    Ok(done)
}

pub struct ArticleHit {
    pub article: Article,
    pub lang: Lang,
    pub snippet: Vec<Piece>,
}

/// Published articles in `lang` that match `text`, best first. `typing`: the last word may be
/// unfinished (suggestions while a ticket's subject is written).
pub async fn articles(
    app: &App,
    actor: Option<&Actor>,
    text: &str,
    lang: Lang,
    typing: bool,
    limit: i64,
) -> Result<Vec<ArticleHit>> {
    let query = if typing {
        Query::typing(text, lang)
    } else {
        Query::parse(text, lang)
    };
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let staff = actor.is_some_and(Actor::is_staff);
    let limit = limit.clamp(1, MAX_RESULTS);
    let mut conn = app.db.read().await?;
    // The backend finds and roughly orders candidates; the shared score decides the order.
    let hits = search::articles(&mut conn, &query, lang, staff, limit * CANDIDATES).await?;
    let ids: Vec<i64> = hits.iter().map(|h| h.ref_id).collect();
    let mut found = kb_store::articles_by_ids(&mut conn, &ids).await?;
    let mut out = Vec::with_capacity(hits.len());
    for id in ids {
        let Some(at) = found.iter().position(|a| a.id == id) else {
            continue;
        };
        let article = found.swap_remove(at);
        let (title, text) = article
            .translation(lang)
            .map(|t| (t.title.clone(), crate::kb::plain_text(&t.body)))
            .unwrap_or_default();
        let hit = ArticleHit {
            snippet: Vec::new(),
            lang,
            article,
        };
        out.push((score(&query, &title, &text, lang), (hit, text)));
    }
    // Snippets only for what is shown.
    Ok(best_first(out, limit, |(h, _)| h.article.id)
        .into_iter()
        .map(|(mut hit, text)| {
            hit.snippet = snippet(&text, &query, lang, SNIPPET_CHARS);
            hit
        })
        .collect())
}

pub struct TicketHit {
    pub ticket: Ticket,
    /// The message that matched, when it was a message rather than the ticket itself.
    pub message_id: Option<i64>,
    pub snippet: Vec<Piece>,
}

/// Tickets (and their messages) matching `text` that the actor may see, best first, one entry
/// per ticket.
pub async fn tickets(
    app: &App,
    actor: &Actor,
    text: &str,
    lang: Lang,
    filters: &TicketFilters,
    limit: i64,
) -> Result<Vec<TicketHit>> {
    let query = Query::parse(text, lang);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let limit = limit.clamp(1, MAX_RESULTS);
    let mut conn = app.db.read().await?;
    // Several documents may belong to one ticket; read enough to fill the page with tickets.
    let hits = search::tickets(
        &mut conn,
        &query,
        actor.ticket_scope(),
        filters,
        actor.is_staff(),
        limit * CANDIDATES,
    )
    .await?;
    // The tickets and messages of every candidate in two reads, not two per candidate.
    let mut ticket_ids: Vec<i64> = hits.iter().filter_map(|h| h.ticket_id).collect();
    ticket_ids.sort_unstable();
    ticket_ids.dedup();
    let message_ids: Vec<i64> = hits.iter().filter(|h| h.kind == "message").map(|h| h.ref_id).collect();
    let found = tickets::by_ids(&mut conn, &ticket_ids, actor.ticket_scope()).await?;
    let messages = tickets::messages_by_ids(&mut conn, &message_ids, actor.is_staff()).await?;
    let mut out: Vec<(f64, (TicketHit, String, Lang))> = Vec::new();
    for hit in hits {
        let Some(ticket_id) = hit.ticket_id else { continue };
        if out.iter().any(|(_, (h, _, _))| h.ticket.id == ticket_id) {
            continue;
        }
        let Some(ticket) = found.iter().find(|t| t.id == ticket_id).cloned() else {
            continue;
        };
        let (message_id, title, text) = if hit.kind == "message" {
            match messages.iter().find(|m| m.id == hit.ref_id) {
                Some(m) => (Some(m.id), String::new(), m.body.clone()),
                None => continue,
            }
        } else {
            (None, ticket.subject.clone(), ticket.description.clone())
        };
        let relevance = score(&query, &title, &text, hit.lang);
        let shown = format!("{title}\n{text}").trim_start().to_owned();
        let found = TicketHit {
            snippet: Vec::new(),
            message_id,
            ticket,
        };
        out.push((relevance, (found, shown, hit.lang)));
    }
    // Snippets only for what is shown.
    Ok(best_first(out, limit, |(h, _, _)| h.ticket.id)
        .into_iter()
        .map(|(mut found, shown, lang)| {
            found.snippet = snippet(&shown, &query, lang, SNIPPET_CHARS);
            found
        })
        .collect())
}

pub struct ForumHit {
    pub topic: Topic,
    /// The post that matched (the question or a reply).
    pub post_id: i64,
    pub snippet: Vec<Piece>,
}

/// Published forum topics whose posts match `text`, best first, one entry per topic.
pub async fn forum(app: &App, text: &str, lang: Lang, limit: i64) -> Result<Vec<ForumHit>> {
    let query = Query::parse(text, lang);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let limit = limit.clamp(1, MAX_RESULTS);
    let mut conn = app.db.read().await?;
    let hits = search::forum(&mut conn, &query, limit * CANDIDATES).await?;
    let post_ids: Vec<i64> = hits.iter().map(|h| h.ref_id).collect();
    let posts = forum_store::posts_by_ids(&mut conn, &post_ids).await?;
    let mut topic_ids: Vec<i64> = posts.iter().map(|p| p.topic_id).collect();
    topic_ids.sort_unstable();
    topic_ids.dedup();
    let topics = forum_store::topics_by_ids(&mut conn, &topic_ids).await?;
    let mut out: Vec<(f64, (ForumHit, String, Lang))> = Vec::new();
    for hit in hits {
        let Some(post) = posts.iter().find(|p| p.id == hit.ref_id) else {
            continue;
        };
        let Some(topic) = topics.iter().find(|t| t.id == post.topic_id) else {
            continue;
        };
        if out.iter().any(|(_, (h, _, _))| h.topic.id == topic.id) {
            continue;
        }
        let body = crate::kb::plain_text(&post.body);
        let title = if topic.first_post_id == Some(post.id) {
            topic.title.clone()
        } else {
            String::new()
        };
        let relevance = score(&query, &title, &body, hit.lang);
        let found = ForumHit {
            topic: topic.clone(),
            post_id: post.id,
            snippet: Vec::new(),
        };
        out.push((relevance, (found, body, hit.lang)));
    }
    Ok(best_first(out, limit, |(h, _, _)| h.topic.id)
        .into_iter()
        .map(|(mut found, body, lang)| {
            found.snippet = snippet(&body, &query, lang, SNIPPET_CHARS);
            found
        })
        .collect())
}
