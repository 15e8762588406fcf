//! Mailboxes read over IMAP from a real Dovecot, configured through the admin API; and the
//! access queue that agents work.

use std::time::Duration;

use atende::mail_reader::read_once;
use atende_app::Clock;
use serde_json::{Value, json};

use crate::{
    email::{message, pipe, spawn},
    helpers::{Backend, Client, TestApp},
    mail_servers::{Dovecot, IMAP_PASSWORD, IMAP_USER},
};

async fn add_mailbox(admin: &Client, dovecot: &Dovecot, password: &str) -> i64 {
    admin
        .post(
            "/api/v1/mailboxes",
            json!({
                "address": IMAP_USER,
                "imap_host": "127.0.0.1",
                "imap_port": dovecot.port,
                "imap_tls": false,
                "imap_username": IMAP_USER,
                "imap_password": password,
            }),
        )
        .await
        .assert_status(201)
        .id()
}

async fn tickets_with_subject(app: &TestApp, subject: &str) -> Vec<Value> {
    let agent = app.client("agent@atende.example").await;
    let page = agent.get("/api/v1/tickets?limit=100").await;
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["subject"] == subject)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_mailbox_is_read_over_imap_and_each_message_is_taken_once() {
    let dovecot = Dovecot::start();
    let app = spawn().await;
    let admin = app.client("admin@atende.example").await;
    let mailbox = add_mailbox(&admin, &dovecot, IMAP_PASSWORD).await;

    dovecot.deliver(&message(
        "ana@acme.example",
        "Pedido por IMAP",
        "",
        "Hola desde el buzón.",
    ));
    dovecot.deliver(&message("someone@unknown.example", "Who reads this?", "", "Hello?"));
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 2);
    let opened = tickets_with_subject(&app, "Pedido por IMAP").await;
    assert_eq!(opened.len(), 1, "the customer's message became a ticket");
    assert_eq!(opened[0]["channel"], "email");
    let queue = admin.get("/api/v1/inbound").await.assert_status(200).body.clone();
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["sender"] == "someone@unknown.example" && m["mailbox_id"] == mailbox),
        "the unknown sender's message waits in the access queue: {queue}"
    );

    // The position is in the database: reading again takes nothing, a new message alone.
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 0);
    dovecot.deliver(&message("ana@acme.example", "Segundo pedido", "", "Otro más."));
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 1);
    assert_eq!(tickets_with_subject(&app, "Segundo pedido").await.len(), 1);

    // The server rebuilt its index (new UIDVALIDITY): every message is offered again, and none
    // becomes a second ticket.
    dovecot.forget_uids();
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 3);
    assert_eq!(tickets_with_subject(&app, "Pedido por IMAP").await.len(), 1);
    assert_eq!(tickets_with_subject(&app, "Segundo pedido").await.len(), 1);

    let shown = admin
        .get(&format!("/api/v1/mailboxes/{mailbox}"))
        .await
        .assert_status(200)
        .body
        .clone();
    assert!(shown["polled_at"].is_string(), "{shown}");
    assert!(shown["last_error"].is_null(), "{shown}");
    assert!(shown.get("imap_password").is_none(), "the password is never shown");
}

#[tokio::test]
async fn a_wrong_password_shows_on_the_mailbox() {
    let dovecot = Dovecot::start();
    let app = spawn().await;
    let admin = app.client("admin@atende.example").await;
    let mailbox = add_mailbox(&admin, &dovecot, "not-the-password").await;
    assert!(read_once(app.app(), mailbox).await.is_err());
    let shown = admin.get(&format!("/api/v1/mailboxes/{mailbox}")).await.body.clone();
    let error = shown["last_error"].as_str().unwrap_or_default().to_owned();
    assert!(error.contains("user name or password"), "{shown}");

    // Fixed by the admin: the error goes at the next round.
    admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{mailbox}"),
            Some(json!({
                "address": IMAP_USER, "imap_host": "127.0.0.1", "imap_port": dovecot.port,
                "imap_tls": false, "imap_username": IMAP_USER, "imap_password": IMAP_PASSWORD,
            })),
        )
        .await
        .assert_status(200);
    read_once(app.app(), mailbox).await.unwrap();
    let shown = admin.get(&format!("/api/v1/mailboxes/{mailbox}")).await.body.clone();
    assert!(shown["last_error"].is_null(), "{shown}");
}

