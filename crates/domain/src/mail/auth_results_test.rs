use proptest::prelude::*;

use super::*;

fn trusted() -> Vec<String> {
    vec!["mx.support.example".into()]
}

#[test]
fn the_rfc_examples_parse() {
    let (host, results) = parse(
        "example.com; spf=pass smtp.mailfrom=example.net (sender is permitted); dkim=pass (good signature) header.d=example.net",
    )
    .unwrap();
    assert_eq!(host, "example.com");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].method, "spf");
    assert_eq!(
        results[1].properties,
        vec![("header.d".to_owned(), "example.net".to_owned())]
    );
    let (_, none) = parse("example.org 1; none").unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_trusted_spf_or_dkim_pass_authenticates_the_sender() {
    let spf = [(
        "Authentication-Results",
        "mx.support.example; spf=pass smtp.mailfrom=ana@acme.example",
    )];
    assert!(sender_authenticated(&spf, &trusted(), "ana@acme.example"));
    let dkim = [(
        "Authentication-Results",
        "mx.support.example; dkim=pass header.d=acme.example; spf=none",
    )];
    assert!(sender_authenticated(&dkim, &trusted(), "ana@mail.acme.example"));
}

#[test]
fn failures_strangers_and_other_domains_do_not() {
    let fail = [(
        "Authentication-Results",
        "mx.support.example; spf=fail smtp.mailfrom=acme.example",
    )];
    assert!(!sender_authenticated(&fail, &trusted(), "ana@acme.example"));
    let forged = [(
        "Authentication-Results",
        "evil.example; spf=pass smtp.mailfrom=acme.example",
    )];
    assert!(!sender_authenticated(&forged, &trusted(), "ana@acme.example"));
    let other = [(
        "Authentication-Results",
        "mx.support.example; dkim=pass header.d=other.example",
    )];
    assert!(!sender_authenticated(&other, &trusted(), "ana@acme.example"));
    let suffix = [(
        "Authentication-Results",
        "mx.support.example; dkim=pass header.d=me.example",
    )];
    assert!(!sender_authenticated(&suffix, &trusted(), "ana@acme.example"));
    assert!(!sender_authenticated(&[], &trusted(), "ana@acme.example"));
}

proptest! {
    #[test]
    fn parsing_never_panics(value in ".{0,120}") {
        let _ = parse(&value);
        let _ = sender_authenticated(&[("Authentication-Results", &value)], &trusted(), "a@b.example");
    }
}
