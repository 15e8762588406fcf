//! Reading a support mailbox over IMAP (async-imap): new messages by UID, so that each is taken
//! once across restarts, with IDLE where the server offers it.

use std::{fmt, time::Duration};

use futures_util::TryStreamExt;
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    /// TLS from the first byte (port 993); plain only for a server on this machine or network.
    pub tls: bool,
    pub username: String,
    pub password: String,
    pub folder: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot reach the IMAP server {0}: {1}")]
    Connect(String, String),
    #[error("the IMAP server refused the user name or password: {0}")]
    Login(String),
    #[error("the IMAP server answered with an error: {0}")]
    Protocol(String),
}

impl From<async_imap::error::Error> for ImapError {
    fn from(e: async_imap::error::Error) -> Self {
        ImapError::Protocol(e.to_string())
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Io for T {}

type Session = async_imap::Session<Box<dyn Io>>;

/// A logged-in session with the folder selected.
pub struct ImapClient {
    session: Session,
    idle: bool,
    /// UIDVALIDITY of the folder: when it changes, every UID seen before means nothing.
    pub uid_validity: u32,
}

const TIMEOUT: Duration = Duration::from_secs(30);

pub async fn connect(settings: &ImapSettings) -> Result<ImapClient, ImapError> {
    let address = format!("{}:{}", settings.host, settings.port);
    let unreachable = |e: String| ImapError::Connect(address.clone(), e);
    let tcp = tokio::time::timeout(TIMEOUT, TcpStream::connect(&address))
        .await
        .map_err(|_| unreachable("no answer within 30 s".into()))?
        .map_err(|e| unreachable(e.to_string()))?;
    let stream: Box<dyn Io> = if settings.tls {
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(settings.host.clone())
            .map_err(|e| unreachable(e.to_string()))?;
        let tls = super::tls::connector()
            .map_err(&unreachable)?
            .connect(name, tcp)
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let mut client = async_imap::Client::new(stream);
    match tokio::time::timeout(TIMEOUT, client.read_response()).await {
        Ok(Some(Ok(_))) => {}
        _ => return Err(unreachable("no IMAP greeting".into())),
    }
    let mut session = client
        .login(&settings.username, &settings.password)
        .await
        .map_err(|(e, _)| ImapError::Login(e.to_string()))?;
    let idle = session.capabilities().await?.has_str("IDLE");
    let mailbox = session.select(&settings.folder).await?;
    Ok(ImapClient {
        session,
        idle,
        uid_validity: mailbox.uid_validity.unwrap_or(0),
    })
}

impl ImapClient {
    /// Up to `max` messages with a UID above `last_uid`, oldest first, as raw bytes. The UIDs are
    /// searched first so that a large backlog is fetched a batch at a time.
    pub async fn fetch_after(&mut self, last_uid: u32, max: usize) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        let found = self
            .session
            .uid_search(format!("UID {}:*", last_uid.saturating_add(1)))
            .await?;
        // `n:*` always names the newest message, even when its UID is below n.
        let mut uids: Vec<u32> = found.into_iter().filter(|uid| *uid > last_uid).collect();
        uids.sort_unstable();
        uids.truncate(max);
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let fetched: Vec<_> = self
            .session
            .uid_fetch(set, "(UID BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        let mut messages: Vec<(u32, Vec<u8>)> = fetched
            .iter()
            .filter_map(|f| Some((f.uid?, f.body()?.to_vec())))
            .filter(|(uid, _)| uids.binary_search(uid).is_ok())
            .collect();
        messages.sort_by_key(|(uid, _)| *uid);
        Ok(messages)
    }

    /// Whether the server tells of new mail as it comes (IDLE); otherwise the caller polls.
    pub fn has_idle(&self) -> bool {
        self.idle
    }

    /// Waits up to `at_most` for new mail: IDLE when the server has it, else a plain wait.
    pub async fn wait(self, at_most: Duration) -> Result<ImapClient, ImapError> {
        if !self.idle {
            tokio::time::sleep(at_most).await;
            return Ok(self);
        }
        let ImapClient {
            session,
            idle,
            uid_validity,
        } = self;
        let mut handle = session.idle();
        handle.init().await?;
        let (wait, _stop) = handle.wait_with_timeout(at_most);
        wait.await?;
        let session = handle.done().await?;
        Ok(ImapClient {
            session,
            idle,
            uid_validity,
        })
    }

    pub async fn logout(mut self) {
        let _ = self.session.logout().await;
    }
}
