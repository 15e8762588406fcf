//! The templates gallery (submission, review, downloads counted), cases and policies written by
//! staff, the useful-links page, and a solved ticket drafted into a help article.

use reqwest::Method;
use serde_json::json;

use crate::helpers::TestApp;

const FLOW: &[u8] = br#"{"name": "Order status", "steps": [{"ask": "Your order number?"}]}"#;

#[tokio::test]
async fn a_template_waits_for_review_is_published_and_counts_its_downloads() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;
    let visitor = app.anonymous();
    let fields = [
        ("name", "Order status bot"),
        ("category", "E-commerce"),
        ("description", "Answers *where is my order*."),
    ];

    visitor
        .post_form("/api/v1/templates", &fields, &[("file", "flow.json", FLOW)])
        .await
        .assert_status(401);
    ana.post_form("/api/v1/templates", &fields, &[])
        .await
        .assert_error(422, "validation.empty");
    ana.post_form(
        "/api/v1/templates",
        &fields,
        &[("file", "run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")],
    )
    .await
    .assert_error(422, "attachment.type_not_allowed");
    let sent = ana
        .post_form("/api/v1/templates", &fields, &[("file", "flow.json", FLOW)])
        .await;
    sent.assert_status(201);
    assert_eq!(sent.body["state"], "review");
    let id = sent.id();
    let path = format!("/api/v1/templates/{id}");

    // Under review: its author and staff see it; nobody else, not even its file.
    assert!(
        visitor
            .get("/api/v1/templates")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    gabriel.get(&path).await.assert_status(404);
    gabriel.get(&format!("{path}/file")).await.assert_status(404);
    ana.get(&path).await.assert_status(200);
    assert_eq!(agent.get("/api/v1/templates?state=review").await.body[0]["id"], id);

    ana.send(
        Method::PUT,
        &format!("{path}/review"),
        Some(json!({"state": "published"})),
    )
    .await
    .assert_status(403);
    let reviewed = agent
        .send(
            Method::PUT,
            &format!("{path}/review"),
            Some(json!({"state": "published", "note": "Nice and tidy."})),
        )
        .await;
    assert_eq!(reviewed.body["state"], "published");
    assert_eq!(
        app.outbox_to("template_review").await,
        ["ana@acme.example"],
        "the author is told"
    );
    assert_eq!(
        gabriel.get(&path).await.body["review_note"],
        serde_json::Value::Null,
        "the note is the author's"
    );

    for _ in 0..3 {
        let file = visitor.get(&format!("{path}/file")).await;
        file.assert_status(200);
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("flow.json")
        );
        assert_eq!(file.body["name"], "Order status", "the same bytes come back");
    }
    let listed = visitor.get("/api/v1/templates?sort=popular&category=E-commerce").await;
    assert_eq!(listed.body[0]["downloads"], 3);
    let page = visitor.get("/templates").await;
    assert!(page.body.as_str().unwrap().contains("Order status bot"));

    // Staff's own templates are published at once.
    let own = agent
        .post_form(
            "/api/v1/templates",
            &[("name", "FAQ bot"), ("category", "Support"), ("description", "FAQ")],
            &[("file", "faq.json", FLOW)],
        )
        .await;
    assert_eq!(own.body["state"], "published");
}

#[tokio::test]
async fn staff_write_cases_and_policies_everyone_reads_what_is_published() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let visitor = app.anonymous().with_language("pt-BR");

    // A fresh install publishes its security information.
    let policies = visitor.get("/api/v1/pages/policy").await;
    assert_eq!(policies.body[0]["slug"], "security");
    assert_eq!(policies.body[0]["title"], "Segurança e privacidade");
    assert!(policies.body[0]["body_html"].as_str().unwrap().contains("<h2>"));
    let page = visitor.get("/policies/security").await;
    assert!(page.body.as_str().unwrap().contains("Argon2id"));

    let case = json!({"published": false, "texts": [
        {"lang": "en", "title": "Acme answers in minutes", "summary": "From a day to minutes.", "body": "Acme moved its **support** here."},
        {"lang": "pt-BR", "title": "A Acme responde em minutos", "body": "A Acme trouxe o **suporte** para cá."}]});
    ana.post("/api/v1/pages/case", case.clone()).await.assert_status(403);
    agent
        .post("/api/v1/pages/blog", case.clone())
        .await
        .assert_error(422, "validation.not_one_of");
    let draft = agent.post("/api/v1/pages/case", case.clone()).await;
    draft.assert_status(201);
    assert_eq!(draft.body["slug"], "acme-answers-in-minutes");
    agent
        .post("/api/v1/pages/case", case)
        .await
        .assert_error(409, "page.slug");
    assert!(
        visitor
            .get("/api/v1/pages/case")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty(),
        "a draft stays inside"
    );
    visitor
        .get("/api/v1/pages/case/acme-answers-in-minutes")
        .await
        .assert_status(404);

    let published = agent
        .send(
            Method::PUT,
            "/api/v1/pages/case/acme-answers-in-minutes",
            Some(json!({"published": true, "slug": "acme", "texts": [
                {"lang": "en", "title": "Acme answers in minutes", "body": "Acme moved its **support** here."},
                {"lang": "pt-BR", "title": "A Acme responde em minutos", "body": "A Acme trouxe o **suporte** para cá."}]})),
        )
        .await;
    published.assert_status(200);
    let read = visitor.get("/api/v1/pages/case/acme").await;
    assert_eq!(
        read.body["title"], "A Acme responde em minutos",
        "in the reader's language"
    );
    assert!(
        visitor
            .get("/cases")
            .await
            .body
            .as_str()
            .unwrap()
            .contains("A Acme responde em minutos")
    );

    // The useful links list every place, as the manual does.
    let links = visitor.get("/links").await;
    let html = links.body.as_str().unwrap();
    for href in [
        "/api/docs",
        "/status",
        "/forum",
        "/events",
        "/cases",
        "/help",
        "/ideas",
        "/changelog/pt-BR",
        "/templates",
        "/policies",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href} missing");
    }
}

#[tokio::test]
async fn a_solved_ticket_becomes_a_draft_help_article_without_its_internal_notes() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let ticket = ana.open_ticket(startup).await.id();
    let messages = format!("/api/v1/tickets/{ticket}/messages");
    agent
        .post(
            &messages,
            json!({"body": "Restart the flow from the editor.", "visibility": "public"}),
        )
        .await
        .assert_status(201);
    agent
        .post(
            &messages,
            json!({"body": "Customer seemed upset (internal)", "visibility": "internal"}),
        )
        .await
        .assert_status(201);

    let draft_path = format!("/api/v1/tickets/{ticket}/article");
    agent
        .post(&draft_path, json!({}))
        .await
        .assert_error(422, "ticket.not_solved");
    agent
        .patch(&format!("/api/v1/tickets/{ticket}"), json!({"status": "solved"}))
        .await
        .assert_status(200);
    ana.post(&draft_path, json!({})).await.assert_status(403);
    let draft = agent.post(&draft_path, json!({})).await;
    draft.assert_status(201);
    let article = agent.get(&format!("/api/v1/articles/{}", draft.id())).await;
    let text = article.body.to_string();
    assert!(text.contains("The bot stopped answering"), "{text}");
    assert!(text.contains("Restart the flow from the editor."));
    assert!(text.contains("La pregunta"), "in the requester's language (Spanish)");
    assert!(!text.contains("upset"), "internal notes stay inside");
    app.anonymous()
        .get(&format!("/api/v1/articles/{}", draft.id()))
        .await
        .assert_status(404);
}
