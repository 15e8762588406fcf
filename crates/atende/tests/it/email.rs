//! The e-mail channel end to end, against a real SMTP server (Python's aiosmtpd, which writes
//! what it receives into a Maildir): a customer's message becomes a ticket and is acknowledged,
//! the agent's reply arrives threaded, the customer's answer to it (subject stripped) lands on
//! the same ticket; strangers, robots and unknown senders are handled as the rules say.

use atende::mailer;
use atende_app::Clock;
use atende_channels::mail::InboundMail;
use serde_json::json;

use crate::{
    helpers::{Backend, TestApp},
    mail_servers::MailServer,
};

pub const TOKEN: &str = "pipe-secret";

pub async fn spawn() -> TestApp {
    TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.mail_inbound_token = Some(TOKEN.into());
        config.mail_trusted_hosts = vec!["mx.atende.test".into()];
    })
    .await
}

pub async fn pipe(app: &TestApp, raw: &str) -> serde_json::Value {
    let res = app
        .http
        .post(format!("{}/api/v1/inbound/email", app.base))
        .header("x-inbound-token", TOKEN)
        .header("content-type", "message/rfc822")
        .body(raw.replace('\n', "\r\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 202);
    res.json().await.unwrap()
}

pub fn message(from: &str, subject: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: help@atende.test\nSubject: {subject}\nMessage-ID: <{}@client.example>\n{extra_headers}Content-Type: text/plain; charset=utf-8\n\n{body}\n",
        fastrand_id()
    )
}

fn fastrand_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("m{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

#[tokio::test]
async fn a_customer_email_becomes_a_ticket_and_the_conversation_threads_both_ways() {
    let server = MailServer::start();
    let app = spawn().await;
    let smtp = server.smtp();

    let receipt = pipe(
        &app,
        &message(
            "Ana <ana@acme.example>",
            "El bot no responde",
            "",
            "Desde esta mañana el bot no contesta.",
        ),
    )
    .await;
    assert_eq!(receipt["outcome"], "ticket", "{receipt}");
    let ticket_id = receipt["ticket_id"].as_i64().unwrap();

    // The acknowledgment: tagged subject, our Message-ID, automatic.
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    // (The demo's own tickets were announced too; this ticket's messages carry its tag.)
    let tag = format!("[#{ticket_id}]");
    let of_ticket = |mails: Vec<InboundMail>| {
        mails
            .into_iter()
            .filter(|m| m.subject.contains(&tag))
            .collect::<Vec<_>>()
    };
    let to_ana = of_ticket(server.to("ana@acme.example"));
    assert_eq!(to_ana.len(), 1, "one acknowledgment");
    let ack = &to_ana[0];
    assert!(ack.subject.starts_with(&format!("[#{ticket_id}]")), "{}", ack.subject);
    assert!(ack.text.contains(&format!("#{ticket_id}")));
    assert!(ack.message_id.as_deref().unwrap().starts_with("atende."));

    // The agent answers in the API: the message reaches Ana threaded under the conversation.
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            json!({"body": "Ya lo reiniciamos, ¿funciona ahora?"}),
        )
        .await
        .assert_status(201);
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    let to_ana = of_ticket(server.to("ana@acme.example"));
    assert_eq!(to_ana.len(), 2);
    let reply = &to_ana[1];
    assert!(reply.text.contains("Ya lo reiniciamos"), "{}", reply.text);
    assert!(!reply.in_reply_to.is_empty() && !reply.references.is_empty());

    // Ana answers from her mail program, with a subject that lost its tag: the reference joins it.
    let answer = format!(
        "From: ana@acme.example\nTo: help@atende.test\nSubject: Re: El bot\nMessage-ID: <answer-{}@client.example>\nIn-Reply-To: <{}>\nReferences: <{}>\nContent-Type: text/plain; charset=utf-8\n\nSí, ya funciona. Gracias.\n\nEl mar, Soporte <help@atende.test> escribió:\n> Ya lo reiniciamos, ¿funciona ahora?\n",
        fastrand_id(),
        reply.message_id.clone().unwrap(),
        reply.message_id.clone().unwrap(),
    );
    let receipt = pipe(&app, &answer).await;
    assert_eq!(receipt["outcome"], "reply", "{receipt}");
    assert_eq!(receipt["ticket_id"], ticket_id);
    let messages = agent.get(&format!("/api/v1/tickets/{ticket_id}/messages")).await;
    let bodies: Vec<String> = messages
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        bodies.last().unwrap(),
        "Sí, ya funciona. Gracias.",
        "the quoted history is trimmed: {bodies:?}"
    );

    // The same message delivered twice is taken once.
    let again = pipe(&app, &answer).await;
    assert_eq!(again["outcome"], "duplicate");
}

