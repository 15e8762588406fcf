//! The isolation matrices: every operation of the served OpenAPI document, and every route of
//! the router's source that the document does not describe (the pages, the status page, the
//! webhooks), so that a new route cannot escape them; with every path id set to each of Acme's
//! objects in turn, called by each role that must not see them: a visitor, a customer of Globex,
//! and two Acme customers who are not in view of the Enterprise contract. Acme's ticket, its
//! reply and an internal note carry canary words; no answer may hold them, and none may be a
//! 5xx. Ana and Acme's customer admin, who may see the ticket, must never see the internal
//! note's canary. Writes with an empty body (and, on pages, a valid CSRF token) run too, and
//! Acme's data is checked whole afterwards.

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

/// Acme's Enterprise ticket with its canaries, and the ids the matrices try in every path.
struct Canaries {
    ticket: i64,
    ids: BTreeMap<&'static str, i64>,
}

async fn plant_canaries(app: &TestApp) -> Canaries {
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
    Canaries { ticket, ids }
}

/// The people the matrices call as, and whether each may see Acme's Enterprise ticket.
const CALLERS: [(&str, bool); 5] = [
    ("gabriel@globex.example", false),
    ("eva@acme.example", false),
    ("carla@acme.example", false),
    ("ana@acme.example", true),
    ("bruno@acme.example", true),
];

/// Whether an answer leaks: the internal note to anyone, the ticket to those not in view of it.
fn leaked(body: &str, sees_ticket: bool) -> bool {
    body.contains(INTERNAL_CANARY) || (!sees_ticket && body.contains(CANARY))
}

