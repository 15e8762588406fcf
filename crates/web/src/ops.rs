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
    queues: QueueGauges,
}

/// The outgoing channels' queues, read from the database at each scrape.
#[derive(Default)]
struct QueueGauges {
    outbox_waiting: Gauge,
    outbox_failed: Gauge,
    access_queue: Gauge,
    mailboxes_failing: Gauge,
    whatsapp_waiting: Gauge,
    whatsapp_failed: Gauge,
    webhooks_waiting: Gauge,
    webhooks_failed: Gauge,
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
        let queues = QueueGauges::default();
        let q = &queues;
        for (name, help, gauge) in [
            (
                "mail_outbox_waiting",
                "E-mail messages waiting to be sent",
                &q.outbox_waiting,
            ),
            (
                "mail_outbox_failed",
                "E-mail messages that will not be sent (refused, or out of attempts)",
                &q.outbox_failed,
            ),
            (
                "mail_access_queue",
                "Received e-mail messages waiting in the access queue",
                &q.access_queue,
            ),
            (
                "mailboxes_failing",
                "Active mailboxes whose last reading failed",
                &q.mailboxes_failing,
            ),
            (
                "whatsapp_outbox_waiting",
                "WhatsApp messages waiting to be sent",
                &q.whatsapp_waiting,
            ),
            (
                "whatsapp_outbox_failed",
                "WhatsApp messages that will not be sent (refused, or out of attempts)",
                &q.whatsapp_failed,
            ),
            (
                "webhook_deliveries_waiting",
                "Status page webhook deliveries waiting to be made",
                &q.webhooks_waiting,
            ),
            (
                "webhook_deliveries_failed",
                "Status page webhook deliveries given up",
                &q.webhooks_failed,
            ),
        ] {
            registry.register(name, help, gauge.clone());
        }
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            queues,
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

/// Ready while the database answers. An outage of what atende sends to (SMTP, the Graph API)
/// does not make it unready (taking it out of a load balancer would not help); the body shows
/// the queues that wait for them.
async fn readyz(State(state): State<AppState>) -> Response {
    if let Err(err) = state.app.db.ping().await {
        tracing::warn!(%err, "database not ready");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    }
    let gauges = &state.metrics.queues;
    refresh_queues(&state).await;
    format!(
        "ready\nmail outbox waiting: {}\nmail outbox failed: {}\nwhatsapp outbox waiting: {}\nwhatsapp outbox failed: {}\n\
         webhook deliveries waiting: {}\nwebhook deliveries failed: {}\nmailboxes failing: {}\n",
        gauges.outbox_waiting.get(),
        gauges.outbox_failed.get(),
        gauges.whatsapp_waiting.get(),
        gauges.whatsapp_failed.get(),
        gauges.webhooks_waiting.get(),
        gauges.webhooks_failed.get(),
        gauges.mailboxes_failing.get(),
    )
    .into_response()
}

/// Reads the queues' counts into the gauges; on an error they keep their last values.
async fn refresh_queues(state: &AppState) {
    let gauges = &state.metrics.queues;
    match atende_app::mail::counts(&state.app).await {
        Ok(counts) => {
            gauges.outbox_waiting.set(counts.outbox_waiting);
            gauges.outbox_failed.set(counts.outbox_failed);
            gauges.access_queue.set(counts.access_queue);
            gauges.mailboxes_failing.set(counts.mailboxes_failing);
        }
        Err(err) => tracing::warn!(%err, "cannot read the e-mail counts"),
    }
    match atende_app::bot::whatsapp::backlog(&state.app).await {
        Ok((waiting, failed)) => {
            gauges.whatsapp_waiting.set(waiting);
            gauges.whatsapp_failed.set(failed);
        }
        Err(err) => tracing::warn!(%err, "cannot read the WhatsApp outbox counts"),
    }
    match atende_app::status::webhook_backlog(&state.app).await {
        Ok((waiting, failed)) => {
            gauges.webhooks_waiting.set(waiting);
            gauges.webhooks_failed.set(failed);
        }
        Err(err) => tracing::warn!(%err, "cannot read the webhook delivery counts"),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    // The request metrics are worth serving even when the queues cannot be read.
    refresh_queues(&state).await;
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
