//! WhatsApp webhooks: notifications shaped as Meta sends them, signed with the app secret, posted
//! to `POST /api/v1/whatsapp/webhook` by N concurrent clients. Each message runs through the bot
//! and has its answer queued for the Graph API before the webhook is acknowledged. The mix: a
//! customer whose number is linked walks the menu (greetings, her tickets, questions for the help
//! center), and strangers' numbers are told how to link theirs.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Report;

pub struct WhatsappOptions {
    pub url: String,
    /// The server's `whatsapp_app_secret`.
    pub secret: String,
    /// Linked numbers of customers (one per client is best: a person writes one message at a time).
    pub numbers: Vec<String>,
    pub clients: usize,
    pub messages: usize,
    pub duration: Duration,
    pub seed: u64,
}

const SAID: &[&str] = &[
    "hola",
    "mis tickets",
    "tengo una duda",
    "¿Cómo abro un ticket?",
    "sí",
    "menu",
    "¿qué tipos de ticket hay?",
    "no",
    "cancelar",
];

fn notification(from: &str, text: &str, wamid: &str) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Load"}, "wa_id": from}],
            "messages": [{"from": from, "id": wamid, "timestamp": "1749416383", "type": "text", "text": {"body": text}}]
        }}]}]
    })
}

pub async fn run(opts: &WhatsappOptions) -> Result<Report, String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let endpoint = format!("{}/api/v1/whatsapp/webhook", opts.url);
    let budget = crate::Budget::new(opts.messages);
    let started = Instant::now();
    let deadline = started + opts.duration;
    let mut workers = Vec::new();
    for client in 0..opts.clients {
        let (http, endpoint, secret, budget) = (http.clone(), endpoint.clone(), opts.secret.clone(), budget.clone());
        let number = opts.numbers.get(client % opts.numbers.len().max(1)).cloned();
        let mut rng = fastrand::Rng::with_seed(opts.seed.wrapping_add(client as u64));
        workers.push(tokio::spawn(async move {
            let mut report = Report::default();
            let mut n = 0u64;
            while Instant::now() < deadline && budget.take() {
                n += 1;
                let from = match (&number, rng.u8(..100)) {
                    (Some(linked), 0..80) => linked.clone(),
                    _ => format!("5599{:09}", rng.u32(..1_000_000_000)),
                };
                let text = SAID[rng.usize(..SAID.len())];
                let wamid = format!("wamid.load.{client}.{n}.{}", rng.u64(..));
                let body = notification(&from, text, &wamid).to_string();
                let signature = atende_channels::webhook::sign(&secret, body.as_bytes());
                let sent = Instant::now();
                let res = http
                    .post(&endpoint)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", signature)
                    .body(body)
                    .send()
                    .await;
                let answer = match res {
                    Ok(r) if r.status().is_success() => r.json::<Value>().await.map_err(|e| e.to_string()),
                    Ok(r) => Err(format!("status {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                let outcome = answer.and_then(|a| {
                    if a["messages"] == 1 {
                        Ok(n as i64)
                    } else {
                        Err(format!("not taken: {a}"))
                    }
                });
                report.record(sent, outcome);
            }
            report
        }));
    }
    Report::gather(workers, started).await
}
