//! Bad input gets a 4xx with a message that says what was wrong, never a 500, and nothing stored
//! is lost.

use reqwest::Method;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_explained() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let json_type = Some("application/json");

    let res = ana
        .send_raw(Method::POST, "/api/v1/tickets", json_type, "{\"type\": \"incident\",")
        .await;
    res.assert_error(400, "request.malformed_json");
    let res = ana
        .send_raw(Method::POST, "/api/v1/tickets", Some("text/plain"), "{}")
        .await;
    res.assert_error(415, "request.json_content_type");

    let base = json!({"type": "incident", "subject": "Down", "description": "Nothing works.", "contract_id": startup});
    let with = |key: &str, value: serde_json::Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let msg = ana
        .post("/api/v1/tickets", with("colour", json!("red")))
        .await
        .assert_error(422, "request.invalid_json");
    assert!(msg.contains("colour"), "names the unknown field: {msg}");
    let msg = ana
        .post("/api/v1/tickets", with("type", json!("bug")))
        .await
        .assert_error(422, "request.invalid_json");
    assert!(
        msg.contains("question, task, incident"),
        "lists the allowed values: {msg}"
    );
    ana.post("/api/v1/tickets", with("priority", json!("URGENT")))
        .await
        .assert_error(422, "request.invalid_json");
    ana.post("/api/v1/tickets", with("contract_id", json!("one")))
        .await
        .assert_error(422, "request.invalid_json");
    ana.post("/api/v1/tickets", json!({"type": "incident"}))
        .await
        .assert_error(422, "request.invalid_json");

    let res = ana
        .post("/api/v1/tickets", with("subject", json!("x".repeat(201))))
        .await;
    let msg = res.assert_error(422, "validation.too_long");
    assert_eq!(res.body["error"]["field"], "subject");
    assert!(msg.contains("200"), "{msg}");
    let res = ana.post("/api/v1/tickets", with("subject", json!("   "))).await;
    res.assert_error(422, "validation.empty");
    ana.post("/api/v1/tickets", with("description", json!("")))
        .await
        .assert_error(422, "validation.empty");

    // Nothing was stored by any of these.
    assert_eq!(
        ana.get("/api/v1/tickets").await.body["items"].as_array().unwrap().len(),
        3,
        "only the demo's tickets"
    );
}

#[tokio::test]
async fn bad_queries_and_paths_are_400_with_a_message() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    agent
        .get("/api/v1/tickets?status=lost")
        .await
        .assert_error(400, "request.invalid_query");
    agent
        .get("/api/v1/tickets?limit=ten")
        .await
        .assert_error(400, "request.invalid_query");
    agent
        .get("/api/v1/tickets?cursor=abc")
        .await
        .assert_error(422, "validation.invalid");
    agent
        .get("/api/v1/tickets?nonsense=1")
        .await
        .assert_error(400, "request.invalid_query");
    agent
        .get("/api/v1/tickets/abc")
        .await
        .assert_error(400, "request.invalid_path");
    agent
        .get("/api/v1/tickets/99999999")
        .await
        .assert_error(404, "ticket.not_found");
    agent
        .get("/api/v1/no-such-thing")
        .await
        .assert_error(404, "route.not_found");
    agent
        .send(Method::PUT, "/api/v1/tickets", None)
        .await
        .assert_error(405, "route.method_not_allowed");
    agent
        .patch(
            "/api/v1/ticket-types/bug",
            json!({"lang": "en", "name": "x", "definition": "y"}),
        )
        .await
        .assert_error(400, "request.invalid_path");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let huge = format!("{{\"body\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let res = ana
        .send_raw(
            Method::POST,
            "/api/v1/tickets/1/messages",
            Some("application/json"),
            &huge,
        )
        .await;
    res.assert_error(413, "request.too_large");
}

#[tokio::test]
async fn errors_follow_accept_language_for_anonymous_callers() {
    let app = TestApp::spawn().await;
    let pt = app.anonymous().with_language("pt-BR,pt;q=0.9");
    let msg = pt.get("/api/v1/tickets").await.assert_error(401, "auth.required");
    assert!(msg.starts_with("Entre primeiro"), "{msg}");
    let es = app.anonymous().with_language("es-AR");
    let msg = es
        .get("/api/v1/nothing-here")
        .await
        .assert_error(404, "route.not_found");
    assert!(msg.starts_with("No hay nada"), "{msg}");
    let fallback = app.anonymous().with_language("de");
    let msg = fallback.get("/api/v1/tickets").await.assert_error(401, "auth.required");
    assert!(msg.starts_with("Sign in first"), "the configured default (en): {msg}");
}

#[tokio::test]
async fn conflicts_are_409() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    admin
        .post("/api/v1/organizations", json!({"name": "Acme Comércio Ltda"}))
        .await
        .assert_error(409, "organization.name_taken");
    admin
        .post(
            "/api/v1/users",
            json!({"email": "ANA@acme.example", "name": "Ana 2", "role": "customer"}),
        )
        .await
        .assert_error(409, "user.email_taken");
    admin
        .post(
            "/api/v1/users",
            json!({"email": "nope", "name": "X", "role": "customer"}),
        )
        .await
        .assert_error(422, "validation.invalid");
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_harm() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    // 100,000 levels in 200 kB: within the size limit; typed bodies stop at the first wrong
    // level and the parser at 128, so no stack is at risk.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let res = ana
        .send_raw(Method::POST, "/api/v1/tickets", Some("application/json"), &deep)
        .await;
    assert!(matches!(res.status.as_u16(), 400 | 422), "{} {}", res.status, res.body);
    assert_eq!(res.body["error"]["code"], "request.invalid_json", "{}", res.body);
    // The server is still there, and the customer's work goes on.
    ana.open_ticket(startup).await.assert_status(201);
}
