//! Working tickets: every change shows in the events, the conversation, the status flow, pages.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_change_shows_in_the_events() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let id = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    let path = format!("/api/v1/tickets/{id}");

    let reply = agent
        .post(&format!("{path}/messages"), json!({"body": "Looking into it."}))
        .await;
    reply.assert_status(201);
    assert_eq!(
        agent.get(&path).await.body["status"],
        "open",
        "a staff reply opens a new ticket"
    );
    let changed = agent
        .patch(
            &path,
            json!({"status": "pending", "priority": "urgent", "type": "question", "assignee_id": agent.user_id}),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(
        (changed.body["status"].as_str(), changed.body["priority"].as_str()),
        (Some("pending"), Some("urgent"))
    );
    ana.post(&format!("{path}/messages"), json!({"body": "Still broken."}))
        .await
        .assert_status(201);
    assert_eq!(
        agent.get(&path).await.body["status"],
        "open",
        "a customer reply brings a pending ticket back"
    );
    ana.patch(&path, json!({"status": "solved"})).await.assert_status(200);
    ana.patch(&path, json!({"status": "open"})).await.assert_status(200);
    agent
        .patch(&path, json!({"assignee_id": null}))
        .await
        .assert_status(200);
    agent.patch(&path, json!({"status": "closed"})).await.assert_status(200);
    agent
        .patch(&path, json!({"status": "open"}))
        .await
        .assert_error(409, "ticket.closed");
    ana.post(&format!("{path}/messages"), json!({"body": "Hello?"}))
        .await
        .assert_error(409, "ticket.closed");

    let events = agent.get(&format!("{path}/events")).await;
    let trail: Vec<String> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let d = &e["data"];
            match e["kind"].as_str().unwrap() {
                "message_added" => format!("message:{}", d["visibility"].as_str().unwrap()),
                "created" => "created".into(),
                kind => format!("{kind}:{}>{}", d["from"], d["to"]),
            }
        })
        .collect();
    let expected = [
        "created",
        "message:public",
        "status_changed:\"new\">\"open\"",
        "status_changed:\"open\">\"pending\"",
        "priority_changed:\"high\">\"urgent\"",
        "type_changed:\"incident\">\"question\"",
        &format!("assignee_changed:null>{}", agent.user_id),
        "message:public",
        "status_changed:\"pending\">\"open\"",
        "status_changed:\"open\">\"solved\"",
        "status_changed:\"solved\">\"open\"",
        &format!("assignee_changed:{}>null", agent.user_id),
        "status_changed:\"open\">\"closed\"",
    ];
    assert_eq!(trail, expected);
    let first = &events.body[0];
    assert_eq!(first["actor_id"], ana.user_id);
    assert_eq!(first["channel"], "api");
    assert!(first["created_at"].as_str().unwrap().ends_with('Z'), "RFC 3339 UTC");
}

#[tokio::test]
async fn assignees_must_be_staff_and_status_never_returns_to_new() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let id = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    let path = format!("/api/v1/tickets/{id}");
    agent
        .patch(&path, json!({"assignee_id": ana.user_id}))
        .await
        .assert_error(422, "ticket.assignee_not_staff");
    agent
        .patch(&path, json!({"assignee_id": 424242}))
        .await
        .assert_error(404, "assignee.not_found");
    agent.patch(&path, json!({"status": "open"})).await.assert_status(200);
    agent
        .patch(&path, json!({"status": "new"}))
        .await
        .assert_error(422, "ticket.status_transition");
}

#[tokio::test]
async fn lists_filter_and_page_with_a_cursor() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let mut opened = Vec::new();
    for _ in 0..7 {
        opened.push(ana.open_ticket(startup).await.id());
    }
    agent
        .patch(
            &format!("/api/v1/tickets/{}", opened[0]),
            json!({"assignee_id": agent.user_id, "status": "open"}),
        )
        .await
        .assert_status(200);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => {
                format!("/api/v1/tickets?contract_id={startup}&type=incident&limit=3&cursor={c}")
            }
            None => format!("/api/v1/tickets?contract_id={startup}&type=incident&limit=3"),
        };
        let page = agent.get(&path).await;
        page.assert_status(200);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap()),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    // The demo's one Startup incident plus the seven, newest first, each once.
    let mut expected = opened.clone();
    expected.reverse();
    assert_eq!(&seen[..7], &expected[..]);
    assert_eq!(seen.len(), 8);

    let mine = agent
        .get(&format!("/api/v1/tickets?assignee_id={}", agent.user_id))
        .await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    let unassigned = agent.get("/api/v1/tickets?unassigned=true&status=new&limit=100").await;
    assert!(
        unassigned.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["assignee_id"].is_null() && t["status"] == "new")
    );
    let urgent = agent.get("/api/v1/tickets?priority=urgent").await;
    assert!(
        urgent.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["priority"] == "urgent")
    );
}

