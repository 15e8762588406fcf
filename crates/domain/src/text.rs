//! Text that crossed the edge and is now known to be well-formed ("parse, don't validate").

use std::fmt;

/// Why a piece of input was not accepted; `field` names what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    /// `reason` is a stable code (`email_format`, `date_order`...) that the edge localizes.
    #[error("{field} is not valid ({reason})")]
    Invalid { field: &'static str, reason: &'static str },
    #[error("{field} must be one of: {allowed}")]
    NotOneOf { field: &'static str, allowed: &'static str },
}

/// Trims `raw` and checks it is non-empty and at most `max` characters long.
pub fn bounded(field: &'static str, raw: &str, max: usize) -> Result<String, ParseError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ParseError::Empty { field });
    }
    if trimmed.chars().count() > max {
        return Err(ParseError::TooLong { field, max });
    }
    // Line breaks and tabs are text; other control characters (NUL above all, which PostgreSQL
    // refuses to store) are not.
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ParseError::Invalid {
            field,
            reason: "control_chars",
        });
    }
    Ok(trimmed.to_owned())
}

/// An e-mail address, trimmed and lower-cased so that lookups match however it was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value = bounded("email", raw, Self::MAX_LEN)?.to_lowercase();
        let invalid = ParseError::Invalid {
            field: "email",
            reason: "email_format",
        };
        let (local, domain) = value.split_once('@').ok_or(invalid.clone())?;
        let domain_ok =
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@');
        if local.is_empty() || !domain_ok || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A telephone number as dialled: an optional leading `+` and 6 to 15 digits (E.164's length);
/// spaces, dots, dashes and parentheses typed between the digits are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = bounded("phone_number", raw, 40)?;
        let invalid = ParseError::Invalid {
            field: "phone_number",
            reason: "phone_format",
        };
        let (plus, rest) = match raw.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", raw.as_str()),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => return Err(invalid),
            }
        }
        if !(6..=15).contains(&digits.len()) {
            return Err(invalid);
        }
        Ok(Self(format!("{plus}{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ticket tag: lower case, words joined by `-`, letters, digits, `-` and `_` only, 1 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let words: Vec<String> = raw.split_whitespace().map(str::to_lowercase).collect();
        let value = words.join("-");
        if value.is_empty() {
            return Err(ParseError::Empty { field: "tags" });
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(ParseError::TooLong {
                field: "tags",
                max: Self::MAX_LEN,
            });
        }
        if !value.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
            return Err(ParseError::Invalid {
                field: "tags",
                reason: "tag_format",
            });
        }
        Ok(Self(value))
    }

    /// Tags typed as one line, separated by commas; repeated ones count once.
    pub fn parse_list(raw: &str) -> Result<Vec<Tag>, ParseError> {
        let mut tags = raw
            .split(',')
            .filter(|piece| !piece.trim().is_empty())
            .map(Tag::parse)
            .collect::<Result<Vec<_>, _>>()?;
        tags.sort();
        tags.dedup();
        Ok(tags)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text made safe inside HTML or XML markup (element content and quoted attributes).
pub fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
#[path = "text_test.rs"]
mod tests;
