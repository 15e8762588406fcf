//! The status page: the Statuspage-compatible JSON (field names and shapes of the public
//! Statuspage API v2), incidents and maintenances through the API, and uptime from the history.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const PAGE_KEYS: &[&str] = &["id", "name", "url", "time_zone", "updated_at"];
const COMPONENT_KEYS: &[&str] = &[
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
];
const INCIDENT_KEYS: &[&str] = &[
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
];
const UPDATE_KEYS: &[&str] = &[
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
];

#[track_caller]
fn has_keys(value: &Value, keys: &[&str]) {
    let object = value.as_object().unwrap_or_else(|| panic!("not an object: {value}"));
    for key in keys {
        assert!(object.contains_key(*key), "{key} missing in {value}");
    }
}

async fn public(app: &TestApp, path: &str) -> Value {
    let res = app.anonymous().get(&format!("/status/api/v2/{path}")).await;
    res.assert_status(200);
    res.body.clone()
}

fn component_id(summary: &Value, name: &str) -> i64 {
    summary["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_statuspage_json_has_statuspages_fields_through_an_incident() {
    let app = TestApp::spawn().await;
    let summary = public(&app, "summary.json").await;
    has_keys(&summary["page"], PAGE_KEYS);
    assert_eq!(
        summary["status"],
        json!({"indicator": "none", "description": "All Systems Operational"})
    );
    let components = summary["components"].as_array().unwrap();
    assert_eq!(
        components.len(),
        6,
        "the platform's components ship with a fresh install"
    );
    for c in components {
        has_keys(c, COMPONENT_KEYS);
        assert_eq!(c["status"], "operational");
        assert!(c["id"].is_string(), "ids are strings, as Statuspage's");
    }
    assert_eq!(summary["incidents"], json!([]));
    assert_eq!(summary["scheduled_maintenances"], json!([]));

    let whatsapp = component_id(&summary, "WhatsApp channel");
    let agent = app.client("agent@atende.example").await;
    let incident = agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "WhatsApp messages delayed", "impact": "minor", "body": "Messages arrive minutes late.",
                   "components": [{"id": whatsapp, "status": "partial_outage"}]}),
        )
        .await
        .assert_status(201)
        .body
        .clone();
    let id = incident["id"].as_i64().unwrap();
    let summary = public(&app, "summary.json").await;
    assert_eq!(summary["status"]["indicator"], "minor");
    let shown = &summary["incidents"][0];
    has_keys(shown, INCIDENT_KEYS);
    assert_eq!(shown["status"], "investigating");
    assert_eq!(shown["impact"], "minor");
    let update = &shown["incident_updates"][0];
    has_keys(update, UPDATE_KEYS);
    assert_eq!(update["affected_components"][0]["new_status"], "partial_outage");
    assert_eq!(update["affected_components"][0]["old_status"], "operational");
    assert_eq!(shown["components"][0]["status"], "partial_outage");

    agent
        .post(
            &format!("/api/v1/status/incidents/{id}/updates"),
            json!({"status": "resolved", "body": "Delivery is back to normal.", "components": [{"id": whatsapp, "status": "operational"}]}),
        )
        .await
        .assert_status(201);
    assert_eq!(public(&app, "incidents/unresolved.json").await["incidents"], json!([]));
    let all = public(&app, "incidents.json").await;
    assert_eq!(all["incidents"][0]["status"], "resolved");
    assert!(all["incidents"][0]["resolved_at"].is_string());
    assert_eq!(all["incidents"][0]["incident_updates"].as_array().unwrap().len(), 2);
    assert_eq!(public(&app, "status.json").await["status"]["indicator"], "none");
    has_keys(&public(&app, "components.json").await["page"], PAGE_KEYS);
}

