//! The web chat's API: visitors known by their session or by a code mailed to them, strangers
//! told how to get in, a ticket opened in the chat and its update pushed there (read by long
//! polling), read state, and agents seeing the conversation on the ticket and the customer's page.

use serde_json::{Value, json};

use crate::helpers::{Res, TestApp};

async fn chat(app: &TestApp, path: &str, body: Value, cookie: Option<&str>) -> Res {
    let mut req = reqwest::Client::new()
        .post(format!("{}/api/v1/chat/{path}", app.base()))
        .json(&body);
    if let Some(token) = cookie {
        req = req.header("cookie", format!("atende_session={token}"));
    }
    Res::from_response(req.send().await.unwrap()).await
}

fn texts(list: &Value) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let options: Vec<&str> = m["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap())
                .collect();
            format!(
                "{}: {} {:?}",
                m["direction"].as_str().unwrap(),
                m["text"].as_str().unwrap(),
                options
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn strangers_are_told_how_to_get_in_and_a_mailed_code_says_who_they_are() {
    let app = TestApp::spawn().await;
    let session = chat(&app, "sessions", json!({}), None).await;
    session.assert_status(200);
    assert_eq!(session.body["known"], false);
    let visitor = session.body["visitor"].as_str().unwrap().to_owned();
    let answer = chat(&app, "messages", json!({"visitor": visitor, "text": "hola"}), None).await;
    let said = texts(&answer.body);
    assert!(
        said.contains("in: hola") && said.contains("help@atende.test") && said.contains("Hello!"),
        "{said}"
    );

    chat(&app, "messages", json!({"visitor": "not-a-key", "text": "hola"}), None)
        .await
        .assert_error(401, "chat.visitor");
    // Unknown addresses get the same answer, and no mail.
    chat(
        &app,
        "code",
        json!({"visitor": visitor, "email": "nobody@nowhere.example"}),
        None,
    )
    .await
    .assert_status(202);
    chat(
        &app,
        "code",
        json!({"visitor": visitor, "email": "gabriel@globex.example"}),
        None,
    )
    .await
    .assert_status(202);
    assert_eq!(app.outbox_to("chat_code").await, ["gabriel@globex.example"]);
    let mut conn = app.app().db.read().await.unwrap();
    let raw: Vec<u8> = sqlx::Row::get(
        &sqlx::query("SELECT raw FROM mail_outbox WHERE kind = 'chat_code'")
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        "raw",
    );
    drop(conn);
    let raw = String::from_utf8_lossy(&raw);
    let at = raw.find("Your chat code: ").unwrap() + "Your chat code: ".len();
    let code = raw[at..at + 6].to_owned();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");

    chat(&app, "code/check", json!({"visitor": visitor, "code": "000000x"}), None)
        .await
        .assert_error(422, "chat.code");
    chat(&app, "code/check", json!({"visitor": visitor, "code": code}), None)
        .await
        .assert_status(204);
    // The same code does not work twice.
    chat(&app, "code/check", json!({"visitor": visitor, "code": code}), None)
        .await
        .assert_error(422, "chat.code");
    let answer = chat(
        &app,
        "messages",
        json!({"visitor": visitor, "text": "my tickets"}),
        None,
    )
    .await;
    assert!(texts(&answer.body).contains("open tickets"), "{}", texts(&answer.body));
    let again = chat(&app, "sessions", json!({"visitor": visitor}), None).await;
    assert_eq!(again.body["known"], true, "the conversation remembers who it is");
}

#[tokio::test]
async fn a_ticket_opened_in_the_chat_gets_its_update_there_and_agents_see_the_conversation() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    let session = chat(&app, "sessions", json!({}), Some(ana.token())).await;
    assert_eq!(session.body["known"], true, "signed in: known at once");
    let visitor = session.body["visitor"].as_str().unwrap().to_owned();
    let say = |text: &str| json!({"visitor": visitor, "text": text});
    let tap = |id: &str| json!({"visitor": visitor, "choice": id, "title": id});
    let mut last = 0;
    for body in [
        say("quiero abrir un ticket"),
        tap(&format!("contract:{startup}")),
        tap("bot:none"),
        tap("type:question"),
        tap("priority:low"),
        say("Exportar contactos"),
        say("¿Cómo exporto mis contactos a CSV?"),
        tap("done"),
        tap("confirm"),
    ] {
        let res = chat(&app, "messages", body, None).await;
        res.assert_status(200);
        last = res
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .max()
            .unwrap();
        if res.body.to_string().contains("está abierto") {
            break;
        }
    }
    let list = ana.get("/api/v1/tickets?limit=5").await;
    let ticket = list.body["items"][0].clone();
    assert_eq!(ticket["subject"], "Exportar contactos");
    assert_eq!(ticket["channel"], "webchat");
    let id = ticket["id"].as_i64().unwrap();

    // Nothing new yet: the long poll waits, then answers empty.
    let quiet = reqwest::get(format!(
        "{}/api/v1/chat/messages?visitor={visitor}&after={last}&wait=1",
        app.base()
    ))
    .await
    .unwrap();
    assert_eq!(quiet.json::<Value>().await.unwrap(), json!([]));
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Contactos > Exportar.", "visibility": "public"}),
        )
        .await
        .assert_status(201);
    atende::mailer::run_once(app.app(), None).await.unwrap();
    let pushed: Value = reqwest::get(format!(
        "{}/api/v1/chat/messages?visitor={visitor}&after={last}&wait=5",
        app.base()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let update = &pushed[0];
    assert!(
        update["text"].as_str().unwrap().contains("Contactos > Exportar."),
        "{pushed}"
    );
    assert!(
        app.outbox_to("reply").await.is_empty(),
        "in the chat, not by e-mail as well"
    );

    let up_to = update["id"].as_i64().unwrap();
    chat(&app, "read", json!({"visitor": visitor, "up_to": up_to}), None)
        .await
        .assert_status(204);
    let all = chat(&app, "sessions", json!({"visitor": visitor}), None).await;
    let read = all.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == up_to)
        .unwrap()
        .clone();
    assert_eq!(read["status"], "read");

    // Agents read the conversation on the ticket and on the customer's page.
    let browser = app.browser("agent@atende.example").await;
    browser
        .get(&format!("/agent/tickets/{id}"))
        .await
        .assert_contains("bot-transcript")
        .assert_contains("¿Cómo exporto mis contactos a CSV?");
    browser
        .get(&format!("/agent/customers/{}", ana.user_id))
        .await
        .assert_contains("Exportar contactos")
        .assert_contains("quiero abrir un ticket");
    let customer_page = app
        .browser("ana@acme.example")
        .await
        .get(&format!("/agent/customers/{}", ana.user_id))
        .await;
    assert_ne!(
        customer_page.status.as_u16(),
        200,
        "customers do not see the staff's page"
    );
}

/// Messages of several visitors at the same moment are recorded and answered together (one
/// transaction each way): every visitor must get back their own message and its answer, never
/// another visitor's.
#[tokio::test]
async fn visitors_writing_at_once_each_get_their_own_conversation() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let mut visitors = Vec::new();
    for _ in 0..8 {
        let session = chat(&app, "sessions", json!({}), None).await;
        visitors.push(session.body["visitor"].as_str().unwrap().to_owned());
    }
    let sends = visitors.iter().enumerate().map(|(i, visitor)| {
        let (app, visitor) = (app.clone(), visitor.clone());
        tokio::spawn(async move {
            chat(
                &app,
                "messages",
                json!({"visitor": visitor, "text": format!("mensagem número {i}")}),
                None,
            )
            .await
        })
    });
    let mut answers = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        answers.push(send.await.unwrap());
    }
    for (i, answer) in answers.iter().enumerate() {
        answer.assert_status(200);
        let said = texts(&answer.body);
        let inbound: Vec<&str> = said.lines().filter(|l| l.starts_with("in:")).collect();
        assert_eq!(inbound, [format!("in: mensagem número {i} []").as_str()], "{said}");
        assert!(said.contains("help@atende.test"), "visitor {i} got the answer: {said}");
    }
}
