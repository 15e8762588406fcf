//! The e-mail channel's use cases: messages received become tickets, replies or entries of the
//! access queue (`inbound`); ticket events become messages to the people involved (`notify`);
//! the outbox is sent by SMTP with retries (`outbox`).

pub mod inbound;
pub mod letters;
pub mod mailboxes;
pub mod notify;
pub mod outbox;
pub mod queue;
pub mod reader;

use atende_domain::mail::SubjectTag;
/// What the HTTP edge shows of mailboxes and received messages.
pub use atende_store::mail::{InboundRecord, MailCounts, Mailbox};

/// How atende writes and reads mail.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The name shown beside the support address.
    pub from_name: String,
    pub subject_tag: SubjectTag,
    /// Receiving hosts whose `Authentication-Results` are believed (RFC 8601 authserv-id).
    pub trusted_auth_hosts: Vec<String>,
    /// The token an MTA pipe sends to `POST /api/v1/inbound/email`; `None` turns the endpoint off.
    pub inbound_token: Option<String>,
    /// Most answers to one address that cannot open tickets, per day.
    pub answers_per_sender_per_day: i64,
    /// Most messages taken from one sender per hour; more are kept without a ticket.
    pub messages_per_sender_per_hour: i64,
    /// Whether an SMTP relay is configured; without one, links that should be mailed (password
    /// resets, invitations) are also written to the log for the operator to pass on.
    pub outbound: bool,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            from_name: "Support".into(),
            subject_tag: SubjectTag::default(),
            trusted_auth_hosts: Vec::new(),
            inbound_token: None,
            answers_per_sender_per_day: 1,
            messages_per_sender_per_hour: 30,
            outbound: false,
        }
    }
}

/// What operators watch of the channel (for `/metrics`).
pub async fn counts(app: &crate::App) -> crate::Result<MailCounts> {
    let mut conn = app.db.read().await?;
    Ok(atende_store::mail::counts(&mut conn).await?)
}
