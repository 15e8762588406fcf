use std::{path::PathBuf, process::ExitCode};

use atende::{Config, demo};
use atende_app::{Clock, auth, directory::CreateUser};
use atende_domain::{Lang, Role};
use clap::{Parser, Subcommand};

/// atende: a self-hosted customer-support platform.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (default: ./atende.toml when present). ATENDE_* variables override it.
    #[arg(long, global = true, env = "ATENDE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve HTTP until SIGTERM or Ctrl-C.
    Serve,
    /// Bring the database schema and the default profile up to date, then exit.
    Migrate,
    /// Load demo data (an organization, users, contracts, tickets) and print the accounts.
    Demo,
    /// Copy the SQLite database (attachments included) into a new file, while the server runs.
    Backup {
        /// The backup file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place of the SQLite database (stop the server first), then migrate it.
    Restore {
        /// The backup file, as `atende backup` wrote it.
        #[arg(long)]
        from: PathBuf,
        /// Overwrite the database that is there now.
        #[arg(long)]
        replace: bool,
    },
    /// The reports' daily rollups.
    Reports {
        #[command(subcommand)]
        task: ReportsTask,
    },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        task: AdminTask,
    },
}

#[derive(Subcommand)]
enum ReportsTask {
    /// Count every day again from the tickets' events (after restoring a backup, for example; the
    /// server keeps them up to date by itself).
    Rebuild,
}

#[derive(Subcommand)]
enum AdminTask {
    /// Create a user with a password (the first admin, for example).
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// customer, customer_admin, agent, supervisor or admin.
        #[arg(long, default_value = "admin")]
        role: Role,
        /// At least 10 characters. Read from ATENDE_PASSWORD when not given.
        #[arg(long, env = "ATENDE_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        organization_id: Option<i64>,
        /// es, pt-BR or en.
        #[arg(long)]
        language: Option<Lang>,
    },
    /// Create an API token for an existing user and print it (shown once).
    CreateToken {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.clone()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("atende: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("atende: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("atende: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: a log file or the journal gets plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve => {
            let server = atende::start(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(addr = %server.addr, database = %redact(&config.database_url()), "atende is serving");
            println!(
                "atende is serving on http://{} (API reference: http://{}/api/docs)",
                server.addr, server.addr
            );
            atende::shutdown_signal().await;
            tracing::info!("shutting down; finishing requests in flight");
            server.shutdown().await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            let app = atende::open(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            println!("database is up to date: {}", redact(&config.database_url()));
            app.db.close().await;
            Ok(())
        }
        Command::Demo => {
            let app = atende::open(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            let loaded = demo::load(&app).await.map_err(|e| e.to_string())?;
            app.db.close().await;
            println!(
                "{}",
                if loaded {
                    "Demo data loaded."
                } else {
                    "Demo data was already loaded."
                }
            );
            println!(
                "Sign in with any of these accounts; the password of all of them is {}",
                demo::PASSWORD
            );
            for (email, role, note) in demo::ACCOUNTS {
                println!("  {email:<26} {role:<15} {note}");
            }
            println!(
                "\nExample: curl -s -X POST http://{}/api/v1/auth/login -H 'content-type: application/json' \\",
                config.listen
            );
            println!(
                "           -d '{{\"email\":\"ana@acme.example\",\"password\":\"{}\"}}'",
                demo::PASSWORD
            );
            Ok(())
        }
        Command::Backup { to } => {
            let info = atende_store::backup::sqlite_into(&config.database_url(), &to)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "backed up {} tickets ({} bytes, schema {}) to {}",
                info.tickets,
                info.bytes,
                info.schema_version,
                to.display()
            );
            Ok(())
        }
        Command::Restore { from, replace } => {
            let url = config.database_url();
            let info = atende_store::backup::restore(&from, &url, replace)
                .await
                .map_err(|e| e.to_string())?;
            let app = atende::open(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            app.db.close().await;
            println!(
                "restored {} tickets from {} into {} (schema {} brought up to date)",
                info.tickets,
                from.display(),
                redact(&url),
                info.schema_version
            );
            Ok(())
        }
        Command::Reports {
            task: ReportsTask::Rebuild,
        } => {
            let app = atende::open(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            let mut bar = atende::progress::ProgressBar::new("days");
            let done = atende_app::report_rollups::rebuild(&app, |done, total| bar.show(done, total))
                .await
                .map_err(|e| e.to_string())?;
            bar.finish();
            app.db.close().await;
            println!(
                "rolled up {} days of reports in {:.1} s",
                done.days,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Admin { task } => {
            let app = atende::open(&config, Clock::system())
                .await
                .map_err(|e| e.to_string())?;
            let result = admin(&app, task).await;
            app.db.close().await;
            result
        }
    }
}

async fn admin(app: &atende_app::App, task: AdminTask) -> Result<(), String> {
    match task {
        AdminTask::CreateUser {
            email,
            name,
            role,
            password,
            organization_id,
            language,
        } => {
            let input = CreateUser {
                email,
                name,
                role,
                organization_id,
                password: Some(password),
                language,
                time_zone: None,
            };
            let user = atende_app::directory::create_user(app, None, input)
                .await
                .map_err(cli_error)?;
            println!("created user {} <{}> with role {}", user.id, user.email, user.role);
            Ok(())
        }
        AdminTask::CreateToken { email, name } => {
            let mut conn = app.db.read().await.map_err(|e| e.to_string())?;
            let user = atende_store::directory::find_user_by_email(&mut conn, &email.trim().to_lowercase())
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| {
                    format!("no user has the e-mail address {email}; create it with `atende admin create-user`")
                })?;
            drop(conn);
            let (_, token) = auth::create_api_token(app, user.id, &name).await.map_err(cli_error)?;
            println!("{token}");
            Ok(())
        }
    }
}

/// Errors of use cases, in English sentences that say what to fix.
fn cli_error(err: atende_app::AppError) -> String {
    atende_web::describe(err, Lang::En)
}

/// The database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
