//! What this machine's HTTP stack gives before any work: the same client and concurrency as the
//! intake, against `GET /healthz` (no database) and `GET /api/v1/me` (the bearer token's one
//! read). The intake's figures are read against these.

use std::time::Instant;

use reqwest::StatusCode;

use crate::{Budget, Options, Report};

/// Runs `requests` GETs of `path` (with the bearer token when given) over `opts.clients` clients.
pub async fn run(opts: &Options, path: &str, signed_in: bool) -> Result<Report, String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let token = if signed_in {
        Some(crate::sign_in(&http, opts).await?)
    } else {
        None
    };
    let url = format!("{}{path}", opts.url);
    let budget = Budget::new(opts.requests);
    let started = Instant::now();
    let deadline = started + opts.duration;
    let mut workers = Vec::new();
    for _ in 0..opts.clients {
        let (http, url, token, budget) = (http.clone(), url.clone(), token.clone(), budget.clone());
        workers.push(tokio::spawn(async move {
            let mut report = Report::default();
            while Instant::now() < deadline && budget.take() {
                let mut request = http.get(&url);
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                let sent = Instant::now();
                let outcome = match request.send().await {
                    Ok(r) if r.status() == StatusCode::OK => r.bytes().await.map_err(|e| e.to_string()),
                    Ok(r) => Err(format!("status {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                report.record(sent, outcome.map(|_| 0));
            }
            report
        }));
    }
    Report::gather(workers, started).await
}
