//! Tests of `text.rs`.

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
