//! The isolation matrix: every operation of the served OpenAPI document (so a new API route
//! cannot escape it), with every path id set to each of Acme's objects in turn, called by each
//! role that must not see them: a visitor, a customer of Globex, and two Acme customers who are
//! not in view of the Enterprise contract. Acme's ticket, its reply and an internal note carry
//! canary words; no answer may hold them, and none may be a 5xx. Ana and Acme's customer admin,
//! who may see the ticket, must never see the internal note's canary. Writes with an empty body run too, and Acme's data
//! is checked whole afterwards.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const CANARY: &str = "canary-acme-7f3a";
const INTERNAL_CANARY: &str = "canary-internal-2b9e";

struct Caller {
    name: &'static str,
    token: Option<String>,
    /// Whether the caller may see Acme's Enterprise ticket (then only the internal note is secret).
    sees_ticket: bool,
}

/// Every `(method, path template)` of the document.
fn operations(doc: &Value) -> Vec<(Method, String)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                all.push((
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    path.clone(),
                ));
            }
        }
    }
    all
}

/// The path with every `{param}` set to `id`.
fn fill(template: &str, id: i64) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(&id.to_string());
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn no_route_shows_another_contracts_or_organizations_data() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let enterprise = app.contract_id("Acme Enterprise").await;
    let ticket = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "question", "subject": format!("Webhook {CANARY}"), "description": format!("Details {CANARY}"), "priority": "normal", "contract_id": enterprise}),
        )
        .await
        .assert_status(201)
        .id();
    let reply = ana
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            json!({"body": format!("More {CANARY}")}),
        )
        .await
        .assert_status(201)
        .id();
    agent
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            json!({"body": format!("Note {INTERNAL_CANARY}"), "visibility": "internal"}),
        )
        .await
        .assert_status(201);
    let acme = ana.get("/api/v1/organizations").await.body[0]["id"].as_i64().unwrap();
    let ids = BTreeMap::from([
        ("ticket", ticket),
        ("message", reply),
        ("contract", enterprise),
        ("organization", acme),
        ("user", ana.user_id),
    ]);

    let doc = crate::process::get_json(&format!("{}/api/openapi.json", app.base), None).await;
    let operations = operations(&doc);
    assert!(operations.len() > 100, "{} operations", operations.len());

    let mut callers = vec![Caller {
        name: "visitor",
        token: None,
        sees_ticket: false,
    }];
    for (name, sees_ticket) in [
        ("gabriel@globex.example", false),
        ("eva@acme.example", false),
        ("carla@acme.example", false),
        ("ana@acme.example", true),
        ("bruno@acme.example", true),
    ] {
        callers.push(Caller {
            name,
            token: Some(app.client(name).await.token().to_owned()),
            sees_ticket,
        });
    }

    let mut calls = 0;
    let mut leaks = Vec::new();
    // The detector itself: those who may see the ticket meet its canary (the ticket, its messages).
    let mut seen_where_allowed = 0;
    for caller in &callers {
        for (method, template) in &operations {
            // Signing out or revoking one's own token (an id may match it) would end the
            // caller's session half-way through the matrix.
            let own_session = template.starts_with("/api/v1/auth/")
                || template.starts_with("/api/v1/me")
                || (template.starts_with("/api/v1/tokens/") && *method == Method::DELETE);
            if own_session {
                continue;
            }
            let paths: Vec<(String, &str)> = if template.contains('{') {
                ids.iter().map(|(what, id)| (fill(template, *id), *what)).collect()
            } else {
                vec![(template.clone(), "-")]
            };
            for (path, what) in paths {
                let mut request = app.http.request(method.clone(), format!("{}{path}", app.base));
                if let Some(token) = &caller.token {
                    request = request.bearer_auth(token);
                }
                if *method != Method::GET && *method != Method::DELETE {
                    request = request.json(&json!({}));
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let body = response.text().await.unwrap_or_default();
                calls += 1;
                if caller.sees_ticket && body.contains(CANARY) {
                    seen_where_allowed += 1;
                }
                let leaked = body.contains(INTERNAL_CANARY) || (!caller.sees_ticket && body.contains(CANARY));
                if status >= 500 || leaked {
                    leaks.push(format!(
                        "{} {method} {path} ({what}): {status} {body:.200}",
                        caller.name
                    ));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} of {calls} calls:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(
        seen_where_allowed >= 3,
        "the canary shows where it may: {seen_where_allowed} calls"
    );
    println!(
        "isolation matrix: {} operations x {} callers, {calls} calls, 0 leaks",
        operations.len(),
        callers.len()
    );

    // Every caller was signed in to the end, and Acme's ticket is whole.
    for caller in callers.iter().filter(|c| c.token.is_some()) {
        let me = app
            .http
            .get(format!("{}/api/v1/me", app.base))
            .bearer_auth(caller.token.as_deref().unwrap_or_default())
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "{} is still signed in", caller.name);
    }
    let seen = ana.get(&format!("/api/v1/tickets/{ticket}")).await;
    seen.assert_status(200);
    assert!(seen.body.to_string().contains(CANARY), "{}", seen.body);
    let messages = agent.get(&format!("/api/v1/tickets/{ticket}/messages")).await.body;
    let text = messages.to_string();
    assert!(
        text.contains(&format!("More {CANARY}")) && text.contains(INTERNAL_CANARY),
        "{text}"
    );
}
