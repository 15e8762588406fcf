//! The forum: review of newcomers' posts and who sees what, accepted answers, one vote a person,
//! followers told of replies, moderation (lock, move, merge, ban) with its trail, the pace limit,
//! search, and a topic followed up in a ticket.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// A topic asked by `asker`, published by `agent` when it waited for review; (topic, question post).
async fn published_topic(asker: &Client, agent: &Client, title: &str, body: &str) -> (i64, i64) {
    let topic = asker
        .post(
            "/api/v1/forum/topics",
            json!({"category_id": 1, "title": title, "body": body}),
        )
        .await;
    topic.assert_status(201);
    let id = topic.id();
    let question = asker.get(&format!("/api/v1/forum/topics/{id}")).await.body["posts"][0]["id"]
        .as_i64()
        .unwrap();
    if topic.body["state"] == "held" {
        agent
            .send(
                Method::PUT,
                &format!("/api/v1/forum/posts/{question}/state"),
                Some(json!({"state": "visible"})),
            )
            .await
            .assert_status(200);
    }
    (id, question)
}

#[tokio::test]
async fn a_newcomers_first_post_waits_for_review_and_each_reader_sees_only_what_they_may() {
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let carla = app.client("carla@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;

    assert_eq!(
        visitor
            .get("/api/v1/forum/categories")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        4,
        "a fresh install has categories"
    );
    visitor
        .post(
            "/api/v1/forum/topics",
            json!({"category_id": 1, "title": "Hi", "body": "Hello"}),
        )
        .await
        .assert_status(401);
    carla
        .post(
            "/api/v1/forum/topics",
            json!({"category_id": 999, "title": "Hi", "body": "Hello"}),
        )
        .await
        .assert_error(404, "category.not_found");

    // Carla is on a Trial plan: the forum is open to every registered user.
    let held = carla
        .post(
            "/api/v1/forum/topics",
            json!({"category_id": 1, "title": "Webhook retries", "body": "How often are **webhooks** retried? <script>alert(1)</script>"}),
        )
        .await;
    held.assert_status(201);
    assert_eq!(held.body["state"], "held", "a newcomer's first post waits");
    let topic = held.id();
    let path = format!("/api/v1/forum/topics/{topic}");
    assert!(ids(&visitor.get("/api/v1/forum/topics").await.body).is_empty());
    visitor.get(&path).await.assert_error(404, "topic.not_found");
    gabriel.get(&path).await.assert_status(404);
    let own = carla.get(&path).await;
    own.assert_status(200);
    let html = own.body["posts"][0]["body_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>webhooks</strong>") && !html.contains("<script"),
        "sanitized Markdown: {html}"
    );
    let search = "/api/v1/search?scope=forum&q=webhooks+retried&lang=en";
    assert!(
        visitor.get(search).await.body.as_array().unwrap().is_empty(),
        "held posts are not found"
    );

    carla.get("/api/v1/forum/held").await.assert_status(403);
    let queue = agent.get("/api/v1/forum/held").await;
    assert_eq!(queue.body[0]["topic_title"], "Webhook retries");
    let question = queue.body[0]["id"].as_i64().unwrap();
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/forum/posts/{question}/state"),
            Some(json!({"state": "visible"})),
        )
        .await
        .assert_status(200);
    assert_eq!(ids(&visitor.get("/api/v1/forum/topics").await.body), [topic]);
    let found = visitor.get(search).await;
    assert_eq!(found.body[0]["kind"], "topic");
    assert_eq!(found.body[0]["id"], topic);
    assert!(found.body[0]["snippet_html"].as_str().unwrap().contains("<mark>"));

    // Trusted now: the next reply is published at once; a hidden one is gone for everyone but staff.
    let reply = carla
        .post(
            &format!("{path}/posts"),
            json!({"body": "Found it: every minute, five times."}),
        )
        .await;
    assert_eq!(reply.body["state"], "visible");
    let reply = reply.id();
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/forum/posts/{reply}/state"),
            Some(json!({"state": "hidden"})),
        )
        .await
        .assert_status(200);
    for reader in [&visitor, &carla, &gabriel] {
        assert_eq!(reader.get(&path).await.body["posts"].as_array().unwrap().len(), 1);
    }
    assert_eq!(agent.get(&path).await.body["posts"].as_array().unwrap().len(), 2);
    assert_eq!(visitor.get(&path).await.body["replies"], 0);

    // Hiding the question hides the topic.
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/forum/posts/{question}/state"),
            Some(json!({"state": "hidden"})),
        )
        .await
        .assert_status(200);
    visitor.get(&path).await.assert_status(404);
    carla.get(&path).await.assert_status(404);
    let trail = agent.get("/api/v1/community/moderation-log").await;
    let actions: Vec<(&str, &str)> = trail
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["subject"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("topic", "hide"), ("post", "hide"), ("topic", "publish")]);
    carla.get("/api/v1/community/moderation-log").await.assert_status(403);
}