#[tokio::test]
async fn maintenances_need_48_hours_notice_or_a_reason() {
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let agent = app.client("agent@atende.example").await;
    let api = component_id(&public(&app, "summary.json").await, "API");
    let soon = json!({"name": "Database upgrade", "body": "The API may pause for a minute.",
        "scheduled_for": "2026-11-26T03:00:00Z", "scheduled_until": "2026-11-26T04:00:00Z", "components": [api]});
    agent
        .post("/api/v1/status/maintenances", soon.clone())
        .await
        .assert_error(422, "maintenance.short_notice");
    let mut with_reason = soon;
    with_reason["short_notice"] = json!("A security fix that cannot wait.");
    let maintenance = agent
        .post("/api/v1/status/maintenances", with_reason)
        .await
        .assert_status(201)
        .id();
    let upcoming = public(&app, "scheduled-maintenances/upcoming.json").await;
    let shown = &upcoming["scheduled_maintenances"][0];
    has_keys(shown, INCIDENT_KEYS);
    assert_eq!(shown["scheduled_for"], "2026-11-26T03:00:00Z");
    assert_eq!(shown["impact"], "maintenance");

    agent
        .post(
            &format!("/api/v1/status/incidents/{maintenance}/updates"),
            json!({"status": "in_progress", "body": "Started.", "components": [{"id": api, "status": "under_maintenance"}]}),
        )
        .await
        .assert_status(201);
    let status = public(&app, "status.json").await;
    assert_eq!(status["status"]["indicator"], "maintenance");
    assert_eq!(
        public(&app, "scheduled-maintenances/active.json").await["scheduled_maintenances"][0]["id"],
        maintenance.to_string()
    );
    agent
        .post(
            &format!("/api/v1/status/incidents/{maintenance}/updates"),
            json!({"status": "finished", "body": "Done."}),
        )
        .await
        .assert_status(422);
}

#[tokio::test]
async fn only_staff_write_the_status_page_and_only_admins_arrange_it() {
    let app = TestApp::spawn().await;
    let customer = app.client("ana@acme.example").await;
    customer
        .post(
            "/api/v1/status/incidents",
            json!({"name": "x", "impact": "minor", "body": "y"}),
        )
        .await
        .assert_status(403);
    let agent = app.client("agent@atende.example").await;
    agent
        .post("/api/v1/status/components", json!({"code": "billing"}))
        .await
        .assert_status(403);
    // A component that is not there (a stale form, a wrong id) is named, and nothing is written.
    agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "x", "impact": "minor", "body": "y", "components": [{"id": 999_999, "status": "major_outage"}]}),
        )
        .await
        .assert_error(404, "component.not_found");
    assert_eq!(public(&app, "incidents.json").await["incidents"], json!([]));
    let admin = app.client("admin@atende.example").await;
    let group = admin
        .post(
            "/api/v1/status/components",
            json!({"code": "channels", "name": "Channels"}),
        )
        .await
        .assert_status(201)
        .id();
    let sms = admin
        .post(
            "/api/v1/status/components",
            json!({"code": "sms", "name": "SMS", "group_id": group}),
        )
        .await
        .assert_status(201)
        .id();
    admin
        .post("/api/v1/status/components", json!({"code": "deep", "group_id": sms}))
        .await
        .assert_error(422, "component.group_nesting");
    admin
        .post("/api/v1/status/components", json!({"code": "Bad Code"}))
        .await
        .assert_status(422);
    let components = public(&app, "components.json").await;
    let group_id = group.to_string();
    let shown = components["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == group_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(shown["group"], true);
    assert_eq!(shown["components"], json!([sms.to_string()]));
    app.anonymous()
        .get("/api/v1/status/components")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn a_day_with_a_72_minute_partial_outage_shows_its_uptime() {
    // Midnight in São Paulo (the install's time zone): the components begin with the day.
    let app = TestApp::spawn_at("2026-11-25T03:00:00Z".parse().unwrap()).await;
    let agent = app.client("agent@atende.example").await;
    let api = component_id(&public(&app, "summary.json").await, "API");
    let set = |status: &'static str| {
        let agent = &agent;
        async move {
            agent
                .patch(&format!("/api/v1/status/components/{api}"), json!({"status": status}))
                .await
                .assert_status(200);
        }
    };
    app.advance(38 * 60); // the next day, 14:00
    set("partial_outage").await;
    app.advance(72);
    set("operational").await;
    app.advance(22 * 60); // the day after, 13:12

    let page = app.anonymous().get("/status").await;
    page.assert_status(200);
    let html = page.body.as_str().unwrap().to_owned();
    assert!(html.contains("title=\"2026-11-26: 98.50 %\""), "the day's share");
    assert!(html.contains("class=\"day partial\""), "coloured by its worst state");
    assert!(html.contains("title=\"2026-11-25: 100.00 %\""));
    // Over the minutes observed (1,440 + 1,440 + 792), 21.6 weighted minutes down.
    assert!(html.contains("Uptime: 99.41 %"), "the 90 days' figure");
    assert!(html.contains("All systems operational"));

    let feed = app.anonymous().get("/status/history.atom").await;
    feed.assert_status(200);
    assert_eq!(feed.headers["content-type"], "application/atom+xml; charset=utf-8");
}