#[tokio::test]
async fn strangers_robots_and_unknown_senders() {
    let server = MailServer::start();
    let app = spawn().await;
    let smtp = server.smtp();
    let first = pipe(&app, &message("ana@acme.example", "Consulta", "", "Hola")).await;
    let ticket_id = first["ticket_id"].as_i64().unwrap();

    // A stranger quoting the ticket's tag does not get into it.
    let stranger = pipe(
        &app,
        &message(
            "mallory@evil.example",
            &format!("[#{ticket_id}] I want in"),
            "",
            "Let me see it",
        ),
    )
    .await;
    assert_eq!(stranger["outcome"], "queued");
    assert_eq!(stranger["reason"], "unknown_sender");
    assert_eq!(
        stranger["answered"], false,
        "an unverified stranger gets no answer (no backscatter)"
    );

    // An auto-reply is kept and never answered.
    let robot = pipe(
        &app,
        &message(
            "ana@acme.example",
            "Out of office",
            "Auto-Submitted: auto-replied\n",
            "I am away",
        ),
    )
    .await;
    assert_eq!(robot["outcome"], "ignored");
    assert_eq!(robot["reason"], "auto_reply");

    // An unknown sender whom our receiving server verified gets exactly one explanation.
    let verified = "Authentication-Results: mx.atende.test; spf=pass smtp.mailfrom=new.example\n";
    let one = pipe(
        &app,
        &message("carla@new.example", "Quiero soporte", verified, "¿Cómo abro un ticket?"),
    )
    .await;
    assert_eq!(one["outcome"], "queued");
    assert_eq!(one["answered"], true);
    let two = pipe(&app, &message("carla@new.example", "¿Hola?", verified, "¿Alguien?")).await;
    assert_eq!(two["answered"], false, "one answer a day");
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    let to_carla = server.to("carla@new.example");
    assert_eq!(to_carla.len(), 1);
    assert!(
        to_carla[0].text.contains("/help"),
        "the answer points to the help center: {}",
        to_carla[0].text
    );
    let headers = to_carla[0].header_pairs();
    assert_eq!(
        atende_domain::mail::header(&headers, "auto-submitted"),
        Some("auto-replied")
    );
    assert!(server.to("mallory@evil.example").is_empty());
}

