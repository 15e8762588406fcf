//! atende's channel adapters: they speak the protocols (RFC 5322, SMTP, IMAP, WhatsApp's Cloud
//! API) and hand plain values to the use cases. No business rule lives here.

pub mod mail;
pub mod webhook;
pub mod whatsapp;
