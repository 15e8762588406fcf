//! Reading a support mailbox over IMAP: the messages above the last UID taken, each handed to
//! `inbound::receive` with its position, so that the mailbox and the tickets move together and a
//! message is taken exactly once across restarts. One process reads a mailbox at a time (a lease
//! in the database); a new UIDVALIDITY starts the folder over, and Message-IDs already seen are
//! then skipped as duplicates.

use atende_channels::mail::imap::{self, ImapClient, ImapSettings};
use atende_store::mail::{self, Mailbox};
use jiff::SignedDuration;

use super::inbound::{Source, receive};
use crate::{App, AppError, Result, auth::commit};

/// Messages fetched per round trip; the next one takes the rest.
pub const BATCH: usize = 50;

/// How long a reader holds a mailbox without renewing; it renews at every round.
pub const LEASE: SignedDuration = SignedDuration::from_mins(3);

pub fn imap_settings(mailbox: &Mailbox) -> ImapSettings {
    ImapSettings {
        host: mailbox.imap_host.clone(),
        port: u16::try_from(mailbox.imap_port).unwrap_or(993),
        tls: mailbox.imap_tls,
        username: mailbox.imap_username.clone(),
        password: mailbox.imap_password.clone(),
        folder: mailbox.folder.clone(),
    }
}

/// Takes or renews the lease; false when another process reads the mailbox or it was turned off.
pub async fn claim(app: &App, mailbox_id: i64, reader: &str) -> Result<bool> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let claimed = mail::claim_mailbox(&mut tx, mailbox_id, reader, now, now + LEASE).await?;
    commit(tx).await?;
    Ok(claimed)
}

pub async fn release(app: &App, mailbox_id: i64, reader: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    mail::release_mailbox(&mut tx, mailbox_id, reader).await?;
    commit(tx).await
}

/// Connects with the mailbox's settings; a failure is written on the mailbox for admins to see.
pub async fn connect(app: &App, mailbox: &Mailbox) -> Result<ImapClient> {
    match imap::connect(&imap_settings(mailbox)).await {
        Ok(client) => Ok(client),
        Err(err) => {
            note_error(app, mailbox.id, &err.to_string()).await?;
            Err(AppError::Internal(err.to_string()))
        }
    }
}

pub async fn note_error(app: &App, mailbox_id: i64, error: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    mail::set_poll_result(&mut tx, mailbox_id, Some(error), app.clock.now()).await?;
    commit(tx).await
}

/// Takes every message not yet taken; returns how many. Stops at the first message that cannot
/// be stored (the database is down): the position stays before it, and the next round retries.
pub async fn read_new(app: &App, client: &mut ImapClient, mailbox_id: i64) -> Result<usize> {
    let mut taken = 0;
    loop {
        let Some(mailbox) = ({
            let mut conn = app.db.read().await?;
            mail::get_mailbox(&mut conn, mailbox_id).await?
        }) else {
            return Ok(taken);
        };
        let validity = i64::from(client.uid_validity);
        let after = if mailbox.uid_validity == validity {
            u32::try_from(mailbox.last_uid).unwrap_or(0)
        } else {
            0
        };
        let messages = match client.fetch_after(after, BATCH).await {
            Ok(messages) => messages,
            Err(err) => {
                note_error(app, mailbox_id, &err.to_string()).await?;
                return Err(AppError::Internal(err.to_string()));
            }
        };
        let fetched = messages.len();
        for (uid, raw) in messages {
            let source = Source {
                mailbox_id,
                uid_validity: validity,
                uid: i64::from(uid),
            };
            receive(app, &raw, Some(source)).await?;
            taken += 1;
        }
        if fetched == 0 {
            // Nothing new: record that the mailbox was read, clearing an old error.
            let mut tx = app.db.begin().await?;
            mail::set_position(&mut tx, mailbox_id, validity, i64::from(after), app.clock.now()).await?;
            commit(tx).await?;
        }
        if fetched < BATCH {
            return Ok(taken);
        }
    }
}
