//! Reports: a hand-counted day of tickets read back through the summary, the page and the
//! exports; and what a customer reads of them (their own organization's, whatever the filters).

use serde_json::json;

use crate::helpers::TestApp;

/// The agent's public reply on a ticket.
async fn answer(agent: &crate::helpers::Client, ticket: i64) {
    agent
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            json!({"body": "Mirando.", "visibility": "public"}),
        )
        .await
        .assert_status(201);
}

async fn solve(agent: &crate::helpers::Client, ticket: i64) {
    agent
        .patch(&format!("/api/v1/tickets/{ticket}"), json!({"status": "solved"}))
        .await
        .assert_status(200);
}

async fn rate(customer: &crate::helpers::Client, ticket: i64, rating: &str, comment: &str) {
    customer
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/tickets/{ticket}/rating"),
            Some(json!({"rating": rating, "comment": comment})),
        )
        .await
        .assert_status(200);
}

#[tokio::test]
async fn a_hand_counted_day_adds_up_everywhere_and_customers_see_only_their_own() {
    // Monday 2026-11-16, 09:00 in São Paulo; the demo's own tickets are made now and left out
    // by opening ours the next day.
    let app = TestApp::spawn_at("2026-11-16T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let lite = app.contract_id("Globex Lite").await;
    app.advance(24 * 60);

    let open = |client: &crate::helpers::Client, contract: i64, subject: &str| {
        let body = json!({"type": "question", "subject": subject, "description": "d", "contract_id": contract});
        let client = client.clone();
        async move { client.post("/api/v1/tickets", body).await.id() }
    };
    let first = open(&ana, startup, "Acme uno").await;
    let second = open(&ana, startup, "Acme dos, \"con comillas\"").await;
    let globex = open(&gabriel, lite, "Globex one").await;
    app.advance(30);
    answer(&agent, first).await;
    solve(&agent, first).await;
    app.advance(60);
    // Ana writes back: the ticket opens again; the agent solves it again.
    ana.post(
        &format!("/api/v1/tickets/{first}/messages"),
        json!({"body": "Sigue igual."}),
    )
    .await
    .assert_status(201);
    solve(&agent, first).await;
    rate(&ana, first, "good", "Rápido y claro").await;
    // Ana asks the bot in the chat; an article answers her and she files nothing that day.
    let session = reqwest::Client::new()
        .post(format!("{}/api/v1/chat/sessions", app.base()))
        .header("cookie", format!("atende_session={}", ana.token()))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let visitor = session["visitor"].as_str().unwrap().to_owned();
    for text in ["tengo una duda", "¿Cuáles son los tipos de ticket?"] {
        reqwest::Client::new()
            .post(format!("{}/api/v1/chat/messages", app.base()))
            .json(&json!({"visitor": visitor, "text": text}))
            .send()
            .await
            .unwrap();
    }
    app.sweep().await;

    let day = "from=2026-11-17&to=2026-11-17";
    let all = agent.get(&format!("/api/v1/reports/summary?{day}")).await;
    all.assert_status(200);
    let s = &all.body;
    assert_eq!(
        (s["created"].as_i64(), s["solved"].as_i64(), s["reopened"].as_i64()),
        (Some(3), Some(2), Some(1)),
        "{s}"
    );
    assert_eq!(s["days"].as_array().unwrap().len(), 1);
    assert_eq!(s["days"][0]["created"], 3);
    assert_eq!(s["first_response"]["count"], 1);
    assert_eq!(
        s["first_response"]["median"], 30.0,
        "30 business minutes on a Tuesday morning"
    );
    let me = s["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == agent.user_id)
        .unwrap()
        .clone();
    assert_eq!((me["replies"].as_i64(), me["solves"].as_i64()), (Some(1), Some(2)));
    assert_eq!(s["channels"]["api"], 3);
    assert_eq!(s["csat"]["good"], 1, "{}", s["csat"]);
    assert_eq!(s["csat"]["share_good"], 100);
    assert_eq!(s["csat"]["comments"][0]["comment"], "Rápido y claro");
    assert_eq!(s["deflection"]["opened"], 1);
    assert_eq!(
        s["deflection"]["deflected"], 1,
        "no ticket of hers followed within a day"
    );
    // The day before had the demo's tickets: the change is measured against it.
    assert!(s["previous_created"].as_i64().unwrap() > 0);

    // Customers: their organization's tickets only, whatever they ask for.
    let mine = ana.get(&format!("/api/v1/reports/summary?{day}")).await;
    assert_eq!(mine.body["created"], 2);
    assert_eq!(mine.body["breaching"], json!([]), "staff's list, not theirs");
    let theirs = gabriel
        .get(&format!("/api/v1/reports/summary?{day}&contract_id={startup}"))
        .await;
    assert_eq!(theirs.body["created"], 0, "a filter cannot widen what one sees");
    let globex_only = gabriel.get(&format!("/api/v1/reports/summary?{day}")).await;
    assert_eq!(globex_only.body["created"], 1);
    app.anonymous()
        .get(&format!("/api/v1/reports/summary?{day}"))
        .await
        .assert_status(401);
    agent
        .get("/api/v1/reports/summary?from=2026-11-20&to=2026-11-10")
        .await
        .assert_error(422, "validation.invalid");

    // The export: the same tickets, quoted as CSV wants, and only the reader's.
    let csv = agent.get(&format!("/api/v1/reports/tickets?{day}")).await;
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.body.as_str().unwrap().to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,created_at,subject,type,priority,status,channel,contract,bot,requester,assignee,sla_due_at"
    );
    assert_eq!(lines.len(), 4);
    assert!(text.contains("\"Acme dos, \"\"con comillas\"\"\""), "{text}");
    let ana_csv = ana.get(&format!("/api/v1/reports/tickets?{day}")).await;
    let ana_text = ana_csv.body.as_str().unwrap();
    assert!(ana_text.contains(&format!("{second},")) && !ana_text.contains(&format!("{globex},")));
    let jsonl = agent.get(&format!("/api/v1/reports/tickets?{day}&format=json")).await;
    let rows: Vec<serde_json::Value> = jsonl
        .body
        .as_str()
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["id"], first);

    // The pages: the dashboard for staff, her own figures for Ana; both draw their charts.
    let browser = app.browser("agent@atende.example").await;
    let dashboard = browser.get(&format!("/agent/reports?{day}")).await;
    dashboard
        .assert_contains("id=\"fig-created\">3<")
        .assert_contains("<svg class=\"chart\"");
    let hers = app
        .browser("ana@acme.example")
        .await
        .get(&format!("/portal/reports?{day}"))
        .await;
    hers.assert_contains("id=\"fig-created\">2<");
    let download = app
        .browser("ana@acme.example")
        .await
        .get(&format!("/portal/reports/export?{day}"))
        .await;
    assert!(download.html.contains("Acme uno") && !download.html.contains("Globex one"));
}

