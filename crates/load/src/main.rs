use std::{process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};

/// Load tool for atende.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
}

/// The running server, and the customer whose token the clients use.
#[derive(clap::Args)]
struct Customer {
    /// The running server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A customer who may open tickets (the demo's Ana by default).
    #[arg(long, default_value = "ana@acme.example")]
    email: String,
    #[arg(long, default_value = "atende-demo-2026")]
    password: String,
}

impl Customer {
    /// Options for `clients` clients sending `requests` requests as this customer, in a minute
    /// at most, checking nothing afterwards.
    fn options(self, clients: usize, requests: usize) -> atende_load::Options {
        atende_load::Options {
            url: self.url.trim_end_matches('/').to_owned(),
            email: self.email,
            password: self.password,
            clients,
            requests,
            duration: Duration::from_secs(60),
            seed: 0,
            verify: false,
            database_url: None,
        }
    }
}

#[derive(Subcommand)]
enum Scenario {
    /// Ticket intake by N concurrent clients over HTTP against a running server.
    Intake {
        #[command(flatten)]
        customer: Customer,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// Seconds at most.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Skip reading back every acknowledged ticket.
        #[arg(long)]
        no_verify: bool,
        /// The server's database, to print the durability settings in force and to check every
        /// acknowledged ticket's rows there afterwards (its event, SLA clocks and search entry).
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The ceiling the intake is read against: the same client and clients on `GET /healthz`
    /// (no database) and `GET /api/v1/me` (one read of the bearer token).
    Ceiling {
        #[command(flatten)]
        customer: Customer,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Requests of each kind.
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
    },
    /// WhatsApp webhooks: signed notifications posted by N concurrent clients, each answered by
    /// the bot and its reply queued (the server's `whatsapp_app_secret`; numbers linked to customers).
    Whatsapp {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// The server's app secret (ATENDE_WHATSAPP_APP_SECRET).
        #[arg(long)]
        secret: String,
        /// Numbers linked to customers (comma-separated); strangers' numbers are mixed in.
        #[arg(long, value_delimiter = ',')]
        numbers: Vec<String>,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 20_000)]
        messages: usize,
        /// Seconds at most.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// E-mail ingestion: raw messages posted to the MTA pipe endpoint by N concurrent clients
    /// against a running server (its `mail_inbound_token` and a high `mail_per_sender_per_hour`).
    Email {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// The server's inbound token (ATENDE_MAIL_INBOUND_TOKEN).
        #[arg(long)]
        token: String,
        /// A customer who may open tickets by e-mail (the demo's Ana by default).
        #[arg(long, default_value = "ana@acme.example")]
        sender: String,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 20_000)]
        messages: usize,
        /// Seconds at most.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Search over many ticket messages and articles, stratified by how common the words are
    /// (needs a fresh database).
    Search {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 5_000_000)]
        messages: i64,
        #[arg(long, default_value_t = 10_000)]
        articles: i64,
        /// Queries per stratum, word count and reader.
        #[arg(long, default_value_t = 100)]
        queries: usize,
    },
    /// Reports over many tickets spread over 90 days: the 90-day summary and the CSV export of
    /// every ticket (needs a fresh database).
    Reports {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        tickets: i64,
    },
    /// Fills a fresh database with a realistic data set: organizations and contracts on every
    /// plan, their people, agents, tickets with their conversations, events and SLA clocks, and
    /// a help center in three languages.
    Dataset {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 10_000)]
        organizations: usize,
        #[arg(long, default_value_t = 50_000)]
        users: usize,
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
        /// Replies in all (about this many; their count per ticket varies).
        #[arg(long, default_value_t = 5_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// The agents' queue and a ticket with 50 messages, as pages and through the API, over a
    /// history of many tickets (needs a fresh database).
    Pages {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        tickets: i64,
        #[arg(long, default_value_t = 4_000)]
        requests: usize,
        #[arg(long, default_value_t = 8)]
        clients: usize,
    },
    /// The SLA sweep over many open tickets, a share of them past due (needs a fresh database).
    Sweep {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        tickets: i64,
        /// One ticket in this many is past due (100 = 1 %).
        #[arg(long, default_value_t = 100)]
        due_every: i64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // ATENDE_LOG=debug shows, for instance, the time of each phase of an SLA sweep.
    let filter = std::env::var("ATENDE_LOG").unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .init();
    match Cli::parse().scenario {
        Scenario::Intake {
            customer,
            clients,
            requests,
            seconds,
            seed,
            no_verify,
            database_url,
        } => {
            let opts = atende_load::Options {
                duration: Duration::from_secs(seconds),
                seed,
                verify: !no_verify,
                database_url: database_url.clone(),
                ..customer.options(clients, requests)
            };
            println!(
                "scenario: ticket intake; clients: {}; requests: {}; seed: {}",
                opts.clients, opts.requests, opts.seed
            );
            if let Some(url) = &database_url {
                match atende_load::database_settings(url).await {
                    Ok(settings) => {
                        let shown: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        println!("database settings: {}", shown.join(" "));
                    }
                    Err(e) => println!("database settings: not readable ({e})"),
                }
            }
            match atende_load::create_tickets(&opts).await {
                Ok(report) => {
                    println!("{}", report.summary());
                    if opts.verify && opts.database_url.is_some() {
                        println!(
                            "(checked in the database: each ticket, its created event, SLA clocks and search entry)"
                        );
                    }
                    if let Some(first) = report.errors.first() {
                        println!("first error: {first}");
                    }
                    if report.missing.is_empty() && report.errors.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Scenario::Ceiling {
            customer,
            clients,
            requests,
        } => {
            let opts = customer.options(clients, requests);
            println!("scenario: the HTTP ceiling; clients: {clients}; requests: {requests} of each kind");
            for (label, path, signed_in) in [
                ("GET /healthz (no database)", "/healthz", false),
                ("GET /api/v1/me (the token read)", "/api/v1/me", true),
            ] {
                match atende_load::ceiling::run(&opts, path, signed_in).await {
                    Ok(r) => println!("{label}: {}", r.latency_line()),
                    Err(e) => {
                        eprintln!("atende-load: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Scenario::Whatsapp {
            url,
            secret,
            numbers,
            clients,
            messages,
            seconds,
            seed,
        } => {
            println!("scenario: WhatsApp webhooks; clients: {clients}; messages: {messages}; seed: {seed}");
            let opts = atende_load::whatsapp::WhatsappOptions {
                url: url.trim_end_matches('/').to_owned(),
                secret,
                numbers,
                clients,
                messages,
                duration: Duration::from_secs(seconds),
                seed,
            };
            match atende_load::whatsapp::run(&opts).await {
                Ok(r) => print_messages(&r, "", &[]),
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Scenario::Email {
            url,
            token,
            sender,
            clients,
            messages,
            seconds,
            seed,
        } => {
            println!("scenario: e-mail ingestion; clients: {clients}; messages: {messages}; seed: {seed}");
            let opts = atende_load::email::EmailOptions {
                url: url.trim_end_matches('/').to_owned(),
                token,
                sender,
                clients,
                messages,
                duration: Duration::from_secs(seconds),
                seed,
            };
            match atende_load::email::run(&opts).await {
                Ok(run) => {
                    let shown: Vec<String> = run.outcomes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let size = format!(" ({:.1} MB)", run.bytes as f64 / 1e6);
                    print_messages(&run.report, &size, &[format!("outcomes: {}", shown.join(" "))])
                }
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Scenario::Dataset {
            database_url,
            organizations,
            users,
            tickets,
            messages,
            articles,
            seed,
        } => {
            let size = atende_load::dataset::Size {
                organizations,
                users,
                tickets,
                messages,
                articles,
            };
            let started = std::time::Instant::now();
            match atende_load::dataset::run(&database_url, size, seed).await {
                Ok(made) => {
                    for (what, count, took) in made.parts {
                        println!("{what}: {count} in {:.1}s", took.as_secs_f64());
                    }
                    println!("data set made in {:.1}s", started.elapsed().as_secs_f64());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Scenario::Pages {
            database_url,
            tickets,
            requests,
            clients,
        } => match atende_load::pages::run(&database_url, tickets, requests, clients).await {
            Ok(f) => {
                println!(
                    "tickets: {} over 90 days (seeded in {:.1}s); {clients} clients as the agent",
                    f.tickets,
                    f.seed_time.as_secs_f64()
                );
                for (name, latencies) in f.kinds {
                    let at = |q: f64| atende_load::percentile(&latencies, q).as_secs_f64() * 1000.0;
                    println!(
                        "{name}: {} requests, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                        latencies.len(),
                        at(0.5),
                        at(0.9),
                        at(0.99),
                        at(1.0)
                    );
                }
                match f.errors.first() {
                    None => ExitCode::SUCCESS,
                    Some(first) => {
                        eprintln!("{} errors; the first: {first}", f.errors.len());
                        ExitCode::FAILURE
                    }
                }
            }
            Err(e) => {
                eprintln!("atende-load: {e}");
                ExitCode::FAILURE
            }
        },
        Scenario::Reports { database_url, tickets } => match atende_load::reports::run(&database_url, tickets).await {
            Ok(f) => {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                println!(
                    "tickets: {} over 90 days (seeded in {:.1}s)\n90-day summary from the rows: {:.0} ms\n\
                     rollups rebuilt: {} days in {:.1}s\n90-day summary with the rollups: {:.1} ms the first time, \
                     {:.1} ms median of ten ({} tickets created in them; {})\n\
                     export: {} tickets in {:.2}s ({:.0} rows/s, {:.1} MB of CSV)",
                    f.tickets,
                    f.seed_time.as_secs_f64(),
                    ms(f.summary_from_rows),
                    f.rollup_days,
                    f.rollup.as_secs_f64(),
                    ms(f.summary_first),
                    ms(f.summary_median),
                    f.created,
                    if f.same_figures {
                        "the same figures as the rows"
                    } else {
                        "FIGURES DIFFER FROM THE ROWS"
                    },
                    f.exported,
                    f.export.as_secs_f64(),
                    f.exported as f64 / f.export.as_secs_f64().max(1e-9),
                    f.export_bytes as f64 / 1e6
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("atende-load: {e}");
                ExitCode::FAILURE
            }
        },
        Scenario::Search {
            database_url,
            messages,
            articles,
            queries,
        } => {
            println!("scenario: search; messages: {messages}; articles: {articles}; queries per cell: {queries}");
            match atende_load::search::run(&database_url, messages, articles, queries).await {
                Ok(f) => {
                    let docs = (f.messages + f.articles) as f64;
                    println!(
                        "rows seeded in {:.1}s; indexed {} documents in {:.1}s ({:.0} documents/s)",
                        f.seed_time.as_secs_f64(),
                        f.messages + f.articles,
                        f.index_time.as_secs_f64(),
                        docs / f.index_time.as_secs_f64()
                    );
                    for (what, median, p99) in &f.latencies {
                        println!(
                            "{what:<32} median {:>7.2} ms   p99 {:>7.2} ms",
                            median.as_secs_f64() * 1000.0,
                            p99.as_secs_f64() * 1000.0
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Scenario::Sweep {
            database_url,
            tickets,
            due_every,
        } => {
            println!("scenario: SLA sweep; open tickets: {tickets}; past due: 1 in {due_every}");
            match atende_load::sweep::run(&database_url, tickets, due_every).await {
                Ok(f) => {
                    println!(
                        "seeded in {:.1}s; first sweep: {} breaches recorded (with events and notifications) in {:.0} ms, \
                         {} transactions, the longest {:.0} ms; idle sweep (nothing due): {:.1} ms",
                        f.seed_time.as_secs_f64(),
                        f.breached,
                        f.first_sweep.as_secs_f64() * 1000.0,
                        f.batches,
                        f.longest_batch.as_secs_f64() * 1000.0,
                        f.idle_sweep.as_secs_f64() * 1000.0
                    );
                    if f.breached as i64 == f.due {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("atende-load: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Prints an ingestion run (messages taken, throughput, latency percentiles, `more` lines, the
/// first error); a run with errors fails.
fn print_messages(r: &atende_load::Report, size: &str, more: &[String]) -> ExitCode {
    let ms = |q: f64| r.percentile(q).as_secs_f64() * 1000.0;
    println!(
        "messages taken: {}  errors: {}  elapsed: {:.2}s  throughput: {:.0} messages/s{size}",
        r.acknowledged.len(),
        r.errors.len(),
        r.elapsed.as_secs_f64(),
        r.throughput()
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(0.5),
        ms(0.9),
        ms(0.99),
        ms(1.0)
    );
    for line in more {
        println!("{line}");
    }
    if let Some(first) = r.errors.first() {
        println!("first error: {first}");
    }
    if r.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
