//! Ideas: one vote a person, merges that count each person once, decisions told to followers,
//! and changelog entries that ship ideas.

use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn each_person_votes_once_and_a_merge_counts_each_person_once() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let carla = app.client("carla@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;

    app.anonymous()
        .post("/api/v1/ideas", json!({"title": "Dark mode", "body": "Please"}))
        .await
        .assert_status(401);
    let dark = ana
        .post(
            "/api/v1/ideas",
            json!({"title": "Dark mode", "body": "For night shifts."}),
        )
        .await;
    dark.assert_status(201);
    assert_eq!(dark.body["votes"], 1, "the author's own vote");
    let dark = dark.id();
    // Carla is on a Trial plan: ideas, like the forum, are open to every registered user.
    let night = carla
        .post("/api/v1/ideas", json!({"title": "Night theme", "body": "Same thing."}))
        .await
        .id();

    for _ in 0..3 {
        assert_eq!(
            gabriel
                .send(reqwest::Method::PUT, &format!("/api/v1/ideas/{dark}/vote"), None)
                .await
                .body["votes"],
            2
        );
    }
    assert_eq!(
        gabriel
            .send(reqwest::Method::PUT, &format!("/api/v1/ideas/{night}/vote"), None)
            .await
            .body["votes"],
        2
    );
    ana.send(reqwest::Method::PUT, &format!("/api/v1/ideas/{night}/vote"), None)
        .await
        .assert_status(200);
    assert_eq!(
        app.anonymous().get(&format!("/api/v1/ideas/{night}")).await.body["votes"],
        3
    );

    // Customers do not merge; staff do. Ana and Gabriel voted for both: they count once.
    ana.post(&format!("/api/v1/ideas/{night}/merge"), json!({"into": dark}))
        .await
        .assert_status(403);
    agent
        .post(&format!("/api/v1/ideas/{dark}/merge"), json!({"into": dark}))
        .await
        .assert_error(422, "idea.merge_into_itself");
    let merged = agent
        .post(&format!("/api/v1/ideas/{night}/merge"), json!({"into": dark}))
        .await;
    merged.assert_status(200);
    assert_eq!(merged.body["votes"], 3, "ana, gabriel and carla, once each");
    let old = app.anonymous().get(&format!("/api/v1/ideas/{night}")).await;
    assert_eq!(old.body["merged_into"], dark);
    assert_eq!(old.body["votes"], 0);
    carla
        .send(reqwest::Method::PUT, &format!("/api/v1/ideas/{night}/vote"), None)
        .await
        .assert_error(422, "idea.merged");
    let board: Vec<i64> = app
        .anonymous()
        .get("/api/v1/ideas")
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(board, [dark], "duplicates leave the board");
    let mine = carla.get("/api/v1/ideas").await;
    assert_eq!(mine.body[0]["voted"], true, "carla's vote moved with the merge");

    // Withdrawing is idempotent too.
    carla
        .delete(&format!("/api/v1/ideas/{dark}/vote"))
        .await
        .assert_status(200);
    assert_eq!(
        carla.delete(&format!("/api/v1/ideas/{dark}/vote")).await.body["votes"],
        2
    );

    // A decision reaches voters and subscribers of both ideas (carla still follows), not the agent.
    ana.send(
        reqwest::Method::PUT,
        &format!("/api/v1/ideas/{dark}/status"),
        Some(json!({"status": "planned"})),
    )
    .await
    .assert_status(403);
    let planned = agent
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/ideas/{dark}/status"),
            Some(json!({"status": "planned", "note": "Coming in Q1."})),
        )
        .await;
    assert_eq!(planned.body["status"], "planned");
    assert_eq!(
        app.outbox_to("idea_status").await,
        ["ana@acme.example", "carla@acme.example", "gabriel@globex.example"]
    );
    let refused = agent
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/ideas/{dark}/status"),
            Some(json!({"status": "someday"})),
        )
        .await
        .assert_error(422, "request.invalid_json");
    assert!(refused.contains("open, under_review, planned"), "{refused}");
}

#[tokio::test]
async fn a_published_changelog_entry_ships_its_ideas_and_tells_their_followers_once() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let idea = ana
        .post(
            "/api/v1/ideas",
            json!({"title": "CSV export", "body": "Of my tickets."}),
        )
        .await
        .id();
    let comment = ana
        .post(
            &format!("/api/v1/ideas/{idea}/comments"),
            json!({"body": "Monthly, ideally."}),
        )
        .await;
    comment.assert_status(201);

    let entry = |published: bool| {
        json!({"published_on": "2026-11-20", "published": published, "ideas": [idea],
               "translations": [{"lang": "en", "title": "Exports", "body": "CSV everywhere."}]})
    };
    agent
        .post(
            "/api/v1/changelog",
            json!({"published_on": "2026-11-20", "ideas": [9999],
            "translations": [{"lang": "en", "title": "X", "body": "x"}]}),
        )
        .await
        .assert_error(404, "idea.not_found");
    let draft = agent.post("/api/v1/changelog", entry(false)).await;
    assert_eq!(draft.body["ideas"], json!([idea]));
    assert!(app.outbox_to("idea_shipped").await.is_empty(), "a draft ships nothing");
    let id = draft.id();
    for _ in 0..2 {
        agent
            .send(
                reqwest::Method::PUT,
                &format!("/api/v1/changelog/{id}"),
                Some(entry(true)),
            )
            .await
            .assert_status(200);
    }
    assert_eq!(app.outbox_to("idea_shipped").await, ["ana@acme.example"], "told once");
    let entry_page = app.anonymous().get(&format!("/changelog/en/{id}")).await;
    assert!(
        entry_page
            .body
            .as_str()
            .unwrap()
            .contains(&format!("href=\"/ideas/{idea}\"")),
        "the entry links the idea it ships"
    );
    let shipped: Value = app.anonymous().get(&format!("/api/v1/ideas/{idea}")).await.body.clone();
    assert_eq!(shipped["status"], "completed");
    assert_eq!(shipped["shipped_in"][0]["entry_id"], id);
    assert_eq!(shipped["comments_list"][0]["body"], "Monthly, ideally.");
    ana.send(reqwest::Method::PUT, &format!("/api/v1/ideas/{idea}/vote"), None)
        .await
        .assert_error(422, "idea.decided");

    // A hidden comment is gone for readers and kept for staff, and the hiding is logged.
    let comment_id = comment.id();
    agent
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/idea-comments/{comment_id}/hidden"),
            Some(json!({"hidden": true})),
        )
        .await
        .assert_status(204);
    assert_eq!(
        app.anonymous().get(&format!("/api/v1/ideas/{idea}")).await.body["comments_list"],
        json!([])
    );
    assert_eq!(
        agent.get(&format!("/api/v1/ideas/{idea}")).await.body["comments_list"][0]["hidden"],
        true
    );
}
