//! Who sees what: a customer sees only tickets of contracts they are in view of; anything else
//! answers 404 on every ticket endpoint, never its data.

use serde_json::json;

use crate::helpers::{Client, TestApp};

/// Every ticket endpoint, for one ticket id; each must answer 404 `ticket.not_found` to `who`.
async fn assert_hidden(who: &Client, ticket: i64) {
    let path = format!("/api/v1/tickets/{ticket}");
    let attempts = [
        who.get(&path).await,
        who.patch(&path, json!({"status": "solved"})).await,
        who.get(&format!("{path}/messages")).await,
        who.post(&format!("{path}/messages"), json!({"body": "let me in"}))
            .await,
        who.get(&format!("{path}/events")).await,
        who.get(&format!("{path}/sla")).await,
    ];
    for res in attempts {
        res.assert_error(404, "ticket.not_found");
        assert!(
            !res.body.to_string().contains("stopped answering"),
            "no ticket data leaks: {}",
            res.body
        );
    }
}

#[tokio::test]
async fn another_organizations_ticket_is_not_found_on_every_endpoint() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let ticket = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    let gabriel = app.client("gabriel@globex.example").await;
    assert_hidden(&gabriel, ticket).await;
    let list = gabriel.get("/api/v1/tickets").await;
    assert!(list.body["items"].as_array().unwrap().iter().all(|t| t["id"] != ticket));
    // Nor can he open a ticket on Acme's contract: it does not exist for him.
    gabriel
        .open_ticket(app.contract_id("Acme Startup").await)
        .await
        .assert_error(404, "contract.not_found");
    gabriel
        .get(&format!("/api/v1/contracts/{}", app.contract_id("Acme Startup").await))
        .await
        .assert_error(404, "contract.not_found");
}

#[tokio::test]
async fn a_contract_of_the_same_organization_not_in_view_is_hidden() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let enterprise_ticket = ana.open_ticket(app.contract_id("Acme Enterprise").await).await.id();
    // Eva is on the Startup bot's team only: she does not see the Enterprise contract's tickets.
    let eva = app.client("eva@acme.example").await;
    assert_hidden(&eva, enterprise_ticket).await;
    // But she sees tickets of the contract her bot belongs to, opened by someone else.
    let startup_ticket = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    eva.get(&format!("/api/v1/tickets/{startup_ticket}"))
        .await
        .assert_status(200);
    let listed: Vec<i64> = eva.get("/api/v1/tickets").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(
        listed.contains(&startup_ticket) && !listed.contains(&enterprise_ticket),
        "{listed:?}"
    );
    // Carla (Trial team only) sees neither.
    let carla = app.client("carla@acme.example").await;
    assert_hidden(&carla, startup_ticket).await;
    assert_hidden(&carla, enterprise_ticket).await;
}

#[tokio::test]
async fn a_customer_admin_sees_the_whole_organization_and_nothing_else() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let enterprise_ticket = ana.open_ticket(app.contract_id("Acme Enterprise").await).await.id();
    let gabriel = app.client("gabriel@globex.example").await;
    let globex_ticket = gabriel.open_ticket(app.contract_id("Globex Lite").await).await;
    globex_ticket.assert_status(201);
    let bruno = app.client("bruno@acme.example").await;
    bruno
        .get(&format!("/api/v1/tickets/{enterprise_ticket}"))
        .await
        .assert_status(200);
    assert_hidden(&bruno, globex_ticket.id()).await;
    let users = bruno.get("/api/v1/users").await;
    assert!(
        users
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["email"].as_str().unwrap().ends_with("@acme.example"))
    );
    let globex_org = gabriel.get("/api/v1/organizations").await.body[0]["id"]
        .as_i64()
        .unwrap();
    bruno
        .get(&format!("/api/v1/organizations/{globex_org}"))
        .await
        .assert_error(404, "organization.not_found");
    bruno
        .get(&format!("/api/v1/users?organization_id={globex_org}"))
        .await
        .assert_error(404, "organization.not_found");
}

#[tokio::test]
async fn customers_cannot_triage_or_write_internal_notes_and_do_not_see_them() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let ticket = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    let path = format!("/api/v1/tickets/{ticket}");
    ana.patch(&path, json!({"priority": "urgent"}))
        .await
        .assert_error(403, "ticket.triage_staff_only");
    ana.patch(&path, json!({"assignee_id": agent.user_id}))
        .await
        .assert_error(403, "ticket.triage_staff_only");
    ana.post(
        &format!("{path}/messages"),
        json!({"body": "psst", "visibility": "internal"}),
    )
    .await
    .assert_error(403, "ticket.notes_staff_only");
    agent
        .post(
            &format!("{path}/messages"),
            json!({"body": "Customer is upset; escalate.", "visibility": "internal"}),
        )
        .await
        .assert_status(201);
    agent
        .post(&format!("{path}/messages"), json!({"body": "We are on it."}))
        .await
        .assert_status(201);
    let seen = ana.get(&format!("{path}/messages")).await;
    let bodies: Vec<&str> = seen
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["We are on it."]);
    let events = ana.get(&format!("{path}/events")).await.body.to_string();
    assert!(
        !events.contains("internal"),
        "customers do not see note events: {events}"
    );
    assert_eq!(
        agent
            .get(&format!("{path}/messages"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Customers cannot log tickets for someone else.
    let other = json!({"type": "task", "subject": "x", "description": "y", "contract_id": app.contract_id("Acme Startup").await, "requester_id": agent.user_id});
    ana.post("/api/v1/tickets", other)
        .await
        .assert_error(403, "ticket.on_behalf_staff_only");
}

#[tokio::test]
async fn anonymous_callers_get_401_and_bad_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    anonymous
        .get("/api/v1/tickets")
        .await
        .assert_error(401, "auth.required");
    anonymous.post("/api/v1/tickets", json!({})).await.assert_status(401);
    let res = app
        .http
        .get(format!("{}/api/v1/tickets", app.base))
        .bearer_auth("atd_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // Public endpoints stay public.
    anonymous.get("/api/v1/plans").await.assert_status(200);
    anonymous.get("/api/v1/ticket-types").await.assert_status(200);
}