#[tokio::test]
async fn ticket_types_are_defined_in_each_language_and_editable_by_admins() {
    let app = TestApp::spawn().await;
    let types = app.anonymous().with_language("es").get("/api/v1/ticket-types").await;
    let names: Vec<&str> = types
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Incidente", "Duda", "Tarea"]);
    let pt = app.anonymous().get("/api/v1/ticket-types?lang=pt-BR").await;
    assert!(pt.body[0]["definition"].as_str().unwrap().contains("serviço"));
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let edit = json!({"lang": "en", "name": "Outage", "definition": "The service is down or degraded."});
    agent
        .patch("/api/v1/ticket-types/incident", edit.clone())
        .await
        .assert_error(403, "forbidden.admin_only");
    admin
        .patch("/api/v1/ticket-types/incident", edit)
        .await
        .assert_status(200);
    let en = app.anonymous().get("/api/v1/ticket-types?lang=en").await;
    assert_eq!(en.body[0]["name"], "Outage");
}

#[tokio::test]
async fn admins_edit_the_channel_matrix_and_the_rules_follow() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let matrix = json!({"documentation": "included", "forum": "included", "portal": "included", "email": "included", "whatsapp": "included", "phone": "included"});
    agent
        .patch("/api/v1/plans/startup", json!({"channels": matrix}))
        .await
        .assert_error(403, "forbidden.admin_only");
    let plan = admin.patch("/api/v1/plans/startup", json!({"channels": matrix})).await;
    plan.assert_status(200);
    assert_eq!(plan.body["channels"]["phone"], "included");
    let call = json!({"type": "question", "subject": "Call", "description": "By phone.", "contract_id": startup, "requester_id": ana.user_id, "channel": "phone"});
    agent.post("/api/v1/tickets", call).await.assert_status(201);
    admin
        .patch("/api/v1/plans/startup", json!({"tier": null}))
        .await
        .assert_error(422, "plan.paid_needs_tier");
    admin
        .patch("/api/v1/plans/nope", json!({"name": "x"}))
        .await
        .assert_error(404, "plan.not_found");
    let created = admin
        .post(
            "/api/v1/plans",
            json!({"code": "gold", "name": "Gold", "paid": true, "tier": "premium"}),
        )
        .await;
    created.assert_status(201);
    admin
        .post("/api/v1/plans", json!({"code": "gold"}))
        .await
        .assert_error(409, "plan.code_taken");
}

/// Two processes each cache the profile; an admin's change through one is seen by the other at
/// its next request (the cache checks the stored profile version).
#[tokio::test]
async fn a_profile_change_reaches_every_process() {
    use atende_app::{Actor, Clock, tickets};
    use atende_domain::{Body, Priority, Subject, TicketChannel, TicketType};

    let app = TestApp::spawn().await;
    let config = atende::Config {
        database_url: Some(app.database_url.clone()),
        ..atende::Config::default()
    };
    let other = atende::open(&config, Clock::system()).await.unwrap();
    let mut conn = other.db.read().await.unwrap();
    let ana = atende_store::directory::find_user_by_email(&mut conn, "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let ana = Actor { user: ana };
    let phone = |contract_id| tickets::OpenTicket {
        ticket_type: TicketType::Question,
        subject: Subject::parse("Call me").unwrap(),
        description: Body::parse("description", "Please.").unwrap(),
        priority: Priority::Normal,
        contract_id,
        bot_id: None,
        requester_id: None,
        channel: None,
        attachments: Vec::new(),
        call: None,
    };
    let startup = app.contract_id("Acme Startup").await;
    // The other process warms its cache: the Startup plan has no phone, so via phone is refused.
    let refused = tickets::open(&other, &ana, phone(startup), TicketChannel::Phone).await;
    assert!(
        matches!(refused, Err(atende_app::AppError::Refused { .. })),
        "{refused:?}"
    );
    let admin = app.client("admin@atende.example").await;
    let matrix = json!({"documentation": "included", "forum": "included", "portal": "included", "email": "included", "whatsapp": "included", "phone": "included"});
    admin
        .patch("/api/v1/plans/startup", json!({"channels": matrix}))
        .await
        .assert_status(200);
    let allowed = tickets::open(&other, &ana, phone(startup), TicketChannel::Phone).await;
    assert!(allowed.is_ok(), "{allowed:?}");
    other.db.close().await;
}

#[tokio::test]
async fn tags_ratings_and_files_through_the_api() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let ticket = ana.open_ticket(startup).await.id();

    let tags = agent
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/tickets/{ticket}/tags"),
            Some(json!({"tags": ["Billing", "billing", "WhatsApp API"]})),
        )
        .await;
    tags.assert_status(200);
    assert_eq!(tags.body, json!(["billing", "whatsapp-api"]));
    ana.send(
        reqwest::Method::PUT,
        &format!("/api/v1/tickets/{ticket}/tags"),
        Some(json!({"tags": ["mine"]})),
    )
    .await
    .assert_error(403, "forbidden.staff_only");
    assert_eq!(
        ana.get(&format!("/api/v1/tickets/{ticket}/tags")).await.body,
        json!(["billing", "whatsapp-api"])
    );

    let rating_path = format!("/api/v1/tickets/{ticket}/rating");
    let rate = |body| ana.send(reqwest::Method::PUT, &rating_path, Some(body));
    rate(json!({"rating": "good"}))
        .await
        .assert_error(422, "ticket.rating_not_solved");
    ana.patch(&format!("/api/v1/tickets/{ticket}"), json!({"status": "solved"}))
        .await
        .assert_status(200);
    rate(json!({"rating": "meh"}))
        .await
        .assert_error(422, "validation.not_one_of");
    let rated = rate(json!({"rating": "bad", "comment": "Took long"})).await;
    rated.assert_status(200);
    assert_eq!(
        agent.get(&format!("/api/v1/tickets/{ticket}/rating")).await.body["comment"],
        "Took long"
    );
    agent
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/tickets/{ticket}/rating"),
            Some(json!({"rating": "good"})),
        )
        .await
        .assert_error(403, "ticket.rating_requester_only");

    // No files yet; the list is scoped like the ticket.
    assert_eq!(
        ana.get(&format!("/api/v1/tickets/{ticket}/attachments")).await.body,
        json!([])
    );
    app.client("gabriel@globex.example")
        .await
        .get(&format!("/api/v1/tickets/{ticket}/attachments"))
        .await
        .assert_error(404, "ticket.not_found");
    agent
        .get("/api/v1/attachments/999999")
        .await
        .assert_error(404, "attachment.not_found");
}