#[tokio::test]
async fn the_running_server_takes_new_mail_as_it_arrives() {
    let dovecot = Dovecot::start();
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.mail_seconds = 1;
    })
    .await;
    let admin = app.client("admin@atende.example").await;
    add_mailbox(&admin, &dovecot, IMAP_PASSWORD).await;
    // Delivered after the reader connected: IDLE tells it at once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    dovecot.deliver(&message("ana@acme.example", "Llegó mientras esperaba", "", "Hola."));
    for _ in 0..100 {
        if !tickets_with_subject(&app, "Llegó mientras esperaba").await.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the message did not become a ticket within 10 s");
}

#[tokio::test]
async fn mailbox_settings_are_checked_and_kept_to_admins() {
    let app = spawn().await;
    let admin = app.client("admin@atende.example").await;
    let settings = |port: i64, password: Option<&str>| {
        json!({
            "address": "help@atende.test", "imap_host": "imap.atende.test", "imap_port": port,
            "imap_username": "help", "imap_password": password,
        })
    };
    let bad_port = admin.post("/api/v1/mailboxes", settings(70_000, Some("x"))).await;
    let message = bad_port.assert_error(422, "validation.invalid");
    assert!(message.contains("65535"), "{message}");
    assert_eq!(bad_port.body["error"]["field"], "imap_port");
    let no_password = admin.post("/api/v1/mailboxes", settings(993, None)).await;
    assert_eq!(no_password.status.as_u16(), 422);
    assert_eq!(no_password.body["error"]["field"], "imap_password");

    let agent = app.client("agent@atende.example").await;
    agent.get("/api/v1/mailboxes").await.assert_status(403);
    let created = admin.post("/api/v1/mailboxes", settings(993, Some("s3cret"))).await;
    created.assert_status(201);
    assert_eq!(created.body["imap_tls"], true);
    assert!(!created.body.to_string().contains("s3cret"));
    admin
        .post("/api/v1/mailboxes", settings(993, Some("x")))
        .await
        .assert_status(409);
}

#[tokio::test]
async fn agents_turn_queued_messages_into_tickets_or_dismiss_them() {
    let app = spawn().await;
    let agent = app.client("agent@atende.example").await;
    let customer = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let stranger = pipe(
        &app,
        &message("zoe@unknown.example", "Necesito ayuda", "", "El panel no carga."),
    )
    .await;
    let spam = pipe(&app, &message("offers@spam.example", "Best prices", "", "Buy now")).await;
    assert_eq!(stranger["outcome"], "queued");
    let stranger = stranger["inbound_id"].as_i64().unwrap();
    let spam = spam["inbound_id"].as_i64().unwrap();

    customer.get("/api/v1/inbound").await.assert_status(403);
    let gauge = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("atende_mail_access_queue "))
            .map(str::to_owned)
    };
    let metrics = app.anonymous().get("/metrics").await.body.clone();
    assert_eq!(gauge(metrics.as_str().unwrap()).as_deref(), Some("2"), "{metrics}");
    let shown = agent
        .get(&format!("/api/v1/inbound/{stranger}"))
        .await
        .assert_status(200)
        .body
        .clone();
    assert_eq!(shown["text"], "El panel no carga.");
    assert!(shown["sender_user_id"].is_null());

    // The sender is no user: the agent must say whom the ticket is for.
    let path = format!("/api/v1/inbound/{stranger}/ticket");
    let refused = agent.post(&path, json!({"contract_id": startup})).await;
    refused.assert_error(422, "inbound.sender_not_user");
    let ana = customer.user_id;
    let ticket = agent
        .post(
            &path,
            json!({"contract_id": startup, "requester_id": ana, "type": "incident"}),
        )
        .await
        .assert_status(201)
        .body
        .clone();
    assert_eq!(ticket["subject"], "Necesito ayuda");
    assert_eq!(ticket["type"], "incident");
    assert_eq!(ticket["requester_id"], ana);
    agent
        .post(&path, json!({"contract_id": startup, "requester_id": ana}))
        .await
        .assert_error(409, "inbound.not_queued");

    agent
        .post(&format!("/api/v1/inbound/{spam}/dismiss"), json!({}))
        .await
        .assert_status(204);
    let queue = agent.get("/api/v1/inbound").await.body.clone();
    let queued: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert!(!queued.contains(&stranger) && !queued.contains(&spam), "{queue}");
    let converted = agent.get("/api/v1/inbound?outcome=converted").await.body.clone();
    assert_eq!(converted[0]["ticket_id"], ticket["id"]);
    agent.get("/api/v1/inbound?outcome=everything").await.assert_status(422);
    let metrics = app.anonymous().get("/metrics").await.body.clone();
    assert_eq!(gauge(metrics.as_str().unwrap()).as_deref(), Some("0"), "{metrics}");
}

