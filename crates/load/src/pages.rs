//! The agents' pages at scale: on a history of many tickets (see `history`), one ticket with 50
//! messages; then concurrent clients, signed in as the demo's agent, ask for the queue's first
//! page (most urgent first, as the page and through the API) and for the ticket (its page, and
//! its messages through the API), from a server in this process. Latency percentiles per kind.

use std::time::{Duration, Instant};

use serde_json::json;

pub struct PageFigures {
    pub tickets: i64,
    pub seed_time: Duration,
    /// Each kind of request with the latencies measured.
    pub kinds: Vec<(&'static str, Vec<Duration>)>,
    pub errors: Vec<String>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// `(name, path)` of what an agent asks for; `{id}` is the ticket with 50 messages.
const KINDS: [(&str, &str); 4] = [
    ("queue page, breaching soon (HTML)", "/agent?view=breaching"),
    ("queue, most urgent first (API)", "/api/v1/tickets?sort=due&limit=25"),
    ("ticket page, 50 messages (HTML)", "/agent/tickets/{id}"),
    ("ticket messages (API)", "/api/v1/tickets/{id}/messages"),
];

pub async fn run(database_url: &str, tickets: i64, requests: usize, clients: usize) -> Result<PageFigures, String> {
    let app = crate::open_with_demo(database_url).await?;
    let started = Instant::now();
    crate::history::seed(database_url, tickets, jiff::Timestamp::now().as_millisecond()).await?;
    let seed_time = started.elapsed();

    let server = atende::serve(
        app.clone(),
        "127.0.0.1:0".parse().map_err(err)?,
        Duration::from_secs(20),
    )
    .await
    .map_err(err)?;
    let base = format!("http://{}", server.addr);
    let token_of = |email: &'static str| {
        let app = app.clone();
        async move {
            let mut conn = app.db.read().await.map_err(err)?;
            let user = atende_store::directory::find_user_by_email(&mut conn, email)
                .await
                .map_err(err)?
                .ok_or(format!("the demo's {email} is missing"))?;
            drop(conn);
            Ok::<_, String>(
                atende_app::auth::create_api_token(&app, user.id, "load")
                    .await
                    .map_err(err)?
                    .1,
            )
        }
    };
    let (agent, ana) = (
        token_of("agent@atende.example").await?,
        token_of("ana@acme.example").await?,
    );
    let http = reqwest::Client::new();

    // The ticket with 50 messages: Ana's question and 49 replies back and forth.
    let contract = {
        let mut conn = app.db.read().await.map_err(err)?;
        atende_store::membership::list_contracts(&mut conn, None)
            .await
            .map_err(err)?
            .into_iter()
            .find(|c| c.name == "Acme Startup")
            .ok_or("the demo's Acme Startup contract is missing")?
            .id
    };
    let created: serde_json::Value = http
        .post(format!("{base}/api/v1/tickets"))
        .bearer_auth(&ana)
        .json(&json!({"type": "question", "subject": "A long conversation", "description": "The first message.", "contract_id": contract}))
        .send()
        .await
        .map_err(err)?
        .json()
        .await
        .map_err(err)?;
    let id = created["id"].as_i64().ok_or(format!("no ticket: {created}"))?;
    for n in 1..50 {
        let (who, body) = if n % 2 == 1 {
            (
                &agent,
                json!({"body": format!("Reply {n} from support."), "visibility": "public"}),
            )
        } else {
            (&ana, json!({"body": format!("Answer {n} from the customer.")}))
        };
        let sent = http
            .post(format!("{base}/api/v1/tickets/{id}/messages"))
            .bearer_auth(who)
            .json(&body)
            .send()
            .await
            .map_err(err)?;
        if !sent.status().is_success() {
            return Err(format!("message {n}: {}", sent.status()));
        }
    }

    let budget = crate::Budget::new(requests);
    let mut workers = Vec::new();
    for client in 0..clients {
        let (http, base, agent, budget) = (http.clone(), base.clone(), agent.clone(), budget.clone());
        workers.push(tokio::spawn(async move {
            let mut seen: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
            let mut errors = Vec::new();
            let mut turn = client;
            while budget.take() {
                let kind = turn % KINDS.len();
                turn += 1;
                let path = KINDS[kind].1.replace("{id}", &id.to_string());
                let sent = Instant::now();
                let answer = http
                    .get(format!("{base}{path}"))
                    .bearer_auth(&agent)
                    .header("cookie", format!("atende_session={agent}"))
                    .send()
                    .await;
                let outcome = match answer {
                    Ok(r) if r.status().is_success() => r.bytes().await.map(|_| ()).map_err(err),
                    Ok(r) => Err(format!("{path}: {}", r.status())),
                    Err(e) => Err(format!("{path}: {e}")),
                };
                seen[kind].push(sent.elapsed());
                if let Err(e) = outcome {
                    errors.push(e);
                }
            }
            (seen, errors)
        }));
    }
    let mut kinds: Vec<(&'static str, Vec<Duration>)> = KINDS.iter().map(|(name, _)| (*name, Vec::new())).collect();
    let mut errors = Vec::new();
    for worker in workers {
        let (seen, errs) = worker.await.map_err(err)?;
        for (all, part) in kinds.iter_mut().zip(seen) {
            all.1.extend(part);
        }
        errors.extend(errs);
    }
    server.shutdown().await.map_err(err)?;
    Ok(PageFigures {
        tickets,
        seed_time,
        kinds,
        errors,
    })
}
