//! Operations endpoints, the OpenAPI document, sign-in limits and graceful shutdown.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    let health = anonymous.get("/healthz").await;
    assert_eq!((health.status.as_u16(), health.body.as_str()), (200, Some("ok")));
    anonymous.get("/readyz").await.assert_status(200);
    anonymous.get("/api/v1/plans").await.assert_status(200);
    let metrics = anonymous.get("/metrics").await;
    let text = metrics.body.as_str().unwrap();
    assert!(
        text.contains(r#"atende_http_requests_total{method="GET",route="/api/v1/plans",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains("atende_http_request_duration_seconds_bucket"), "{text}");
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.app().db.close().await;
    app.anonymous().get("/readyz").await.assert_status(503);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get("/api/openapi.json").await;
    doc.assert_status(200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc.body["paths"].as_object().unwrap();
    let required = [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/organizations", "get"),
        ("/api/v1/contracts", "post"),
        ("/api/v1/contracts/{id}/members", "post"),
        ("/api/v1/bots/{id}/members", "get"),
        ("/api/v1/users", "get"),
        ("/api/v1/plans", "get"),
        ("/api/v1/tickets", "post"),
        ("/api/v1/tickets", "get"),
        ("/api/v1/tickets/{id}", "get"),
        ("/api/v1/tickets/{id}", "patch"),
        ("/api/v1/tickets/{id}/messages", "post"),
        ("/api/v1/tickets/{id}/messages", "get"),
        ("/api/v1/tickets/{id}/events", "get"),
        ("/api/v1/invitations", "post"),
        ("/api/v1/join-requests", "post"),
        ("/api/v1/me", "patch"),
    ];
    for (path, method) in required {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    // Every documented operation is served: none answers "no such route" or "method not allowed".
    let agent = app.client("agent@atende.example").await;
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .replace("{id}", "1")
                .replace("{user_id}", "1")
                .replace("{code}", "startup")
                .replace("{type}", "task")
                .replace("{token}", "x");
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != reqwest::Method::GET && method != reqwest::Method::DELETE).then(|| json!({}));
            let res = agent.send(method.clone(), &concrete, body).await;
            let code = res.body["error"]["code"].as_str().unwrap_or_default();
            assert!(
                code != "route.not_found" && code != "route.method_not_allowed",
                "{method} {concrete}: {}",
                res.body
            );
            assert!(res.status.as_u16() < 500, "{method} {concrete}: {}", res.body);
        }
    }
    let ticket = &doc.body["components"]["schemas"]["TicketOut"]["properties"];
    assert_eq!(
        ticket["status"]["enum"],
        json!(["new", "open", "pending", "on_hold", "solved", "closed"])
    );
    let page = app.anonymous().get("/api/docs").await;
    assert!(page.body.as_str().unwrap().contains("/api/docs.js"));
    app.anonymous().get("/api/docs.js").await.assert_status(200);
}

