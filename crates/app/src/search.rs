//! Search: help-center articles (visitors and customers: public ones; staff: internal too) and
//! tickets with their messages (each reader only what they may see), with highlighted snippets.

use atende_domain::{
    Lang,
    entities::{Ticket, User},
    kb::Article,
    search::{Piece, Query, snippet},
};
use atende_store::{
    Conn, kb as kb_store,
    search::{self, IndexDoc, TicketFilters},
    tickets,
};

use crate::{Actor, App, Result};

pub const MAX_RESULTS: i64 = 50;
const SNIPPET_CHARS: usize = 200;

/// The language a ticket's texts are analyzed in: its requester's, else the deployment's.
pub(crate) fn ticket_lang(app: &App, requester: &User) -> Lang {
    requester.language.unwrap_or(app.settings.default_language)
}

/// Indexes a new ticket's subject and description (in the caller's transaction).
pub(crate) async fn index_ticket(tx: &mut Conn, ticket: &Ticket, lang: Lang) -> Result<()> {
    search::index(
        tx,
        &IndexDoc {
            kind: "ticket",
            ref_id: ticket.id,
            lang,
            ticket_id: Some(ticket.id),
            internal: false,
            title: &ticket.subject,
            body: &ticket.description,
            created_at: ticket.created_at,
        },
    )
    .await?;
    Ok(())
}

pub struct ArticleHit {
    pub article: Article,
    pub lang: Lang,
    pub snippet: Vec<Piece>,
}

/// Published articles in `lang` that match `text`, best first.
pub async fn articles(app: &App, actor: Option<&Actor>, text: &str, lang: Lang, limit: i64) -> Result<Vec<ArticleHit>> {
    let query = Query::parse(text, lang);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let staff = actor.is_some_and(Actor::is_staff);
    let mut conn = app.db.read().await?;
    let hits = search::articles(&mut conn, &query, lang, staff, limit.clamp(1, MAX_RESULTS)).await?;
    let ids: Vec<i64> = hits.iter().map(|h| h.ref_id).collect();
    let mut found = kb_store::articles_by_ids(&mut conn, &ids).await?;
    let mut out = Vec::with_capacity(hits.len());
    for id in ids {
        let Some(at) = found.iter().position(|a| a.id == id) else { continue };
        let article = found.swap_remove(at);
        let text = article
            .translation(lang)
            .map(|t| crate::kb::plain_text(&t.body))
            .unwrap_or_default();
        out.push(ArticleHit {
            snippet: snippet(&text, &query, lang, SNIPPET_CHARS),
            lang,
            article,
        });
    }
    Ok(out)
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
    let hits = search::tickets(&mut conn, &query, actor.ticket_scope(), filters, actor.is_staff(), limit * 4).await?;
    let mut out: Vec<TicketHit> = Vec::new();
    for hit in hits {
        let Some(ticket_id) = hit.ticket_id else { continue };
        if out.iter().any(|h| h.ticket.id == ticket_id) {
            continue;
        }
        let Some(ticket) = tickets::get_ticket(&mut conn, ticket_id, actor.ticket_scope()).await? else {
            continue;
        };
        let (message_id, text) = if hit.kind == "message" {
            let messages = tickets::list_messages(&mut conn, ticket_id, actor.is_staff()).await?;
            match messages.into_iter().find(|m| m.id == hit.ref_id) {
                Some(m) => (Some(m.id), m.body),
                None => continue,
            }
        } else {
            (None, format!("{}\n{}", ticket.subject, ticket.description))
        };
        out.push(TicketHit {
            snippet: snippet(&text, &query, hit.lang, SNIPPET_CHARS),
            message_id,
            ticket,
        });
        if out.len() as i64 >= limit {
            break;
        }
    }
    Ok(out)
}