#[tokio::test]
async fn no_route_shows_another_contracts_or_organizations_data() {
    let app = TestApp::spawn().await;
    let Canaries { ticket, ids } = plant_canaries(&app).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;

    let doc = crate::process::get_json(&format!("{}/api/openapi.json", app.base), None).await;
    let operations = operations(&doc);
    assert!(operations.len() > 100, "{} operations", operations.len());

    let mut callers = vec![Caller {
        name: "visitor",
        token: None,
        sees_ticket: false,
    }];
    for (name, sees_ticket) in CALLERS {
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
                let leaked = leaked(&body, caller.sees_ticket);
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

    // Last, the support team, who may see everything: no operation fails them with a 5xx.
    // Deletions are left out (with every id the same, one could revoke the caller's own token).
    let mut staff_calls = 0;
    let mut failures = Vec::new();
    for name in STAFF {
        let token = app.client(name).await.token().to_owned();
        for (method, template) in operations.iter().filter(|(m, _)| *m != Method::DELETE) {
            if template.starts_with("/api/v1/auth/") {
                continue;
            }
            for id in ids.values() {
                let path = fill(template, *id);
                let mut request = app
                    .http
                    .request(method.clone(), format!("{}{path}", app.base))
                    .bearer_auth(&token);
                if *method != Method::GET {
                    request = request.json(&json!({}));
                }
                let response = request.send().await.unwrap();
                staff_calls += 1;
                if response.status().is_server_error() {
                    failures.push(format!("{name} {method} {path}: {}", response.status()));
                }
                if !template.contains('{') {
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("isolation matrix, staff: {staff_calls} calls, 0 5xx");
}

/// The support team's accounts the matrices end with.
const STAFF: [&str; 2] = ["agent@atende.example", "admin@atende.example"];

/// Whether `expr` calls `name(...)` (not a longer name that ends with it).
fn calls(expr: &str, name: &str) -> bool {
    expr.match_indices(&format!("{name}(")).any(|(at, _)| {
        expr[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// Every `(method, path)` that the web crate's source gives `.route(...)`: the pages, the
/// status page, operations, and the API routes outside the OpenAPI document (nested under
/// `/api/v1`). Read from the source so that a route added there is in the matrix at once.
fn routes_in_source(dir: &std::path::Path, api: bool, out: &mut Vec<(Method, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let api = api || path.file_name().is_some_and(|n| n == "api");
            routes_in_source(&path, api, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for piece in text.split(".route(").skip(1) {
            let Some(open) = piece.find('"') else { continue };
            let Some(len) = piece[open + 1..].find('"') else {
                continue;
            };
            let route = &piece[open + 1..open + 1 + len];
            if !route.starts_with('/') {
                continue;
            }
            // The handlers of this route: up to the end of its link in the chain.
            let end = [";", "\n}", ".merge(", ".layer(", ".nest(", ".with_state(", ".fallback("]
                .iter()
                .filter_map(|stop| piece.find(stop))
                .min()
                .unwrap_or(piece.len());
            let expr = &piece[open + len + 2..end];
            let route = if api && !route.starts_with("/api/") {
                format!("/api/v1{route}")
            } else {
                route.to_owned()
            };
            for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                if calls(expr, &method.as_str().to_lowercase()) {
                    out.push((method, route.clone()));
                }
            }
        }
    }
}

/// `template` with each `{param}`: a language where one is meant, `id` otherwise.
fn fill_page(template: &str, id: i64) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        let name = &rest[open + 1..close - 1];
        if name == "lang" || name == "code" {
            out.push_str("es");
        } else {
            out.push_str(&id.to_string());
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Whether a page is the refusal of a form whose CSRF token was wrong (in any language).
fn refused_for_its_token(html: &str) -> bool {
    [
        "not come from this site",
        "no vino de este sitio",
        "não veio deste site",
    ]
    .iter()
    .any(|t| html.contains(t))
}

#[tokio::test]
async fn no_page_shows_another_contracts_or_organizations_data() {
    use crate::browser::Browser;
    let app = TestApp::spawn().await;
    let Canaries { ticket, ids } = plant_canaries(&app).await;
    let doc = crate::process::get_json(&format!("{}/api/openapi.json", app.base), None).await;
    let documented: std::collections::BTreeSet<(Method, String)> = operations(&doc).into_iter().collect();
    let mut routes = Vec::new();
    routes_in_source(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src"),
        false,
        &mut routes,
    );
    routes.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    routes.dedup();
    routes.retain(|r| !documented.contains(r));
    // The reader works: the pages everyone knows are found, with their methods.
    for known in [
        (Method::GET, "/portal/tickets/{id}"),
        (Method::POST, "/agent/tickets/{id}/reply"),
        (Method::GET, "/status"),
        (Method::GET, "/api/docs"),
    ] {
        assert!(
            routes.iter().any(|(m, p)| *m == known.0 && p == known.1),
            "{known:?} not found in {routes:?}"
        );
    }
    assert!(routes.len() > 120, "{} routes", routes.len());

    // The callers, each a browser with its session and a CSRF token from a page.
    let mut callers = vec![("visitor", Browser::new(&app.base), false)];
    for (name, sees_ticket) in CALLERS {
        let browser = Browser::new(&app.base);
        browser.set_cookie("atende_session", app.client(name).await.token());
        callers.push((name, browser, sees_ticket));
    }
    for (_, browser, _) in &callers {
        browser.get("/login").await;
        browser.get("/preferences").await;
    }

    // The detector of CSRF refusals works.
    let forged = Browser::new(&app.base);
    forged.get("/login").await;
    forged.forget_csrf();
    assert!(refused_for_its_token(&forged.post("/login", &[]).await.html));

    let (mut calls, mut seen_where_allowed) = (0, 0);
    let mut found = Vec::new();
    let mut post_statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut refused_by_csrf = 0;
    for (name, browser, sees_ticket) in &callers {
        for (method, template) in &routes {
            // Signing out would end the caller's session half-way through the matrix.
            if template.starts_with("/logout") {
                continue;
            }
            let paths: Vec<String> = if template.contains('{') {
                ids.values().map(|id| fill_page(template, *id)).collect()
            } else {
                vec![template.clone()]
            };
            for path in paths {
                let page = match *method {
                    Method::GET => browser.get(&path).await,
                    _ => browser.post(&path, &[]).await,
                };
                calls += 1;
                if *method == Method::POST {
                    *post_statuses.entry(page.status.as_u16()).or_insert(0) += 1;
                    if refused_for_its_token(&page.html) {
                        refused_by_csrf += 1;
                    }
                }
                if *sees_ticket && page.html.contains(CANARY) {
                    seen_where_allowed += 1;
                }
                if page.status.is_server_error() || leaked(&page.html, *sees_ticket) {
                    found.push(format!("{name} {method} {path}: {} {:.200}", page.status, page.html));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} of {calls} calls:\n{}",
        found.len(),
        found.join("\n")
    );
    assert!(
        seen_where_allowed >= 2,
        "the canary shows where it may: {seen_where_allowed} calls"
    );
    println!(
        "page matrix: {} routes x {} callers, {calls} calls, 0 leaks; forms answered {post_statuses:?}",
        routes.len(),
        callers.len()
    );
    // The forms were sent with a valid token, so the refusals are the routes' own, not the CSRF check's.
    assert_eq!(refused_by_csrf, 0, "forms refused for their token");
    // Everyone is still signed in, and Ana's ticket is whole.
    for (name, browser, _) in callers.iter().skip(1) {
        let page = browser.get("/preferences").await;
        assert!(page.status.is_success(), "{name} is still signed in: {}", page.status);
    }
    let ana = app.client("ana@acme.example").await;
    let seen = ana.get(&format!("/api/v1/tickets/{ticket}")).await;
    assert!(seen.body.to_string().contains(CANARY), "{}", seen.body);

    // Last, the support team, who may see everything: no page fails them with a 5xx.
    let mut staff_calls = 0;
    let mut failures = Vec::new();
    for name in STAFF {
        let browser = Browser::new(&app.base);
        browser.set_cookie("atende_session", app.client(name).await.token());
        browser.get("/preferences").await;
        for (method, template) in &routes {
            if template.starts_with("/logout") {
                continue;
            }
            for id in ids.values() {
                let path = fill_page(template, *id);
                let page = match *method {
                    Method::GET => browser.get(&path).await,
                    _ => browser.post(&path, &[]).await,
                };
                staff_calls += 1;
                if page.status.is_server_error() {
                    failures.push(format!("{name} {method} {path}: {} {:.200}", page.status, page.html));
                }
                if !template.contains('{') {
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("page matrix, staff: {staff_calls} calls, 0 5xx");
}
