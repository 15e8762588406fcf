//! A raw RFC 5322 message turned into what the ticket needs, by mail-parser (which copes with
//! the encodings, charsets and broken headers seen in the wild).

use atende_domain::mail::threading::normalize_id;
use mail_parser::{Address, MessageParser, MimeHeaders};

/// Most text kept from one message; longer bodies are cut (the original stays stored whole).
pub const MAX_TEXT: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAttachment {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    /// Without angle brackets; `None` when the message has none.
    pub message_id: Option<String>,
    /// The sender's address, lowercased; empty when the From header is missing or unreadable.
    pub from: String,
    pub from_name: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// The plain text (HTML turned into text when there is no plain part).
    pub text: String,
    /// The HTML body, sanitized, when there is one.
    pub html: Option<String>,
    pub attachments: Vec<InboundAttachment>,
    /// Every header, unfolded, in order: the noise and authentication rules read them.
    pub headers: Vec<(String, String)>,
}

impl InboundMail {
    /// The headers as the domain rules take them.
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }
}

fn addresses(address: Option<&Address<'_>>) -> Vec<String> {
    address
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .map(|s| one_line(s).to_lowercase())
                .filter(|s| s.contains('@'))
                .collect()
        })
        .unwrap_or_default()
}

fn ids(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match value {
        mail_parser::HeaderValue::Text(t) => vec![normalize_id(t)],
        mail_parser::HeaderValue::TextList(list) => list.iter().map(|t| normalize_id(t)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|id| is_msg_id(id))
    .collect()
}

/// A msg-id holds no brackets, spaces or control characters; anything else cannot be one of ours.
fn is_msg_id(id: &str) -> bool {
    !id.is_empty() && !id.contains(|c: char| c == '<' || c == '>' || c.is_whitespace() || c.is_control())
}

/// A header's text on one line, without control characters (which no store or screen wants).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

/// `None` when `raw` is not a message at all (no header block).
pub fn parse(raw: &[u8]) -> Option<InboundMail> {
    let message = MessageParser::default().parse(raw)?;
    if message.headers().is_empty() {
        return None;
    }
    let from = message.from().and_then(|a| a.first());
    let text = message
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    // mail-parser offers the plain part as HTML too when there is no HTML part: keep only a real one.
    let real_html = message
        .html_part(0)
        .and_then(|p| p.content_type())
        .is_some_and(|ct| ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html")));
    let html = message.body_html(0).filter(|_| real_html).map(|h| ammonia::clean(&h));
    let attachments = message
        .attachments()
        // Text parts are the body's other renderings, except a named file or an invitation.
        .filter(|part| !part.is_text() || part.attachment_name().is_some() || is_calendar(part))
        .enumerate()
        .map(|(i, part)| {
            let content_type = part.content_type().map_or_else(
                || "application/octet-stream".to_owned(),
                |ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_owned(),
                },
            );
            let name = part.attachment_name().map(str::to_owned).unwrap_or_else(|| {
                if is_calendar(part) {
                    "invite.ics".to_owned()
                } else if let Some(inner) = part.message() {
                    // A forwarded message: named by its subject, as mail programs show it.
                    let subject: String = inner
                        .subject()
                        .unwrap_or("message")
                        .chars()
                        .filter(|c| !matches!(c, '/' | '\\' | ':' | '"' | '<' | '>' | '|' | '?' | '*'))
                        .take(80)
                        .collect();
                    format!("{}.eml", subject.trim())
                } else {
                    format!("attachment-{}", i + 1)
                }
            });
            let data = if part.is_message() {
                part.message().map(|m| m.raw_message().to_vec()).unwrap_or_default()
            } else {
                part.contents().to_vec()
            };
            InboundAttachment {
                name,
                content_type: content_type.to_lowercase(),
                data,
            }
        })
        .collect();
    Some(InboundMail {
        message_id: message.message_id().map(normalize_id).filter(|id| is_msg_id(id)),
        from: from
            .and_then(|a| a.address())
            .map(|s| one_line(s).to_lowercase())
            .unwrap_or_default(),
        from_name: from.and_then(|a| a.name()).map(one_line).filter(|n| !n.is_empty()),
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        subject: cut(&one_line(message.subject().unwrap_or_default()), 500),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        text: cut(&text, MAX_TEXT),
        html,
        attachments,
        headers: message
            .headers_raw()
            .map(|(name, value)| (name.to_owned(), unfold(value)))
            .collect(),
    })
}

fn is_calendar(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type()
        .is_some_and(|ct| ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("calendar")))
}

fn unfold(value: &str) -> String {
    value
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[path = "parse_test.rs"]
mod tests;
