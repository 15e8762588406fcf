//! Service levels end to end: due times on the default profile, pauses, re-triage, the sweep's
//! warnings, breaches and escalation (each once), the explanation, the admin API and the report.

use jiff::{Timestamp, civil::date, tz::TimeZone};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};

fn sao_paulo(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
    date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned(TimeZone::get("America/Sao_Paulo").unwrap())
        .unwrap()
        .timestamp()
}

fn utc(t: Timestamp) -> String {
    t.to_string()
}

async fn incident(client: &Client, contract: i64, priority: &str) -> Value {
    let res = client
        .post("/api/v1/tickets", json!({"type": "incident", "subject": "Bot down", "description": "No answers.", "priority": priority, "contract_id": contract}))
        .await;
    res.assert_status(201);
    res.body
}

fn target<'a>(sla: &'a Value, name: &str) -> &'a Value {
    sla["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == name)
        .unwrap_or_else(|| panic!("no {name} in {sla}"))
}

#[tokio::test]
async fn a_standard_urgent_incident_opened_friday_evening_is_due_monday() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 27, 17, 30)).await;
    let ana = app.client("ana@acme.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await;
    assert_eq!(
        ticket["sla_due_at"],
        utc(sao_paulo(2026, 11, 30, 8, 30)),
        "Monday 08:30 in São Paulo"
    );
    let sla = ana.get(&format!("/api/v1/tickets/{}/sla", ticket["id"])).await;
    sla.assert_status(200);
    assert_eq!(sla.body["calendar"], "business");
    assert_eq!(sla.body["policy"]["name"], "Standard urgent incident");
    let first = target(&sla.body, "first_response");
    assert_eq!(
        (first["state"].as_str(), first["target_minutes"].as_i64()),
        (Some("running"), Some(60))
    );
    // Ana reads Spanish: the explanation names the day and says closed hours were skipped.
    let text = first["explanation"].as_str().unwrap();
    assert!(
        text.contains("vence el lunes 2026-11-30 08:30") && text.contains("viernes 2026-11-27 17:30"),
        "{text}"
    );
    assert!(text.contains("horas fuera del horario"), "{text}");
    // 600 business minutes: 30 on Friday, then Monday 08:00 to 17:30.
    assert_eq!(
        target(&sla.body, "resolution")["due_at"],
        utc(sao_paulo(2026, 11, 30, 17, 30))
    );
}

#[tokio::test]
async fn holidays_are_skipped_and_named() {
    // Thursday before Good Friday 2026.
    let app = TestApp::spawn_at(sao_paulo(2026, 4, 2, 17, 30)).await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await;
    assert_eq!(ticket["sla_due_at"], utc(sao_paulo(2026, 4, 6, 8, 30)));
    let sla = agent.get(&format!("/api/v1/tickets/{}/sla", ticket["id"])).await;
    let text = target(&sla.body, "first_response")["explanation"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains("Sexta-feira Santa (2026-04-03)") && text.contains("Monday 2026-04-06 08:30"),
        "{text}"
    );
}

#[tokio::test]
async fn a_premium_urgent_incident_at_three_on_sunday_is_due_at_three_forty_five() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 29, 3, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Enterprise").await, "urgent").await;
    assert_eq!(ticket["sla_due_at"], utc(sao_paulo(2026, 11, 29, 3, 45)));
    let sla = ana.get(&format!("/api/v1/tickets/{}/sla", ticket["id"])).await;
    assert_eq!(sla.body["calendar"], "24x7");
    assert_eq!(
        target(&sla.body, "periodic_update")["due_at"],
        utc(sao_paulo(2026, 11, 29, 4, 0))
    );
}

