//! The `atende` binary's library side: start-up that both `main` and the tests use.

mod checkpointer;
pub mod config;
pub mod demo;
mod listener;
pub mod mail_reader;
pub mod mailer;
mod periodic;
pub mod progress;
pub mod scheduler;

use std::net::SocketAddr;

use atende_app::{App, Clock, profile};
use atende_store::Db;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("cannot open the database: {0}")]
    Database(#[from] atende_store::StoreError),
    #[error("cannot load the default profile: {0}")]
    Profile(#[from] atende_app::AppError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

/// Connects to the database, migrates it and loads the default profile where it is missing.
pub async fn open(config: &Config, clock: Clock) -> Result<App, StartError> {
    let settings = config.settings()?;
    let db = Db::connect(&config.database_url(), config.max_connections).await?;
    let app = App::new(db, settings, clock);
    profile::ensure_default_profile(&app).await?;
    atende_app::kb::ensure_default_help(&app).await?;
    atende_app::status::ensure_defaults(&app).await?;
    // An installation from before the search index: index what it already holds, once.
    if atende_app::search::needs_rebuild(&app).await? {
        tracing::info!("indexing the existing tickets for search");
        let indexed = atende_app::search::rebuild_tickets(&app, |done| {
            if done % 10_000 == 0 {
                tracing::info!(done, "tickets indexed");
            }
        })
        .await?;
        tracing::info!(indexed, "search index ready");
    }
    Ok(app)
}

/// A running HTTP server.
pub struct Server {
    pub addr: SocketAddr,
    pub app: App,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    checkpointer: Option<periodic::Periodic>,
    scheduler: Option<periodic::Periodic>,
    mailer: Option<periodic::Periodic>,
    readers: Option<mail_reader::Readers>,
}

impl Server {
    /// Stops accepting connections, lets requests in flight finish, and waits for them.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(scheduler) = self.scheduler.take() {
            scheduler.stop().await;
        }
        if let Some(readers) = self.readers.take() {
            readers.stop().await;
        }
        if let Some(mailer) = self.mailer.take() {
            mailer.stop().await;
        }
        let result = self.task.await.map_err(std::io::Error::other)?;
        if let Some(checkpointer) = self.checkpointer.take() {
            checkpointer.stop().await;
        }
        self.app.db.close().await;
        result
    }

    /// Waits until the server ends (after `shutdown` from elsewhere, or an error).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Opens the app and serves it on `config.listen` (port 0 picks a free port).
pub async fn start(config: &Config, clock: Clock) -> Result<Server, StartError> {
    let app = open(config, clock).await?;
    let header_timeout = std::time::Duration::from_secs(config.idle_timeout_seconds.max(1));
    let mut server = serve(app, config.listen, header_timeout).await?;
    if config.sla_sweep_seconds > 0 {
        server.scheduler = Some(scheduler::start(
            server.app.clone(),
            std::time::Duration::from_secs(config.sla_sweep_seconds),
        ));
    }
    if config.mail_seconds > 0 {
        let smtp = match config.smtp()? {
            Some(settings) => Some(atende_channels::mail::smtp::Smtp::new(&settings).map_err(StartError::Other)?),
            None => None,
        };
        let every = std::time::Duration::from_secs(config.mail_seconds);
        let webhooks = atende_channels::webhook::WebhookClient::new().map_err(|e| StartError::Other(e.to_string()))?;
        server.mailer = Some(mailer::start(server.app.clone(), smtp, webhooks, every));
        server.readers = Some(mail_reader::Readers::start(server.app.clone(), every));
    }
    Ok(server)
}

/// Serves `app` on `listen`; a connection that takes longer than `header_timeout` to send a
/// request's headers (from opening, or from the end of its last response) is closed.
pub async fn serve(app: App, listen: SocketAddr, header_timeout: std::time::Duration) -> Result<Server, StartError> {
    let state = atende_web::AppState::new(app.clone()).map_err(StartError::Other)?;
    let router = atende_web::router(state);
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| StartError::Listen { addr: listen, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Listen { addr: listen, source })?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(listener::run(listener, router, header_timeout, stopped));
    let checkpointer = checkpointer::start(app.db.clone());
    Ok(Server {
        addr,
        app,
        stop: Some(stop),
        task,
        checkpointer,
        scheduler: None,
        mailer: None,
        readers: None,
    })
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