#[tokio::test]
async fn the_pipe_needs_its_token() {
    let app = spawn().await;
    let res = app
        .http
        .post(format!("{}/api/v1/inbound/email", app.base))
        .header("x-inbound-token", "wrong")
        .body("From: a@b.example\r\n\r\nhi")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

#[tokio::test]
async fn password_reset_and_invitation_links_go_by_mail() {
    let server = MailServer::start();
    let app = spawn().await;
    let smtp = server.smtp();
    let link = atende_app::passwords::request_reset(app.app(), "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    // Bruno, a customer admin, invites Hugo to the team of Acme's Startup contract.
    let bruno = app.client("bruno@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    bruno
        .post(
            "/api/v1/invitations",
            json!({"email": "hugo.new@acme.example", "contract_id": startup}),
        )
        .await
        .assert_status(201);
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();

    let to_ana = server.to("ana@acme.example");
    let reset = to_ana
        .iter()
        .find(|m| m.text.contains(&link.url))
        .expect("the reset link reached Ana");
    assert!(!reset.subject.contains("[#"), "not about a ticket: {}", reset.subject);
    // Ana's language is Spanish in the demo.
    assert!(reset.subject.contains("contraseña"), "{}", reset.subject);

    let to_hugo = server.to("hugo.new@acme.example");
    assert_eq!(to_hugo.len(), 1);
    assert!(to_hugo[0].text.contains("/invitations/"), "{}", to_hugo[0].text);
    assert!(to_hugo[0].text.contains("Acme"), "{}", to_hugo[0].text);
}

#[tokio::test]
async fn service_level_warnings_reach_the_assignee_by_mail() {
    let server = MailServer::start();
    // Monday 9:00 in São Paulo: an urgent incident's first response is due within the hour.
    let monday = "2026-11-23T12:00:00Z".parse().unwrap();
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::manual(monday), |_| {}).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let ticket = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "incident", "subject": "Bot caído", "description": "Nada responde.", "priority": "urgent", "contract_id": startup}),
        )
        .await
        .assert_status(201)
        .id();
    agent
        .patch(
            &format!("/api/v1/tickets/{ticket}"),
            json!({"assignee_id": agent.user_id}),
        )
        .await
        .assert_status(200);
    app.advance(50);
    assert!(app.sweep().await.warned >= 1, "(the demo's tickets may be warned too)");
    mailer::run_once(app.app(), Some(&server.smtp())).await.unwrap();
    let tag = format!("[#{ticket}]");
    let warnings: Vec<InboundMail> = server
        .to("agent@atende.example")
        .into_iter()
        .filter(|m| m.subject.contains(&tag))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning for the assignee: {:?}",
        warnings.iter().map(|m| &m.text).collect::<Vec<_>>()
    );
    let text = &warnings[0].text;
    assert!(text.contains("First response"), "{text}");
    assert!(
        text.contains(&format!("/agent/tickets/{ticket}")),
        "a link to the workspace: {text}"
    );
    assert!(
        server
            .to("ana@acme.example")
            .iter()
            .all(|m| !m.text.contains("First response")),
        "customers are not told of service levels"
    );
}

#[tokio::test]
async fn an_agents_reply_carries_its_files_but_internal_notes_stay_inside() {
    let server = MailServer::start();
    let app = spawn().await;
    let receipt = pipe(
        &app,
        &message("ana@acme.example", "Necesito los pasos", "", "¿Cómo configuro el menú?"),
    )
    .await;
    let ticket = receipt["ticket_id"].as_i64().unwrap();
    let agent = app.browser("agent@atende.example").await;
    agent.get(&format!("/agent/tickets/{ticket}")).await;
    agent
        .post_files(
            &format!("/agent/tickets/{ticket}/reply"),
            &[
                ("body", "Van los pasos adjuntos."),
                ("visibility", "public"),
                ("then_status", ""),
            ],
            &[("files", "pasos.txt", b"1. Abrir el panel\n2. Elegir Menu\n")],
        )
        .await
        .assert_redirect(&format!("/agent/tickets/{ticket}"));
    agent
        .post_files(
            &format!("/agent/tickets/{ticket}/reply"),
            &[("body", "Nota interna: cliente nuevo"), ("visibility", "internal")],
            &[],
        )
        .await;
    mailer::run_once(app.app(), Some(&server.smtp())).await.unwrap();
    let tag = format!("[#{ticket}]");
    let to_ana: Vec<InboundMail> = server
        .to("ana@acme.example")
        .into_iter()
        .filter(|m| m.subject.contains(&tag))
        .collect();
    let reply = to_ana
        .iter()
        .find(|m| m.text.contains("Van los pasos"))
        .expect("the reply reached Ana");
    assert_eq!(reply.attachments.len(), 1);
    assert_eq!(reply.attachments[0].name, "pasos.txt");
    assert_eq!(reply.attachments[0].data, b"1. Abrir el panel\n2. Elegir Menu\n");
    assert!(
        to_ana.iter().all(|m| !m.text.contains("Nota interna")),
        "internal notes never leave"
    );
}

