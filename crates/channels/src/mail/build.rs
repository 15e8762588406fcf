//! What atende sends, as an RFC 5322 message built by lettre: plain text with an HTML
//! alternative, the threading headers customers' mail programs use, and attachments.

use lettre::message::{
    Attachment, Mailbox, MultiPart, SinglePart,
    header::{ContentType, HeaderName, HeaderValue},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAttachment {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub from_name: String,
    pub from: String,
    pub to: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Oldest first, without angle brackets.
    pub references: Vec<String>,
    /// Marks messages no person wrote (RFC 3834), so other robots do not answer them.
    pub auto_submitted: bool,
    pub attachments: Vec<OutgoingAttachment>,
    /// An address that ends the subscription this message belongs to in one click
    /// (`List-Unsubscribe` with `List-Unsubscribe-Post`, RFC 8058).
    pub unsubscribe: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the address {0} cannot be used in a message")]
    Address(String),
    #[error("the message cannot be built: {0}")]
    Message(String),
}

fn mailbox(address: &str) -> Result<Mailbox, BuildError> {
    address.parse().map_err(|_| BuildError::Address(address.to_owned()))
}

fn content_type(raw: &str) -> ContentType {
    ContentType::parse(raw)
        .or_else(|_| ContentType::parse("application/octet-stream"))
        .unwrap_or(ContentType::TEXT_PLAIN)
}

/// The message as bytes, with the envelope's sender and recipients.
pub fn build(out: &Outgoing) -> Result<(Vec<u8>, lettre::address::Envelope), BuildError> {
    let from = Mailbox::new(
        Some(out.from_name.clone()),
        out.from.parse().map_err(|_| BuildError::Address(out.from.clone()))?,
    );
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(out.subject.clone())
        .message_id(Some(format!("<{}>", out.message_id)))
        .date_now();
    for to in &out.to {
        builder = builder.to(mailbox(to)?);
    }
    if let Some(reply_to) = &out.reply_to {
        builder = builder.reply_to(mailbox(reply_to)?);
    }
    if let Some(parent) = &out.in_reply_to {
        builder = builder.in_reply_to(format!("<{parent}>"));
    }
    if !out.references.is_empty() {
        let all: Vec<String> = out.references.iter().map(|r| format!("<{r}>")).collect();
        builder = builder.references(all.join(" "));
    }
    if out.auto_submitted {
        let name =
            HeaderName::new_from_ascii("Auto-Submitted".to_owned()).map_err(|e| BuildError::Message(e.to_string()))?;
        builder = builder.raw_header(HeaderValue::new(name, "auto-replied".to_owned()));
    }
    if let Some(url) = &out.unsubscribe {
        for (name, value) in [
            ("List-Unsubscribe", format!("<{url}>")),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".to_owned()),
        ] {
            let name = HeaderName::new_from_ascii(name.to_owned()).map_err(|e| BuildError::Message(e.to_string()))?;
            builder = builder.raw_header(HeaderValue::new(name, value));
        }
    }
    let text = SinglePart::plain(out.text.clone());
    let message = match (&out.html, out.attachments.is_empty()) {
        (None, true) => builder.singlepart(text),
        (Some(html), true) => builder.multipart(MultiPart::alternative_plain_html(out.text.clone(), html.clone())),
        (html, false) => {
            let mut mixed = match html {
                Some(html) => {
                    MultiPart::mixed().multipart(MultiPart::alternative_plain_html(out.text.clone(), html.clone()))
                }
                None => MultiPart::mixed().singlepart(text),
            };
            for file in &out.attachments {
                mixed = mixed.singlepart(
                    Attachment::new(file.name.clone()).body(file.data.clone(), content_type(&file.content_type)),
                );
            }
            builder.multipart(mixed)
        }
    }
    .map_err(|e| BuildError::Message(e.to_string()))?;
    Ok((message.formatted(), message.envelope().clone()))
}

#[cfg(test)]
#[path = "build_test.rs"]
mod tests;