#[tokio::test]
async fn the_asker_accepts_an_answer_each_person_votes_once_and_followers_hear_of_replies() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;
    let (topic, question) = published_topic(&ana, &agent, "Export contacts", "Can I export my contacts to CSV?").await;
    let path = format!("/api/v1/forum/topics/{topic}");

    let from_gabriel = gabriel
        .post(&format!("{path}/posts"), json!({"body": "I would like that too."}))
        .await;
    assert_eq!(from_gabriel.body["state"], "held");
    assert!(
        app.outbox_to("forum_reply").await.is_empty(),
        "nobody hears of a held reply"
    );
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/forum/posts/{}/state", from_gabriel.id()),
            Some(json!({"state": "visible"})),
        )
        .await
        .assert_status(200);
    assert_eq!(
        app.outbox_to("forum_reply").await,
        ["ana@acme.example"],
        "the asker follows her topic"
    );
    let answer = agent
        .post(&format!("{path}/posts"), json!({"body": "Yes: Contacts, then Export."}))
        .await;
    assert_eq!(answer.body["state"], "visible", "staff are not held");
    let answer = answer.id();
    assert_eq!(
        app.outbox_to("forum_reply").await,
        ["ana@acme.example", "ana@acme.example", "gabriel@globex.example"],
        "each follower but the author, once per reply"
    );

    for _ in 0..3 {
        let v = gabriel
            .send(Method::PUT, &format!("/api/v1/forum/posts/{question}/vote"), None)
            .await;
        assert_eq!(v.body["votes"], 1);
    }
    ana.send(Method::PUT, &format!("/api/v1/forum/posts/{question}/vote"), None)
        .await
        .assert_error(422, "post.own_vote");
    assert_eq!(ana.get(&path).await.body["votes"], 1);
    assert_eq!(gabriel.get(&path).await.body["posts"][0]["voted"], true);
    gabriel
        .delete(&format!("/api/v1/forum/posts/{question}/vote"))
        .await
        .assert_status(200);
    assert_eq!(ana.get(&path).await.body["votes"], 0);

    gabriel
        .send(
            Method::PUT,
            &format!("{path}/accepted"),
            Some(json!({"post_id": answer})),
        )
        .await
        .assert_error(403, "topic.not_asker");
    ana.send(
        Method::PUT,
        &format!("{path}/accepted"),
        Some(json!({"post_id": question})),
    )
    .await
    .assert_error(422, "topic.accept_question");
    let accepted = ana
        .send(
            Method::PUT,
            &format!("{path}/accepted"),
            Some(json!({"post_id": answer})),
        )
        .await;
    assert_eq!(accepted.body["accepted_post_id"], answer);
    assert!(ids(&ana.get("/api/v1/forum/topics?unsolved=true").await.body).is_empty());
    // Staff may change the mark too, and take it back.
    let cleared = agent
        .send(Method::PUT, &format!("{path}/accepted"), Some(json!({"post_id": null})))
        .await;
    assert_eq!(cleared.body["accepted_post_id"], Value::Null);
    assert_eq!(ids(&ana.get("/api/v1/forum/topics?unsolved=true").await.body), [topic]);

    // Unfollowing stops the mail.
    gabriel.delete(&format!("{path}/subscription")).await.assert_status(204);
    agent
        .post(&format!("{path}/posts"), json!({"body": "Also in the API."}))
        .await
        .assert_status(201);
    let told = app.outbox_to("forum_reply").await;
    assert_eq!(told.iter().filter(|to| to.contains("gabriel")).count(), 1);
    assert_eq!(told.iter().filter(|to| to.contains("ana")).count(), 3);
}

