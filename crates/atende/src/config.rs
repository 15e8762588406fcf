//! Configuration: defaults, then a TOML file, then `ATENDE_*` environment variables.

use std::{net::SocketAddr, path::PathBuf};

use atende_app::Settings;
use atende_domain::Lang;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Where the SQLite database (and later attachments) live.
    pub data_dir: PathBuf,
    /// `sqlite://path` or `postgres://...`; defaults to a SQLite file in `data_dir`.
    pub database_url: Option<String>,
    pub max_connections: u32,
    /// The address people use to reach atende, for links.
    pub public_url: String,
    /// The support e-mail address named as the fallback in every refusal.
    pub support_email: String,
    pub default_language: String,
    /// The support operation's time zone (contract dates, business hours).
    pub time_zone: String,
    /// Log filter, e.g. `info` or `atende=debug,info`.
    pub log: String,
    /// Seconds between SLA sweeps (warnings, breaches, escalations); 0 turns the sweep off in this process.
    pub sla_sweep_seconds: u64,
    /// Seconds a connection may take to send a request's headers, from opening or from the end
    /// of its last response: closes slow-loris clients and idle kept-alive connections.
    pub idle_timeout_seconds: u64,
    /// Where the documentation is (every plan may read it); atende's help center by default.
    pub documentation_url: String,
    /// Where the community forum is; atende's own by default.
    pub forum_url: String,
    /// The status page's title.
    pub status_name: String,
    /// The name shown beside the support address in the messages atende sends.
    pub mail_from_name: String,
    /// The SMTP relay that sends atende's messages; none: messages wait in the outbox.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (default), `tls`, or `none` for a relay on this machine.
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// The token an MTA pipe sends to `POST /api/v1/inbound/email`; none turns the endpoint off.
    pub mail_inbound_token: Option<String>,
    /// Receiving hosts whose Authentication-Results headers are believed.
    pub mail_trusted_hosts: Vec<String>,
    /// Seconds between mail rounds (notifications, outbox, mailboxes); 0 turns them off here.
    pub mail_seconds: u64,
    /// Messages taken from one sender per hour; more wait in the access queue (a loop breaker).
    pub mail_per_sender_per_hour: i64,
    /// Requests a minute one address may send to the public forms; 0: no limit.
    pub public_forms_per_minute: u32,
    /// Requests a minute one address may send to the webhooks; 0: no limit.
    pub webhooks_per_minute: u32,
    /// Reverse proxies in front of atende (addresses or CIDR blocks, such as `127.0.0.1` or
    /// `10.0.0.0/8`): for requests from them, the client is the address `X-Forwarded-For` names.
    pub trusted_proxies: Vec<String>,
    /// WhatsApp Cloud API: the token Meta's subscription check must send back.
    pub whatsapp_verify_token: Option<String>,
    /// The app secret that signs the webhook's notifications.
    pub whatsapp_app_secret: Option<String>,
    /// The access token and phone number id that send messages; none: they wait in the outbox.
    pub whatsapp_access_token: Option<String>,
    pub whatsapp_phone_number_id: Option<String>,
    /// The Graph API's address and version (tests point it at a local fake).
    pub whatsapp_graph_url: String,
    pub whatsapp_graph_version: String,
    /// The approved template for ticket updates outside the 24-hour window; its body takes the
    /// ticket number and the update.
    pub whatsapp_update_template: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            max_connections: 16,
            public_url: "http://127.0.0.1:8080".into(),
            support_email: "support@example.com".into(),
            default_language: "en".into(),
            time_zone: "America/Sao_Paulo".into(),
            log: "info".into(),
            sla_sweep_seconds: 30,
            idle_timeout_seconds: 20,
            documentation_url: "/help".into(),
            forum_url: "/forum".into(),
            status_name: "Status".into(),
            mail_from_name: "Support".into(),
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            mail_inbound_token: None,
            mail_trusted_hosts: Vec::new(),
            mail_seconds: 5,
            mail_per_sender_per_hour: 30,
            public_forms_per_minute: 60,
            webhooks_per_minute: 6_000,
            trusted_proxies: Vec::new(),
            whatsapp_verify_token: None,
            whatsapp_app_secret: None,
            whatsapp_access_token: None,
            whatsapp_phone_number_id: None,
            whatsapp_graph_url: "https://graph.facebook.com".into(),
            whatsapp_graph_version: "v21.0".into(),
            whatsapp_update_template: "ticket_update".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the configuration file {path} is not valid: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("{name} is not valid: {reason}")]
    Value { name: &'static str, reason: String },
}

