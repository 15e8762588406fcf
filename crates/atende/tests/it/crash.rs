//! Crash safety: clients open tickets, pipe e-mails and deliver WhatsApp notifications to a server
//! process, which is killed with SIGKILL mid-load. Restarted on the same database, it has every
//! ticket, e-mail and WhatsApp message it acknowledged (201, 202, 200), whole: a ticket with its
//! events and SLA clocks, an e-mail with its record, a WhatsApp message in its conversation.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, fresh_database},
    process,
};

const INBOUND_TOKEN: &str = "crash-test-pipe";
const APP_SECRET: &str = "crash-test-app-secret";

/// Opens tickets until the server stops answering; returns the ids it acknowledged.
async fn open_tickets(base: String, token: String, contract: i64, acked: Arc<AtomicUsize>) -> Vec<i64> {
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 0.. {
        let sent = http
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&token)
            .json(&json!({"type": "incident", "subject": format!("Crash {n}"), "description": "Lost?", "priority": "high", "contract_id": contract}))
            .send()
            .await;
        let Ok(response) = sent else { break };
        if response.status() != 201 {
            break;
        }
        let Ok(body) = response.json::<Value>().await else {
            break;
        };
        ids.push(body["id"].as_i64().unwrap());
        acked.fetch_add(1, Ordering::Relaxed);
    }
    ids
}

/// Pipes e-mails until the server stops answering; returns the inbound records it acknowledged.
async fn pipe_mails(base: String, sender: usize, acked: Arc<AtomicUsize>) -> Vec<i64> {
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 0.. {
        let raw = format!(
            "From: ana@acme.example\r\nTo: help@atende.test\r\nSubject: Crash mail {sender}-{n}\r\n\
             Message-ID: <crash-{sender}-{n}@client.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nStill there?\r\n"
        );
        let sent = http
            .post(format!("{base}/api/v1/inbound/email"))
            .header("x-inbound-token", INBOUND_TOKEN)
            .header("content-type", "message/rfc822")
            .body(raw)
            .send()
            .await;
        let Ok(response) = sent else { break };
        if response.status() != 202 {
            break;
        }
        let Ok(body) = response.json::<Value>().await else {
            break;
        };
        ids.push(body["inbound_id"].as_i64().unwrap());
        acked.fetch_add(1, Ordering::Relaxed);
    }
    ids
}

/// Delivers signed WhatsApp notifications until the server stops answering; returns the message
/// ids (wamid) it acknowledged.
async fn deliver_whatsapp(base: String, acked: Arc<AtomicUsize>) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 0.. {
        let wamid = format!("wamid.crash-{n}");
        let body = crate::whatsapp::text_from(&format!("55119{n:08}"), "hola", &wamid).to_string();
        let sent = http
            .post(format!("{base}/api/v1/whatsapp/webhook"))
            .header("content-type", "application/json")
            .header(
                "x-hub-signature-256",
                atende_channels::webhook::sign(APP_SECRET, body.as_bytes()),
            )
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) if response.status() == 200 => {
                ids.push(wamid);
                acked.fetch_add(1, Ordering::Relaxed);
            }
            _ => break,
        }
    }
    ids
}

#[tokio::test]
async fn every_acknowledged_write_survives_a_kill_9() {
    let dir = std::env::temp_dir().join(format!("atende-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut env = vec![
        ("ATENDE_LOG", "warn".to_owned()),
        ("ATENDE_MAIL_SECONDS", "0".to_owned()),
        ("ATENDE_SLA_SWEEP_SECONDS", "0".to_owned()),
        ("ATENDE_MAIL_INBOUND_TOKEN", INBOUND_TOKEN.to_owned()),
        ("ATENDE_WHATSAPP_APP_SECRET", APP_SECRET.to_owned()),
        ("ATENDE_SUPPORT_EMAIL", "help@atende.test".to_owned()),
    ];
    let database_url = match Backend::from_env() {
        Backend::Postgres => {
            let url = fresh_database(Backend::Postgres).await;
            env.push(("ATENDE_DATABASE_URL", url.clone()));
            url
        }
        Backend::Sqlite => format!("sqlite://{}", dir.join("data/atende.db").display()),
    };
    let demo = process::command(&dir, &env).arg("demo").output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));

    let mut server = process::serve(&dir, &env).await;
    let token = process::sign_in(&server.base, "ana@acme.example").await;
    let contract = process::contract_id(&server.base, &token, "Acme Startup").await;

    let acked = Arc::new(AtomicUsize::new(0));
    let tickets: Vec<_> = (0..6)
        .map(|_| {
            tokio::spawn(open_tickets(
                server.base.clone(),
                token.clone(),
                contract,
                acked.clone(),
            ))
        })
        .collect();
    let mails: Vec<_> = (0..2)
        .map(|sender| tokio::spawn(pipe_mails(server.base.clone(), sender, acked.clone())))
        .collect();
    let whatsapp = tokio::spawn(deliver_whatsapp(server.base.clone(), acked.clone()));
    while acked.load(Ordering::Relaxed) < 150 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let mut ticket_ids = Vec::new();
    for task in tickets {
        ticket_ids.extend(task.await.unwrap());
    }
    let mut inbound_ids = Vec::new();
    for task in mails {
        inbound_ids.extend(task.await.unwrap());
    }
    let wamids = whatsapp.await.unwrap();
    assert!(!ticket_ids.is_empty() && !inbound_ids.is_empty() && !wamids.is_empty());

    let server = process::serve(&dir, &env).await;
    let base = &server.base;
    let token = process::sign_in(base, "ana@acme.example").await;
    let agent = process::sign_in(base, "agent@atende.example").await;
    let http = reqwest::Client::new();
    let get = |path: String, token: &str| http.get(format!("{base}{path}")).bearer_auth(token).send();
    let mut lost = Vec::new();
    for id in &ticket_ids {
        let ticket = get(format!("/api/v1/tickets/{id}"), &token).await.unwrap();
        if ticket.status() != 200 {
            lost.push(format!("ticket {id}: {}", ticket.status()));
            continue;
        }
        let events: Value = get(format!("/api/v1/tickets/{id}/events"), &token)
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let sla: Value = get(format!("/api/v1/tickets/{id}/sla"), &token)
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let created = events.to_string().contains("\"created\"");
        let clocks = sla["targets"].as_array().map_or(0, Vec::len);
        if !created || clocks == 0 {
            lost.push(format!("ticket {id} torn: events {events}, sla {sla}"));
        }
    }
    for id in &inbound_ids {
        let record = get(format!("/api/v1/inbound/{id}"), &agent).await.unwrap();
        if record.status() != 200 {
            lost.push(format!("e-mail {id}: {}", record.status()));
        }
    }
    {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&database_url).await.unwrap();
        for wamid in &wamids {
            let stored: i64 =
                sqlx::query("SELECT COUNT(*) FROM conversation_messages WHERE external_id = $1 AND direction = 'in'")
                    .bind(wamid)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
                    .get(0);
            if stored != 1 {
                lost.push(format!("WhatsApp message {wamid}"));
            }
        }
        conn.close().await.unwrap();
    }
    assert!(lost.is_empty(), "lost after kill -9: {lost:?}");
    println!(
        "kill -9 after {} acknowledged tickets, {} e-mails and {} WhatsApp messages: 0 lost",
        ticket_ids.len(),
        inbound_ids.len(),
        wamids.len()
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
