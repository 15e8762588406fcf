//! The two migration trees must produce the same tables, columns and indexes.

use std::collections::BTreeSet;

use atende_store::Db;
use sqlx::{Connection, Row};

use crate::helpers::{Backend, fresh_database};

/// `table.column:type` and `index:table(columns)` lines, with types folded to what both backends
/// mean (SQLite has no BOOLEAN; PostgreSQL spells BIGINT as bigint).
async fn describe(url: &str, backend: Backend) -> BTreeSet<String> {
    Db::connect(url, 1).await.unwrap().close().await;
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let fold = |t: &str| match t.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "boolean" => "integer".to_owned(),
        "text" => "text".to_owned(),
        "blob" | "bytea" => "blob".to_owned(),
        other => other.to_owned(),
    };
    let mut out = BTreeSet::new();
    match backend {
        Backend::Sqlite => {
            let tables = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for t in tables {
                let table: String = t.get(0);
                for c in sqlx::query(&format!(
                    "SELECT name, type, \"notnull\" FROM pragma_table_info('{table}')"
                ))
                .fetch_all(&mut conn)
                .await
                .unwrap()
                {
                    let (name, ty, notnull): (String, String, i64) = (c.get(0), c.get(1), c.get(2));
                    // Primary keys are never null; SQLite reports a rowid alias as nullable, so `id` is compared without it.
                    out.insert(format!("{table}.{name}:{}:{}", fold(&ty), notnull != 0 && name != "id"));
                }
                for i in sqlx::query(&format!(
                    "SELECT name FROM pragma_index_list('{table}') WHERE origin = 'c'"
                ))
                .fetch_all(&mut conn)
                .await
                .unwrap()
                {
                    let index: String = i.get(0);
                    let cols: Vec<String> =
                        sqlx::query(&format!("SELECT name FROM pragma_index_info('{index}') ORDER BY seqno"))
                            .fetch_all(&mut conn)
                            .await
                            .unwrap()
                            .iter()
                            .map(|r| r.get(0))
                            .collect();
                    out.insert(format!("index:{index}:{table}({})", cols.join(",")));
                }
            }
        }
        Backend::Postgres => {
            let cols = sqlx::query(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            for c in cols {
                let (table, name, ty, nullable): (String, String, String, String) =
                    (c.get(0), c.get(1), c.get(2), c.get(3));
                // A SQLite INTEGER PRIMARY KEY reports NOT NULL as 0; compare ids by their key role instead.
                let notnull = nullable == "NO" && name != "id";
                out.insert(format!("{table}.{name}:{}:{notnull}", fold(&ty)));
            }
            let indexes = sqlx::query(
                "SELECT i.relname::text, t.relname::text, array_to_string(array_agg(a.attname::text ORDER BY k.ord), ',') \
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE n.nspname = 'public' AND NOT x.indisprimary AND t.relname NOT LIKE '_sqlx%' GROUP BY i.relname, t.relname",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            for i in indexes {
                let (index, table, cols): (String, String, String) = (i.get(0), i.get(1), i.get(2));
                out.insert(format!("index:{index}:{table}({cols})"));
            }
        }
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    // Each backend's full-text machinery is its own: FTS5's virtual table (and its shadow tables)
    // on SQLite, the `tsvector` column and its GIN index on PostgreSQL.
    let own_search = |l: &String| {
        l.starts_with("search_fts")
            || l.starts_with("index:search_fts")
            || l.starts_with("search_docs.terms:")
            || l.starts_with("index:search_docs_terms:")
            || l.starts_with("index:search_docs_ticket_newest:")
    };
    let mut sqlite = describe(&fresh_database(Backend::Sqlite).await, Backend::Sqlite).await;
    let mut postgres = describe(&fresh_database(Backend::Postgres).await, Backend::Postgres).await;
    assert!(
        sqlite.iter().any(own_search) && postgres.iter().any(own_search),
        "both have their index"
    );
    sqlite.retain(|l| !own_search(l));
    postgres.retain(|l| !own_search(l));
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
    assert!(
        sqlite.iter().any(|l| l.starts_with("tickets.subject:text")),
        "the description is not empty: {sqlite:?}"
    );
}
