//! WhatsApp end to end, with Meta's documented payloads against a local fake of the Graph API:
//! the subscription check, a forged signature refused, a conversation that opens a ticket (with a
//! picture), a delivery seen twice taken once, delivery statuses stored, updates pushed inside
//! the 24-hour window as text and outside it as the template, and 131047 answered with it.

use std::sync::{Arc, Mutex};

use atende_app::Clock;
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp};

const SECRET: &str = "app-secret-for-tests";
const VERIFY: &str = "verify-me";
const ANA: &str = "5511987650001";

/// What the fake Graph API saw, and how it answers.
#[derive(Clone, Default)]
struct Graph {
    sent: Arc<Mutex<Vec<Value>>>,
    /// Recipients whose free-form messages it refuses with 131047.
    outside_window: Arc<Mutex<Vec<String>>>,
    /// While set, it answers every send with 503, as during an outage of Meta's.
    down: Arc<std::sync::atomic::AtomicBool>,
    base: String,
}

impl Graph {
    async fn start() -> Graph {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut graph = Graph {
            base: format!("http://{}", listener.local_addr().unwrap()),
            ..Graph::default()
        };
        let app = Router::new()
            .route("/v21.0/{phone}/messages", post(messages))
            .route("/v21.0/{media}", get(media))
            .route("/files/{media}", get(file))
            .with_state(graph.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        graph.base = graph.base.clone();
        graph
    }

    fn sent(&self) -> Vec<Value> {
        self.sent.lock().unwrap().clone()
    }
}

async fn messages(State(g): State<Graph>, Json(body): Json<Value>) -> (axum::http::StatusCode, Json<Value>) {
    let to = body["to"].as_str().unwrap_or_default().to_owned();
    if g.down.load(std::sync::atomic::Ordering::Relaxed) {
        let error = json!({"error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2, "is_transient": true, "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"}});
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, Json(error));
    }
    if body["type"] != "template" && g.outside_window.lock().unwrap().contains(&to) {
        let error: Value =
            serde_json::from_str(include_str!("../../../channels/whatsapp/error_response_131047.json")).unwrap();
        return (axum::http::StatusCode::BAD_REQUEST, Json(error));
    }
    let mut sent = g.sent.lock().unwrap();
    sent.push(body);
    let mut answer: Value =
        serde_json::from_str(include_str!("../../../channels/whatsapp/send_response.json")).unwrap();
    answer["messages"][0]["id"] = json!(format!("wamid.FAKE{}", sent.len()));
    answer["contacts"][0]["wa_id"] = json!(to);
    (axum::http::StatusCode::OK, Json(answer))
}

async fn media(State(g): State<Graph>, Path(media): Path<String>) -> Json<Value> {
    Json(
        json!({"messaging_product": "whatsapp", "url": format!("{}/files/{media}", g.base),
        "mime_type": "image/png", "sha256": "x", "file_size": 70, "id": media}),
    )
}

/// A real (tiny) PNG, so the attachment checks judge it by its contents.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1,
    0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn file() -> Vec<u8> {
    PNG.to_vec()
}

async fn spawn(graph: &Graph, clock: Clock) -> TestApp {
    let base = graph.base.clone();
    TestApp::spawn_configured(Backend::from_env(), clock, move |c| {
        c.whatsapp_app_secret = Some(SECRET.into());
        c.whatsapp_verify_token = Some(VERIFY.into());
        c.whatsapp_access_token = Some("token".into());
        c.whatsapp_phone_number_id = Some("106540352242922".into());
        c.whatsapp_graph_url = base;
    })
    .await
}

fn payload(file: &str) -> Value {
    let path = format!("{}/../channels/whatsapp/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Meta's text example, from `from`, saying `text`, with its own message id.
pub(crate) fn text_from(from: &str, text: &str, wamid: &str) -> Value {
    let mut p = payload("inbound_text.json");
    let value = &mut p["entry"][0]["changes"][0]["value"];
    value["contacts"][0]["wa_id"] = json!(from);
    value["messages"][0]["from"] = json!(from);
    value["messages"][0]["id"] = json!(wamid);
    value["messages"][0]["text"]["body"] = json!(text);
    p
}

/// Meta's button-reply example: `from` tapped the option `id`.
fn tap_from(from: &str, id: &str, wamid: &str) -> Value {
    let mut p = payload("inbound_button_reply.json");
    let value = &mut p["entry"][0]["changes"][0]["value"];
    value["contacts"][0]["wa_id"] = json!(from);
    value["messages"][0]["from"] = json!(from);
    value["messages"][0]["id"] = json!(wamid);
    value["messages"][0]["interactive"]["button_reply"]["id"] = json!(id);
    p
}

async fn deliver(app: &TestApp, body: &Value) -> crate::helpers::Res {
    let raw = body.to_string();
    let signature = atende_channels::webhook::sign(SECRET, raw.as_bytes());
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/api/v1/whatsapp/webhook", app.base()))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", signature)
        .body(raw)
        .send()
        .await
        .unwrap();
    crate::helpers::Res::from_response(response).await
}

/// Sends what the bot queued, and returns the request bodies the Graph API received since `from`.
async fn flush(app: &TestApp, graph: &Graph, from: usize) -> Vec<Value> {
    atende_app::bot::whatsapp::send_due(app.app(), 100).await.unwrap();
    graph.sent()[from..].to_vec()
}

fn words(sent: &[Value]) -> String {
    sent.iter()
        .map(|m| {
            let mut text = m["text"]["body"]
                .as_str()
                .or(m["interactive"]["body"]["text"].as_str())
                .unwrap_or_default()
                .to_owned();
            for b in m["interactive"]["action"]["buttons"].as_array().into_iter().flatten() {
                text.push_str(&format!(" [{}]", b["reply"]["id"].as_str().unwrap_or_default()));
            }
            for r in m["interactive"]["action"]["sections"][0]["rows"]
                .as_array()
                .into_iter()
                .flatten()
            {
                text.push_str(&format!(" [{}]", r["id"].as_str().unwrap_or_default()));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn link(app: &TestApp, email: &str, number: &str) -> Client {
    let client = app.client(email).await;
    client
        .send(Method::PUT, "/api/v1/me/whatsapp", Some(json!({"number": number})))
        .await
        .assert_status(200);
    client
}

#[tokio::test]
async fn the_webhook_is_verified_and_forged_notifications_are_refused() {
    let graph = Graph::start().await;
    let app = spawn(&graph, Clock::system()).await;
    let visitor = app.anonymous();
    let ok = visitor
        .get(&format!(
            "/api/v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444"
        ))
        .await;
    ok.assert_status(200);
    assert_eq!(ok.body, json!(1158201444), "the challenge comes back as it was sent");
    visitor
        .get("/api/v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
        .await
        .assert_error(403, "whatsapp.verify_token");

    let body = text_from(ANA, "hola", "wamid.forged").to_string();
    for signature in [
        None,
        Some("sha256=00".to_owned()),
        Some(atende_channels::webhook::sign("another secret", body.as_bytes())),
    ] {
        let mut request = reqwest::Client::new()
            .post(format!("{}/api/v1/whatsapp/webhook", app.base()))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(s) = signature {
            request = request.header("x-hub-signature-256", s);
        }
        let res = crate::helpers::Res::from_response(request.send().await.unwrap()).await;
        res.assert_error(401, "whatsapp.signature");
    }
    assert!(
        flush(&app, &graph, 0).await.is_empty(),
        "a forged message gets no answer"
    );

    // Unknown numbers are told how to link theirs, in the three languages, with the support address.
    deliver(&app, &text_from("5511900000000", "hola", "wamid.stranger"))
        .await
        .assert_status(200);
    let told = words(&flush(&app, &graph, 0).await);
    assert!(
        told.contains("help@atende.test")
            && told.contains("WhatsApp")
            && told.contains("Hello!")
            && told.contains("Olá!"),
        "{told}"
    );
}

#[tokio::test]
async fn a_customer_opens_a_ticket_on_whatsapp_and_hears_of_its_updates_there() {
    let graph = Graph::start().await;
    let start: jiff::Timestamp = "2026-11-30T13:00:00Z".parse().unwrap();
    let app = spawn(&graph, Clock::manual(start)).await;
    let ana = link(&app, "ana@acme.example", "+55 11 98765-0001").await;
    let startup = app.contract_id("Acme Startup").await;

    let mut n = 0;
    let mut next_id = || {
        n += 1;
        format!("wamid.ana{n}")
    };
    deliver(&app, &text_from(ANA, "Hola, quiero abrir un ticket", &next_id()))
        .await
        .assert_status(200);
    let asked = words(&flush(&app, &graph, 0).await);
    assert!(
        asked.contains(&format!("[contract:{startup}]")),
        "ana picks among her contracts: {asked}"
    );
    let mut seen = graph.sent().len();
    for step in [
        tap_from(ANA, &format!("contract:{startup}"), &next_id()),
        // The Startup contract has a bot: the ticket may be about it.
        tap_from(ANA, "bot:none", &next_id()),
        tap_from(ANA, "type:incident", &next_id()),
        tap_from(ANA, "priority:high", &next_id()),
        text_from(ANA, "El bot no responde", &next_id()),
        text_from(ANA, "Desde las 9:00 ningún cliente recibe respuesta.", &next_id()),
    ] {
        deliver(&app, &step).await.assert_status(200);
    }
    // A picture, fetched from the Graph API.
    let mut image = payload("inbound_image.json");
    image["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = json!(ANA);
    image["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = json!(ANA);
    image["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = json!(next_id());
    deliver(&app, &image).await.assert_status(200);
    let last = next_id();
    let done = tap_from(ANA, "done", &last);
    deliver(&app, &done).await.assert_status(200);
    // The same delivery again: taken once.
    let twice = deliver(&app, &done).await;
    assert_eq!(twice.body["duplicates"], 1);
    let confirm = words(&flush(&app, &graph, seen).await);
    assert!(
        confirm.contains("El bot no responde") && confirm.contains("[confirm]"),
        "{confirm}"
    );
    seen = graph.sent().len();
    deliver(&app, &tap_from(ANA, "confirm", &next_id()))
        .await
        .assert_status(200);
    let opened = words(&flush(&app, &graph, seen).await);
    assert!(opened.contains("está abierto"), "{opened}");

    let list = ana.get("/api/v1/tickets?limit=10").await;
    let ticket = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == "El bot no responde")
        .cloned()
        .unwrap();
    assert_eq!(ticket["channel"], "whatsapp");
    assert_eq!(ticket["type"], "incident");
    let id = ticket["id"].as_i64().unwrap();
    let files = ana.get(&format!("/api/v1/tickets/{id}/attachments")).await;
    assert_eq!(files.body.as_array().unwrap().len(), 1, "the picture is on the ticket");

    // WhatsApp reports delivery: stored on the message it sent.
    let first_wamid = "wamid.FAKE1";
    let mut delivered = payload("status_delivered.json");
    delivered["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = json!(first_wamid);
    assert_eq!(deliver(&app, &delivered).await.body["statuses"], 1);
    let mut conn = app.app().db.read().await.unwrap();
    let user = atende_store::directory::find_user_by_email(&mut conn, "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    let conversation = atende_store::conversations::of_user(&mut conn, user.id)
        .await
        .unwrap()
        .remove(0);
    let transcript = atende_store::conversations::messages(&mut conn, conversation.id, 500)
        .await
        .unwrap();
    drop(conn);
    let first = transcript
        .iter()
        .find(|m| m.external_id.as_deref() == Some(first_wamid))
        .unwrap();
    assert_eq!(first.status, "delivered");
    assert!(
        transcript
            .iter()
            .any(|m| m.direction == "in" && m.body == "El bot no responde")
    );

    // An agent's reply reaches her on WhatsApp (she wrote minutes ago: free text).
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Reiniciamos el canal; prueba ahora.", "visibility": "public"}),
        )
        .await
        .assert_status(201);
    atende::mailer::run_once(app.app(), None).await.unwrap();
    seen = graph.sent().len();
    let pushed = flush(&app, &graph, seen).await;
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0]["type"], "text");
    assert!(words(&pushed).contains("Reiniciamos el canal"));
    assert!(app.outbox_to("reply").await.is_empty(), "not by e-mail as well");

    // Her figures: this month's tickets, service levels and the first response (just given).
    app.advance(10);
    seen = graph.sent().len();
    deliver(&app, &text_from(ANA, "mis reportes", &next_id()))
        .await
        .assert_status(200);
    let figures = words(&flush(&app, &graph, seen).await);
    assert!(
        figures.contains("abiertos")
            && figures.contains("Niveles de servicio este mes")
            && figures.contains("Primera respuesta promedio"),
        "{figures}"
    );

    // A day later the window is closed: the update goes as the approved template.
    app.advance(25 * 60);
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "¿Sigue funcionando?", "visibility": "public"}),
        )
        .await
        .assert_status(201);
    atende::mailer::run_once(app.app(), None).await.unwrap();
    seen = graph.sent().len();
    let pushed = flush(&app, &graph, seen).await;
    assert_eq!(pushed[0]["type"], "template");
    assert_eq!(pushed[0]["template"]["name"], "ticket_update");
    assert_eq!(
        pushed[0]["template"]["components"][0]["parameters"][0]["text"],
        id.to_string()
    );
}

#[tokio::test]
async fn a_refused_send_outside_the_window_is_sent_again_as_the_template() {
    let graph = Graph::start().await;
    let app = spawn(&graph, Clock::system()).await;
    link(&app, "ana@acme.example", ANA).await;
    graph.outside_window.lock().unwrap().push(ANA.to_owned());
    deliver(&app, &text_from(ANA, "menu", "wamid.m1"))
        .await
        .assert_status(200);
    let first = flush(&app, &graph, 0).await;
    assert!(first.is_empty(), "131047: nothing went out as free text");
    let second = flush(&app, &graph, 0).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["type"], "template");
}

#[tokio::test]
async fn the_menu_opens_with_a_button_in_the_persons_language_from_the_first_message() {
    let graph = Graph::start().await;
    let app = spawn(&graph, Clock::system()).await;
    link(&app, "ana@acme.example", "+55 11 98765-0001").await;
    deliver(&app, &text_from(ANA, "Hola", "wamid.menu1"))
        .await
        .assert_status(200);
    let sent = flush(&app, &graph, 0).await;
    let buttons: Vec<&Value> = sent
        .iter()
        .filter(|m| m["interactive"]["type"] == "list")
        .map(|m| &m["interactive"]["action"]["button"])
        .collect();
    assert!(
        !buttons.is_empty() && buttons.iter().all(|b| *b == "Opciones"),
        "Ana speaks Spanish: {sent:?}"
    );
}

#[tokio::test]
async fn a_trial_customer_is_told_why_on_whatsapp_and_where_to_write() {
    let graph = Graph::start().await;
    let app = spawn(&graph, Clock::system()).await;
    link(&app, "carla@acme.example", "5511987650003").await;
    deliver(&app, &text_from("5511987650003", "open a ticket", "wamid.c1"))
        .await
        .assert_status(200);
    let told = words(&flush(&app, &graph, 0).await);
    assert!(told.contains("Trial") && told.contains("help@atende.test"), "{told}");
    // Nothing was opened.
    let carla = app.client("carla@acme.example").await;
    assert!(
        carla.get("/api/v1/tickets").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_outage_of_the_graph_api_loses_no_message_and_sends_none_twice() {
    use std::sync::atomic::Ordering;
    let graph = Graph::start().await;
    let app = spawn(&graph, Clock::manual("2026-03-02T12:00:00Z".parse().unwrap())).await;
    link(&app, "ana@acme.example", ANA).await;
    graph.down.store(true, Ordering::Relaxed);
    for (n, text) in ["hola", "menu", "1"].iter().enumerate() {
        deliver(&app, &text_from(ANA, text, &format!("wamid.outage-{n}")))
            .await
            .assert_status(200);
    }
    // Six rounds, an hour apart, with Meta answering 503 to each.
    let mut waiting = 0;
    for _ in 0..6 {
        flush(&app, &graph, 0).await;
        waiting = app.metric("atende_whatsapp_outbox_waiting").await;
        assert!(waiting >= 3, "the answers wait: {waiting}");
        assert_eq!(app.metric("atende_whatsapp_outbox_failed").await, 0);
        let ready = app.text("/readyz").await;
        assert!(
            ready.contains(&format!("whatsapp outbox waiting: {waiting}")),
            "{ready}"
        );
        app.advance(60);
    }
    assert!(graph.sent().is_empty());

    graph.down.store(false, Ordering::Relaxed);
    flush(&app, &graph, 0).await;
    app.advance(60);
    flush(&app, &graph, 0).await;
    let sent = graph.sent();
    assert_eq!(
        sent.len() as i64,
        waiting,
        "every answer that waited, once: {}",
        words(&sent)
    );
    assert_eq!(app.metric("atende_whatsapp_outbox_waiting").await, 0);
    assert_eq!(app.metric("atende_whatsapp_outbox_failed").await, 0);
    let said = words(&sent);
    assert!(sent.iter().all(|m| m["to"] == ANA), "{said}");
}
