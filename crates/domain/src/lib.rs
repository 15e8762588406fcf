//! atende's domain: the rules of the support operation, free of I/O and clocks.
//!
//! Everything here is a plain value or a pure function, so that every channel (portal, API, e-mail,
//! WhatsApp, web chat, phone) asks the same questions and gets the same answers.

/// An enum of stable codes: `code()`, `ALL`, `FromStr` with the domain's error naming the field
/// and the codes allowed, and `Display`.
macro_rules! code_enum {
    ($name:ident, $field:literal, $allowed:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::text::ParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::text::ParseError::NotOneOf { field: $field, allowed: $allowed }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub mod access;
pub mod bot;
pub mod changelog;
pub mod channel;
pub mod community;
pub mod entities;
pub mod kb;
pub mod lang;
pub mod mail;
pub mod plan;
pub mod reports;
pub mod search;
pub mod sla;
pub mod status;
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
    Visibility,
    status::ComponentStatus,
    status::Impact,
    community::IdeaStatus,
    community::PostState,
    community::TemplateState,
    community::EventKind
);