#[tokio::test]
async fn control_characters_do_not_keep_a_message_out() {
    let app = spawn().await;
    let receipt = pipe(
        &app,
        &message(
            "ana@acme.example",
            "Con\u{7} campana",
            "",
            "Hola\u{0} mundo\u{1b}[31m rojo",
        ),
    )
    .await;
    assert_eq!(receipt["outcome"], "ticket", "{receipt}");
    let agent = app.client("agent@atende.example").await;
    let ticket = agent.get(&format!("/api/v1/tickets/{}", receipt["ticket_id"])).await;
    assert_eq!(ticket.body["subject"], "Con campana");
    assert_eq!(ticket.body["description"], "Hola mundo[31m rojo");
}

#[tokio::test]
async fn status_page_subscribers_confirm_hear_of_incidents_and_leave_in_one_click() {
    let server = MailServer::start();
    let app = spawn().await;
    let smtp = server.smtp();
    let visitor = app.visitor();
    visitor.get("/status").await;
    for email in ["fan@reader.example", "lazy@reader.example"] {
        visitor
            .post("/status/subscribe", &[("email", email)])
            .await
            .assert_redirect("/status");
    }
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    let confirmation = server.to("fan@reader.example");
    assert_eq!(confirmation.len(), 1, "one confirmation, nothing else yet");
    let link = confirmation[0]
        .text
        .lines()
        .find(|l| l.contains("/status/subscriptions/confirm/"))
        .unwrap()
        .trim()
        .to_owned();
    let path = &link[link.find("/status/").unwrap()..];
    visitor.get(path).await.assert_contains("Subscription confirmed");

    let agent = app.client("agent@atende.example").await;
    let incident = agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "Portal slow", "impact": "minor", "body": "Pages take seconds to load."}),
        )
        .await
        .assert_status(201)
        .id();
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    let to_fan = server.to("fan@reader.example");
    assert_eq!(to_fan.len(), 2);
    let news = &to_fan[1];
    assert!(news.subject.contains("Portal slow"), "{}", news.subject);
    assert!(news.text.contains("Pages take seconds to load."));
    assert_eq!(
        server.to("lazy@reader.example").len(),
        1,
        "unconfirmed: the confirmation only"
    );

    let unsubscribe = news
        .text
        .lines()
        .find_map(|l| {
            l.find("/status/subscriptions/unsubscribe/")
                .map(|at| l[at..].trim().to_owned())
        })
        .unwrap();
    visitor
        .get(&unsubscribe)
        .await
        .assert_contains("Stop the updates by mail");
    // The mail program's one-click unsubscribe (RFC 8058): a bare POST, no cookie, no form token.
    let headers = news.header_pairs();
    let list_unsubscribe = atende_domain::mail::header(&headers, "list-unsubscribe").unwrap();
    assert_eq!(
        list_unsubscribe,
        format!("<{}{unsubscribe}>", app.app().settings.public_url)
    );
    assert_eq!(
        atende_domain::mail::header(&headers, "list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    let res = app
        .http
        .post(format!("{}{unsubscribe}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("Subscription ended"));
    agent
        .post(
            &format!("/api/v1/status/incidents/{incident}/updates"),
            json!({"status": "resolved", "body": "Back to normal."}),
        )
        .await
        .assert_status(201);
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    assert_eq!(server.to("fan@reader.example").len(), 2, "nothing after leaving");
}

#[tokio::test]
async fn a_maintenance_is_announced_to_the_customers_of_the_plans_it_concerns() {
    let server = MailServer::start();
    let app = TestApp::spawn_configured(
        Backend::from_env(),
        Clock::manual("2026-11-25T12:00:00Z".parse().unwrap()),
        |_| {},
    )
    .await;
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            "/api/v1/status/maintenances",
            json!({"name": "Database upgrade", "body": "Up to ten minutes without replies.",
                   "scheduled_for": "2026-11-28T06:00:00Z", "scheduled_until": "2026-11-28T07:00:00Z",
                   "plans": ["startup"]}),
        )
        .await
        .assert_status(201);
    mailer::run_once(app.app(), Some(&server.smtp())).await.unwrap();
    let to_ana: Vec<InboundMail> = server
        .to("ana@acme.example")
        .into_iter()
        .filter(|m| m.subject.contains("Database upgrade"))
        .collect();
    assert_eq!(to_ana.len(), 1, "Acme has a Startup contract");
    // Ana reads Spanish and her time zone is São Paulo's: 06:00 UTC is 03:00 there.
    assert!(to_ana[0].text.contains("03:00"), "{}", to_ana[0].text);
    assert!(to_ana[0].text.contains("Up to ten minutes without replies."));
    assert!(
        server
            .to("gabriel@globex.example")
            .iter()
            .all(|m| !m.subject.contains("Database upgrade")),
        "Globex is on Lite"
    );
}

#[tokio::test]
async fn a_sender_over_the_hourly_limit_is_kept_waiting_not_ticketed() {
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.mail_inbound_token = Some(TOKEN.into());
        config.mail_per_sender_per_hour = 2;
    })
    .await;
    for n in 0..2 {
        let receipt = pipe(&app, &message("ana@acme.example", &format!("Pedido {n}"), "", "Hola")).await;
        assert_eq!(receipt["outcome"], "ticket", "{receipt}");
    }
    // A third within the hour (a loop between two robots looks like this): kept for agents.
    let third = pipe(&app, &message("ana@acme.example", "Pedido 2", "", "Hola")).await;
    assert_eq!(third["outcome"], "queued");
    assert_eq!(third["reason"], "rate_limited");
    assert_eq!(third["answered"], false, "no answer to feed a loop");
    // Another sender is not held back.
    let other = pipe(&app, &message("bruno@acme.example", "Otro", "", "Hola")).await;
    assert_ne!(other["reason"], "rate_limited");
}

