use std::{process::ExitCode, time::Duration};

use clap::Parser;

/// Load tool for atende: ticket intake by N concurrent clients over HTTP.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The running server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A customer who may open tickets (the demo's Ana by default).
    #[arg(long, default_value = "ana@acme.example")]
    email: String,
    #[arg(long, default_value = "atende-demo-2026")]
    password: String,
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
    /// The server's database, to print the durability settings in force.
    #[arg(long)]
    database_url: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let opts = atende_load::Options {
        url: args.url.trim_end_matches('/').to_owned(),
        email: args.email,
        password: args.password,
        clients: args.clients,
        requests: args.requests,
        duration: Duration::from_secs(args.seconds),
        seed: args.seed,
        verify: !args.no_verify,
    };
    println!(
        "scenario: ticket intake; clients: {}; requests: {}; seed: {}",
        opts.clients, opts.requests, opts.seed
    );
    if let Some(url) = &args.database_url {
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