#[tokio::test]
async fn sign_in_works_and_repeated_failures_are_limited() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    let good = json!({"email": "ana@acme.example", "password": atende::demo::PASSWORD});
    let session = anonymous.post("/api/v1/auth/login", good.clone()).await;
    session.assert_status(200);
    assert_eq!(session.body["token_type"], "Bearer");
    assert_eq!(session.body["user"]["email"], "ana@acme.example");

    let bad = json!({"email": "ana@acme.example", "password": "wrong password"});
    for _ in 0..5 {
        anonymous
            .post("/api/v1/auth/login", bad.clone())
            .await
            .assert_error(401, "auth.invalid_credentials");
    }
    let limited = anonymous.post("/api/v1/auth/login", good.clone()).await;
    limited.assert_error(429, "rate_limited");
    let retry: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // An unknown address answers exactly like a wrong password.
    anonymous
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody@acme.example", "password": "whatever it is"}),
        )
        .await
        .assert_error(401, "auth.invalid_credentials");

    // Logging out ends the session.
    let token = session.body["token"].as_str().unwrap();
    let out = app
        .http
        .post(format!("{}/api/v1/auth/logout", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let after = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn api_tokens_can_be_created_listed_and_revoked() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let created = agent.post("/api/v1/tokens", json!({"name": "ci script"})).await;
    created.assert_status(201);
    let token = created.body["token"].as_str().unwrap().to_owned();
    let listed = agent.get("/api/v1/tokens").await;
    assert!(
        !listed.body.to_string().contains(&token),
        "tokens are never shown again"
    );
    let me = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    agent
        .delete(&format!("/api/v1/tokens/{}", created.id()))
        .await
        .assert_status(204);
    let me = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let before = ana.get("/api/v1/tickets?limit=100").await.body["items"]
        .as_array()
        .unwrap()
        .len();
    let token = ana.token().to_owned();
    let in_flight: Vec<_> = (0..40)
        .map(|i| {
            let (http, url, token) = (app.http.clone(), format!("{}/api/v1/tickets", app.base), token.clone());
            tokio::spawn(async move {
                let body =
                    json!({"type": "task", "subject": format!("t{i}"), "description": "d", "contract_id": startup});
                http.post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    // Shut down once the first of them is stored, so that others are surely in flight.
    for _ in 0..500 {
        let mut conn = app.server.app.db.read().await.unwrap();
        let query = atende_store::tickets::TicketQuery {
            limit: 1000,
            ..Default::default()
        };
        let stored = atende_store::tickets::list_tickets(&mut conn, atende_store::tickets::TicketScope::All, &query)
            .await
            .unwrap()
            .len();
        if stored > before {
            break;
        }
        drop(conn);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let TestApp {
        server, database_url, ..
    } = app;
    server.shutdown().await.unwrap();
    let mut acknowledged = 0;
    for task in in_flight {
        match task.await.unwrap() {
            Ok(201) => acknowledged += 1,
            Ok(status) => panic!("a request got {status} during shutdown"),
            Err(_) => {} // arrived after the listener closed: refused, never half-done
        }
    }
    // Every acknowledged ticket is stored, and nothing unacknowledged is.
    let db = atende_store::Db::connect(&database_url, 1).await.unwrap();
    let mut conn = db.read().await.unwrap();
    let stored = atende_store::tickets::list_tickets(
        &mut conn,
        atende_store::tickets::TicketScope::All,
        &atende_store::tickets::TicketQuery {
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len();
    assert!(acknowledged > 0, "some requests were in flight");
    assert_eq!(stored, before + acknowledged);
}

/// On SQLite, what the server commits reaches the database file itself within moments, copied
/// out of the log by the server's checkpointer: a copy of the file alone holds it.
#[tokio::test]
async fn committed_tickets_reach_the_database_file_while_the_server_runs() {
    use sqlx::Connection;
    let app = TestApp::spawn_on(crate::helpers::Backend::Sqlite).await;
    let ana = app.client("ana@acme.example").await;
    let id = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    let file = app.database_url.trim_start_matches("sqlite://").to_owned();
    let copy = format!("{file}.copy-{id}");
    let mut found = 0;
    for _ in 0..50 {
        std::fs::copy(&file, &copy).unwrap();
        // A copy taken while a checkpoint writes may be torn: that is a miss, tried again.
        if let Ok(mut conn) = sqlx::SqliteConnection::connect(&format!("sqlite://{copy}")).await {
            found = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets WHERE id = ?")
                .bind(id)
                .fetch_one(&mut conn)
                .await
                // Not even the tables yet: everything is still in the log.
                .unwrap_or(0);
            let _ = conn.close().await;
        }
        for leftover in [copy.clone(), format!("{copy}-wal"), format!("{copy}-shm")] {
            let _ = std::fs::remove_file(leftover);
        }
        if found == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(found, 1, "ticket {id} is still only in the log after five seconds");
}