/// A secret from the variable `name`, or from the file that `{name}_FILE` names (Docker and
/// systemd credentials), without the file's final line break. The error names the file, never
/// its contents.
fn secret(var: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<Option<String>, ConfigError> {
    match (var(name), var(&format!("{name}_FILE"))) {
        (Some(_), Some(_)) => Err(ConfigError::Value {
            name,
            reason: format!("it is set both directly and through {name}_FILE; keep one"),
        }),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned())),
            Err(e) => Err(ConfigError::Value {
                name,
                reason: format!("cannot read {path} (named by {name}_FILE): {e}"),
            }),
        },
        (None, None) => Ok(None),
    }
}

/// Sets `field` from the variable `name` when it is set, naming the variable if it does not parse.
fn parsed<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    field: &mut T,
) -> Result<(), ConfigError>
where
    T::Err: std::fmt::Display,
{
    if let Some(v) = var(name) {
        *field = v.parse().map_err(|e| ConfigError::Value {
            name,
            reason: format!("{e}"),
        })?;
    }
    Ok(())
}

/// The items of a comma-separated variable, trimmed, empty ones left out.
fn comma_separated(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

impl Config {
    /// Loads `file` (if given, else `atende.toml` when present), then applies the environment.
    pub fn load(file: Option<PathBuf>) -> Result<Config, ConfigError> {
        let explicit = file.is_some();
        let path = file.unwrap_or_else(|| PathBuf::from("atende.toml"));
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Parse {
                path: path.clone(),
                source: Box::new(e),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Config::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    /// Overrides fields from `ATENDE_*` variables, read through `var` so tests need no process env.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        parsed(&var, "ATENDE_LISTEN", &mut self.listen)?;
        if let Some(v) = var("ATENDE_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = secret(&var, "ATENDE_DATABASE_URL")? {
            self.database_url = Some(v);
        }
        parsed(&var, "ATENDE_MAX_CONNECTIONS", &mut self.max_connections)?;
        if let Some(v) = var("ATENDE_PUBLIC_URL") {
            self.public_url = v;
        }
        if let Some(v) = var("ATENDE_SUPPORT_EMAIL") {
            self.support_email = v;
        }
        if let Some(v) = var("ATENDE_DEFAULT_LANGUAGE") {
            self.default_language = v;
        }
        if let Some(v) = var("ATENDE_TIME_ZONE") {
            self.time_zone = v;
        }
        if let Some(v) = var("ATENDE_DOCUMENTATION_URL") {
            self.documentation_url = v;
        }
        for (name, field) in [
            ("ATENDE_SMTP_HOST", &mut self.smtp_host),
            ("ATENDE_SMTP_USERNAME", &mut self.smtp_username),
            ("ATENDE_WHATSAPP_PHONE_NUMBER_ID", &mut self.whatsapp_phone_number_id),
        ] {
            if let Some(v) = var(name) {
                *field = Some(v);
            }
        }
        for (name, field) in [
            ("ATENDE_SMTP_PASSWORD", &mut self.smtp_password),
            ("ATENDE_MAIL_INBOUND_TOKEN", &mut self.mail_inbound_token),
            ("ATENDE_WHATSAPP_VERIFY_TOKEN", &mut self.whatsapp_verify_token),
            ("ATENDE_WHATSAPP_APP_SECRET", &mut self.whatsapp_app_secret),
            ("ATENDE_WHATSAPP_ACCESS_TOKEN", &mut self.whatsapp_access_token),
        ] {
            if let Some(v) = secret(&var, name)? {
                *field = Some(v);
            }
        }
        parsed(&var, "ATENDE_SMTP_PORT", &mut self.smtp_port)?;
        for (name, field) in [
            ("ATENDE_WHATSAPP_GRAPH_URL", &mut self.whatsapp_graph_url),
            ("ATENDE_WHATSAPP_GRAPH_VERSION", &mut self.whatsapp_graph_version),
            ("ATENDE_WHATSAPP_UPDATE_TEMPLATE", &mut self.whatsapp_update_template),
        ] {
            if let Some(v) = var(name) {
                *field = v;
            }
        }
        if let Some(v) = var("ATENDE_SMTP_SECURITY") {
            self.smtp_security = v;
        }
        if let Some(v) = var("ATENDE_MAIL_FROM_NAME") {
            self.mail_from_name = v;
        }
        if let Some(v) = var("ATENDE_MAIL_TRUSTED_HOSTS") {
            self.mail_trusted_hosts = comma_separated(&v);
        }
        if let Some(v) = var("ATENDE_TRUSTED_PROXIES") {
            self.trusted_proxies = comma_separated(&v);
        }
        parsed(&var, "ATENDE_MAIL_SECONDS", &mut self.mail_seconds)?;
        parsed(
            &var,
            "ATENDE_MAIL_PER_SENDER_PER_HOUR",
            &mut self.mail_per_sender_per_hour,
        )?;
        parsed(
            &var,
            "ATENDE_PUBLIC_FORMS_PER_MINUTE",
            &mut self.public_forms_per_minute,
        )?;
        parsed(&var, "ATENDE_WEBHOOKS_PER_MINUTE", &mut self.webhooks_per_minute)?;
        if let Some(v) = var("ATENDE_STATUS_NAME") {
            self.status_name = v;
        }
        if let Some(v) = var("ATENDE_FORUM_URL") {
            self.forum_url = v;
        }
        if let Some(v) = var("ATENDE_LOG") {
            self.log = v;
        }
        parsed(&var, "ATENDE_SLA_SWEEP_SECONDS", &mut self.sla_sweep_seconds)?;
        parsed(&var, "ATENDE_IDLE_TIMEOUT_SECONDS", &mut self.idle_timeout_seconds)?;
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("atende.db").display()))
    }

    /// The SMTP relay, when one is configured.
    pub fn smtp(&self) -> Result<Option<atende_channels::mail::smtp::SmtpSettings>, ConfigError> {
        let Some(host) = self.smtp_host.clone().filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let security = self.smtp_security.parse().map_err(|reason| ConfigError::Value {
            name: "smtp_security",
            reason,
        })?;
        Ok(Some(atende_channels::mail::smtp::SmtpSettings {
            host,
            port: self.smtp_port,
            security,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
        }))
    }

    fn whatsapp(&self) -> Result<atende_app::bot::whatsapp::WhatsappSettings, ConfigError> {
        let given = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        let client = match (
            given(&self.whatsapp_access_token),
            given(&self.whatsapp_phone_number_id),
        ) {
            (Some(token), Some(phone)) => Some(
                atende_channels::whatsapp::GraphClient::new(
                    &self.whatsapp_graph_url,
                    &self.whatsapp_graph_version,
                    &phone,
                    &token,
                )
                .map_err(|e| ConfigError::Value {
                    name: "whatsapp_graph_url",
                    reason: e.to_string(),
                })?,
            ),
            _ => None,
        };
        Ok(atende_app::bot::whatsapp::WhatsappSettings {
            verify_token: given(&self.whatsapp_verify_token),
            app_secret: given(&self.whatsapp_app_secret),
            client,
            update_template: self.whatsapp_update_template.clone(),
        })
    }

    pub fn settings(&self) -> Result<Settings, ConfigError> {
        let default_language = self.default_language.parse::<Lang>().map_err(|e| ConfigError::Value {
            name: "default_language",
            reason: e.to_string(),
        })?;
        let time_zone = jiff::tz::TimeZone::get(&self.time_zone).map_err(|e| ConfigError::Value {
            name: "time_zone",
            reason: e.to_string(),
        })?;
        atende_domain::Email::parse(&self.support_email).map_err(|e| ConfigError::Value {
            name: "support_email",
            reason: e.to_string(),
        })?;
        Ok(Settings {
            support_email: self.support_email.clone(),
            default_language,
            time_zone,
            public_url: self.public_url.clone(),
            documentation_url: self.documentation_url.clone(),
            forum_url: self.forum_url.clone(),
            status_name: self.status_name.clone(),
            mail: atende_app::mail::MailSettings {
                from_name: self.mail_from_name.clone(),
                trusted_auth_hosts: self.mail_trusted_hosts.clone(),
                inbound_token: self.mail_inbound_token.clone().filter(|t| !t.is_empty()),
                outbound: self.smtp_host.as_deref().is_some_and(|h| !h.is_empty()),
                messages_per_sender_per_hour: self.mail_per_sender_per_hour.max(1),
                ..Default::default()
            },
            whatsapp: self.whatsapp()?,
            public_forms_per_minute: self.public_forms_per_minute,
            webhooks_per_minute: self.webhooks_per_minute,
            trusted_proxies: self.trusted_proxies.clone(),
            ..Settings::default()
        })
    }
}

#[cfg(test)]
#[path = "config_test.rs"]
mod tests;
