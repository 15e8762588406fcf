//! The test harness: a server per test, demo data, and small HTTP helpers.

use std::sync::atomic::{AtomicU64, Ordering};

use atende::{Config, Server};
use atende_app::{Clock, auth};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const POSTGRES_URL_VAR: &str = "ATENDE_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_env() -> Backend {
        match std::env::var("ATENDE_TEST_BACKEND").as_deref() {
            Ok("postgres") => Backend::Postgres,
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok(other) => panic!("ATENDE_TEST_BACKEND must be sqlite or postgres, not {other}"),
        }
    }
}

/// The PostgreSQL server the test command started (see scripts/test).
pub fn postgres_admin_url() -> String {
    std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!("{POSTGRES_URL_VAR} is not set: run the tests with scripts/test, which starts PostgreSQL")
    })
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("atende_test_{}_{}_{}", std::process::id(), nanos, n)
}

/// Whether a test database's name (`atende_test_<pid>_...`) belongs to a process that has ended.
fn left_behind(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix("atende_test_")
        .and_then(|rest| rest.split('_').next())
    else {
        return false;
    };
    !std::path::Path::new("/proc").join(pid).exists()
}

/// Removes the databases of test processes that have ended (each test process does it once), so
/// that runs do not pile them up on a developer's machine.
async fn reap_leftovers(backend: Backend) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, Ordering::Relaxed) {
        return;
    }
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("atende-tests");
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if left_behind(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Backend::Postgres => {
            use sqlx::{Connection, Row};
            sqlx::any::install_default_drivers();
            let Ok(mut conn) = sqlx::AnyConnection::connect(&postgres_admin_url()).await else {
                return;
            };
            let names: Vec<String> =
                sqlx::query("SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'atende_test_%'")
                    .fetch_all(&mut conn)
                    .await
                    .map(|rows| rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).collect())
                    .unwrap_or_default();
            // A few per process: a large pile drains over a run without slowing any one test.
            for name in names.into_iter().filter(|n| left_behind(n)).take(10) {
                // Another test process may be dropping it too: an error here is no matter.
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// A fresh, empty database on the given backend; returns its URL.
pub async fn fresh_database(backend: Backend) -> String {
    reap_leftovers(backend).await;
    let name = unique_name();
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("atende-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join(format!("{name}.db")).display())
        }
        Backend::Postgres => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let admin = postgres_admin_url();
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
            format!("{base}/{name}")
        }
    }
}

pub struct TestApp {
    pub server: Server,
    pub database_url: String,
    pub base: String,
    pub http: reqwest::Client,
}

impl TestApp {
    /// A server on a fresh database of the backend chosen by the environment, with demo data.
    pub async fn spawn() -> TestApp {
        Self::spawn_on(Backend::from_env()).await
    }

    /// A server whose clock stands still at `start` until the test moves it.
    pub async fn spawn_at(start: jiff::Timestamp) -> TestApp {
        Self::spawn_with(Backend::from_env(), Clock::manual(start)).await
    }

    pub async fn spawn_on(backend: Backend) -> TestApp {
        Self::spawn_with(backend, Clock::system()).await
    }

    pub async fn spawn_with(backend: Backend, clock: Clock) -> TestApp {
        Self::spawn_configured(backend, clock, |_| {}).await
    }

