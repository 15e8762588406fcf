//! The IMAP side of `atende serve`: one task per active mailbox whose lease this process holds.
//! A task keeps its connection, waits with IDLE (or polls), re-reads the mailbox's settings
//! between rounds and ends when they change; the supervisor starts it again on the next tick.

use std::{collections::HashMap, time::Duration};

use atende_app::{App, AppError, mail::reader};
use atende_store::mail::{self, Mailbox};
use tokio::{sync::watch, task::JoinHandle};

/// The longest IDLE before the task renews its lease and checks the settings.
const IDLE_AT_MOST: Duration = Duration::from_secs(60);
/// How often a server without IDLE is asked for new mail.
const POLL_EVERY: Duration = Duration::from_secs(60);
/// How long a mailbox that failed (wrong password, server down) rests before the next try.
const AFTER_ERROR: Duration = Duration::from_secs(60);

/// Reads one mailbox once, start to end, without a lease (what the tests call).
pub async fn read_once(app: &App, mailbox_id: i64) -> Result<usize, AppError> {
    let mailbox = {
        let mut conn = app.db.read().await?;
        mail::get_mailbox(&mut conn, mailbox_id)
            .await?
            .ok_or(AppError::NotFound("mailbox"))?
    };
    let mut client = reader::connect(app, &mailbox).await?;
    let taken = reader::read_new(app, &mut client, mailbox.id).await;
    client.logout().await;
    taken
}

pub struct Readers {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Readers {
    pub fn start(app: App, every: Duration) -> Readers {
        let (stop, stopped) = watch::channel(false);
        let reader_id = format!("pid{}-{}", std::process::id(), jiff::Timestamp::now().as_nanosecond());
        let task = tokio::spawn(supervise(app, every, reader_id, stopped));
        Readers { stop, task }
    }

    /// Stops every task after its current message; their leases are given up.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn supervise(app: App, every: Duration, reader_id: String, mut stopped: watch::Receiver<bool>) {
    let mut running: HashMap<i64, JoinHandle<()>> = HashMap::new();
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopped.changed() => break,
        }
        running.retain(|_, task| !task.is_finished());
        let mailboxes = match active_mailboxes(&app).await {
            Ok(mailboxes) => mailboxes,
            Err(err) => {
                tracing::warn!(%err, "cannot list the mailboxes; retrying at the next tick");
                continue;
            }
        };
        for mailbox in mailboxes {
            if running.contains_key(&mailbox.id) {
                continue;
            }
            let task = tokio::spawn(read_mailbox(
                app.clone(),
                mailbox.clone(),
                reader_id.clone(),
                stopped.clone(),
            ));
            running.insert(mailbox.id, task);
        }
    }
    for (_, task) in running {
        let _ = task.await;
    }
}

async fn active_mailboxes(app: &App) -> Result<Vec<Mailbox>, AppError> {
    let mut conn = app.db.read().await?;
    let all = mail::list_mailboxes(&mut conn).await?;
    Ok(all.into_iter().filter(|m| m.active).collect())
}

/// Reads one mailbox for as long as this process holds it and its settings stay the same.
async fn read_mailbox(app: App, mailbox: Mailbox, reader_id: String, mut stopped: watch::Receiver<bool>) {
    match reader::claim(&app, mailbox.id, &reader_id).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(err) => {
            tracing::warn!(%err, mailbox = mailbox.address, "cannot claim the mailbox");
            return;
        }
    }
    let failed = match keep_reading(&app, &mailbox, &reader_id, &mut stopped).await {
        Ok(()) => false,
        Err(err) => {
            tracing::warn!(%err, mailbox = mailbox.address, "reading the mailbox failed; trying again in a minute");
            true
        }
    };
    if let Err(err) = reader::release(&app, mailbox.id, &reader_id).await {
        tracing::warn!(%err, mailbox = mailbox.address, "cannot give the mailbox up; its lease will run out");
    }
    if failed {
        tokio::select! {
            _ = tokio::time::sleep(AFTER_ERROR) => {}
            _ = stopped.changed() => {}
        }
    }
}

async fn keep_reading(
    app: &App,
    mailbox: &Mailbox,
    reader_id: &str,
    stopped: &mut watch::Receiver<bool>,
) -> Result<(), AppError> {
    let settings = reader::imap_settings(mailbox);
    let mut client = reader::connect(app, mailbox).await?;
    loop {
        let taken = reader::read_new(app, &mut client, mailbox.id).await?;
        if taken > 0 {
            tracing::info!(taken, mailbox = mailbox.address, "messages taken");
        }
        let current = {
            let mut conn = app.db.read().await?;
            mail::get_mailbox(&mut conn, mailbox.id).await?
        };
        let unchanged = current.is_some_and(|m| m.active && reader::imap_settings(&m) == settings);
        if !unchanged || *stopped.borrow() || !reader::claim(app, mailbox.id, reader_id).await? {
            client.logout().await;
            return Ok(());
        }
        let at_most = if client.has_idle() { IDLE_AT_MOST } else { POLL_EVERY };
        client = tokio::select! {
            waited = client.wait(at_most) => match waited {
                Ok(client) => client,
                Err(err) => {
                    reader::note_error(app, mailbox.id, &err.to_string()).await?;
                    return Err(AppError::Internal(err.to_string()));
                }
            },
            _ = stopped.changed() => return Ok(()),
        };
    }
}
