//! Messages written by machines: auto-replies, bounces, mailing lists. They may still join a
//! ticket (a vacation notice is worth seeing), but they are never answered, so two robots cannot
//! keep each other busy.

use super::{Header, header};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    /// Written by a person (as far as the headers tell).
    Person,
    /// `Auto-Submitted` other than `no`, `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`.
    AutoReply,
    /// A delivery report: empty return path, `multipart/report`, a mailer-daemon sender.
    Bounce,
    /// `Precedence: bulk/list/junk`, `List-Id`, `List-Unsubscribe`.
    List,
    /// A message we sent ourselves, come back.
    OurOwn,
}

impl Noise {
    /// Whether atende may write back to the sender.
    pub fn may_answer(self) -> bool {
        self == Noise::Person
    }
}

/// What kind of sender wrote the message. `return_path` is the envelope sender (`Return-Path`)
/// when known; `own_domain` is the domain of our Message-IDs.
pub fn classify(headers: &[Header<'_>], from: &str, own_domain: &str) -> Noise {
    let value = |name: &str| header(headers, name).map(|v| v.trim().to_ascii_lowercase());
    if let Some(id) = value("message-id") {
        let id = id.trim_start_matches('<').trim_end_matches('>');
        if !own_domain.is_empty()
            && id.ends_with(&format!("@{}", own_domain.to_ascii_lowercase()))
            && id.starts_with("atende.")
        {
            return Noise::OurOwn;
        }
    }
    let return_path = value("return-path");
    let from = from.to_ascii_lowercase();
    let local = from.split('@').next().unwrap_or_default();
    if return_path
        .as_deref()
        .is_some_and(|p| p.trim_matches(['<', '>', ' ']).is_empty())
        || value("content-type").is_some_and(|t| t.starts_with("multipart/report"))
        || ["mailer-daemon", "postmaster"].contains(&local)
    {
        return Noise::Bounce;
    }
    if value("auto-submitted").is_some_and(|v| !v.starts_with("no"))
        || value("x-autoreply").is_some()
        || value("x-autorespond").is_some()
        || value("x-auto-response-suppress").is_some_and(|v| v.contains("all") || v.contains("autoreply"))
        || value("precedence").is_some_and(|v| v == "auto_reply")
    {
        return Noise::AutoReply;
    }
    if value("precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk"))
        || value("list-id").is_some()
        || value("list-unsubscribe").is_some()
    {
        return Noise::List;
    }
    if local.starts_with("noreply") || local.starts_with("no-reply") || local.starts_with("do-not-reply") {
        return Noise::AutoReply;
    }
    Noise::Person
}

#[cfg(test)]
#[path = "noise_test.rs"]
mod tests;