#[tokio::test]
async fn an_update_posted_to_500_linked_tickets_reaches_each_once() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let mut tickets = Vec::new();
    for n in 0..500 {
        let id = ana
            .post(
                "/api/v1/tickets",
                json!({"type": "incident", "subject": format!("WhatsApp atrasado {n}"), "description": "Mensajes con demora.", "contract_id": startup}),
            )
            .await
            .assert_status(201)
            .id();
        tickets.push(id);
    }
    let incident = agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "WhatsApp delays", "impact": "major", "body": "Investigating."}),
        )
        .await
        .assert_status(201)
        .id();
    let linked = agent
        .post(
            &format!("/api/v1/status/incidents/{incident}/tickets"),
            json!({"ticket_ids": tickets}),
        )
        .await
        .assert_status(200)
        .body
        .clone();
    assert_eq!(linked["added"], 500);
    // Linking again adds nothing.
    let again = agent
        .post(
            &format!("/api/v1/status/incidents/{incident}/tickets"),
            json!({"ticket_ids": tickets[..10]}),
        )
        .await;
    assert_eq!(again.body["added"], 0);

    agent
        .post(
            &format!("/api/v1/status/incidents/{incident}/updates"),
            json!({"status": "resolved", "body": "Fixed: a queue was stuck.", "post_to_tickets": true, "solve_tickets": true}),
        )
        .await
        .assert_status(201);
    for id in [tickets[0], tickets[249], tickets[499]] {
        let messages = agent.get(&format!("/api/v1/tickets/{id}/messages")).await.body.clone();
        let from_update = messages
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["body"].as_str().unwrap().contains("Fixed: a queue was stuck."))
            .count();
        assert_eq!(from_update, 1, "ticket {id}");
        assert_eq!(
            agent.get(&format!("/api/v1/tickets/{id}")).await.body["status"],
            "solved"
        );
    }
    // Every customer is told once, by mail: one reply letter per linked ticket.
    atende::mailer::run_once(app.app(), None).await.unwrap();
    let outbox = atende_store::mail::list_outbox(&mut app.app().db.read().await.unwrap(), None, 5_000)
        .await
        .unwrap();
    let replies: std::collections::HashSet<i64> = outbox
        .iter()
        .filter(|m| m.kind == "reply")
        .filter_map(|m| m.ticket_id)
        .filter(|t| tickets.contains(t))
        .collect();
    assert_eq!(replies.len(), 500);
    assert_eq!(
        outbox
            .iter()
            .filter(|m| m.kind == "reply" && m.ticket_id.is_some_and(|t| tickets.contains(&t)))
            .count(),
        500,
        "each once"
    );
}

/// A webhook receiver that fails its first call, then keeps what it is sent.
async fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>) {
    use axum::{body::Bytes, http::HeaderMap, http::StatusCode, routing::post};
    let seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let kept = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let (kept, calls) = (kept.clone(), calls.clone());
            async move {
                if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let signature = headers["x-atende-signature"].to_str().unwrap().to_owned();
                kept.lock()
                    .unwrap()
                    .push((signature, String::from_utf8(body.to_vec()).unwrap()));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn a_webhook_receives_signed_payloads_and_a_failure_is_retried() {
    use atende_channels::webhook::{WebhookClient, sign};
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let (url, seen) = receiver().await;
    admin
        .post("/api/v1/status/subscribers", json!({"url": "ftp://nope"}))
        .await
        .assert_status(422);
    agent
        .post("/api/v1/status/subscribers", json!({"url": url}))
        .await
        .assert_status(403);
    let created = admin
        .post("/api/v1/status/subscribers", json!({"url": url}))
        .await
        .assert_status(201)
        .body
        .clone();
    let secret = created["secret"].as_str().unwrap().to_owned();

    agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "API errors", "impact": "major", "body": "Some calls fail with 500."}),
        )
        .await
        .assert_status(201);
    let client = WebhookClient::new().unwrap();
    let first = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
    assert_eq!(
        (first.delivered, first.retried),
        (0, 1),
        "the receiver failed: kept for later"
    );
    let early = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
    assert_eq!(early.delivered + early.retried, 0, "not before its pause");
    app.advance(2);
    let second = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
    assert_eq!(second.delivered, 1);

    let received = seen.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (signature, body) = &received[0];
    assert_eq!(
        *signature,
        sign(&secret, body.as_bytes()),
        "signed with the subscriber's secret"
    );
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["incident"]["name"], "API errors");
    assert_eq!(payload["update"]["status"], "investigating");
    assert_eq!(payload["update"]["body"], "Some calls fail with 500.");
}

