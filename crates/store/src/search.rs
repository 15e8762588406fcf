//! The search index: documents (articles, tickets, messages) stored as the terms the domain's
//! analysis made of them, matched by FTS5 on SQLite and by a `tsvector` with a GIN index on
//! PostgreSQL. Index writes run in the caller's transaction, so the index never lags the data.

use atende_domain::{Lang, search::Query};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result,
    rows::{get_i64, get_opt_i64, get_parsed, get_str, ms},
    tickets::TicketScope,
};

/// What a document is, for the index.
pub struct IndexDoc<'a> {
    /// `article`, `ticket` or `message`.
    pub kind: &'static str,
    pub ref_id: i64,
    pub lang: Lang,
    pub ticket_id: Option<i64>,
    /// Internal articles and internal notes: staff only.
    pub internal: bool,
    pub title: &'a str,
    pub body: &'a str,
    pub created_at: Timestamp,
}

fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// Adds the document, replacing an earlier version of it in the same language.
pub async fn index(conn: &mut Conn, doc: &IndexDoc<'_>) -> Result<()> {
    remove(conn, doc.kind, doc.ref_id, Some(doc.lang)).await?;
    index_new(conn, std::slice::from_ref(doc)).await
}

/// Adds documents that have no earlier version (new tickets), with few statements.
pub async fn index_new(conn: &mut Conn, docs: &[IndexDoc<'_>]) -> Result<()> {
    let postgres = is_postgres(conn);
    for chunk in docs.chunks(crate::sql::ROWS_PER_INSERT) {
        let terms: Vec<(String, String)> = chunk
            .iter()
            .map(|doc| {
                let title = atende_domain::search::index_terms(doc.title, doc.lang).join(" ");
                let body = atende_domain::search::index_terms(doc.body, doc.lang).join(" ");
                (title, body)
            })
            .collect();
        if postgres {
            let rows: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let p = |c: usize| format!("${}", r * 8 + c);
                    format!(
                        "({}, {}, {}, {}, {}, {}, setweight(to_tsvector('simple', {}), 'A') || setweight(to_tsvector('simple', {}), 'B'))",
                        p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8)
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO search_docs (kind, ref_id, lang, ticket_id, internal, created_at, terms) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for (doc, (title, body)) in chunk.iter().zip(terms) {
                query = bind_doc(query, doc).bind(title).bind(body);
            }
            query.execute(&mut *conn).await?;
        } else {
            let sql = format!(
                "INSERT INTO search_docs (kind, ref_id, lang, ticket_id, internal, created_at) VALUES {} RETURNING id",
                crate::sql::values(chunk.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for doc in chunk {
                query = bind_doc(query, doc);
            }
            let ids = crate::sql::ids_in_order(&query.fetch_all(&mut *conn).await?, chunk.len())?;
            let sql = format!(
                "INSERT INTO search_fts (rowid, title, body) VALUES {}",
                crate::sql::values(ids.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (id, (title, body)) in ids.into_iter().zip(terms) {
                query = query.bind(id).bind(title).bind(body);
            }
            query.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Binds a document's six stored columns (kind, ref_id, lang, ticket_id, internal, created_at).
fn bind_doc<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    doc: &IndexDoc<'q>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(doc.kind)
        .bind(doc.ref_id)
        .bind(doc.lang.code())
        .bind(doc.ticket_id)
        .bind(doc.internal)
        .bind(ms(doc.created_at))
}

/// Takes a document out of the index (every language when `lang` is `None`).
pub async fn remove(conn: &mut Conn, kind: &str, ref_id: i64, lang: Option<Lang>) -> Result<()> {
    let mut filter = Filter::new().text_eq("kind", kind).int_eq("ref_id", ref_id);
    if let Some(lang) = lang {
        filter = filter.text_eq("lang", lang.code());
    }
    if !is_postgres(conn) {
        let sql = format!(
            "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs {})",
            filter.where_clause()
        );
        filter.bind(sqlx::query(&sql)).execute(&mut *conn).await?;
    }
    let sql = format!("DELETE FROM search_docs {}", filter.where_clause());
    filter.bind(sqlx::query(&sql)).execute(&mut *conn).await?;
    Ok(())
}

/// The query in the backend's own syntax. Terms are letters and digits only (the analysis split
/// on everything else), so they need no escaping beyond FTS5's quotes.
fn match_expression(query: &Query, postgres: bool) -> String {
    let last = query.groups.len().saturating_sub(1);
    let groups: Vec<String> = query
        .groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let prefix = query.last_is_prefix && i == last;
            let terms: Vec<String> = group
                .iter()
                .map(|t| match (postgres, prefix) {
                    (true, true) => format!("{t}:*"),
                    (true, false) => t.clone(),
                    (false, true) => format!("\"{t}\"*"),
                    (false, false) => format!("\"{t}\""),
                })
                .collect();
            if postgres {
                format!("({})", terms.join(" | "))
            } else {
                format!("({})", terms.join(" OR "))
            }
        })
        .collect();
    let joiner = match (query.any, postgres) {
        (true, true) => " | ",
        (true, false) => " OR ",
        (false, true) => " & ",
        (false, false) => " AND ",
    };
    groups.join(joiner)
}

/// A document that matched, best first.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: String,
    pub ref_id: i64,
    pub lang: Lang,
    pub ticket_id: Option<i64>,
}

fn hit_from_row(row: &AnyRow) -> Result<Hit> {
    Ok(Hit {
        kind: get_str(row, "kind")?,
        ref_id: get_i64(row, "ref_id")?,
        lang: get_parsed(row, "lang")?,
        ticket_id: get_opt_i64(row, "ticket_id")?,
    })
}

/// How the backend orders the documents it found before the shared score reorders them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The backend's relevance (bm25, ts_rank_cd): it must rank every match, fine for articles.
    Rank,
    /// Newest first: the index can stop after `limit` matches however common the words are,
    /// which keeps ticket search fast over millions of messages.
    Newest,
}

/// Runs `query` with the conditions of `filter` (on `d`, the document, and on its joins).
async fn run(
    conn: &mut Conn,
    query: &Query,
    joins: &str,
    filter: Filter,
    order: Order,
    limit: i64,
) -> Result<Vec<Hit>> {
    let postgres = is_postgres(conn);
    let expression = match_expression(query, postgres);
    let (filter, from) = if postgres {
        (
            filter.text("d.terms @@ to_tsquery('simple', ?)", &expression),
            "search_docs d",
        )
    } else {
        (
            filter.text("search_fts MATCH ?", &expression),
            "search_fts JOIN search_docs d ON d.id = search_fts.rowid",
        )
    };
    // With PostgreSQL's rank, the expression is bound a second time, after the filter's values.
    let ranked_pg = postgres && order == Order::Rank;
    let order_by = match (order, postgres) {
        (Order::Rank, true) => format!(
            "ts_rank_cd(d.terms, to_tsquery('simple', {})) DESC, d.id DESC",
            filter.placeholder_after(1)
        ),
        (Order::Rank, false) => "bm25(search_fts, 4.0, 1.0), d.id DESC".to_owned(),
        (Order::Newest, true) => "d.id DESC".to_owned(),
        (Order::Newest, false) => "search_fts.rowid DESC".to_owned(),
    };
    let limit_at = filter.placeholder_after(if ranked_pg { 2 } else { 1 });
    let sql = format!(
        "SELECT d.kind, d.ref_id, d.lang, d.ticket_id FROM {from} {joins} {} ORDER BY {order_by} LIMIT {limit_at}",
        filter.where_clause()
    );
    // Not a prepared statement kept for reuse: PostgreSQL would soon plan it once for any words,
    // and the right plan depends on how rare the words are (see 0007_search_plan.sql).
    let mut statement = filter.bind(sqlx::query(&sql).persistent(false));
    if ranked_pg {
        statement = statement.bind(expression);
    }
    let rows = statement.bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(hit_from_row).collect()
}

/// Published articles in `lang` (visitors and customers: public ones only).
pub async fn articles(conn: &mut Conn, query: &Query, lang: Lang, internal_too: bool, limit: i64) -> Result<Vec<Hit>> {
    let mut filter = Filter::new()
        .text_eq("d.kind", "article")
        .text_eq("d.lang", lang.code())
        .text_eq("a.status", "published");
    if !internal_too {
        filter = filter.text_eq("a.visibility", "public");
    }
    run(
        conn,
        query,
        "JOIN kb_articles a ON a.id = d.ref_id",
        filter,
        Order::Rank,
        limit,
    )
    .await
}

/// Filters of a ticket search, on the ticket the document belongs to.
#[derive(Debug, Default, Clone)]
pub struct TicketFilters {
    pub status: Option<String>,
    pub ticket_type: Option<String>,
    pub contract_id: Option<i64>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
}

/// Tickets and their messages that `scope` lets the reader see (internal notes: staff only).
pub async fn tickets(
    conn: &mut Conn,
    query: &Query,
    scope: TicketScope,
    filters: &TicketFilters,
    internal_too: bool,
    limit: i64,
) -> Result<Vec<Hit>> {
    // `ticket_id IS NOT NULL` lets PostgreSQL walk its index of ticket documents (0007).
    let mut filter =
        scope.restrict(Filter::new().int("d.kind IN ('ticket', 'message') AND d.ticket_id IS NOT NULL", &[]));
    if !internal_too {
        filter = filter.int("NOT d.internal", &[]);
    }
    if let Some(status) = &filters.status {
        filter = filter.text_eq("t.status", status);
    }
    if let Some(kind) = &filters.ticket_type {
        filter = filter.text_eq("t.type", kind);
    }
    if let Some(contract) = filters.contract_id {
        filter = filter.int_eq("t.contract_id", contract);
    }
    if let Some(from) = filters.created_from {
        filter = filter.int("t.created_at >= ?", &[ms(from)]);
    }
    if let Some(to) = filters.created_to {
        filter = filter.int("t.created_at < ?", &[ms(to)]);
    }
    run(
        conn,
        query,
        "JOIN tickets t ON t.id = d.ticket_id",
        filter,
        Order::Newest,
        limit,
    )
    .await
}

/// How many documents of a kind the index holds.
pub async fn count(conn: &mut Conn, kind: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM search_docs WHERE kind = $1")
        .bind(kind)
        .fetch_one(&mut *conn)
        .await?;
    get_i64(&row, "n")
}

/// Published forum posts in published topics.
pub async fn forum(conn: &mut Conn, query: &Query, limit: i64) -> Result<Vec<Hit>> {
    let filter = Filter::new().text_eq("d.kind", "forum_post").int(
        "p.state = 'visible' AND t.state = 'visible' AND t.merged_into IS NULL",
        &[],
    );
    run(
        conn,
        query,
        "JOIN forum_posts p ON p.id = d.ref_id JOIN forum_topics t ON t.id = p.topic_id",
        filter,
        Order::Rank,
        limit,
    )
    .await
}