#[tokio::test]
async fn the_sweep_warns_then_records_the_breach_once_and_escalates() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 23, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let supervisor = app.client("supervisor@atende.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await;
    let id = ticket["id"].as_i64().unwrap();

    // The demo data holds one more standard urgent incident, opened at the same moment.
    let mine = |body: &Value| -> Vec<String> {
        body.as_array()
            .unwrap()
            .iter()
            .filter(|n| n["ticket_id"] == id)
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    app.advance(40);
    assert_eq!(app.sweep().await.warned, 0, "40 of 60 minutes: not yet 80 %");
    app.advance(10);
    let report = app.sweep().await;
    assert_eq!((report.warned, report.breached), (2, 0));
    let notes = agent.get("/api/v1/notifications").await;
    assert_eq!(
        mine(&notes.body),
        ["sla_warning"],
        "unassigned: every agent hears of it"
    );
    let note = notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["ticket_id"] == id)
        .unwrap();
    assert_eq!(note["data"]["target"], "first_response");
    assert_eq!(app.sweep().await.warned, 0, "warned once");

    app.advance(15);
    let report = app.sweep().await;
    assert_eq!((report.breached, report.escalated), (2, 2));
    assert_eq!(app.sweep().await, Default::default(), "recorded once");
    assert_eq!(
        mine(&supervisor.get("/api/v1/notifications").await.body),
        ["escalation", "sla_breached", "sla_warning"]
    );
    let events = agent.get(&format!("/api/v1/tickets/{id}/events")).await;
    let kinds: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "sla_warning", "sla_breached", "escalated"]);
    // Overdue and still unanswered: it keeps its (past) due time, so it stays on top of the queue,
    // also after the customer writes again.
    let overdue = utc(sao_paulo(2026, 11, 23, 10, 0));
    ana.post(&format!("/api/v1/tickets/{id}/messages"), json!({"body": "Anyone?"}))
        .await
        .assert_status(201);
    assert_eq!(
        agent.get(&format!("/api/v1/tickets/{id}")).await.body["sla_due_at"],
        overdue
    );
    let queue = agent.get("/api/v1/tickets?sort=due").await;
    assert!(
        queue.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .take(2)
            .any(|t| t["id"] == id),
        "{}",
        queue.body
    );
    assert_eq!(
        app.sweep().await,
        Default::default(),
        "the new reply did not undo the recorded breach"
    );
    let sla = agent.get(&format!("/api/v1/tickets/{id}/sla")).await;
    let first = target(&sla.body, "first_response");
    assert_eq!(first["state"], "breached");
    assert!(first["breach_recorded_at"].is_string());
    assert!(first["explanation"].as_str().unwrap().contains("breached"), "{first}");

    // The read flag is per user.
    let note = agent.get("/api/v1/notifications?unread=true").await.body[0]["id"]
        .as_i64()
        .unwrap();
    agent
        .post(&format!("/api/v1/notifications/{note}/read"), json!({}))
        .await
        .assert_status(204);
    supervisor
        .post(&format!("/api/v1/notifications/{note}/read"), json!({}))
        .await
        .assert_error(404, "notification.not_found");
}

#[tokio::test]
async fn the_assignee_is_the_one_warned() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 23, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let admin = app.client("admin@atende.example").await;
    let second = admin
        .post(
            "/api/v1/users",
            json!({"email": "kim@atende.example", "name": "Kim", "role": "agent", "password": "kim's long password"}),
        )
        .await;
    let kim = app.client("kim@atende.example").await;
    let id = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await["id"]
        .as_i64()
        .unwrap();
    agent
        .patch(&format!("/api/v1/tickets/{id}"), json!({"assignee_id": second.id()}))
        .await
        .assert_status(200);
    app.advance(50);
    app.sweep().await;
    let about = |body: Value| body.as_array().unwrap().iter().filter(|n| n["ticket_id"] == id).count();
    assert_eq!(about(kim.get("/api/v1/notifications").await.body), 1);
    assert_eq!(
        about(agent.get("/api/v1/notifications").await.body),
        0,
        "only the assignee, not every agent"
    );
}