#[tokio::test]
async fn a_mail_relay_down_for_many_rounds_loses_nothing_and_sends_nothing_twice() {
    use atende_channels::mail::smtp::{Security, Smtp, SmtpSettings};
    let app = TestApp::spawn_at("2026-03-02T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    for _ in 0..3 {
        ana.open_ticket(startup).await.assert_status(201);
    }
    let down = Smtp::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: crate::process::closed_port(),
        security: Security::None,
        username: None,
        password: None,
    })
    .unwrap();
    // Eight rounds, six hours apart (the longest pause between attempts): about two days.
    let mut waiting = 0;
    for _ in 0..8 {
        mailer::run_once(app.app(), Some(&down)).await.unwrap();
        waiting = app.metric("atende_mail_outbox_waiting").await;
        assert!(waiting >= 3, "the messages wait: {waiting}");
        assert_eq!(app.metric("atende_mail_outbox_failed").await, 0);
        let ready = app.text("/readyz").await;
        assert!(ready.contains(&format!("mail outbox waiting: {waiting}")), "{ready}");
        app.advance(6 * 60);
    }

    let server = MailServer::start();
    mailer::run_once(app.app(), Some(&server.smtp())).await.unwrap();
    assert_eq!(app.metric("atende_mail_outbox_waiting").await, 0);
    assert_eq!(app.metric("atende_mail_outbox_failed").await, 0);
    let received = server.received();
    assert_eq!(received.len() as i64, waiting, "every message that waited arrived");
    let mut ids: Vec<_> = received.iter().map(|(_, m)| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "none twice");
}

