//! atende's domain: the rules of the support operation, free of I/O and clocks.
//!
//! Everything here is a plain value or a pure function, so that every channel (portal, API, e-mail,
//! WhatsApp, web chat, phone) asks the same questions and gets the same answers.

pub mod access;
pub mod channel;
pub mod entities;
pub mod lang;
pub mod plan;
pub mod text;
pub mod ticket;
pub mod user;

pub use access::{ContractFacts, Refusal, Remedy, RequesterFacts, may_open_ticket};
pub use channel::{Channel, TicketChannel};
pub use lang::Lang;
pub use plan::{Availability, Plan, SlaTier, default_plans};
pub use text::{Email, ParseError};
pub use ticket::{Body, Priority, Subject, TicketStatus, TicketType, Visibility};
pub use user::Role;
