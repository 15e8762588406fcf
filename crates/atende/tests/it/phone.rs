//! Phone support over the API: call backs only where the plan and the contract include phone,
//! calls logged by staff on tickets.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_call_back_is_refused_with_the_reason_where_phone_is_not_included() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await.with_language("en");
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48)).to_string();
    let startup = app.contract_id("Acme Startup").await;
    let refused = ana
        .post(
            "/api/v1/callbacks",
            json!({"contract_id": startup, "phone_number": "+55 11 4000-1234", "preferred_at": soon, "subject": "Plan"}),
        )
        .await;
    let message = refused.assert_error(403, "not_entitled.channel_not_in_plan");
    assert!(message.contains("teléfono"), "in her language: {message}");
    assert!(refused.body["error"]["support_email"].is_string());

    let enterprise = app.contract_id("Acme Enterprise").await;
    let booked = ana
        .post(
            "/api/v1/callbacks",
            json!({"contract_id": enterprise, "phone_number": "+55 11 4000-1234", "preferred_at": soon, "subject": "Plan"}),
        )
        .await;
    booked.assert_status(201);
    assert_eq!(booked.body["phone_number"], "+551140001234");
    assert_eq!(booked.body["status"], "waiting");

    // Bad input says what was wrong.
    ana.post(
        "/api/v1/callbacks",
        json!({"contract_id": enterprise, "phone_number": "call me", "preferred_at": soon, "subject": "Plan"}),
    )
    .await
    .assert_error(422, "validation.invalid");
    ana.post(
        "/api/v1/callbacks",
        json!({"contract_id": enterprise, "phone_number": "+551140001234", "preferred_at": "2099-01-01T00:00:00Z", "subject": "Plan"}),
    )
    .await
    .assert_error(422, "callback.time_out_of_range");

    // The queue is the staff's; customers see their own requests.
    let agent = app.client("agent@atende.example").await;
    let queue = agent.get("/api/v1/callbacks").await;
    assert_eq!(queue.body.as_array().unwrap().len(), 1);
    let gabriel = app.client("gabriel@globex.example").await;
    assert_eq!(gabriel.get("/api/v1/callbacks").await.body.as_array().unwrap().len(), 0);
    let id = booked.id();
    gabriel
        .post(&format!("/api/v1/callbacks/{id}/close"), json!({"done": true}))
        .await
        .assert_error(403, "forbidden.staff_only");
    agent
        .post(&format!("/api/v1/callbacks/{id}/close"), json!({"done": false}))
        .await
        .assert_status(204);
    agent
        .post(&format!("/api/v1/callbacks/{id}/close"), json!({"done": false}))
        .await
        .assert_error(422, "callback.already_closed");
}

#[tokio::test]
async fn staff_log_calls_on_tickets_and_customers_see_only_public_notes() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let enterprise = app.contract_id("Acme Enterprise").await;
    let ticket = ana.open_ticket(enterprise).await.id();
    let agent = app.client("agent@atende.example").await;
    let call = agent
        .post(
            &format!("/api/v1/tickets/{ticket}/calls"),
            json!({"direction": "outbound", "phone_number": "+55 11 4000-1234", "duration_seconds": 420, "notes": "Walked through the fix."}),
        )
        .await;
    call.assert_status(201);
    assert_eq!(call.body["direction"], "outbound");
    assert_eq!(call.body["duration_seconds"], 420);
    ana.post(
        &format!("/api/v1/tickets/{ticket}/calls"),
        json!({"direction": "inbound", "phone_number": "+551140001234", "duration_seconds": 60, "notes": "x"}),
    )
    .await
    .assert_error(403, "forbidden.staff_only");
    let seen = ana.get(&format!("/api/v1/tickets/{ticket}/messages")).await;
    assert!(
        !seen.body.to_string().contains("Walked through"),
        "call notes are internal by default"
    );
    let staff_view = agent.get(&format!("/api/v1/tickets/{ticket}/messages")).await;
    let note = staff_view
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["body"] == "Walked through the fix.")
        .unwrap();
    assert_eq!(note["channel"], "phone");
    assert_eq!(
        agent
            .get(&format!("/api/v1/tickets/{ticket}/calls"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The customer does not learn of a call whose notes stayed internal; a shared one they see.
    assert_eq!(
        ana.get(&format!("/api/v1/tickets/{ticket}/calls")).await.body,
        json!([])
    );
    agent
        .post(
            &format!("/api/v1/tickets/{ticket}/calls"),
            json!({"direction": "inbound", "phone_number": "+551140001234", "duration_seconds": 90, "notes": "Confirmed it works.", "visibility": "public"}),
        )
        .await
        .assert_status(201);
    let shared = ana.get(&format!("/api/v1/tickets/{ticket}/calls")).await;
    assert_eq!(shared.body.as_array().unwrap().len(), 1);
    assert_eq!(shared.body[0]["duration_seconds"], 90);
    agent
        .post(
            &format!("/api/v1/tickets/{ticket}/calls"),
            json!({"direction": "sideways", "phone_number": "+551140001234", "duration_seconds": 60, "notes": "x"}),
        )
        .await
        .assert_error(422, "validation.not_one_of");
}
