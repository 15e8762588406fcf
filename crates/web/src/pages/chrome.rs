//! What every page template shares: the translator, the signed-in user, the CSRF token, the
//! one-time message, and dates written in the reader's zone and language.

use std::sync::Arc;

use atende_domain::{Lang, Priority, Role, TicketStatus, TicketType, entities::User};
use jiff::{Timestamp, tz::TimeZone};

use super::session::{Flash, PageCtx};
use crate::{
    AppState,
    i18n::{Arg, I18n},
};

pub struct Chrome {
    i18n: Arc<I18n>,
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<User>,
    tz: TimeZone,
    pub flash: Option<Flash>,
    /// Which part of the navigation is current.
    pub section: &'static str,
    now: Timestamp,
    pub support_email: String,
}

impl Chrome {
    pub fn new(state: &AppState, ctx: &PageCtx, section: &'static str) -> Chrome {
        Chrome {
            i18n: state.i18n.clone(),
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            user: ctx.actor.as_ref().map(|a| a.user.clone()),
            tz: ctx.tz.clone(),
            flash: ctx.flash.clone(),
            section,
            now: state.app.clock.now(),
            support_email: state.app.settings.support_email.clone(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.text(self.lang, key, &[])
    }

    /// A message with one text argument.
    pub fn ta(&self, key: &str, name: &'static str, value: &str) -> String {
        self.i18n.text(self.lang, key, &[(name, Arg::Text(value.to_owned()))])
    }

    /// A message with one number argument (plurals are the message's business).
    pub fn tn(&self, key: &str, name: &'static str, value: impl By<i64>) -> String {
        self.i18n.text(self.lang, key, &[(name, Arg::Number(value.get()))])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// Whether `code` is the page's language.
    pub fn is_lang(&self, code: &str) -> bool {
        self.lang.code() == code
    }

    /// Whether an optional id (an assignee, a group) is `id`.
    pub fn is(&self, value: impl By<Option<i64>>, id: impl By<i64>) -> bool {
        value.get() == Some(id.get())
    }

    /// Whether an optional code (a refusal's) is `want`.
    pub fn code_is(&self, code: impl By<Option<&'static str>>, want: &str) -> bool {
        code.get() == Some(want)
    }

    /// Whether a text field of the page equals a literal of the template.
    pub fn eq(&self, a: &str, b: &str) -> bool {
        a == b
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_staff())
    }

    pub fn is_customer_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::CustomerAdmin)
    }

    pub fn user_id(&self) -> i64 {
        self.user.as_ref().map(|u| u.id).unwrap_or_default()
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map(|u| u.name.as_str()).unwrap_or_default()
    }

    /// A moment as the reader's calendar and clock show it.
    pub fn when(&self, at: impl By<Timestamp>) -> String {
        let zoned = at.get().to_zoned(self.tz.clone());
        let pattern = match self.lang {
            Lang::En => "%b %-d, %Y %H:%M %Z",
            Lang::Es | Lang::PtBr => "%d/%m/%Y %H:%M %Z",
        };
        zoned.strftime(pattern).to_string()
    }

    /// A moment with its weekday, as the reader's calendar shows it ("Thursday · Nov 5, 2026 13:00 EST").
    pub fn day_when(&self, at: impl By<Timestamp>) -> String {
        let at = at.get();
        let day = at.to_zoned(self.tz.clone()).weekday().to_monday_one_offset();
        format!("{} · {}", self.t(&format!("weekday-{day}")), self.when(at))
    }

    /// The reader's time zone, by name.
    pub fn zone_name(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }

    /// Milliseconds since the epoch, for the countdowns the page script keeps current.
    pub fn epoch_ms(&self, at: impl By<Timestamp>) -> i64 {
        at.get().as_millisecond()
    }

    /// "in 2 h 05 min" or "overdue by 12 min", as of the moment the page was made.
    pub fn countdown(&self, at: impl By<Timestamp>) -> String {
        let minutes = at.get().duration_since(self.now).as_secs().div_euclid(60);
        let span = span_text(minutes.abs());
        if minutes < 0 {
            self.ta("due-overdue", "span", &span)
        } else {
            self.ta("due-in", "span", &span)
        }
    }

    pub fn overdue(&self, at: impl By<Timestamp>) -> bool {
        at.get() < self.now
    }

    pub fn status(&self, status: impl By<TicketStatus>) -> String {
        self.t(&format!("status-{}", status.get().code()))
    }

    pub fn priority(&self, priority: impl By<Priority>) -> String {
        self.t(&format!("priority-{}", priority.get().code()))
    }

    pub fn ticket_type(&self, kind: impl By<TicketType>) -> String {
        self.t(&format!("type-{}", kind.get().code()))
    }

    pub fn channel(&self, code: &str) -> String {
        self.t(&format!("ticket-channel-{code}"))
    }

    /// The URL that shows the same page in another language (visitors; users choose in preferences).
    pub fn languages(&self) -> Vec<(&'static str, &'static str)> {
        vec![("es", "Español"), ("pt-BR", "Português"), ("en", "English")]
    }
}

/// A value, or a reference to one as deep as askama's generated code nests it.
pub trait By<T> {
    fn get(&self) -> T;
}

impl<T: Copy> By<T> for T {
    fn get(&self) -> T {
        *self
    }
}

impl<T: Copy> By<T> for &T {
    fn get(&self) -> T {
        **self
    }
}

impl<T: Copy> By<T> for &&T {
    fn get(&self) -> T {
        ***self
    }
}

/// Whole minutes as "3 d 4 h", "2 h 05 min" or "7 min": compact, and the same in all three languages.
pub fn span_text(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min")
    }
}