#[tokio::test]
async fn the_mail_pages_let_admins_add_a_mailbox_and_agents_work_the_queue() {
    let app = spawn().await;
    let admin = app.browser("admin@atende.example").await;
    admin.get("/admin/mailboxes").await;
    admin
        .post(
            "/admin/mailboxes",
            &[
                ("address", "soporte@atende.test"),
                ("imap_host", "imap.atende.test"),
                ("imap_port", ""),
                ("imap_tls", "on"),
                ("imap_username", "soporte"),
                ("imap_password", " with spaces "),
                ("folder", "INBOX"),
                ("active", "on"),
            ],
        )
        .await
        .assert_redirect("/admin/mailboxes");
    let listed = admin.get("/admin/mailboxes").await;
    listed
        .assert_contains("soporte@atende.test")
        .assert_contains("value=\"993\"");
    assert!(!listed.html.contains("with spaces"), "the password is never shown");

    let queued = pipe(
        &app,
        &message("zoe@unknown.example", "Panel caído", "", "No carga nada."),
    )
    .await;
    let id = queued["inbound_id"].as_i64().unwrap();
    let agent = app.browser("agent@atende.example").await;
    agent
        .get("/agent/mail")
        .await
        .assert_contains("zoe@unknown.example")
        .assert_contains("unknown sender");
    let path = format!("/agent/mail/{id}");
    agent
        .get(&path)
        .await
        .assert_contains("No carga nada.")
        .assert_contains("not a user");
    let startup = app.contract_id("Acme Startup").await.to_string();
    let invited = agent.post(&path, &[("action", "invite"), ("contract", &startup)]).await;
    invited.assert_redirect(&path);
    agent.follow(&invited).await.assert_contains("The invitation was sent.");
    let sent = atende_store::mail::list_outbox(&mut app.app().db.read().await.unwrap(), None, 500)
        .await
        .unwrap();
    assert!(
        sent.iter()
            .any(|m| m.kind == "invitation" && m.recipients.iter().any(|r| r == "zoe@unknown.example")),
        "the invitation waits in the outbox for Zoe"
    );
    let made = agent
        .post(
            &path,
            &[
                ("action", "convert"),
                ("requester", "ana@acme.example"),
                ("contract", &startup),
                ("type", "question"),
                ("priority", "normal"),
            ],
        )
        .await;
    let location = made.location().to_owned();
    assert!(location.starts_with("/agent/tickets/"), "{location}");
    agent.get(&location).await.assert_contains("Panel caído");
    agent.get("/agent/mail").await.assert_contains("Nothing here.");
}