#[tokio::test]
async fn moderators_lock_move_merge_and_ban_and_every_action_is_in_the_trail() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;
    let (topic, _) = published_topic(&ana, &agent, "Bot stops at night", "No answers after 22:00.").await;
    let (duplicate, _) = published_topic(&gabriel, &agent, "Bot silent at night", "Same here since Monday.").await;
    let path = format!("/api/v1/forum/topics/{topic}");

    ana.patch(&path, json!({"locked": true}))
        .await
        .assert_error(403, "forbidden.staff_only");
    agent
        .patch(&path, json!({"locked": true, "category_id": 2}))
        .await
        .assert_status(200);
    ana.post(&format!("{path}/posts"), json!({"body": "Any news?"}))
        .await
        .assert_error(422, "topic.locked");
    assert_eq!(ids(&ana.get("/api/v1/forum/topics?category_id=2").await.body), [topic]);
    agent.patch(&path, json!({"locked": false})).await.assert_status(200);

    agent
        .post(
            &format!("/api/v1/forum/topics/{duplicate}/merge"),
            json!({"into": duplicate}),
        )
        .await
        .assert_error(422, "topic.merge_into_itself");
    let merged = agent
        .post(
            &format!("/api/v1/forum/topics/{duplicate}/merge"),
            json!({"into": topic}),
        )
        .await;
    merged.assert_status(200);
    assert_eq!(merged.body["replies"], 1, "the duplicate's question is a reply now");
    let detail = ana.get(&path).await;
    assert_eq!(
        detail.body["posts"][0]["body"], "No answers after 22:00.",
        "the question still leads"
    );
    assert_eq!(
        ana.get(&format!("/api/v1/forum/topics/{duplicate}")).await.body["merged_into"],
        topic
    );
    assert_eq!(
        ids(&ana.get("/api/v1/forum/topics").await.body),
        [topic],
        "duplicates leave the list"
    );
    // Gabriel followed his topic: he follows the survivor now.
    agent
        .post(&format!("{path}/posts"), json!({"body": "Fixed tonight."}))
        .await
        .assert_status(201);
    assert!(
        app.outbox_to("forum_reply")
            .await
            .contains(&"gabriel@globex.example".to_owned())
    );

    let ban = format!("/api/v1/forum/bans/{}", gabriel.user_id);
    ana.send(Method::PUT, &ban, Some(json!({"reason": "spam"})))
        .await
        .assert_status(403);
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/forum/bans/{}", agent.user_id),
            Some(json!({"reason": "x"})),
        )
        .await
        .assert_error(422, "forum.ban_staff");
    agent
        .send(
            Method::PUT,
            &ban,
            Some(json!({"reason": "spam", "until": "2020-01-01T00:00:00Z"})),
        )
        .await
        .assert_error(422, "validation.invalid");
    agent
        .send(Method::PUT, &ban, Some(json!({"reason": "Links to a casino"})))
        .await
        .assert_status(204);
    gabriel
        .post(&format!("{path}/posts"), json!({"body": "cheap casino"}))
        .await
        .assert_error(403, "forum.banned");
    gabriel
        .post(
            "/api/v1/forum/topics",
            json!({"category_id": 1, "title": "casino", "body": "casino"}),
        )
        .await
        .assert_error(403, "forum.banned");
    gabriel.get(&path).await.assert_status(200);
    assert_eq!(
        agent.get("/api/v1/forum/bans").await.body[0]["reason"],
        "Links to a casino"
    );
    agent.delete(&ban).await.assert_status(204);
    gabriel
        .post(&format!("{path}/posts"), json!({"body": "Thanks, works now."}))
        .await
        .assert_status(201);

    let trail = agent.get("/api/v1/community/moderation-log").await;
    let actions: Vec<&str> = trail
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for action in ["lock", "move", "unlock", "merge", "ban", "unban"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn a_fast_poster_is_paused_and_told_when_to_come_back() {
    let app = TestApp::spawn_at("2026-11-30T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let (topic, _) = published_topic(&ana, &agent, "Pace", "How fast may I post?").await;
    let path = format!("/api/v1/forum/topics/{topic}/posts");
    // The question counts: 19 replies fill the hour's twenty posts.
    for n in 0..19 {
        ana.post(&path, json!({"body": format!("reply {n}")}))
            .await
            .assert_status(201);
    }
    let paused = ana.post(&path, json!({"body": "one too many"})).await;
    paused.assert_error(429, "rate_limited");
    let wait: u64 = paused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(
        wait, 3_600,
        "the clock stands still: the oldest post of the hour frees a place in an hour"
    );
    agent
        .post(&path, json!({"body": "staff are not paused"}))
        .await
        .assert_status(201);
    app.advance(59);
    ana.post(&path, json!({"body": "still too soon"}))
        .await
        .assert_error(429, "rate_limited");
    app.advance(1);
    ana.post(&path, json!({"body": "an hour later"}))
        .await
        .assert_status(201);
}

#[tokio::test]
async fn an_agent_follows_a_topic_up_in_a_ticket_under_the_askers_access_rules() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let carla = app.client("carla@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let trial = app.contract_id("Acme Trial").await;
    let (topic, _) = published_topic(
        &ana,
        &agent,
        "Data deletion",
        "Please delete last year's conversations.",
    )
    .await;
    let (trial_topic, _) = published_topic(&carla, &agent, "Logs", "I need the logs of my bot.").await;

    let body = json!({"contract_id": startup, "type": "task"});
    ana.post(&format!("/api/v1/forum/topics/{topic}/ticket"), body.clone())
        .await
        .assert_status(403);
    let made = agent.post(&format!("/api/v1/forum/topics/{topic}/ticket"), body).await;
    made.assert_status(201);
    let ticket = made.body["ticket_id"].as_i64().unwrap();
    let seen = ana.get(&format!("/api/v1/tickets/{ticket}")).await;
    seen.assert_status(200);
    assert_eq!(seen.body["subject"], "Data deletion");
    assert!(
        seen.body["description"]
            .as_str()
            .unwrap()
            .contains(&format!("/forum/t/{topic}"))
    );
    assert_eq!(
        agent.get(&format!("/api/v1/forum/topics/{topic}")).await.body["ticket_id"],
        ticket
    );
    assert_eq!(
        ana.get(&format!("/api/v1/forum/topics/{topic}")).await.body["ticket_id"],
        Value::Null
    );

    // Carla's plan includes the forum, not tickets: the refusal is hers, with its remedy.
    agent
        .post(
            &format!("/api/v1/forum/topics/{trial_topic}/ticket"),
            json!({"contract_id": trial, "type": "question"}),
        )
        .await
        .assert_error(403, "not_entitled.plan_not_paid");
}
