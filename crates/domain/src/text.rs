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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Ana@Acme.Example ").map(|e| e.0),
            Ok("ana@acme.example".into())
        );
        for bad in [
            "",
            "ana",
            "@acme.example",
            "ana@",
            "ana@acme",
            "a b@acme.example",
            "a@b@c.d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn bounded_counts_characters_not_bytes() {
        assert!(bounded("subject", &"é".repeat(10), 10).is_ok());
        assert_eq!(
            bounded("subject", &"é".repeat(11), 10),
            Err(ParseError::TooLong {
                field: "subject",
                max: 10
            })
        );
        assert_eq!(
            bounded("subject", "   ", 10),
            Err(ParseError::Empty { field: "subject" })
        );
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() {
        assert_eq!(
            bounded("name", "a\u{0}b", 10),
            Err(ParseError::Invalid {
                field: "name",
                reason: "control_chars"
            })
        );
        assert!(bounded("body", "two\nlines\tand a tab", 50).is_ok());
    }
}
