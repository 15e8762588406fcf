//! The manual's access rules over HTTP: each refusal has its own code, a localized message that
//! says what to do, a remedy and the support address; and each remedy, once taken, lets the
//! ticket through.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_startup_customer_opens_a_ticket() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let res = ana.open_ticket(startup).await;
    res.assert_status(201);
    assert_eq!(res.body["status"], "new");
    assert_eq!(res.body["channel"], "api");
    assert_eq!(res.body["requester_id"], ana.user_id);
    let events = ana.get(&format!("/api/v1/tickets/{}/events", res.id())).await;
    assert_eq!(events.body[0]["kind"], "created");
    assert_eq!(events.body[0]["data"]["channel"], "api");
}

#[tokio::test]
async fn trial_plan_is_refused_then_upgraded() {
    let app = TestApp::spawn().await;
    let carla = app.client("carla@acme.example").await;
    let trial = app.contract_id("Acme Trial").await;
    let res = carla.open_ticket(trial).await;
    let message = res.assert_error(403, "not_entitled.plan_not_paid");
    assert!(message.contains("Trial") && message.contains("Startup"), "{message}");
    assert!(
        message.contains("help@atende.test"),
        "names the support address: {message}"
    );
    assert_eq!(res.body["error"]["support_email"], "help@atende.test");
    assert_eq!(res.body["error"]["remedy"]["action"], "upgrade_plan");
    assert_eq!(res.body["error"]["remedy"]["href"], "/api/v1/plans");

    // The remedy: the plans say which one includes the portal; support moves the contract to it.
    let plans = app.anonymous().get("/api/v1/plans").await;
    let startup = plans
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "startup")
        .unwrap();
    assert_eq!(startup["channels"]["portal"], "included");
    let admin = app.client("admin@atende.example").await;
    admin
        .patch(&format!("/api/v1/contracts/{trial}"), json!({"plan": "startup"}))
        .await
        .assert_status(200);
    carla.open_ticket(trial).await.assert_status(201);
}

#[tokio::test]
async fn a_non_member_asks_to_join_and_the_customer_admin_approves() {
    let app = TestApp::spawn().await;
    let carla = app.client("carla@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let res = carla.open_ticket(startup).await;
    res.assert_error(403, "not_entitled.not_a_member");
    let remedy = &res.body["error"]["remedy"];
    assert_eq!(remedy["action"], "request_to_join");
    assert_eq!(remedy["method"], "POST");

    // Follow the remedy exactly as given.
    let request = carla
        .post(remedy["href"].as_str().unwrap(), remedy["body"].clone())
        .await;
    request.assert_status(201);
    assert_eq!(request.body["status"], "pending");
    carla
        .post("/api/v1/join-requests", json!({"contract_id": startup}))
        .await
        .assert_error(409, "join_request.pending");
    carla
        .open_ticket(startup)
        .await
        .assert_error(403, "not_entitled.not_a_member");

    // Carla cannot approve her own request; Acme's customer admin can, and sees it listed.
    carla
        .post(&format!("/api/v1/join-requests/{}/approve", request.id()), json!({}))
        .await
        .assert_status(403);
    let bruno = app.client("bruno@acme.example").await;
    let pending = bruno.get("/api/v1/join-requests?status=pending").await;
    assert!(pending.body.as_array().unwrap().iter().any(|r| r["id"] == request.id()));
    let decision = bruno
        .post(&format!("/api/v1/join-requests/{}/approve", request.id()), json!({}))
        .await;
    decision.assert_status(200);
    assert_eq!(decision.body["request"]["status"], "approved");
    carla.open_ticket(startup).await.assert_status(201);

    // Another organization's admin never sees Acme's requests.
    let gabriel = app.client("gabriel@globex.example").await;
    gabriel
        .post(&format!("/api/v1/join-requests/{}/reject", request.id()), json!({}))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn an_ended_contract_is_refused_until_renewed() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    admin
        .patch(
            &format!("/api/v1/contracts/{startup}"),
            json!({"ends_on": "2026-01-31"}),
        )
        .await
        .assert_status(200);
    let res = ana.open_ticket(startup).await;
    let message = res.assert_error(403, "not_entitled.contract_ended");
    assert!(message.contains("2026-01-31"), "{message}");
    assert_eq!(res.body["error"]["remedy"]["action"], "renew_contract");
    admin
        .patch(&format!("/api/v1/contracts/{startup}"), json!({"ends_on": null}))
        .await
        .assert_status(200);
    ana.open_ticket(startup).await.assert_status(201);
}

#[tokio::test]
async fn a_contract_that_has_not_started_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    admin
        .patch(
            &format!("/api/v1/contracts/{startup}"),
            json!({"starts_on": "2099-01-01"}),
        )
        .await
        .assert_status(200);
    ana.open_ticket(startup)
        .await
        .assert_error(403, "not_entitled.contract_not_started");
}

