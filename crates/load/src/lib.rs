//! Drives a running `atende serve` over HTTP with concurrent clients, measures throughput and
//! latency, then checks that every acknowledged write is stored whole.

pub mod ceiling;
pub mod dataset;
pub mod email;
pub mod history;
pub mod pages;
pub mod reports;
pub mod search;
pub mod sweep;
pub mod whatsapp;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct Options {
    /// The server, or several serving one database (comma-separated): client n uses the n-th, in turn.
    pub url: String,
    pub email: String,
    pub password: String,
    pub clients: usize,
    /// Stop after this many requests in all...
    pub requests: usize,
    /// ...or after this long, whichever comes first.
    pub duration: Duration,
    pub seed: u64,
    /// Also GET every acknowledged ticket and its events afterwards.
    pub verify: bool,
    /// The server's database: when given, the check afterwards reads every acknowledged
    /// ticket's rows there (the ticket, its `created` event, its SLA clocks, its search entry)
    /// instead of asking the API.
    pub database_url: Option<String>,
}

/// Opens (and migrates) the database at `database_url` with the demo data loaded: where the
/// scenarios that fill a fresh database start.
pub async fn open_with_demo(database_url: &str) -> Result<atende_app::App, String> {
    let config = atende::Config {
        database_url: Some(database_url.to_owned()),
        ..atende::Config::default()
    };
    let app = atende::open(&config, atende_app::Clock::system())
        .await
        .map_err(|e| e.to_string())?;
    atende::demo::load(&app).await.map_err(|e| e.to_string())?;
    Ok(app)
}

/// The value at quantile `q` (0..=1) of `latencies`, nearest-rank; zero when there are none.
pub fn percentile(latencies: &[Duration], q: f64) -> Duration {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[derive(Debug, Default)]
pub struct Report {
    pub acknowledged: Vec<i64>,
    pub errors: Vec<String>,
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
    /// Acknowledged tickets found whole afterwards (ticket and its `created` event).
    pub verified: usize,
    pub missing: Vec<i64>,
}

/// The requests still to send, shared by the clients: each takes one before each request.
#[derive(Debug, Clone)]
pub struct Budget(Arc<std::sync::atomic::AtomicUsize>);

impl Budget {
    pub fn new(requests: usize) -> Budget {
        Budget(Arc::new(std::sync::atomic::AtomicUsize::new(requests)))
    }

    /// Takes one request; false when none is left.
    pub fn take(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.0
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(1))
            .is_ok()
    }
}

impl Report {
    /// Records one request: how long it took, and what it acknowledged or why it failed.
    pub fn record(&mut self, sent: Instant, outcome: Result<i64, String>) {
        self.latencies.push(sent.elapsed());
        match outcome {
            Ok(id) => self.acknowledged.push(id),
            Err(e) => self.errors.push(e),
        }
    }

    /// The clients' parts of a run that began at `started`, added up.
    pub async fn gather(clients: Vec<tokio::task::JoinHandle<Report>>, started: Instant) -> Result<Report, String> {
        let mut total = Report::default();
        for client in clients {
            total.add(client.await.map_err(|e| e.to_string())?);
        }
        total.elapsed = started.elapsed();
        Ok(total)
    }

    /// Adds a client's part of the run.
    pub fn add(&mut self, part: Report) {
        self.acknowledged.extend(part.acknowledged);
        self.errors.extend(part.errors);
        self.latencies.extend(part.latencies);
    }

    pub fn throughput(&self) -> f64 {
        self.acknowledged.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0..=1), nearest-rank.
    pub fn percentile(&self, q: f64) -> Duration {
        percentile(&self.latencies, q)
    }

    /// Throughput and latency on one line.
    pub fn latency_line(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{} ok, {} errors, {:.0}/s; ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
            self.acknowledged.len(),
            self.errors.len(),
            self.throughput(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.90)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
        )
    }

    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "requests ok: {}  errors: {}  elapsed: {:.2}s  throughput: {:.0}/s\n\
             latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}\n\
             verified after the run: {} of {} acknowledged, {} missing",
            self.acknowledged.len(),
            self.errors.len(),
            self.elapsed.as_secs_f64(),
            self.throughput(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.90)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
            self.verified,
            self.acknowledged.len(),
            self.missing.len(),
        )
    }
}

const SUBJECTS: &[&str] = &[
    "El bot no responde en WhatsApp",
    "Relatório mensal não carrega",
    "Webhook returns 500 since the deploy",
    "Exportar logs de enero",
    "Como altero o menu inicial?",
    "Need the WhatsApp account details",
];
const TYPES: &[&str] = &["question", "task", "incident"];
const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];

pub(crate) async fn sign_in(http: &reqwest::Client, opts: &Options) -> Result<String, String> {
    let res = http
        .post(format!("{}/api/v1/auth/login", opts.url))
        .json(&json!({"email": opts.email, "password": opts.password}))
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {e}", opts.url))?;
    let status = res.status();
    let body: Value = res.json().await.map_err(|e| e.to_string())?;
    if status != StatusCode::OK {
        return Err(format!("sign-in as {} failed ({status}): {body}", opts.email));
    }
    body["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no token in {body}"))
}

