//! E-mail ingestion: raw RFC 5322 messages posted to `POST /api/v1/inbound/email` (as an MTA pipe
//! does) by N concurrent clients. The mix is what a support address receives: new requests from
//! customers, their replies on tickets (by subject tag), strangers, auto-replies, a few files.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::Value;

use crate::Report;

pub struct EmailOptions {
    pub url: String,
    /// The server's `mail_inbound_token`.
    pub token: String,
    /// A customer who may open tickets by e-mail.
    pub sender: String,
    pub clients: usize,
    pub messages: usize,
    pub duration: Duration,
    pub seed: u64,
}

pub struct EmailReport {
    pub report: Report,
    /// How many messages ended each way (`ticket`, `reply`, `queued`, `ignored`...).
    pub outcomes: BTreeMap<String, usize>,
    pub bytes: usize,
}

const PDF: &str =
    "JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAvQ2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAvUm9vdCAxIDAgUiA+PgolJUVPRgo=";

const BODY: &str = "Desde esta mañana el bot no responde a los clientes en WhatsApp. Probamos reiniciar \
la integración y revisar el webhook, pero seguimos igual. ¿Pueden revisar los registros del lado de ustedes?\n\n\
Saludos,\nEquipo de Acme";

/// One message of the mix, and whether it answers an earlier ticket of this client.
fn message(rng: &mut fastrand::Rng, n: u64, sender: &str, tickets: &[i64]) -> String {
    let id = format!("<load.{n}.{}@client.example>", rng.u64(..));
    let roll = rng.u8(..100);
    let (from, subject, extra) = match roll {
        // A reply on one of the tickets this client opened, found by its subject tag.
        0..25 if !tickets.is_empty() => {
            let ticket = tickets[rng.usize(..tickets.len())];
            (
                sender.to_owned(),
                format!("Re: [#{ticket}] El bot no responde"),
                String::new(),
            )
        }
        25..35 => (
            format!("stranger{}@unknown.example", rng.u32(..)),
            "Quiero contratar soporte".to_owned(),
            String::new(),
        ),
        35..40 => (
            sender.to_owned(),
            "Respuesta automática: fuera de la oficina".to_owned(),
            "Auto-Submitted: auto-replied\r\n".to_owned(),
        ),
        _ => (
            sender.to_owned(),
            format!("El bot no responde #{}", rng.u32(..)),
            String::new(),
        ),
    };
    let head = format!(
        "From: Cliente <{from}>\r\nTo: help@atende.test\r\nSubject: {subject}\r\nMessage-ID: {id}\r\n\
         Date: Wed, 25 Nov 2026 10:00:00 -0300\r\nMIME-Version: 1.0\r\n{extra}"
    );
    let body = BODY.replace('\n', "\r\n");
    if roll >= 95 {
        // One in twenty carries a file.
        format!(
            "{head}Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             {body}\r\n--b\r\nContent-Type: application/pdf; name=\"log.pdf\"\r\nContent-Disposition: attachment; filename=\"log.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{PDF}\r\n--b--\r\n"
        )
    } else {
        format!("{head}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n")
    }
}

pub async fn run(opts: &EmailOptions) -> Result<EmailReport, String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let endpoint = format!("{}/api/v1/inbound/email", opts.url);
    let budget = crate::Budget::new(opts.messages);
    let started = Instant::now();
    let deadline = started + opts.duration;
    let mut workers = Vec::new();
    for client in 0..opts.clients {
        let (http, endpoint, token, sender, budget) = (
            http.clone(),
            endpoint.clone(),
            opts.token.clone(),
            opts.sender.clone(),
            budget.clone(),
        );
        let mut rng = fastrand::Rng::with_seed(opts.seed.wrapping_add(client as u64));
        workers.push(tokio::spawn(async move {
            let mut report = Report::default();
            let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
            let mut tickets: Vec<i64> = Vec::new();
            let mut bytes = 0;
            let mut n = client as u64 * 1_000_000_000;
            while Instant::now() < deadline && budget.take() {
                n += 1;
                let raw = message(&mut rng, n, &sender, &tickets);
                bytes += raw.len();
                let sent = Instant::now();
                let res = http
                    .post(&endpoint)
                    .header("x-inbound-token", &token)
                    .header("content-type", "message/rfc822")
                    .body(raw)
                    .send()
                    .await;
                let receipt = match res {
                    Ok(r) if r.status() == StatusCode::ACCEPTED => r.json::<Value>().await.map_err(|e| e.to_string()),
                    Ok(r) => Err(format!("status {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                report.latencies.push(sent.elapsed());
                match receipt {
                    Ok(receipt) => {
                        let outcome = receipt["outcome"].as_str().unwrap_or("?").to_owned();
                        if let (Some(id), "ticket") = (receipt["ticket_id"].as_i64(), outcome.as_str()) {
                            tickets.push(id);
                            report.acknowledged.push(id);
                        } else {
                            report.acknowledged.push(receipt["inbound_id"].as_i64().unwrap_or(0));
                        }
                        *outcomes.entry(outcome).or_default() += 1;
                    }
                    Err(e) => report.errors.push(e),
                }
            }
            (report, outcomes, bytes)
        }));
    }
    let mut total = EmailReport {
        report: Report::default(),
        outcomes: BTreeMap::new(),
        bytes: 0,
    };
    for worker in workers {
        let (part, outcomes, bytes) = worker.await.map_err(|e| e.to_string())?;
        total.report.add(part);
        for (k, v) in outcomes {
            *total.outcomes.entry(k).or_default() += v;
        }
        total.bytes += bytes;
    }
    total.report.elapsed = started.elapsed();
    Ok(total)
}