#[tokio::test]
async fn a_channel_outside_the_plan_is_refused_and_the_portal_works() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let enterprise = app.contract_id("Acme Enterprise").await;
    let call = |contract: i64| {
        json!({"type": "question", "subject": "Called about the menu", "description": "Logged from a phone call.",
               "contract_id": contract, "requester_id": ana.user_id, "channel": "phone"})
    };
    let res = agent.post("/api/v1/tickets", call(startup)).await;
    let message = res.assert_error(403, "not_entitled.channel_not_in_plan");
    assert!(message.contains("Startup") && message.contains("phone"), "{message}");
    assert_eq!(res.body["error"]["remedy"]["action"], "use_another_channel");

    // Enterprise includes phone under the contract's condition, which the demo contract has.
    let logged = agent.post("/api/v1/tickets", call(enterprise)).await;
    logged.assert_status(201);
    assert_eq!(logged.body["channel"], "phone");
    assert_eq!(logged.body["requester_id"], ana.user_id);

    // Without the condition, phone is refused with its own code.
    let admin = app.client("admin@atende.example").await;
    admin
        .patch(
            &format!("/api/v1/contracts/{enterprise}"),
            json!({"phone_addon": false}),
        )
        .await
        .assert_status(200);
    agent
        .post("/api/v1/tickets", call(enterprise))
        .await
        .assert_error(403, "not_entitled.channel_not_contracted");

    // The customer's own request through the API follows the portal column.
    ana.open_ticket(startup).await.assert_status(201);
}

#[tokio::test]
async fn no_language_is_refused_until_chosen() {
    let app = TestApp::spawn().await;
    let diego = app.client("diego@acme.example").await.with_language("pt-BR");
    let startup = app.contract_id("Acme Startup").await;
    let res = diego.open_ticket(startup).await;
    let message = res.assert_error(403, "not_entitled.language_not_chosen");
    // He has no language yet, so the message follows his browser's.
    assert!(
        message.contains("idioma") && message.contains("preferências"),
        "{message}"
    );
    assert_eq!(res.headers["content-language"], "pt-BR");
    let remedy = &res.body["error"]["remedy"];
    assert_eq!(remedy["action"], "choose_language");
    assert_eq!(
        (remedy["method"].as_str(), remedy["href"].as_str()),
        (Some("PATCH"), Some("/api/v1/me"))
    );

    diego
        .patch("/api/v1/me", json!({"language": "klingon"}))
        .await
        .assert_status(422);
    let me = diego.patch("/api/v1/me", json!({"language": "es"})).await;
    me.assert_status(200);
    assert_eq!(me.body["language"], "es");
    diego.open_ticket(startup).await.assert_status(201);
}

