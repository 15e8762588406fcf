//! The server's own log, at debug level, through a run that touches every secret: sign-ins
//! (wrong and right), an API token in use, the WhatsApp webhook (forged and signed, a wrong and
//! the right verify token), the e-mail pipe (wrong and right token), and sends to an SMTP relay and
//! a Graph API that are down. Not one secret may show in it.

use std::{
    io::Read,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::json;

const SMTP_PASSWORD: &str = "smtp-pw-7Qx2Lm";
const INBOUND_TOKEN: &str = "inbound-tok-9Zr4Pq";
const VERIFY_TOKEN: &str = "verify-tok-3Kp8Ws";
const APP_SECRET: &str = "app-secret-5Hn1Yt";
const ACCESS_TOKEN: &str = "access-tok-8Wd6Ge";
const WRONG_PASSWORD: &str = "wrong-password-Vb3Jc";

/// Collects what a stream of the child writes, as it writes it.
fn collect(mut stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
}

/// A port nothing listens on: a service that is down.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    log: Arc<Mutex<String>>,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(dir: &std::path::Path) -> Server {
    let secrets = dir.join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    // Two from files (as Docker and systemd hand them over), the others directly.
    std::fs::write(secrets.join("smtp"), format!("{SMTP_PASSWORD}\n")).unwrap();
    std::fs::write(secrets.join("app"), APP_SECRET).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_atende"))
        .arg("serve")
        .current_dir(dir)
        .env_remove("ATENDE_DATABASE_URL")
        .env("ATENDE_LOG", "debug")
        .env("ATENDE_LISTEN", "127.0.0.1:0")
        .env("ATENDE_SLA_SWEEP_SECONDS", "1")
        .env("ATENDE_MAIL_SECONDS", "1")
        .env("ATENDE_SMTP_HOST", "127.0.0.1")
        .env("ATENDE_SMTP_PORT", closed_port().to_string())
        .env("ATENDE_SMTP_SECURITY", "none")
        .env("ATENDE_SMTP_USERNAME", "atende")
        .env("ATENDE_SMTP_PASSWORD_FILE", secrets.join("smtp"))
        .env("ATENDE_MAIL_INBOUND_TOKEN", INBOUND_TOKEN)
        .env("ATENDE_WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN)
        .env("ATENDE_WHATSAPP_APP_SECRET_FILE", secrets.join("app"))
        .env("ATENDE_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN)
        .env("ATENDE_WHATSAPP_PHONE_NUMBER_ID", "106540352242922")
        .env(
            "ATENDE_WHATSAPP_GRAPH_URL",
            format!("http://127.0.0.1:{}", closed_port()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    collect(child.stdout.take().unwrap(), log.clone());
    collect(child.stderr.take().unwrap(), log.clone());
    let mut server = Server {
        child,
        log,
        base: String::new(),
    };
    for _ in 0..300 {
        let text = server.log.lock().unwrap().clone();
        if let Some(rest) = text.split("atende is serving on ").nth(1) {
            server.base = rest.split_whitespace().next().unwrap().to_owned();
            return server;
        }
        assert!(server.child.try_wait().unwrap().is_none(), "the server stopped: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start: {}", server.log.lock().unwrap());
}

#[tokio::test]
async fn no_secret_reaches_the_log() {
    let dir = std::env::temp_dir().join(format!("atende-secrets-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let demo = Command::new(env!("CARGO_BIN_EXE_atende"))
        .arg("demo")
        .current_dir(&dir)
        .env_remove("ATENDE_DATABASE_URL")
        .output()
        .unwrap();
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
    let contracts: serde_json::Value = http
        .get(url("/api/v1/contracts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contract = contracts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Acme Startup")
        .unwrap()["id"]
        .clone();
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
        log = server.log.lock().unwrap().clone();
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
