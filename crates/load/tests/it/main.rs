//! A short run of the load tool against a real server, so that the tool keeps working.
//! Figures are never asserted: only that every acknowledged write is found whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

/// A directory of its own for a test's database, removed when the test ends.
struct Scratch(std::path::PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("atende-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

#[tokio::test]
async fn a_short_intake_run_stores_every_acknowledged_ticket() {
    let dir = scratch("load");
    let database_url = format!("sqlite://{}", dir.join("load.db").display());
    let config = atende::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(database_url.clone()),
        ..atende::Config::default()
    };
    let server = atende::start(&config, atende_app::Clock::system()).await.unwrap();
    atende::demo::load(&server.app).await.unwrap();
    let opts = atende_load::Options {
        url: format!("http://{}", server.addr),
        email: "ana@acme.example".into(),
        password: atende::demo::PASSWORD.into(),
        clients: 4,
        requests: 200,
        duration: Duration::from_secs(20),
        seed: 7,
        verify: true,
        database_url: Some(database_url.clone()),
    };
    let report = atende_load::create_tickets(&opts).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    assert_eq!(report.acknowledged.len(), 200);
    assert_eq!(report.verified, 200, "missing: {:?}", report.missing);
    assert!(report.percentile(0.5) <= report.percentile(0.99));

    // The check reads each part: a ticket whose search entry is gone is reported missing.
    let lost = report.acknowledged[17];
    let mut tx = server.app.db.begin().await.unwrap();
    sqlx::query("DELETE FROM search_docs WHERE kind = 'ticket' AND ref_id = $1")
        .bind(lost)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut again = atende_load::Report {
        acknowledged: report.acknowledged.clone(),
        ..Default::default()
    };
    atende_load::verify_rows(&database_url, &mut again).await.unwrap();
    assert_eq!((again.verified, again.missing), (199, vec![lost]));

    // The ceiling scenario's requests all succeed.
    let ceiling = atende_load::ceiling::run(
        &atende_load::Options {
            requests: 50,
            ..opts.clone()
        },
        "/api/v1/me",
        true,
    )
    .await
    .unwrap();
    assert_eq!((ceiling.acknowledged.len(), ceiling.errors.len()), (50, 0));
    let settings = atende_load::database_settings(&database_url).await.unwrap();
    assert!(
        settings.contains(&("journal_mode".to_owned(), "wal".to_owned())),
        "{settings:?}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_small_sweep_run_records_every_due_breach() {
    let dir = scratch("sweep");
    let url = format!("sqlite://{}", dir.join("sweep.db").display());
    let figures = atende_load::sweep::run(&url, 3_000, 100).await.unwrap();
    assert_eq!(figures.due, 30);
    // The generated 30, plus whatever of the demo's own tickets is due by now.
    assert!(figures.breached >= 30, "{}", figures.breached);
}

#[tokio::test]
async fn a_short_whatsapp_run_answers_every_message() {
    let dir = scratch("wa");
    let config = atende::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(format!("sqlite://{}", dir.join("wa.db").display())),
        whatsapp_app_secret: Some("load-secret".into()),
        ..atende::Config::default()
    };
    let server = atende::start(&config, atende_app::Clock::system()).await.unwrap();
    atende::demo::load(&server.app).await.unwrap();
    let mut conn = server.app.db.begin().await.unwrap();
    let ana = atende_store::directory::find_user_by_email(&mut conn, "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    atende_store::conversations::link_number(&mut conn, ana.id, "5511987650001", jiff::Timestamp::now())
        .await
        .unwrap();
    conn.commit().await.unwrap();
    let opts = atende_load::whatsapp::WhatsappOptions {
        url: format!("http://{}", server.addr),
        secret: "load-secret".into(),
        numbers: vec!["5511987650001".into()],
        clients: 2,
        messages: 60,
        duration: Duration::from_secs(20),
        seed: 7,
    };
    let report = atende_load::whatsapp::run(&opts).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    assert_eq!(report.acknowledged.len(), 60);
    // Every message has the bot's answer waiting for the Graph API.
    let mut conn = server.app.db.read().await.unwrap();
    let (waiting, _) = atende_store::conversations::whatsapp_backlog(&mut conn).await.unwrap();
    assert!(waiting >= 60, "{waiting}");
    drop(conn);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_small_reports_run_counts_every_ticket() {
    let dir = scratch("reports");
    let url = format!("sqlite://{}", dir.join("reports.db").display());
    let figures = atende_load::reports::run(&url, 3_000).await.unwrap();
    // The generated 3,000, plus the demo's own tickets made today.
    assert!(figures.created >= 3_000, "{}", figures.created);
    assert_eq!(
        figures.exported as i64, figures.created,
        "the export has the period's tickets"
    );
    assert!(figures.rollup_days >= 1, "{}", figures.rollup_days);
    assert!(figures.same_figures, "the rollups give the rows' figures");
}

#[tokio::test]
async fn a_small_pages_run_serves_every_kind_without_errors() {
    let dir = scratch("pages");
    let url = format!("sqlite://{}", dir.join("pages.db").display());
    let figures = atende_load::pages::run(&url, 2_000, 40, 2).await.unwrap();
    assert!(figures.errors.is_empty(), "{:?}", figures.errors);
    for (name, latencies) in &figures.kinds {
        assert!(latencies.len() >= 5, "{name}: {}", latencies.len());
    }
    assert_eq!(figures.kinds.iter().map(|(_, l)| l.len()).sum::<usize>(), 40);
}

#[tokio::test]
async fn a_small_data_set_has_what_was_asked_and_signs_in() {
    use sqlx::Row;
    let dir = scratch("dataset");
    let url = format!("sqlite://{}", dir.join("d.db").display());
    let size = atende_load::dataset::Size {
        organizations: 60,
        users: 400,
        tickets: 3_000,
        messages: 12_000,
        articles: 90,
    };
    atende_load::dataset::run(&url, size, 7).await.unwrap();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).fetch_one(&pool).await.unwrap().get::<i64, _>(0) }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM organizations WHERE id >= 10000000").await,
        60
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT plan_code) FROM contracts WHERE id >= 10000000").await,
        6,
        "every plan"
    );
    assert_eq!(count("SELECT COUNT(*) FROM users WHERE id >= 10000000").await, 400);
    assert_eq!(count("SELECT COUNT(*) FROM tickets WHERE id >= 10000000").await, 3_000);
    let messages =
        count("SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.id >= 10000000").await;
    assert!((11_900..=12_100).contains(&messages), "{messages}");
    assert_eq!(
        count("SELECT COUNT(*) FROM kb_translations WHERE article_id >= 10000000").await,
        270
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tickets t JOIN contracts c ON c.id = t.contract_id WHERE t.id >= 10000000 AND c.plan_code = 'trial'").await,
        0,
        "no tickets on Trial contracts"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tickets t JOIN users u ON u.id = t.requester_id JOIN contracts c ON c.id = t.contract_id \
               WHERE t.id >= 10000000 AND u.organization_id <> c.organization_id").await,
        0,
        "each requester belongs to the ticket's organization"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM tickets t WHERE t.id >= 10000000 AND NOT EXISTS \
               (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created')"
        )
        .await,
        0,
        "every ticket has its created event"
    );
    pool.close().await;
    // The generated people sign in with the demo's password, through the use case.
    let config = atende::Config {
        database_url: Some(url.clone()),
        ..atende::Config::default()
    };
    let app = atende::open(&config, atende_app::Clock::system()).await.unwrap();
    atende_app::auth::login(&app, "person0@org0.example", atende::demo::PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    app.db.close().await;
}