#[tokio::test]
async fn the_weekly_report_reaches_each_subscriber_once_on_monday() {
    // Sunday 2026-11-22, 20:00 in São Paulo.
    let app = TestApp::spawn_at("2026-11-22T23:00:00Z".parse().unwrap()).await;
    let supervisor = app.client("supervisor@atende.example").await;
    let bruno = app.client("bruno@acme.example").await;
    let ana = app.client("ana@acme.example").await;
    for who in [&supervisor, &bruno] {
        let on = who
            .send(reqwest::Method::PUT, "/api/v1/reports/subscription", None)
            .await;
        assert_eq!(on.body["subscribed"], true, "{}", on.body);
    }
    ana.send(reqwest::Method::PUT, "/api/v1/reports/subscription", None)
        .await
        .assert_error(403, "reports.weekly_role");
    assert_eq!(
        atende_app::reports::send_weekly(app.app()).await.unwrap(),
        0,
        "the week under way is not over"
    );
    // Monday, 07:00: not yet; 09:00: the week is reported, once.
    app.advance(11 * 60);
    assert_eq!(atende_app::reports::send_weekly(app.app()).await.unwrap(), 0);
    app.advance(2 * 60);
    assert_eq!(atende_app::reports::send_weekly(app.app()).await.unwrap(), 2);
    assert_eq!(atende_app::reports::send_weekly(app.app()).await.unwrap(), 0);
    assert_eq!(
        app.outbox_to("weekly_report").await,
        ["bruno@acme.example", "supervisor@atende.example"]
    );
    // Unsubscribed: next Monday brings nothing.
    bruno.delete("/api/v1/reports/subscription").await.assert_status(200);
    app.advance(7 * 24 * 60);
    assert_eq!(atende_app::reports::send_weekly(app.app()).await.unwrap(), 1);
    assert_eq!(app.outbox_to("weekly_report").await.len(), 3);
}

