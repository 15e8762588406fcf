//! E-mail: parsing what arrives, building what leaves, and the SMTP and IMAP clients.

pub mod build;
pub mod imap;
pub mod parse;
pub mod smtp;
mod tls;

pub use build::{Outgoing, OutgoingAttachment, build};
pub use parse::{InboundAttachment, InboundMail, parse};

#[cfg(test)]
#[path = "corpus_test.rs"]
mod corpus_test;
