//! The search scenario: a database with many ticket messages and articles, indexed through the
//! same code the server uses, then queries stratified by how common their words are, as an agent
//! and as a customer scoped to their contracts, through the same use case the API calls.

use std::time::{Duration, Instant};

use atende_app::{Actor, App, TicketFilters, search};
use atende_store::search::IndexDoc;
use sqlx::{Connection, Row};

/// How common a query's words are in the corpus.
#[derive(Debug, Clone, Copy)]
pub enum Stratum {
    Rare,
    Medium,
    Common,
}

pub struct Figures {
    pub messages: i64,
    pub articles: i64,
    pub seed_time: Duration,
    pub index_time: Duration,
    /// `(what, median, p99)`.
    pub latencies: Vec<(String, Duration, Duration)>,
}

/// Words of the synthetic corpus: `w<rank>`, drawn with a Zipf law (rank 1 the most common).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(words: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=words)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect::<Vec<_>>();
        let last = total;
        Zipf {
            cumulative: cumulative.into_iter().map(|c| c / last).collect(),
        }
    }

    fn draw(&self, rng: &mut fastrand::Rng) -> usize {
        let x = rng.f64();
        self.cumulative.partition_point(|c| *c < x) + 1
    }
}

const VOCABULARY: usize = 50_000;
const WORDS_PER_MESSAGE: usize = 24;

/// A word for a rank; letters only, so that every backend tokenizes it alike.
fn word(rank: usize) -> String {
    let letters = b"bcdfghjklmnprstvz";
    let mut n = rank;
    let mut w = String::from("q");
    while n > 0 {
        w.push(letters[n % letters.len()] as char);
        w.push(['a', 'e', 'i', 'o', 'u'][n % 5]);
        n /= letters.len();
    }
    w
}

