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
    fn phone_numbers_keep_their_digits_and_plus() {
        assert_eq!(
            PhoneNumber::parse(" +55 (11) 4000-1234 ").map(|p| p.0),
            Ok("+551140001234".into())
        );
        assert_eq!(
            PhoneNumber::parse("011.4000.1234").map(|p| p.0),
            Ok("01140001234".into())
        );
        for bad in [
            "",
            "12345",
            "+1234567890123456",
            "11 4000 12a4",
            "++5511400012",
            "5511<script>",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn tags_are_folded_and_listed_once() {
        let tags = Tag::parse_list(" Billing, WhatsApp  Templates,billing,, ").unwrap();
        let tags: Vec<&str> = tags.iter().map(Tag::as_str).collect();
        assert_eq!(tags, ["billing", "whatsapp-templates"]);
        assert_eq!(Tag::parse("Configuración").map(|t| t.0), Ok("configuración".into()));
        assert!(Tag::parse("a<b").is_err());
        assert!(Tag::parse(&"x".repeat(41)).is_err());
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
