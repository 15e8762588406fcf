//! Sending by SMTP (lettre): one transport per configuration, built once and pooled.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    address::Envelope,
    transport::smtp::{
        authentication::Credentials,
        client::{Tls, TlsParameters},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text: only for a relay on this machine or a trusted network.
    None,
    /// STARTTLS required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl std::str::FromStr for Security {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(Security::None),
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            other => Err(format!("{other:?}: use none, starttls or tls")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Why a message was not sent: `permanent` when trying again cannot help (a refused recipient).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    pub fn new(settings: &SmtpSettings) -> Result<Smtp, String> {
        let tls = |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| e.to_string());
        let security = match settings.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(tls(&settings.host)?),
            Security::Tls => Tls::Wrapper(tls(&settings.host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
            .port(settings.port)
            .tls(security)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Smtp {
            transport: builder.build(),
        })
    }

    pub async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), SendError> {
        self.transport
            .send_raw(envelope, raw)
            .await
            .map(|_| ())
            .map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            })
    }
}

/// The envelope for a stored message: its sender and recipients as addresses.
pub fn envelope(from: &str, to: &[String]) -> Result<Envelope, String> {
    let from = from.parse().map_err(|_| format!("{from} is not an e-mail address"))?;
    let to = to
        .iter()
        .map(|t| t.parse().map_err(|_| format!("{t} is not an e-mail address")))
        .collect::<Result<Vec<_>, _>>()?;
    Envelope::new(Some(from), to).map_err(|e| e.to_string())
}
