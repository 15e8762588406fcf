//! Two real `atende serve` processes on one PostgreSQL database sweep the same due clocks: each
//! breach is recorded, and each escalation sent, exactly once.

use std::{process::Stdio, time::Duration};

use atende::Config;
use atende_app::{Actor, Clock, tickets};
use atende_domain::{Body, Priority, Subject, TicketChannel, TicketType};
use sqlx::{Connection, Row};

use crate::helpers::{Backend, fresh_database};

#[tokio::test]
async fn two_processes_record_each_breach_once() {
    let url = fresh_database(Backend::Postgres).await;
    // Tickets opened ten days ago, so that their clocks are long past due now. (Three days was
    // not enough: from a Friday afternoon, one business day of resolution ends on Monday at the
    // same hour, and the test failed when run then.)
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 10);
    let config = Config {
        database_url: Some(url.clone()),
        ..Config::default()
    };
    let app = atende::open(&config, Clock::manual(past)).await.unwrap();
    atende::demo::load(&app).await.unwrap();
    let mut conn = app.db.read().await.unwrap();
    let ana = atende_store::directory::find_user_by_email(&mut conn, "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    let startup = atende_store::membership::list_contracts(&mut conn, None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Acme Startup")
        .unwrap();
    drop(conn);
    let ana = Actor { user: ana };
    for i in 0..150 {
        let input = tickets::OpenTicket {
            ticket_type: TicketType::Incident,
            subject: Subject::parse(&format!("Outage {i}")).unwrap(),
            description: Body::parse("description", "Down.").unwrap(),
            priority: Priority::Urgent,
            contract_id: startup.id,
            bot_id: None,
            requester_id: None,
            channel: None,
            attachments: Vec::new(),
            call: None,
        };
        tickets::open(&app, &ana, input, TicketChannel::Api).await.unwrap();
    }
    app.db.close().await;

    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_atende"))
            .arg("serve")
            .env("ATENDE_DATABASE_URL", &url)
            .env("ATENDE_LISTEN", "127.0.0.1:0")
            .env("ATENDE_SLA_SWEEP_SECONDS", "1")
            .env("ATENDE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = spawn();
    let mut second = spawn();

    // Every clock already past due must be recorded once: the 151 urgent incidents (150 and the
    // demo's) on first response and resolution, and whatever of the demo's other tickets is due.
    let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
    let expected: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sla_clocks WHERE state = 'running' AND due_at <= $1")
        .bind(jiff::Timestamp::now().as_millisecond())
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get("n");
    assert!(expected >= 302, "{expected}");
    let count = |kind: &'static str| format!("SELECT COUNT(*) AS n FROM ticket_events WHERE kind = '{kind}'");
    let mut breaches = 0;
    for _ in 0..120 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        breaches = sqlx::query(&count("sla_breached"))
            .fetch_one(&mut db)
            .await
            .unwrap()
            .get::<i64, _>("n");
        if breaches >= expected {
            break;
        }
    }
    // Let both processes sweep a few more times: nothing may be recorded twice.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let _ = (first.kill(), second.kill());
    let _ = (first.wait(), second.wait());

    let breaches_now: i64 = sqlx::query(&count("sla_breached"))
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get("n");
    assert_eq!((breaches, breaches_now), (expected, expected));
    let duplicates: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT ticket_id, data FROM ticket_events WHERE kind = 'sla_breached' GROUP BY ticket_id, data HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&mut db)
    .await
    .unwrap()
    .get("n");
    assert_eq!(duplicates, 0);
    let escalations: i64 = sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'escalation'")
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get("n");
    assert_eq!(
        escalations, 302,
        "one escalation per urgent-incident breach, to the one supervisor"
    );
}