#[tokio::test]
async fn pending_pauses_the_clocks_and_moves_the_due_times() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 24, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let id = ana
        .post("/api/v1/tickets", json!({"type": "task", "subject": "Logs", "description": "Send the logs.", "contract_id": app.contract_id("Acme Startup").await}))
        .await
        .id();
    let path = format!("/api/v1/tickets/{id}");
    app.advance(10);
    agent
        .post(&format!("{path}/messages"), json!({"body": "Which month?"}))
        .await
        .assert_status(201);
    agent
        .patch(&path, json!({"status": "pending"}))
        .await
        .assert_status(200);
    app.advance(120);
    let sla = agent.get(&format!("{path}/sla")).await;
    let resolution = target(&sla.body, "resolution");
    assert_eq!(resolution["state"], "paused");
    assert!(resolution["due_at"].is_null());
    assert_eq!(
        agent.get(&path).await.body["sla_due_at"],
        Value::Null,
        "a paused ticket leaves the urgent queue"
    );
    ana.post(&format!("{path}/messages"), json!({"body": "January."}))
        .await
        .assert_status(201);
    let sla = agent.get(&format!("{path}/sla")).await;
    let resolution = target(&sla.body, "resolution");
    assert_eq!(resolution["state"], "running");
    assert_eq!(resolution["business_minutes_paused"], 120);
    // 3000 business minutes = 5 business days from Tuesday 09:00, pushed 2 hours by the pause.
    assert_eq!(resolution["due_at"], utc(sao_paulo(2026, 12, 1, 11, 0)));
    let next = target(&sla.body, "next_response");
    assert_eq!(
        (next["state"].as_str(), next["cycle"].as_i64()),
        (Some("running"), Some(1))
    );
}

#[tokio::test]
async fn re_triage_applies_the_new_policy_from_the_ticket_history() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 24, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Startup").await, "normal").await;
    // 600 business minutes: 09:00-18:00 today, then 60 more on Wednesday.
    assert_eq!(ticket["sla_due_at"], utc(sao_paulo(2026, 11, 25, 9, 0)));
    app.advance(30);
    let changed = agent
        .patch(
            &format!("/api/v1/tickets/{}", ticket["id"]),
            json!({"priority": "urgent"}),
        )
        .await;
    // 60 minutes from creation (09:00), not from the change (09:30).
    assert_eq!(changed.body["sla_due_at"], utc(sao_paulo(2026, 11, 24, 10, 0)));
}

#[tokio::test]
async fn the_urgent_queue_and_urgency_times_impact() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 24, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let low = incident(&ana, startup, "low").await["id"].as_i64().unwrap();
    let from_words = ana
        .post("/api/v1/tickets", json!({"type": "incident", "subject": "Everything is down", "description": "All customers.", "urgency": "high", "impact": "high", "contract_id": startup}))
        .await;
    from_words.assert_status(201);
    assert_eq!(from_words.body["priority"], "urgent");
    ana.post(
        "/api/v1/tickets",
        json!({"type": "incident", "subject": "x", "description": "y", "urgency": "high", "contract_id": startup}),
    )
    .await
    .assert_error(422, "validation.invalid");
    let queue = agent.get("/api/v1/tickets?sort=due&status=new").await;
    let ids: Vec<i64> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&from_words.id()), "most urgent first: {ids:?}");
    assert!(ids.iter().position(|i| *i == low) > Some(0));
    assert!(queue.body["next_cursor"].is_null());
    agent
        .get("/api/v1/tickets?sort=due&cursor=5")
        .await
        .assert_error(422, "validation.invalid");
    agent
        .get("/api/v1/tickets?sort=oldest")
        .await
        .assert_error(422, "validation.not_one_of");
}

