//! The support mailboxes atende reads over IMAP, as administrators configure them. The password
//! is kept (IMAP needs it in the clear) but never shown again.

use atende_domain::{Email, ParseError, text::bounded};
use atende_store::mail::{self, Mailbox, MailboxSettings};

use crate::{Actor, App, AppError, Result, auth::commit};

pub struct MailboxInput {
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_tls: bool,
    pub imap_username: String,
    /// Required on creation; left out on a change, the stored one stays.
    pub imap_password: Option<String>,
    pub folder: Option<String>,
    pub active: bool,
}

struct Checked {
    address: String,
    imap_host: String,
    imap_username: String,
    folder: String,
}

impl Checked {
    fn settings<'a>(&'a self, input: &MailboxInput, password: &'a str) -> MailboxSettings<'a> {
        MailboxSettings {
            address: &self.address,
            imap_host: &self.imap_host,
            imap_port: input.imap_port,
            imap_tls: input.imap_tls,
            imap_username: &self.imap_username,
            imap_password: password,
            folder: &self.folder,
            active: input.active,
        }
    }
}

fn check(input: &MailboxInput) -> Result<Checked> {
    let address = Email::parse(&input.address)?.as_str().to_owned();
    let imap_host = bounded("imap_host", &input.imap_host, 253)?;
    if imap_host.contains(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | '@')) {
        return Err(ParseError::Invalid {
            field: "imap_host",
            reason: "host_name",
        }
        .into());
    }
    if !(1..=65_535).contains(&input.imap_port) {
        return Err(ParseError::Invalid {
            field: "imap_port",
            reason: "port",
        }
        .into());
    }
    let imap_username = bounded("imap_username", &input.imap_username, 320)?;
    let folder = match &input.folder {
        Some(folder) => bounded("folder", folder, 200)?,
        None => "INBOX".to_owned(),
    };
    Ok(Checked {
        address,
        imap_host,
        imap_username,
        folder,
    })
}

fn password(raw: &str) -> Result<String> {
    if raw.is_empty() {
        return Err(ParseError::Empty { field: "imap_password" }.into());
    }
    if raw.len() > 1_000 {
        return Err(ParseError::TooLong {
            field: "imap_password",
            max: 1_000,
        }
        .into());
    }
    Ok(raw.to_owned())
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Mailbox>> {
    actor.require_admin()?;
    let mut conn = app.db.read().await?;
    Ok(mail::list_mailboxes(&mut conn).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Mailbox> {
    actor.require_admin()?;
    let mut conn = app.db.read().await?;
    mail::get_mailbox(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("mailbox"))
}

pub async fn create(app: &App, actor: &Actor, input: MailboxInput) -> Result<Mailbox> {
    actor.require_admin()?;
    let checked = check(&input)?;
    let password = password(input.imap_password.as_deref().unwrap_or_default())?;
    let mut tx = app.db.begin().await?;
    let mailbox = mail::insert_mailbox(&mut tx, &checked.settings(&input, &password), app.clock.now()).await?;
    commit(tx).await?;
    Ok(mailbox)
}

/// Changes a mailbox; another server, user or folder is read from its first message again
/// (messages already taken are recognized by their Message-ID and skipped).
pub async fn update(app: &App, actor: &Actor, id: i64, input: MailboxInput) -> Result<Mailbox> {
    actor.require_admin()?;
    let checked = check(&input)?;
    let mut tx = app.db.begin().await?;
    let current = mail::get_mailbox(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("mailbox"))?;
    let password = match &input.imap_password {
        Some(raw) => password(raw)?,
        None => current.imap_password,
    };
    let mailbox = mail::update_mailbox(&mut tx, id, &checked.settings(&input, &password))
        .await?
        .ok_or(AppError::NotFound("mailbox"))?;
    commit(tx).await?;
    Ok(mailbox)
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !mail::delete_mailbox(&mut tx, id).await? {
        return Err(AppError::NotFound("mailbox"));
    }
    commit(tx).await
}
