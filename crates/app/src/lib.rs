//! atende's use cases. Each public function is one thing a user does; its writes are one
//! transaction, its permission checks happen here, and its errors say what to fix.

pub mod attachments;
pub mod auth;
pub mod bot;
pub mod cache;
pub mod changelog;
pub mod clock;
pub mod community;
pub mod directory;
pub mod entitlements;
mod error;
pub mod feedback;
mod group_commit;
pub mod groups;
pub mod i18n;
pub mod invitations;
pub mod kb;
pub mod mail;
pub mod passwords;
pub mod phone;
pub mod profile;
pub mod report_rollups;
pub mod reports;
pub mod retry;
pub mod search;
pub mod sla;
pub mod status;
pub mod teams;
pub mod tickets;
pub mod workspace;

use atende_domain::{Lang, Role, entities::User};
use atende_store::{Db, tickets::TicketScope};
pub use atende_store::{
    attachments::Attachment,
    directory::TokenRecord,
    feedback::Rating,
    membership::Team,
    phone::{Call, Callback},
    search::TicketFilters,
    sla::{CalendarRecord, Notification},
    tickets::TicketQuery,
};
pub use clock::Clock;
pub use error::{AppError, Result};
use jiff::tz::TimeZone;

/// Settings the use cases need; filled from the operator's configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address the manual names as the last resort for anyone who cannot open a ticket.
    pub support_email: String,
    pub default_language: Lang,
    /// The deployment's zone: it decides what "today" is for contract dates.
    pub time_zone: TimeZone,
    /// Where people reach atende (for links in invitations).
    pub public_url: String,
    pub session_days: i64,
    pub invitation_days: i64,
    /// Where the documentation and the forum are (open to every plan, Trial included).
    pub documentation_url: String,
    pub forum_url: String,
    /// The status page's title (`/status`).
    pub status_name: String,
    pub mail: mail::MailSettings,
    pub whatsapp: bot::whatsapp::WhatsappSettings,
    /// Requests a minute one address may send to the public forms (sign-in, password reset,
    /// invitations, status subscriptions, the web chat); 0: no limit.
    pub public_forms_per_minute: u32,
    /// Requests a minute one address may send to the webhooks (WhatsApp, the e-mail pipe); 0: no limit.
    pub webhooks_per_minute: u32,
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            support_email: "support@example.com".into(),
            default_language: Lang::En,
            time_zone: TimeZone::get("America/Sao_Paulo").unwrap_or(TimeZone::UTC),
            public_url: "http://127.0.0.1:8080".into(),
            session_days: 30,
            invitation_days: 14,
            documentation_url: "/help".into(),
            forum_url: "/forum".into(),
            status_name: "Status".into(),
            mail: mail::MailSettings::default(),
            whatsapp: bot::whatsapp::WhatsappSettings::default(),
            public_forms_per_minute: 60,
            webhooks_per_minute: 6_000,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Everything a use case needs: the database, the settings and the clock.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Db,
    pub settings: Settings,
    pub clock: Clock,
    pub profile: cache::ProfileCache,
    /// The group commits of new tickets and of received e-mail.
    pub(crate) intake: group_commit::GroupCommit<tickets::Opening>,
    pub(crate) mail_intake: group_commit::GroupCommit<mail::inbound::Recording>,
    pub(crate) bot_arrivals: group_commit::GroupCommit<bot::Arrival>,
    pub(crate) bot_replies: group_commit::GroupCommit<bot::Reply>,
}

impl App {
    pub fn new(db: Db, settings: Settings, clock: Clock) -> Self {
        App {
            db,
            settings,
            clock,
            profile: cache::ProfileCache::default(),
            intake: Default::default(),
            mail_intake: Default::default(),
            bot_arrivals: Default::default(),
            bot_replies: Default::default(),
        }
    }

    /// A copy whose group commits have queues of their own, for their writer tasks: a writer
    /// holding the queue it reads would keep it open, and itself running, forever.
    pub(crate) fn without_writers(&self) -> App {
        App {
            intake: Default::default(),
            mail_intake: Default::default(),
            bot_arrivals: Default::default(),
            bot_replies: Default::default(),
            ..self.clone()
        }
    }

    /// Today in the deployment's time zone.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.now().to_zoned(self.settings.time_zone.clone()).date()
    }
}

/// The signed-in user on whose behalf a use case runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn is_staff(&self) -> bool {
        self.user.role.is_staff()
    }

    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The organization this user administers, if they are a customer admin.
    pub fn administered_organization(&self) -> Option<i64> {
        (self.user.role == Role::CustomerAdmin)
            .then_some(self.user.organization_id)
            .flatten()
    }

    /// Which tickets this user may read.
    pub fn ticket_scope(&self) -> TicketScope {
        match (self.user.role, self.user.organization_id) {
            (role, _) if role.is_staff() => TicketScope::All,
            (Role::CustomerAdmin, Some(organization_id)) => TicketScope::Organization {
                organization_id,
                user_id: self.user.id,
            },
            _ => TicketScope::Viewer {
                user_id: self.user.id,
                organization_id: self.user.organization_id,
            },
        }
    }

    /// Support staff, or the customer admin of `organization_id`.
    pub fn manages_organization(&self, organization_id: i64) -> bool {
        self.is_staff() || self.administered_organization() == Some(organization_id)
    }

    /// Whether the user may see the organization's contracts, bots and members at all.
    pub fn sees_organization(&self, organization_id: i64) -> bool {
        self.is_staff() || self.user.organization_id == Some(organization_id)
    }

    pub fn require_staff(&self) -> Result<()> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(AppError::Forbidden("staff_only"))
        }
    }

    pub fn require_admin(&self) -> Result<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden("admin_only"))
        }
    }
}