/// The first contract the user may open tickets on.
async fn contract(http: &reqwest::Client, url: &str, token: &str) -> Result<i64, String> {
    let contracts: Value = http
        .get(format!("{url}/api/v1/contracts"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    contracts
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["in_view"] == true && c["channels"]["portal"].is_string())
        })
        .and_then(|c| c["id"].as_i64())
        .ok_or_else(|| format!("the user is in view of no contract with the portal channel: {contracts}"))
}

/// Runs the ticket-intake scenario.
pub async fn create_tickets(opts: &Options) -> Result<Report, String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let servers: Vec<String> = opts.url.split(',').map(|u| u.trim().to_owned()).collect();
    let first = Options {
        url: servers[0].clone(),
        ..opts.clone()
    };
    let token = sign_in(&http, &first).await?;
    let contract_id = contract(&http, &first.url, &token).await?;
    let budget = Budget::new(opts.requests);
    let started = Instant::now();
    let deadline = started + opts.duration;
    let mut workers = Vec::new();
    for client in 0..opts.clients {
        let url = servers[client % servers.len()].clone();
        let (http, token, budget) = (http.clone(), token.clone(), budget.clone());
        let mut rng = fastrand::Rng::with_seed(opts.seed.wrapping_add(client as u64));
        workers.push(tokio::spawn(async move {
            let mut report = Report::default();
            while Instant::now() < deadline && budget.take() {
                let body = json!({
                    "type": TYPES[rng.usize(..TYPES.len())],
                    "priority": PRIORITIES[rng.usize(..PRIORITIES.len())],
                    "subject": format!("{} #{}", SUBJECTS[rng.usize(..SUBJECTS.len())], rng.u32(..)),
                    "description": "Generated by atende-load with a fixed seed.",
                    "contract_id": contract_id,
                });
                let sent = Instant::now();
                let res = http
                    .post(format!("{url}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let outcome = match res {
                    Ok(r) if r.status() == StatusCode::CREATED => r
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|b| b["id"].as_i64())
                        .ok_or("no id".to_owned()),
                    Ok(r) => Err(format!("status {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                report.record(sent, outcome);
            }
            report
        }));
    }
    let mut total = Report::gather(workers, started).await?;
    if opts.verify {
        match &opts.database_url {
            Some(url) => verify_rows(url, &mut total).await?,
            None => verify(&http, &first.url, &token, &mut total).await,
        }
    }
    Ok(total)
}

/// Reads back every acknowledged ticket and its audit trail.
async fn verify(http: &reqwest::Client, url: &str, token: &str, report: &mut Report) {
    for id in report.acknowledged.clone() {
        let ticket = http
            .get(format!("{url}/api/v1/tickets/{id}"))
            .bearer_auth(token)
            .send()
            .await;
        let events = http
            .get(format!("{url}/api/v1/tickets/{id}/events"))
            .bearer_auth(token)
            .send()
            .await;
        let whole = match (ticket, events) {
            (Ok(t), Ok(e)) if t.status() == StatusCode::OK => {
                let events: Value = e.json().await.unwrap_or(Value::Null);
                events
                    .as_array()
                    .is_some_and(|all| all.iter().any(|ev| ev["kind"] == "created"))
            }
            _ => false,
        };
        if whole {
            report.verified += 1;
        } else {
            report.missing.push(id);
        }
    }
}

/// Reads every acknowledged ticket's rows in the database: whole means the ticket, exactly one
/// `created` event, one search entry, and SLA clocks whenever a policy applied to it.
pub async fn verify_rows(database_url: &str, report: &mut Report) -> Result<(), String> {
    let db = atende_store::Db::connect(database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    let mut conn = db.read().await.map_err(|e| e.to_string())?;
    for chunk in report.acknowledged.clone().chunks(500) {
        let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT t.id AS id, \
               (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created') AS created, \
               (SELECT COUNT(*) FROM search_docs d WHERE d.kind = 'ticket' AND d.ref_id = t.id) AS indexed, \
               (SELECT COUNT(*) FROM sla_clocks c WHERE c.ticket_id = t.id) AS clocks, \
               CASE WHEN t.sla_policy_id IS NULL THEN 0 ELSE 1 END AS with_policy \
             FROM tickets t WHERE t.id IN ({})",
            ids.join(", ")
        );
        let rows = sqlx::query(&sql)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| e.to_string())?;
        let mut whole = std::collections::HashSet::new();
        for row in &rows {
            let get = |column: &str| sqlx::Row::try_get::<i64, _>(row, column).map_err(|e| e.to_string());
            if get("created")? == 1 && get("indexed")? == 1 && (get("with_policy")? == 0 || get("clocks")? > 0) {
                whole.insert(get("id")?);
            }
        }
        for id in chunk {
            if whole.contains(id) {
                report.verified += 1;
            } else {
                report.missing.push(*id);
            }
        }
    }
    drop(conn);
    db.close().await;
    Ok(())
}

/// The durability settings in force, read straight from the database.
pub async fn database_settings(database_url: &str) -> Result<Vec<(String, String)>, String> {
    let db = atende_store::Db::connect(database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    let settings = db.durability_settings().await.map_err(|e| e.to_string());
    db.close().await;
    settings
}
