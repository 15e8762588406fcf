//! Tests of `i18n.rs`.

use std::collections::BTreeSet;

use super::*;

fn keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// No silent fallback: every message exists in every language.
#[test]
fn every_key_exists_in_every_language() {
    let i18n = I18n::load().unwrap();
    let all: BTreeSet<String> = SOURCES.iter().flat_map(|(_, s)| keys(s)).collect();
    assert!(all.len() > 50, "the files were read: {}", all.len());
    for (lang, _) in SOURCES {
        let missing: Vec<_> = all.iter().filter(|k| !i18n.has(lang, k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}

/// Every stable code the use cases can return has its message: the codes are read from the
/// source, so a new error without a translation fails here.
#[test]
fn every_error_code_in_the_code_has_a_message() {
    let sources = [
        include_str!("../../app/src/auth.rs"),
        include_str!("../../app/src/directory.rs"),
        include_str!("../../app/src/invitations.rs"),
        include_str!("../../app/src/lib.rs"),
        include_str!("../../app/src/profile.rs"),
        include_str!("../../app/src/sla.rs"),
        include_str!("../../app/src/groups.rs"),
        include_str!("api/tickets.rs"),
        include_str!("api/sla.rs"),
        include_str!("../../app/src/teams.rs"),
        include_str!("../../app/src/tickets.rs"),
        include_str!("../../store/src/directory.rs"),
        include_str!("../../store/src/membership.rs"),
        include_str!("../../domain/src/text.rs"),
    ];
    let prefixes = [
        ("AppError::NotFound(\"", "entity-"),
        ("AppError::Forbidden(\"", "forbidden-"),
        ("AppError::Unauthenticated(\"", ""),
        ("AppError::Rejected(\"", "rejected-"),
        ("AppError::Conflict(\"", "conflict-"),
        ("StoreError::unique(\"", "conflict-"),
        ("reason: \"", "reason-"),
    ];
    let i18n = I18n::load().unwrap();
    let mut checked = 0;
    for source in sources {
        for (marker, prefix) in prefixes {
            for piece in source.split(marker).skip(1) {
                let code = piece.split('"').next().unwrap_or_default();
                let key = format!("{prefix}{}", code.replace('.', "-"));
                for lang in Lang::ALL {
                    assert!(
                        i18n.has(lang, &key),
                        "{marker}{code}\") needs the message {key} in {lang}"
                    );
                }
                checked += 1;
            }
        }
    }
    for refusal_code in [
        "plan_not_paid",
        "not_registered",
        "contract_not_started",
        "contract_ended",
        "not_a_member",
        "channel_not_in_plan",
        "channel_not_contracted",
        "language_not_chosen",
    ] {
        assert!(i18n.has(Lang::En, &format!("not_entitled-{refusal_code}")));
    }
    assert!(checked > 40, "the sources were scanned: {checked}");
}

#[test]
fn arguments_and_terms_are_filled_in() {
    let i18n = I18n::load().unwrap();
    let text = i18n.text(
        Lang::PtBr,
        "not-found",
        &[("entity", Arg::Term("entity-ticket".into()))],
    );
    assert_eq!(text, "Não encontramos ticket, ou você não tem acesso.");
    let text = i18n.text(
        Lang::Es,
        "validation-too_long",
        &[("field", Arg::Text("subject".into())), ("max", Arg::Number(200))],
    );
    assert_eq!(
        text,
        "El campo \"subject\" es demasiado largo: como máximo 200 caracteres."
    );
}