/// Tickets opened at the same moment are written together (one transaction, multi-row inserts):
/// each request must still get its own ticket back, stored whole: the event, the SLA clocks and
/// the search entry of that very ticket.
#[tokio::test]
async fn tickets_opened_at_once_are_each_stored_whole_and_as_asked() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let contract_id = app.contract_id("Acme Startup").await;
    let words = [
        "ameixa",
        "banana",
        "cereja",
        "damasco",
        "framboesa",
        "goiaba",
        "jabuticaba",
        "kiwi",
        "laranja",
        "manga",
        "nectarina",
        "pitanga",
        "romã",
        "tangerina",
        "uva",
        "acerola",
    ];
    let priorities = ["low", "normal", "high", "urgent"];
    let types = ["question", "task", "incident"];
    let requests = words.iter().enumerate().map(|(i, word)| {
        let ana = ana.clone();
        let body = json!({
            "type": types[i % 3],
            "priority": priorities[i % 4],
            "subject": format!("Pedido sobre {word}"),
            "description": format!("Texto número {i}."),
            "contract_id": contract_id,
        });
        tokio::spawn(async move { ana.post("/api/v1/tickets", body).await })
    });
    let mut answers = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        answers.push(request.await.unwrap());
    }

    let mut ids = std::collections::BTreeSet::new();
    for (i, (word, answer)) in words.iter().zip(&answers).enumerate() {
        answer.assert_status(201);
        let id = answer.id();
        assert!(ids.insert(id), "ticket {id} was given to two requests");
        let subject = format!("Pedido sobre {word}");
        assert_eq!(
            answer.body["subject"],
            subject.as_str(),
            "the answer is the ticket asked for"
        );
        let stored = ana.get(&format!("/api/v1/tickets/{id}")).await;
        assert_eq!(
            (stored.body["subject"].as_str(), stored.body["priority"].as_str()),
            (Some(subject.as_str()), Some(priorities[i % 4])),
        );
        assert!(
            stored.body["sla_due_at"].is_string(),
            "ticket {id} has its SLA due time"
        );
        let events = ana.get(&format!("/api/v1/tickets/{id}/events")).await;
        let created: Vec<&serde_json::Value> = events
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "created")
            .collect();
        assert_eq!(created.len(), 1, "ticket {id} has one created event");
        assert_eq!(created[0]["data"]["priority"], priorities[i % 4]);
        let sla = ana.get(&format!("/api/v1/tickets/{id}/sla")).await;
        sla.assert_status(200);
        assert!(
            sla.body.to_string().contains("running"),
            "ticket {id} has running clocks: {}",
            sla.body
        );
        let found = ana
            .get(&format!("/api/v1/search?scope=tickets&q={word}&lang=pt-BR"))
            .await;
        let found: Vec<i64> = found
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        assert_eq!(found, vec![id], "searching {word} finds exactly its ticket");
    }
}