    /// A server whose configuration the test adjusts first (mail settings, say).
    pub async fn spawn_configured(backend: Backend, clock: Clock, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let database_url = fresh_database(backend).await;
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(database_url.clone()),
            max_connections: 4,
            support_email: "help@atende.test".into(),
            // Tests run the sweep themselves, at the moments they choose.
            sla_sweep_seconds: 0,
            // Tests run the mail rounds themselves too.
            mail_seconds: 0,
            ..Config::default()
        };
        adjust(&mut config);
        let server = atende::start(&config, clock).await.expect("server starts");
        atende::demo::load(&server.app).await.expect("demo data loads");
        let base = format!("http://{}", server.addr);
        TestApp {
            server,
            database_url,
            base,
            http: reqwest::Client::new(),
        }
    }

    /// The server's address (`http://127.0.0.1:port`).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn app(&self) -> &atende_app::App {
        &self.server.app
    }

    pub fn advance(&self, minutes: i64) {
        self.app().clock.advance(jiff::SignedDuration::from_mins(minutes));
    }

    /// The value of one series of `/metrics` (0 when absent).
    pub async fn metric(&self, name: &str) -> i64 {
        let text = self.text("/metrics").await;
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.trim().parse::<f64>().ok())
            .map_or(0, |v| v as i64)
    }

    /// A plain-text page, such as `/readyz`.
    pub async fn text(&self, path: &str) -> String {
        let response = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.text().await.unwrap()
    }

    pub async fn sweep(&self) -> atende_app::sla::SweepReport {
        atende::scheduler::run_once(self.app()).await.unwrap()
    }

    /// A client signed in as the user with this e-mail (an API token, to skip password hashing).
    pub async fn client(&self, email: &str) -> Client {
        let mut conn = self.app().db.read().await.unwrap();
        let user = atende_store::directory::find_user_by_email(&mut conn, email)
            .await
            .unwrap()
            .expect("user exists");
        drop(conn);
        let (_, token) = auth::create_api_token(self.app(), user.id, "test").await.unwrap();
        Client {
            base: self.base.clone(),
            http: self.http.clone(),
            token: Some(token),
            user_id: user.id,
            accept_language: None,
        }
    }

    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: self.http.clone(),
            token: None,
            user_id: 0,
            accept_language: None,
        }
    }

    /// The recipients of the queued mail of one kind, sorted (one entry per message and recipient).
    pub async fn outbox_to(&self, kind: &str) -> Vec<String> {
        let mut conn = self.app().db.read().await.unwrap();
        let mut to: Vec<String> = atende_store::mail::list_outbox(&mut conn, None, 5_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == kind)
            .flat_map(|m| m.recipients)
            .collect();
        to.sort();
        to
    }

    /// The id of the demo contract with this name.
    pub async fn contract_id(&self, name: &str) -> i64 {
        let mut conn = self.app().db.read().await.unwrap();
        let contracts = atende_store::membership::list_contracts(&mut conn, None).await.unwrap();
        contracts
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no contract {name}"))
            .id
    }

    pub async fn bot_id(&self, name: &str) -> i64 {
        let mut conn = self.app().db.read().await.unwrap();
        let bots = atende_store::membership::list_bots(&mut conn, None).await.unwrap();
        bots.into_iter().find(|b| b.name == name).unwrap().id
    }
}

#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
    pub user_id: i64,
    accept_language: Option<String>,
}

/// A response: status, headers and body as JSON (or a string value when not JSON).
pub struct Res {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Res {
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(self.status.as_u16(), expected, "unexpected status; body: {}", self.body);
        self
    }

    /// Asserts an error response with this status and code, and returns its message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> String {
        self.assert_status(status);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        let message = self.body["error"]["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.contains(' '), "a sentence, not a bare key: {message}");
        message
    }

    /// Reads a response: JSON, or the text as a string value.
    pub async fn from_response(response: reqwest::Response) -> Res {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Res { status, headers, body }
    }

    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.body))
    }
}

impl Client {
    pub fn token(&self) -> &str {
        self.token.as_deref().unwrap_or_default()
    }

    pub fn with_language(mut self, lang: &str) -> Self {
        self.accept_language = Some(lang.to_owned());
        self
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Res {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(lang) = &self.accept_language {
            req = req.header("accept-language", lang);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        self.finish(req).await
    }

    /// Sends a raw body with the given content type (for malformed-input tests).
    pub async fn send_raw(&self, method: Method, path: &str, content_type: Option<&str>, body: &str) -> Res {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .body(body.to_owned());
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        self.finish(req).await
    }

    async fn finish(&self, req: reqwest::RequestBuilder) -> Res {
        Res::from_response(req.send().await.expect("request reaches the server")).await
    }

    pub async fn get(&self, path: &str) -> Res {
        self.send(Method::GET, path, None).await
    }

    /// Posts a multipart form: text fields, and files as `(field, file name, bytes)`.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Res {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (field, name, bytes) in files {
            form = form.part(
                field.to_string(),
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        let mut req = self.http.post(format!("{}{}", self.base, path)).multipart(form);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        self.finish(req).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Res {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Res {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Res {
        self.send(Method::DELETE, path, None).await
    }

    /// Opens an incident on the contract and returns the response.
    pub async fn open_ticket(&self, contract_id: i64) -> Res {
        self.post(
            "/api/v1/tickets",
            json!({"type": "incident", "subject": "The bot stopped answering", "description": "Since 9:00 no replies.", "priority": "high", "contract_id": contract_id}),
        )
        .await
    }
}