#[tokio::test]
async fn agents_run_an_incident_from_their_page() {
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let ticket = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "incident", "subject": "Chat caído", "description": "No carga.", "contract_id": startup}),
        )
        .await
        .assert_status(201)
        .id();
    let webchat = component_id(&public(&app, "summary.json").await, "Web chat");
    let agent = app.browser("agent@atende.example").await;
    agent
        .get("/agent/status")
        .await
        .assert_contains("New incident or maintenance");
    let web = webchat.to_string();
    let state_field = format!("state-{webchat}");
    agent
        .post(
            "/agent/status",
            &[
                ("kind", "incident"),
                ("name", "Web chat down"),
                ("body", "The widget does not load."),
                ("impact", "major"),
                ("status", "identified"),
                ("component", &web),
                (&state_field, "major_outage"),
                ("notify", "on"),
            ],
        )
        .await
        .assert_redirect("/agent/status");
    let summary = public(&app, "summary.json").await;
    let incident: i64 = summary["incidents"][0]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(summary["incidents"][0]["status"], "identified");
    assert!(
        summary["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "Web chat" && c["status"] == "major_outage")
    );
    let path = format!("/agent/status/incidents/{incident}");
    // The incident is offered on the customer's incident ticket, and linked from there.
    let ticket_page = format!("/agent/tickets/{ticket}");
    agent
        .get(&ticket_page)
        .await
        .assert_contains("Platform incidents under way")
        .assert_contains("link this ticket");
    agent
        .post(
            &path,
            &[
                ("action", "link"),
                ("tickets", &ticket.to_string()),
                ("back", &ticket_page),
            ],
        )
        .await
        .assert_redirect(&ticket_page);
    let page = agent.get(&ticket_page).await;
    page.assert_contains("follows it");
    assert!(
        !page.html.contains("affects this ticket's channel"),
        "the web chat is not the API"
    );
    // An incident on the API, the channel this ticket came through, is marked and listed first.
    let api = component_id(&public(&app, "summary.json").await, "API");
    let api_agent = app.client("agent@atende.example").await;
    let api_incident = api_agent
        .post(
            "/api/v1/status/incidents",
            json!({"name": "API timeouts", "impact": "minor", "body": "Slow.", "components": [{"id": api, "status": "degraded_performance"}]}),
        )
        .await
        .assert_status(201)
        .id();
    let page = agent.get(&ticket_page).await;
    let html = &page.html;
    let marked = html
        .find("affects this ticket&#39;s channel")
        .or_else(|| html.find("affects this ticket's channel"));
    let (api_at, web_at) = (html.find("API timeouts").unwrap(), html.find("Web chat down").unwrap());
    assert!(
        marked.is_some() && api_at < web_at,
        "the matching incident first, marked"
    );
    api_agent
        .post(
            &format!("/api/v1/status/incidents/{api_incident}/updates"),
            json!({"status": "resolved", "body": "Fast again.", "components": [{"id": api, "status": "operational"}]}),
        )
        .await
        .assert_status(201);
    agent
        .post(&path, &[("action", "link"), ("tickets", &format!("#{ticket}"))])
        .await
        .assert_redirect("/agent/status");
    agent
        .post(
            &path,
            &[
                ("action", "update"),
                ("status", "resolved"),
                ("component_state", "operational"),
                ("body", "The widget loads again."),
                ("post_to_tickets", "on"),
                ("solve_tickets", "on"),
            ],
        )
        .await
        .assert_redirect("/agent/status");
    let ticket_now = ana.get(&format!("/api/v1/tickets/{ticket}")).await.body.clone();
    assert_eq!(ticket_now["status"], "solved");
    let messages = ana
        .get(&format!("/api/v1/tickets/{ticket}/messages"))
        .await
        .body
        .clone();
    assert!(messages.to_string().contains("The widget loads again."), "{messages}");
    assert_eq!(public(&app, "status.json").await["status"]["indicator"], "none");

    // A maintenance from the page, in the agent's time zone, with a reason for the short notice.
    agent
        .post(
            "/agent/status",
            &[
                ("kind", "maintenance"),
                ("name", "Chat upgrade"),
                ("body", "A short pause."),
                ("scheduled_for", "2026-11-26T01:00"),
                ("scheduled_until", "2026-11-26T02:00"),
                ("component", &web),
                ("short_notice", "Security fix."),
            ],
        )
        .await
        .assert_redirect("/agent/status");
    let upcoming = public(&app, "scheduled-maintenances/upcoming.json").await;
    assert_eq!(upcoming["scheduled_maintenances"][0]["name"], "Chat upgrade");
    assert_eq!(
        upcoming["scheduled_maintenances"][0]["scheduled_for"],
        "2026-11-26T04:00:00Z"
    );
}