/// Messages received at the same moment are written together (one transaction): each must still
/// become its own ticket, or join the ticket it answers, and be kept once.
#[tokio::test]
async fn messages_received_at_once_each_land_where_they_belong() {
    let app = std::sync::Arc::new(spawn().await);
    let first = pipe(
        &app,
        &message("ana@acme.example", "Primeiro pedido", "", "O começo da conversa."),
    )
    .await;
    let answered = first["ticket_id"].as_i64().unwrap();
    let fruits = [
        "ameixa", "banana", "cereja", "damasco", "goiaba", "kiwi", "laranja", "manga",
    ];
    let sends = fruits.iter().enumerate().map(|(i, fruit)| {
        let app = app.clone();
        // Every other message answers the first ticket by its tag; the rest are new requests.
        let subject = if i % 2 == 0 {
            format!("Re: [#{answered}] sobre {fruit}")
        } else {
            format!("Pedido sobre {fruit}")
        };
        let raw = message("ana@acme.example", &subject, "", &format!("Texto sobre {fruit}."));
        tokio::spawn(async move { pipe(&app, &raw).await })
    });
    let mut receipts = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        receipts.push(send.await.unwrap());
    }

    let agent = app.client("agent@atende.example").await;
    let mut new_tickets = std::collections::BTreeSet::new();
    for (i, (fruit, receipt)) in fruits.iter().zip(&receipts).enumerate() {
        let ticket_id = receipt["ticket_id"].as_i64().unwrap();
        if i % 2 == 0 {
            assert_eq!(receipt["outcome"], "reply", "{receipt}");
            assert_eq!(ticket_id, answered);
        } else {
            assert_eq!(receipt["outcome"], "ticket", "{receipt}");
            assert!(
                new_tickets.insert(ticket_id),
                "ticket {ticket_id} given to two messages"
            );
            let ticket = agent.get(&format!("/api/v1/tickets/{ticket_id}")).await;
            assert_eq!(ticket.body["subject"], format!("Pedido sobre {fruit}").as_str());
        }
    }
    let thread = agent.get(&format!("/api/v1/tickets/{answered}/messages")).await;
    let bodies: Vec<&str> = thread
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    for fruit in fruits.iter().step_by(2) {
        let said = format!("Texto sobre {fruit}.");
        assert_eq!(
            bodies.iter().filter(|b| b.contains(&said)).count(),
            1,
            "the answer about {fruit} is on the first ticket once: {bodies:?}"
        );
    }
}

#[tokio::test]
async fn people_copied_who_may_see_the_ticket_follow_it_and_others_do_not() {
    let server = MailServer::start();
    let app = spawn().await;
    let smtp = server.smtp();
    let receipt = pipe(
        &app,
        &message(
            "Ana <ana@acme.example>",
            "Informe mensual",
            "Cc: Bruno <bruno@acme.example>, Gabriel <gabriel@globex.example>\n",
            "¿Pueden enviarnos el informe de noviembre?",
        ),
    )
    .await;
    assert_eq!(receipt["outcome"], "ticket", "{receipt}");
    let ticket_id = receipt["ticket_id"].as_i64().unwrap();
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            json!({"body": "Se lo enviamos hoy."}),
        )
        .await
        .assert_status(201);
    mailer::run_once(app.app(), Some(&smtp)).await.unwrap();
    let tag = format!("[#{ticket_id}]");
    let about_it = |address: &str| {
        server
            .to(address)
            .into_iter()
            .filter(|m| m.subject.contains(&tag))
            .collect::<Vec<_>>()
    };
    // Bruno manages Acme's members and sees its tickets: he hears of the reply.
    assert!(
        about_it("bruno@acme.example")
            .iter()
            .any(|m| m.text.contains("Se lo enviamos hoy")),
        "the copied colleague follows the ticket"
    );
    // Gabriel is of another organization: copied or not, nothing of Acme's ticket reaches him.
    assert!(about_it("gabriel@globex.example").is_empty());
}