#[tokio::test]
async fn a_bot_team_member_may_open_tickets_on_the_bots_contract() {
    let app = TestApp::spawn().await;
    let eva = app.client("eva@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let bot = app.bot_id("Acme Assistant").await;
    let res = eva
        .post("/api/v1/tickets", json!({"type": "question", "subject": "Menu", "description": "How?", "contract_id": startup, "bot_id": bot}))
        .await;
    res.assert_status(201);
    assert_eq!(res.body["bot_id"], bot);
    // She is not on any team of the Enterprise contract.
    let enterprise = app.contract_id("Acme Enterprise").await;
    eva.open_ticket(enterprise)
        .await
        .assert_error(403, "not_entitled.not_a_member");
}

#[tokio::test]
async fn an_unregistered_contact_is_refused_and_registers_through_an_invitation() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let acme = app
        .client("ana@acme.example")
        .await
        .get("/api/v1/organizations")
        .await
        .body[0]["id"]
        .as_i64()
        .unwrap();
    // A contact known only by address (as e-mail intake will create them), on the contract's team.
    let contact = agent
        .post("/api/v1/users", json!({"email": "hugo@acme.example", "name": "Hugo", "role": "customer", "organization_id": acme, "language": "en"}))
        .await;
    contact.assert_status(201);
    assert_eq!(contact.body["registered"], false);
    agent
        .post(
            &format!("/api/v1/contracts/{startup}/members"),
            json!({"user_id": contact.id()}),
        )
        .await
        .assert_status(204);
    let on_behalf = json!({"type": "question", "subject": "Asked by e-mail", "description": "Forwarded.", "contract_id": startup,
                           "requester_id": contact.id(), "channel": "email"});
    agent
        .post("/api/v1/tickets", on_behalf.clone())
        .await
        .assert_error(403, "not_entitled.not_registered");

    // Hugo already has tickets as a contact: the customer admin's invitation is created, but its
    // link goes only to Hugo's address, so that nobody else can register as him.
    let bruno = app.client("bruno@acme.example").await;
    let withheld = bruno
        .post(
            "/api/v1/invitations",
            json!({"email": "HUGO@acme.example", "contract_id": startup}),
        )
        .await;
    withheld.assert_status(201);
    assert!(
        withheld.body["token"].is_null() && withheld.body["accept_url"].is_null(),
        "{}",
        withheld.body
    );
    // Support staff hand the link on until e-mail delivers it; Hugo registers through it.
    let invitation = agent
        .post(
            "/api/v1/invitations",
            json!({"email": "HUGO@acme.example", "contract_id": startup}),
        )
        .await;
    invitation.assert_status(201);
    let token = invitation.body["token"].as_str().unwrap();
    assert!(invitation.body["accept_url"].as_str().unwrap().ends_with(token));
    let anonymous = app.anonymous();
    let shown = anonymous.get(&format!("/api/v1/invitations/{token}")).await;
    assert_eq!(shown.body["organization"], "Acme Comércio Ltda");
    assert_eq!(shown.body["contract"], "Acme Startup");
    anonymous
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "short"}),
        )
        .await
        .assert_error(422, "validation.invalid");
    let session = anonymous
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "a long enough password"}),
        )
        .await;
    session.assert_status(200);
    assert_eq!(session.body["user"]["registered"], true);
    anonymous
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "a long enough password"}),
        )
        .await
        .assert_error(409, "invitation.used");

    agent.post("/api/v1/tickets", on_behalf).await.assert_status(201);
}

#[tokio::test]
async fn a_new_person_registers_with_an_invitation_and_opens_a_ticket() {
    let app = TestApp::spawn().await;
    let bruno = app.client("bruno@acme.example").await;
    let bot = app.bot_id("Acme Assistant").await;
    let startup = app.contract_id("Acme Startup").await;
    let invitation = bruno
        .post(
            "/api/v1/invitations",
            json!({"email": "iris@acme.example", "bot_id": bot}),
        )
        .await;
    invitation.assert_status(201);
    let token = invitation.body["token"].as_str().unwrap();
    let session = app
        .anonymous()
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"name": "Iris", "password": "correct horse battery", "language": "pt-BR"}),
        )
        .await;
    session.assert_status(200);
    assert_eq!(
        session.body["user"]["organization_id"],
        invitation.body["organization_id"]
    );

    // Signing in with the new password works too.
    let login = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "iris@acme.example", "password": "correct horse battery"}),
        )
        .await;
    login.assert_status(200);
    let res = app
        .http
        .post(format!("{}/api/v1/tickets", app.base))
        .bearer_auth(login.body["token"].as_str().unwrap())
        .json(
            &json!({"type": "task", "subject": "Logs", "description": "Please send the logs.", "contract_id": startup}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn refusals_speak_the_users_language() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    // Ana chose Spanish: her refusal is in Spanish whatever her browser says.
    let ana = app.client("ana@acme.example").await.with_language("en");
    let trial = app.contract_id("Acme Trial").await;
    agent
        .post(
            &format!("/api/v1/contracts/{trial}/members"),
            json!({"user_id": ana.user_id}),
        )
        .await
        .assert_status(204);
    let res = ana.open_ticket(trial).await;
    let message = res.assert_error(403, "not_entitled.plan_not_paid");
    assert!(message.contains("incluye la documentación"), "{message}");
    assert!(message.contains("escriba a help@atende.test"), "{message}");
    assert_eq!(res.headers["content-language"], "es");
}
