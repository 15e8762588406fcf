//! The server's own log, at debug level, through a run that touches every secret: sign-ins
//! (wrong and right), an API token in use, the WhatsApp webhook (forged and signed, a wrong and
//! the right verify token), the e-mail pipe (wrong and right token), and sends to an SMTP relay and
//! a Graph API that are down. Not one secret may show in it.

use std::time::Duration;

use serde_json::json;

use crate::process::{self, Served, closed_port};

const SMTP_PASSWORD: &str = "smtp-pw-7Qx2Lm";
const INBOUND_TOKEN: &str = "inbound-tok-9Zr4Pq";
const VERIFY_TOKEN: &str = "verify-tok-3Kp8Ws";
const APP_SECRET: &str = "app-secret-5Hn1Yt";
const ACCESS_TOKEN: &str = "access-tok-8Wd6Ge";
const WRONG_PASSWORD: &str = "wrong-password-Vb3Jc";

async fn serve(dir: &std::path::Path) -> Served {
    let secrets = dir.join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    // Two from files (as Docker and systemd hand them over), the others directly.
    std::fs::write(secrets.join("smtp"), format!("{SMTP_PASSWORD}\n")).unwrap();
    std::fs::write(secrets.join("app"), APP_SECRET).unwrap();
    let file = |name: &str| secrets.join(name).display().to_string();
    let env = [
        ("ATENDE_LOG", "debug".to_owned()),
        ("ATENDE_SLA_SWEEP_SECONDS", "1".to_owned()),
        ("ATENDE_MAIL_SECONDS", "1".to_owned()),
        ("ATENDE_SMTP_HOST", "127.0.0.1".to_owned()),
        ("ATENDE_SMTP_PORT", closed_port().to_string()),
        ("ATENDE_SMTP_SECURITY", "none".to_owned()),
        ("ATENDE_SMTP_USERNAME", "atende".to_owned()),
        ("ATENDE_SMTP_PASSWORD_FILE", file("smtp")),
        ("ATENDE_MAIL_INBOUND_TOKEN", INBOUND_TOKEN.to_owned()),
        ("ATENDE_WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN.to_owned()),
        ("ATENDE_WHATSAPP_APP_SECRET_FILE", file("app")),
        ("ATENDE_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN.to_owned()),
        ("ATENDE_WHATSAPP_PHONE_NUMBER_ID", "106540352242922".to_owned()),
        (
            "ATENDE_WHATSAPP_GRAPH_URL",
            format!("http://127.0.0.1:{}", closed_port()),
        ),
    ];
    process::serve(dir, &env).await
}

#[tokio::test]
async fn no_secret_reaches_the_log() {
    let dir = std::env::temp_dir().join(format!("atende-secrets-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let demo = process::command(&dir, &[]).arg("demo").output().unwrap();
    assert!(demo.status.success());
    let server = serve(&dir).await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.base);

    let login = |password: &str| {
        http.post(url("/api/v1/auth/login"))
            .json(&json!({"email": "ana@acme.example", "password": password}))
            .send()
    };
    assert_eq!(login(WRONG_PASSWORD).await.unwrap().status(), 401);
    let signed_in: serde_json::Value = login(atende::demo::PASSWORD).await.unwrap().json().await.unwrap();
    let token = signed_in["token"].as_str().unwrap().to_owned();
    let contract = process::contract_id(&server.base, &token, "Acme Startup").await;
    let opened = http
        .post(url("/api/v1/tickets"))
        .bearer_auth(&token)
        .json(&json!({"type": "question", "subject": "Logs", "description": "Who reads them?", "priority": "low", "contract_id": contract}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        opened.status(),
        201,
        "the ticket's notices go to the SMTP relay that is down"
    );

    let verify = |token: &str| {
        http.get(url(&format!(
            "/api/v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=42"
        )))
        .send()
    };
    assert_eq!(verify("a-guess").await.unwrap().status(), 403);
    assert_eq!(verify(VERIFY_TOKEN).await.unwrap().status(), 200);
    let notification = crate::whatsapp::text_from("5511900000009", "hola", "wamid.secrets-test").to_string();
    let deliver = |signature: String| {
        http.post(url("/api/v1/whatsapp/webhook"))
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(notification.clone())
            .send()
    };
    let forged = atende_channels::webhook::sign("not-the-secret", notification.as_bytes());
    assert_eq!(deliver(forged).await.unwrap().status(), 401);
    let signed = atende_channels::webhook::sign(APP_SECRET, notification.as_bytes());
    assert_eq!(
        deliver(signed).await.unwrap().status(),
        200,
        "the bot's answer goes to the Graph API that is down"
    );

    let pipe = |token: &str| {
        http.post(url("/api/v1/inbound/email"))
            .header("x-inbound-token", token)
            .header("content-type", "message/rfc822")
            .body(crate::email::message("ana@acme.example", "Hola", "", "Una pregunta.").replace('\n', "\r\n"))
            .send()
    };
    assert_eq!(pipe("a-guess").await.unwrap().status(), 401);
    assert_eq!(pipe(INBOUND_TOKEN).await.unwrap().status(), 202);

    // The mail rounds try the relay and the Graph API, fail, and log it.
    let mut log = String::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = server.log();
        if log.contains("mail round sent=0 retried=") && log.contains("whatsapp round sent=0 retried=1") {
            break;
        }
    }
    assert!(log.contains("DEBUG"), "the log is at debug level");
    assert!(
        log.contains("mail round sent=0 retried=") && log.contains("whatsapp round sent=0 retried=1"),
        "the failed sends are in the log: {log}"
    );
    assert!(
        log.contains("route=\"/api/v1/whatsapp/webhook\""),
        "requests are logged, by route"
    );
    drop(server);
    for secret in [
        SMTP_PASSWORD,
        INBOUND_TOKEN,
        VERIFY_TOKEN,
        APP_SECRET,
        ACCESS_TOKEN,
        WRONG_PASSWORD,
        atende::demo::PASSWORD,
        token.as_str(),
    ] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