/// A webhook receiver that answers 503 while `down` is set, and keeps what it is sent otherwise.
struct Subscriber {
    url: String,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
}

async fn subscriber() -> Subscriber {
    use axum::{body::Bytes, http::StatusCode, routing::post};
    use std::sync::atomic::Ordering;
    let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let seen: std::sync::Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
    let (is_down, kept) = (down.clone(), seen.clone());
    let app = axum::Router::new().route(
        "/hook",
        post(move |body: Bytes| {
            let (is_down, kept) = (is_down.clone(), kept.clone());
            async move {
                if is_down.load(Ordering::SeqCst) {
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                kept.lock().unwrap().push(serde_json::from_slice(&body).unwrap());
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Subscriber { url, down, seen }
}

#[tokio::test]
async fn a_webhook_subscriber_down_for_a_day_loses_nothing_and_gets_nothing_twice() {
    use std::sync::atomic::Ordering;
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let hook = subscriber().await;
    admin
        .post("/api/v1/status/subscribers", json!({"url": hook.url}))
        .await
        .assert_status(201);
    for name in ["API errors", "Slow chat", "E-mail delays"] {
        agent
            .post(
                "/api/v1/status/incidents",
                json!({"name": name, "impact": "minor", "body": "Looking into it."}),
            )
            .await
            .assert_status(201);
    }
    let client = atende_channels::webhook::WebhookClient::new().unwrap();
    // Eight rounds three hours apart, the subscriber answering 503 to each.
    for round in 0..8 {
        let report = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
        assert_eq!(report.delivered + report.failed, 0, "round {round}: {report:?}");
        assert_eq!(app.metric("atende_webhook_deliveries_waiting").await, 3);
        assert_eq!(app.metric("atende_webhook_deliveries_failed").await, 0);
        let ready = app.text("/readyz").await;
        assert!(ready.contains("webhook deliveries waiting: 3"), "{ready}");
        app.advance(3 * 60);
    }
    assert!(hook.seen.lock().unwrap().is_empty());

    // Back: everything that waited arrives, once, and the queue is empty.
    hook.down.store(false, Ordering::SeqCst);
    let report = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
    assert_eq!(report.delivered, 3, "{report:?}");
    app.advance(6 * 60);
    let again = atende::mailer::deliver_webhooks(app.app(), &client).await.unwrap();
    assert_eq!(again.delivered + again.retried + again.failed, 0);
    let mut names: Vec<String> = hook
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| p["incident"]["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["API errors", "E-mail delays", "Slow chat"]);
    assert_eq!(app.metric("atende_webhook_deliveries_waiting").await, 0);
    assert_eq!(app.metric("atende_webhook_deliveries_failed").await, 0);
}