pub async fn run(database_url: &str, messages: i64, articles: i64, queries: usize) -> Result<Figures, String> {
    let app = crate::open_with_demo(database_url).await?;
    let (contracts, requesters) = demo_parties(database_url).await?;
    let zipf = Zipf::new(VOCABULARY);
    let mut rng = fastrand::Rng::with_seed(42);

    // A database this scenario already filled is reused: only the queries run again.
    let reused = {
        let mut conn = app.db.read().await.map_err(|e| e.to_string())?;
        atende_store::search::count(&mut conn, "message")
            .await
            .map_err(|e| e.to_string())?
            >= messages
    };
    let (seed_time, index_time) = if reused {
        (Duration::ZERO, Duration::ZERO)
    } else {
        fill(
            &app,
            database_url,
            messages,
            articles,
            &zipf,
            &mut rng,
            contracts,
            requesters,
        )
        .await?
    };

    let agent = actor(&app, "agent@atende.example").await?;
    let customer = actor(&app, "ana@acme.example").await?;
    let mut latencies = Vec::new();
    for stratum in [Stratum::Rare, Stratum::Medium, Stratum::Common] {
        for words in [1usize, 2] {
            for (who, reader) in [("agent", &agent), ("customer", &customer)] {
                let mut times = Vec::with_capacity(queries);
                for _ in 0..queries {
                    let q: Vec<String> = (0..words).map(|_| word(rank_of(stratum, &mut rng))).collect();
                    let t = Instant::now();
                    search::tickets(
                        &app,
                        reader,
                        &q.join(" "),
                        atende_domain::Lang::Es,
                        &TicketFilters::default(),
                        20,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    times.push(t.elapsed());
                }
                times.sort();
                latencies.push((
                    format!("tickets {stratum:?} {words}w {who}"),
                    times[times.len() / 2],
                    times[(times.len() * 99 / 100).min(times.len() - 1)],
                ));
            }
        }
    }
    Ok(Figures {
        messages,
        articles,
        seed_time,
        index_time,
        latencies,
    })
}

/// Seeds the rows by bulk inserts, then indexes them through the server's own index writes
/// (what is measured), a batch per transaction.
#[allow(clippy::too_many_arguments)]
async fn fill(
    app: &App,
    database_url: &str,
    messages: i64,
    articles: i64,
    zipf: &Zipf,
    rng: &mut fastrand::Rng,
    contracts: [i64; 2],
    requesters: [i64; 2],
) -> Result<(Duration, Duration), String> {
    let tickets = (messages / 5).max(1);
    // Rows first, by bulk inserts; the index is what is measured afterwards.
    let started = Instant::now();
    let mut conn = sqlx::AnyConnection::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let now = jiff::Timestamp::now().as_millisecond();
    let mut bodies: Vec<String> = Vec::with_capacity(messages as usize);
    let base_ticket = 10_000_000i64;
    let base_message = 10_000_000i64;
    for chunk in (0..messages).collect::<Vec<_>>().chunks(2_000) {
        let mut tx = conn.begin().await.map_err(|e| e.to_string())?;
        for &m in chunk {
            let text: Vec<String> = (0..WORDS_PER_MESSAGE).map(|_| word(zipf.draw(rng))).collect();
            let text = text.join(" ");
            let ticket = base_ticket + m % tickets;
            if m < tickets {
                let party = (m % 2) as usize;
                sqlx::query(
                    "INSERT INTO tickets (id, type, subject, description, priority, status, channel, contract_id, requester_id, created_at, updated_at) \
                     VALUES ($1, 'question', $2, '', 'normal', 'open', 'api', $3, $4, $5, $5)",
                )
                .bind(ticket)
                .bind(format!("Ticket {m}"))
                .bind(contracts[party])
                .bind(requesters[party])
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            }
            sqlx::query(
                "INSERT INTO messages (id, ticket_id, author_id, visibility, channel, body, created_at) VALUES ($1, $2, $3, 'public', 'api', $4, $5)",
            )
            .bind(base_message + m)
            .bind(ticket)
            .bind(requesters[(m % 2) as usize])
            .bind(&text)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
            bodies.push(text);
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    let seed_time = started.elapsed();

    // Indexing throughput: the server's own index writes, a batch per transaction.
    let started = Instant::now();
    for (at, chunk) in bodies.chunks(2_000).enumerate() {
        let mut tx = app.db.begin().await.map_err(|e| e.to_string())?;
        for (i, body) in chunk.iter().enumerate() {
            let m = (at * 2_000 + i) as i64;
            atende_store::search::index(
                &mut tx,
                &IndexDoc {
                    kind: "message",
                    ref_id: base_message + m,
                    lang: atende_domain::Lang::Es,
                    ticket_id: Some(base_ticket + m % tickets),
                    internal: false,
                    title: "",
                    body,
                    created_at: jiff::Timestamp::now(),
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    for a in 0..articles {
        let mut tx = app.db.begin().await.map_err(|e| e.to_string())?;
        let title: Vec<String> = (0..5).map(|_| word(zipf.draw(rng))).collect();
        let body: Vec<String> = (0..120).map(|_| word(zipf.draw(rng))).collect();
        atende_store::search::index(
            &mut tx,
            &IndexDoc {
                kind: "article",
                ref_id: 1_000_000 + a,
                lang: atende_domain::Lang::Es,
                ticket_id: None,
                internal: a % 10 == 0,
                title: &title.join(" "),
                body: &body.join(" "),
                created_at: jiff::Timestamp::now(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    let index_time = started.elapsed();
    analyze(&mut conn).await?;

    Ok((seed_time, index_time))
}

/// A word rank of the stratum: rare words appear in a handful of messages, medium ones in about
/// one in a thousand, common ones in a large share.
fn rank_of(stratum: Stratum, rng: &mut fastrand::Rng) -> usize {
    match stratum {
        Stratum::Rare => rng.usize(20_000..VOCABULARY),
        Stratum::Medium => rng.usize(200..2_000),
        Stratum::Common => rng.usize(1..10),
    }
}

async fn actor(app: &App, email: &str) -> Result<Actor, String> {
    let mut conn = app.db.read().await.map_err(|e| e.to_string())?;
    let user = atende_store::directory::find_user_by_email(&mut conn, email)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no {email}"))?;
    Ok(Actor { user })
}

/// The demo's Startup and Globex contracts and their customers (Ana, Gabriel).
async fn demo_parties(database_url: &str) -> Result<([i64; 2], [i64; 2]), String> {
    let mut conn = sqlx::AnyConnection::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    for (contract, email) in [
        ("Acme Startup", "ana@acme.example"),
        ("Globex Lite", "gabriel@globex.example"),
    ] {
        let row =
            sqlx::query("SELECT c.id AS c, u.id AS u FROM contracts c, users u WHERE c.name = $1 AND u.email = $2")
                .bind(contract)
                .bind(email)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
        ids.push((row.get::<i64, _>("c"), row.get::<i64, _>("u")));
    }
    Ok(([ids[0].0, ids[1].0], [ids[0].1, ids[1].1]))
}

/// Planner statistics after the bulk load (both backends spell it alike).
async fn analyze(conn: &mut sqlx::AnyConnection) -> Result<(), String> {
    sqlx::query("ANALYZE")
        .execute(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
