//! Tests of `i18n.rs`.

use std::collections::BTreeSet;

use atende_domain::Lang;

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
        include_str!("../../app/src/attachments.rs"),
        include_str!("../../app/src/feedback.rs"),
        include_str!("../../app/src/passwords.rs"),
        include_str!("../../app/src/phone.rs"),
        include_str!("../../app/src/entitlements.rs"),
        include_str!("pages/account.rs"),
        include_str!("pages/agent.rs"),
        include_str!("pages/portal.rs"),
        include_str!("pages/form.rs"),
        include_str!("pages/organization.rs"),
        include_str!("pages/admin.rs"),
        include_str!("pages/admin_sla.rs"),
        include_str!("pages/help.rs"),
        include_str!("pages/help_editor.rs"),
        include_str!("../../app/src/kb.rs"),
        include_str!("api/help.rs"),
        include_str!("../../domain/src/text.rs"),
        include_str!("../../app/src/directory.rs"),
        include_str!("../../app/src/invitations.rs"),
        include_str!("../../app/src/lib.rs"),
        include_str!("../../app/src/profile.rs"),
        include_str!("../../app/src/sla.rs"),
        include_str!("../../app/src/groups.rs"),
        include_str!("api/tickets.rs"),
        include_str!("api/sla.rs"),
        include_str!("api/phone.rs"),
        include_str!("api/feedback.rs"),
        include_str!("../../app/src/teams.rs"),
        include_str!("../../app/src/tickets.rs"),
        include_str!("../../app/src/changelog.rs"),
        include_str!("../../app/src/community/ideas.rs"),
        include_str!("../../app/src/community/forum.rs"),
        include_str!("../../app/src/community/moderation.rs"),
        include_str!("../../app/src/community/events.rs"),
        include_str!("api/events.rs"),
        include_str!("../../app/src/community/templates.rs"),
        include_str!("../../app/src/community/pages.rs"),
        include_str!("../../app/src/bot/whatsapp.rs"),
        include_str!("../../app/src/bot/actions.rs"),
        include_str!("../../app/src/bot/mod.rs"),
        include_str!("../../app/src/reports.rs"),
        include_str!("../../store/src/community/pages.rs"),
        include_str!("../../domain/src/community/events.rs"),
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

/// Every message a page asks for exists in every language: the keys are read from the templates
/// and the page handlers, and the families built at run time are listed from the domain.
#[test]
fn every_page_text_exists_in_every_language() {
    let i18n = I18n::load().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    let mut sources = Vec::new();
    for dir in ["templates", "src/pages"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            sources.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
    }
    for source in &sources {
        for marker in ["c.t(\"", "c.ta(\"", "c.tn(\"", "\", \""] {
            for piece in source.split(marker).skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                if key.contains('-') && key.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '_') {
                    keys.insert(key.to_owned());
                }
            }
        }
    }
    assert!(keys.len() > 150, "the templates were read: {}", keys.len());
    use atende_domain::{Priority, TicketChannel, TicketStatus, TicketType};
    keys.extend(TicketStatus::ALL.iter().map(|s| format!("status-{}", s.code())));
    keys.extend(Priority::ALL.iter().map(|p| format!("priority-{}", p.code())));
    keys.extend(TicketType::ALL.iter().map(|t| format!("type-{}", t.code())));
    keys.extend(
        TicketChannel::ALL
            .iter()
            .map(|c| format!("ticket-channel-{}", c.code())),
    );
    for family in [
        "availability-included availability-conditional availability-none",
        "clock-running clock-paused clock-achieved clock-breached",
        "role-customer role-customer_admin role-agent role-supervisor role-admin",
        "weekday-1 weekday-2 weekday-3 weekday-4 weekday-5 weekday-6 weekday-7",
        "callback-status-waiting callback-status-done callback-status-cancelled",
        "event-created event-status_changed event-priority_changed event-type_changed event-assignee_changed \
         event-group_changed event-message_added event-tags_changed event-rated event-sla_warning \
         event-sla_breached event-escalated",
    ] {
        keys.extend(family.split_whitespace().map(str::to_owned));
    }
    for lang in Lang::ALL {
        let missing: Vec<_> = keys.iter().filter(|k| !i18n.has(lang, k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}

/// Every message the smart contact says exists in every language: the keys are read from the
/// engine and the bot's use cases.
#[test]
fn every_bot_text_exists_in_every_language() {
    let i18n = I18n::load().unwrap();
    let sources = [
        include_str!("../../domain/src/bot/flow.rs"),
        include_str!("../../domain/src/bot/draft.rs"),
        include_str!("../../app/src/bot/mod.rs"),
        include_str!("../../app/src/bot/actions.rs"),
        include_str!("../../app/src/bot/render.rs"),
    ];
    let mut checked = 0;
    for source in sources {
        for piece in source.split("\"bot-").skip(1) {
            let key = format!("bot-{}", piece.split('"').next().unwrap_or_default());
            if key.ends_with('-') {
                continue;
            }
            for lang in Lang::ALL {
                assert!(i18n.has(lang, &key), "{key} is missing in {lang}");
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "the sources were read: {checked}");
}