#[tokio::test]
async fn admins_manage_policies_and_calendars() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 24, 9, 0)).await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    ana.get("/api/v1/sla/policies")
        .await
        .assert_error(403, "forbidden.staff_only");
    assert_eq!(
        agent.get("/api/v1/sla/policies").await.body.as_array().unwrap().len(),
        10
    );

    let calendars = agent.get("/api/v1/sla/calendars").await;
    let business = calendars
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "business")
        .unwrap();
    assert!(business["warning"].is_null());
    let upcoming: Vec<&str> = business["upcoming_holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(
        upcoming.contains(&"2026-12-25") && upcoming.contains(&"2027-03-26"),
        "Christmas and Good Friday 2027: {upcoming:?}"
    );

    let week = json!([
        [[540, 1020]],
        [[540, 1020]],
        [[540, 1020]],
        [[540, 1020]],
        [[540, 1020]],
        [],
        []
    ]);
    let lisbon = json!({"name": "Lisbon office", "time_zone": "Europe/Lisbon", "week": week, "holiday_rules": "none"});
    agent
        .send(
            reqwest::Method::PUT,
            "/api/v1/sla/calendars/lisbon",
            Some(lisbon.clone()),
        )
        .await
        .assert_error(403, "forbidden.admin_only");
    admin
        .send(reqwest::Method::PUT, "/api/v1/sla/calendars/lisbon", Some(lisbon))
        .await
        .assert_status(204);
    let bad = json!({"name": "Broken", "time_zone": "Europe/Lisbon", "week": [[[600, 500]]], "holiday_rules": "none"});
    admin
        .send(reqwest::Method::PUT, "/api/v1/sla/calendars/broken", Some(bad))
        .await
        .assert_error(422, "validation.invalid");
    let warned =
        |body: &Value| body.as_array().unwrap().iter().find(|c| c["code"] == "lisbon").unwrap()["warning"].clone();
    assert_eq!(
        warned(&agent.get("/api/v1/sla/calendars").await.body),
        "no_holidays_ahead"
    );
    admin
        .post(
            "/api/v1/sla/calendars/lisbon/holidays",
            json!({"date": "2026-12-08", "name": "Imaculada Conceição"}),
        )
        .await
        .assert_status(204);
    assert!(warned(&agent.get("/api/v1/sla/calendars").await.body).is_null());

    let policy = json!({"name": "Lisbon tasks", "position": 1, "tier": "standard", "ticket_type": "task", "calendar": "lisbon",
                        "targets": {"first_response": 30, "next_response": null, "periodic_update": null, "resolution": null}});
    let created = admin.post("/api/v1/sla/policies", policy.clone()).await;
    created.assert_status(201);
    let mut wrong = policy.clone();
    wrong["calendar"] = json!("mars");
    admin
        .post("/api/v1/sla/policies", wrong)
        .await
        .assert_error(422, "validation.invalid");
    // The new policy comes first for standard tasks.
    let task = ana.post("/api/v1/tickets", json!({"type": "task", "subject": "t", "description": "d", "contract_id": app.contract_id("Acme Startup").await})).await;
    let sla = ana.get(&format!("/api/v1/tickets/{}/sla", task.id())).await;
    assert_eq!(
        (sla.body["calendar"].as_str(), sla.body["time_zone"].as_str()),
        (Some("lisbon"), Some("Europe/Lisbon"))
    );
    admin
        .delete(&format!("/api/v1/sla/policies/{}", created.id()))
        .await
        .assert_status(204);
    admin
        .delete(&format!("/api/v1/sla/policies/{}", created.id()))
        .await
        .assert_error(404, "policy.not_found");
}

#[tokio::test]
async fn the_sla_report_counts_from_the_stored_clocks() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 23, 9, 0)).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let on_time = incident(&ana, startup, "urgent").await["id"].as_i64().unwrap();
    let late = incident(&ana, startup, "urgent").await["id"].as_i64().unwrap();
    app.advance(20);
    agent
        .post(
            &format!("/api/v1/tickets/{on_time}/messages"),
            json!({"body": "On it."}),
        )
        .await
        .assert_status(201);
    app.advance(70);
    agent
        .post(
            &format!("/api/v1/tickets/{late}/messages"),
            json!({"body": "Sorry for the wait."}),
        )
        .await
        .assert_status(201);
    app.sweep().await;
    ana.get("/api/v1/reports/sla?from=2026-11-01&to=2026-12-01")
        .await
        .assert_error(403, "forbidden.staff_only");
    agent
        .get("/api/v1/reports/sla?from=yesterday&to=2026-12-01")
        .await
        .assert_error(422, "validation.invalid");
    let report = agent.get("/api/v1/reports/sla?from=2026-11-23&to=2026-11-24").await;
    report.assert_status(200);
    let row = report
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == "first_response" && r["priority"] == "urgent" && r["tier"] == "standard")
        .unwrap();
    // The demo's unanswered urgent incident counts too: breached by the sweep.
    assert_eq!(
        (
            row["tickets"].as_i64(),
            row["achieved"].as_i64(),
            row["breached"].as_i64()
        ),
        (Some(3), Some(1), Some(2))
    );
    // Business minutes to the first reply: 20 and 90; the median interpolates to 55.
    assert_eq!(row["median_business_minutes"], 55.0);
    assert_eq!(row["p90_business_minutes"], 83.0);
}