#[tokio::test]
async fn response_times_are_business_minutes_across_a_holiday_and_a_weekend() {
    // Thursday 2026-11-19, 17:30 in São Paulo; Friday the 20th is Black Consciousness Day, a
    // national holiday; business hours are 08:00-18:00 on weekdays.
    let app = TestApp::spawn_at("2026-11-19T20:30:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let body =
        |subject: &str| json!({"type": "question", "subject": subject, "description": "d", "contract_id": startup});
    let before_holiday = ana.post("/api/v1/tickets", body("Antes del feriado")).await.id();
    // Monday 08:00: another question.
    app.advance((3 * 24 + 14) * 60 + 30);
    let monday = ana.post("/api/v1/tickets", body("El lunes")).await.id();
    let reply = || json!({"body": "Hola.", "visibility": "public"});
    app.advance(10);
    agent
        .post(&format!("/api/v1/tickets/{monday}/messages"), reply())
        .await
        .assert_status(201);
    app.advance(10);
    agent
        .post(&format!("/api/v1/tickets/{before_holiday}/messages"), reply())
        .await
        .assert_status(201);

    let s = agent
        .get("/api/v1/reports/summary?from=2026-11-19&to=2026-11-23&channel=api")
        .await;
    let first = &s.body["first_response"];
    assert_eq!(first["count"], 2, "{}", s.body);
    // Thursday 17:30-18:00 and Monday 08:00-08:20: 50 minutes; Monday's: 10.
    assert_eq!(first["median"], 30.0);
    assert_eq!(first["p90"], 46.0);

    // Thursday to Sunday rolled up, Monday read from the rows: the same figures.
    let done = atende_app::report_rollups::run(app.app(), 1_000, |_, _| {})
        .await
        .unwrap();
    assert!(done.days >= 4, "{done:?}");
    let again = agent
        .get("/api/v1/reports/summary?from=2026-11-19&to=2026-11-23&channel=api")
        .await;
    assert_eq!(again.body, s.body);
}

/// The staff summary of the 17th and 18th, as the API gives it.
async fn two_days(agent: &crate::helpers::Client) -> serde_json::Value {
    let s = agent.get("/api/v1/reports/summary?from=2026-11-17&to=2026-11-18").await;
    s.assert_status(200);
    s.body
}

/// The rollups' calendar and the last day they hold.
async fn rolled_up_through(app: &TestApp) -> Option<String> {
    let mut conn = app.app().db.read().await.unwrap();
    atende_store::report_rollups::state(&mut conn)
        .await
        .unwrap()
        .and_then(|s| s.done_through)
        .map(|d| d.to_string())
}

/// Forgets the rollups, so that the next report reads every row.
async fn forget_rollups(app: &TestApp) {
    let mut tx = app.app().db.begin().await.unwrap();
    let zone = atende_app::report_rollups::zone_name(&app.app().settings.time_zone);
    atende_store::report_rollups::reset(&mut tx, &zone).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn daily_rollups_agree_with_the_rows_and_follow_changes_to_past_days() {
    // Monday 2026-11-16, 09:00 in São Paulo; our tickets are opened on Tuesday and Wednesday.
    let app = TestApp::spawn_at("2026-11-16T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let open = |subject: &str| {
        let body = json!({"type": "question", "subject": subject, "description": "d", "contract_id": startup});
        let ana = ana.clone();
        async move { ana.post("/api/v1/tickets", body).await.id() }
    };
    app.advance(24 * 60);
    let first = open("Martes uno").await;
    let second = open("Martes dos").await;
    app.advance(45);
    answer(&agent, first).await;
    solve(&agent, first).await;
    rate(&ana, first, "good", "Bien").await;
    // Wednesday: one more ticket, the second answered and solved.
    app.advance(24 * 60);
    let third = open("Miércoles").await;
    app.advance(20);
    answer(&agent, second).await;
    solve(&agent, second).await;
    // Thursday: both days are over.
    app.advance(24 * 60);
    let from_rows = two_days(&agent).await;
    let wednesday = "/api/v1/reports/summary?from=2026-11-18&to=2026-11-18";
    let wednesday_from_rows = agent.get(wednesday).await.body;
    assert_eq!(
        (from_rows["created"].as_i64(), from_rows["solved"].as_i64()),
        (Some(3), Some(2)),
        "{from_rows}"
    );
    assert_eq!(from_rows["csat"]["good"], 1);
    assert_eq!(from_rows["first_response"]["count"], 2);
    assert_eq!(rolled_up_through(&app).await, None);

    let done = atende_app::report_rollups::run(app.app(), 1_000, |_, _| {})
        .await
        .unwrap();
    assert!(
        done.days >= 3,
        "the demo's Monday, then Tuesday and Wednesday: {done:?}"
    );
    assert_eq!(rolled_up_through(&app).await.as_deref(), Some("2026-11-18"));
    let from_rollups = two_days(&agent).await;
    assert_eq!(from_rollups, from_rows, "the rollups give the rows' figures");
    assert_eq!(
        agent.get(wednesday).await.body,
        wednesday_from_rows,
        "a period's durations are the running totals at its end less those before it"
    );
    assert_eq!(wednesday_from_rows["first_response"]["count"], 1);
    assert_eq!(
        atende_app::report_rollups::run(app.app(), 1_000, |_, _| {})
            .await
            .unwrap()
            .days,
        0,
        "Thursday is not over"
    );

    // Thursday's changes to what Tuesday counted: the first ticket becomes an incident, Ana
    // changes her rating and reopens it (its resolution is no longer finished).
    agent
        .patch(&format!("/api/v1/tickets/{first}"), json!({"type": "incident"}))
        .await
        .assert_status(200);
    rate(&ana, first, "bad", "No").await;
    ana.post(
        &format!("/api/v1/tickets/{first}/messages"),
        json!({"body": "Sigue igual."}),
    )
    .await
    .assert_status(201);
    atende_app::report_rollups::run(app.app(), 1_000, |_, _| {})
        .await
        .unwrap();
    let after_changes = two_days(&agent).await;
    assert_eq!(after_changes["types"]["incident"], 1, "{after_changes}");
    assert_eq!(after_changes["csat"]["good"], 0, "the rating moved to Thursday");
    forget_rollups(&app).await;
    assert_eq!(
        two_days(&agent).await,
        after_changes,
        "the rollups followed the changes to past days"
    );

    // A rebuild from the events gives them again.
    let rebuilt = atende_app::report_rollups::rebuild(app.app(), |_, _| {}).await.unwrap();
    assert!(rebuilt.days >= 3);
    assert_eq!(two_days(&agent).await, after_changes);
    let _ = third;
}
