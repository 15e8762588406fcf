//! Operations: liveness, readiness and Prometheus metrics.

use std::{sync::Mutex, time::Instant};

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    mail: MailGauges,
}

/// The e-mail channel's state, read from the database at each scrape.
#[derive(Default)]
struct MailGauges {
    outbox_waiting: Gauge,
    outbox_failed: Gauge,
    access_queue: Gauge,
    mailboxes_failing: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("atende");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            latency.clone(),
        );
        let mail = MailGauges::default();
        registry.register(
            "mail_outbox_waiting",
            "E-mail messages waiting to be sent",
            mail.outbox_waiting.clone(),
        );
        registry.register(
            "mail_outbox_failed",
            "E-mail messages that will not be sent (refused, or out of attempts)",
            mail.outbox_failed.clone(),
        );
        registry.register(
            "mail_access_queue",
            "Received e-mail messages waiting in the access queue",
            mail.access_queue.clone(),
        );
        registry.register(
            "mailboxes_failing",
            "Active mailboxes whose last reading failed",
            mail.mailboxes_failing.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            mail,
        }
    }

    fn render(&self) -> Result<String, std::fmt::Error> {
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        encode(&mut out, &registry)?;
        Ok(out)
    }
}

/// Counts and times every request by its route pattern (not its raw path, which would explode the label set).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    let labels = RequestLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .latency
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(%err, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    match atende_app::mail::counts(&state.app).await {
        Ok(counts) => {
            let mail = &state.metrics.mail;
            mail.outbox_waiting.set(counts.outbox_waiting);
            mail.outbox_failed.set(counts.outbox_failed);
            mail.access_queue.set(counts.access_queue);
            mail.mailboxes_failing.set(counts.mailboxes_failing);
        }
        // The request metrics are still worth serving; the gauges keep their last values.
        Err(err) => tracing::warn!(%err, "cannot read the e-mail counts for /metrics"),
    }
    match state.metrics.render() {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