#[tokio::test]
async fn a_new_holiday_moves_the_due_times_of_open_tickets() {
    // Thursday 2026-11-26 17:30: first response due Friday 08:30.
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 26, 17, 30)).await;
    let ana = app.client("ana@acme.example").await;
    let admin = app.client("admin@atende.example").await;
    let ticket = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await;
    assert_eq!(ticket["sla_due_at"], utc(sao_paulo(2026, 11, 27, 8, 30)));
    admin
        .post(
            "/api/v1/sla/calendars/business/holidays",
            json!({"date": "2026-11-27", "name": "Company day off"}),
        )
        .await
        .assert_status(204);
    let after = ana.get(&format!("/api/v1/tickets/{}", ticket["id"])).await;
    assert_eq!(
        after.body["sla_due_at"],
        utc(sao_paulo(2026, 11, 30, 8, 30)),
        "Friday is now closed"
    );
    app.advance(16 * 60);
    assert_eq!(app.sweep().await.breached, 0, "nothing breaches on the new holiday");
}

#[tokio::test]
async fn concurrent_replies_on_one_ticket_all_land() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let id = incident(&ana, app.contract_id("Acme Startup").await, "high").await["id"]
        .as_i64()
        .unwrap();
    let replies: Vec<_> = (0..16)
        .map(|i| {
            let who = if i % 2 == 0 { ana.clone() } else { agent.clone() };
            tokio::spawn(async move {
                who.post(
                    &format!("/api/v1/tickets/{id}/messages"),
                    json!({"body": format!("reply {i}")}),
                )
                .await
                .status
                .as_u16()
            })
        })
        .collect();
    for reply in replies {
        assert_eq!(reply.await.unwrap(), 201);
    }
    assert_eq!(
        agent
            .get(&format!("/api/v1/tickets/{id}/messages"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        16
    );
    agent.get(&format!("/api/v1/tickets/{id}/sla")).await.assert_status(200);
}

#[tokio::test]
async fn a_groups_agents_hear_about_its_unassigned_tickets() {
    let app = TestApp::spawn_at(sao_paulo(2026, 11, 23, 9, 0)).await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    agent
        .post("/api/v1/groups", json!({"name": "Tier 2"}))
        .await
        .assert_error(403, "forbidden.admin_only");
    let group = admin.post("/api/v1/groups", json!({"name": "Tier 2"})).await;
    group.assert_status(201);
    let group_id = group.id();
    admin
        .post("/api/v1/groups", json!({"name": "Tier 2"}))
        .await
        .assert_error(409, "group.name_taken");
    let kim = admin
        .post(
            "/api/v1/users",
            json!({"email": "kim@atende.example", "name": "Kim", "role": "agent", "password": "kim's long password"}),
        )
        .await;
    let members = format!("/api/v1/groups/{group_id}/members");
    admin
        .post(&members, json!({"user_id": ana.user_id}))
        .await
        .assert_error(422, "group.member_not_staff");
    admin
        .post(&members, json!({"user_id": kim.id()}))
        .await
        .assert_status(204);
    assert_eq!(agent.get(&members).await.body[0]["email"], "kim@atende.example");

    let id = incident(&ana, app.contract_id("Acme Startup").await, "urgent").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/tickets/{id}");
    ana.patch(&path, json!({"group_id": group_id}))
        .await
        .assert_error(403, "ticket.triage_staff_only");
    agent
        .patch(&path, json!({"group_id": 999_999}))
        .await
        .assert_error(404, "group.not_found");
    let routed = agent.patch(&path, json!({"group_id": group_id})).await;
    assert_eq!(routed.body["group_id"], group_id);
    let queue = agent.get(&format!("/api/v1/tickets?group_id={group_id}")).await;
    let ids: Vec<i64> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id]);

    app.advance(50);
    app.sweep().await;
    let kim = app.client("kim@atende.example").await;
    let about = |body: Value| body.as_array().unwrap().iter().filter(|n| n["ticket_id"] == id).count();
    assert_eq!(
        about(kim.get("/api/v1/notifications").await.body),
        1,
        "the group's agent"
    );
    assert_eq!(
        about(agent.get("/api/v1/notifications").await.body),
        0,
        "not agents outside the group"
    );
    let events = agent.get(&format!("{path}/events")).await.body;
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "group_changed" && e["data"]["to"] == group_id)
    );
}