#[tokio::test]
async fn one_process_reads_a_mailbox_at_a_time() {
    use atende_app::mail::reader::{claim, release};
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let admin = app.client("admin@atende.example").await;
    let mailbox = admin
        .post(
            "/api/v1/mailboxes",
            json!({"address": "help@atende.test", "imap_host": "imap.atende.test", "imap_username": "help", "imap_password": "x"}),
        )
        .await
        .assert_status(201)
        .id();
    assert!(claim(app.app(), mailbox, "first").await.unwrap());
    assert!(!claim(app.app(), mailbox, "second").await.unwrap(), "held by the first");
    assert!(claim(app.app(), mailbox, "first").await.unwrap(), "the holder renews");
    release(app.app(), mailbox, "first").await.unwrap();
    assert!(
        claim(app.app(), mailbox, "second").await.unwrap(),
        "given up, taken at once"
    );
    // A reader that died holds it only until its lease runs out.
    app.advance(2);
    assert!(!claim(app.app(), mailbox, "third").await.unwrap());
    app.advance(2);
    assert!(
        claim(app.app(), mailbox, "third").await.unwrap(),
        "the lease of three minutes ran out"
    );
    // Turned off, nobody reads it.
    admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{mailbox}"),
            Some(json!({"address": "help@atende.test", "imap_host": "imap.atende.test", "imap_username": "help", "active": false})),
        )
        .await
        .assert_status(200);
    assert!(!claim(app.app(), mailbox, "third").await.unwrap());
}

/// A TCP relay to `port` that, while `down` is set, hangs up on every connection at once: the
/// IMAP server unreachable, as a network outage makes it.
struct Relay {
    port: u16,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

async fn relay(port: u16) -> Relay {
    use std::sync::atomic::Ordering;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = listener.local_addr().unwrap().port();
    let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let is_down = down.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if is_down.load(Ordering::SeqCst) {
                drop(inbound);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    Relay { port: own, down }
}

#[tokio::test]
async fn an_imap_outage_loses_no_message_and_takes_none_twice() {
    use std::sync::atomic::Ordering;
    let dovecot = Dovecot::start();
    let relay = relay(dovecot.port).await;
    let app = TestApp::spawn_configured(
        Backend::from_env(),
        Clock::manual("2026-11-25T12:00:00Z".parse().unwrap()),
        |_| {},
    )
    .await;
    let admin = app.client("admin@atende.example").await;
    let mailbox = admin
        .post(
            "/api/v1/mailboxes",
            json!({
                "address": IMAP_USER, "imap_host": "127.0.0.1", "imap_port": relay.port,
                "imap_tls": false, "imap_username": IMAP_USER, "imap_password": IMAP_PASSWORD,
            }),
        )
        .await
        .assert_status(201)
        .id();
    // Mail keeps arriving at the server while atende cannot reach it.
    let subjects = ["Caído uno", "Caído dos", "Caído tres"];
    for (round, subject) in subjects.iter().enumerate() {
        dovecot.deliver(&message("ana@acme.example", subject, "", "Hola."));
        for _ in 0..2 {
            assert!(read_once(app.app(), mailbox).await.is_err(), "round {round}");
            assert_eq!(app.metric("atende_mailboxes_failing").await, 1);
            let ready = app.text("/readyz").await;
            assert!(ready.contains("mailboxes failing: 1"), "{ready}");
            app.advance(30);
        }
    }
    let shown = admin.get(&format!("/api/v1/mailboxes/{mailbox}")).await.body.clone();
    assert!(shown["last_error"].is_string(), "the admin sees why: {shown}");

    // Reachable again: every message is taken, once.
    relay.down.store(false, Ordering::SeqCst);
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 3);
    assert_eq!(read_once(app.app(), mailbox).await.unwrap(), 0);
    for subject in subjects {
        assert_eq!(tickets_with_subject(&app, subject).await.len(), 1, "{subject}");
    }
    assert_eq!(app.metric("atende_mailboxes_failing").await, 0);
}
