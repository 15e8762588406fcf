//! atende's domain: the rules of the support operation, free of I/O and clocks.
//!
//! Everything here is a plain value or a pure function, so that every channel (portal, API, e-mail,
//! WhatsApp, web chat, phone) asks the same questions and gets the same answers.

pub mod access;
pub mod channel;
pub mod entities;
pub mod kb;
pub mod lang;
pub mod mail;
pub mod plan;
pub mod search;
pub mod sla;
pub mod text;
pub mod ticket;
pub mod user;

pub use access::{ContractFacts, Refusal, Remedy, RequesterFacts, may_open_ticket};
pub use channel::{Channel, TicketChannel};
pub use lang::Lang;
pub use plan::{Availability, Plan, SlaTier, default_plans};
pub use text::{Email, ParseError, PhoneNumber, Tag};
pub use ticket::{Body, Priority, Subject, TicketStatus, TicketType, Visibility};
pub use user::Role;

/// Serializes a type as its `code()` and deserializes it through `FromStr`, so that JSON carries
/// the same stable codes as the database and a bad value gets the domain's own error message.
macro_rules! serde_as_code {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}

serde_as_code!(
    Lang,
    Channel,
    TicketChannel,
    Availability,
    SlaTier,
    Role,
    TicketType,
    Priority,
    TicketStatus,
    Visibility
);
