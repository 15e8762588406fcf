use super::*;

fn kind(headers: &[(&str, &str)], from: &str) -> Noise {
    classify(headers, from, "support.example")
}

#[test]
fn a_person_writes_without_robot_headers() {
    let headers = [
        ("From", "Ana <ana@acme.example>"),
        ("Subject", "Help"),
        ("Auto-Submitted", "no"),
    ];
    assert_eq!(kind(&headers, "ana@acme.example"), Noise::Person);
    assert!(Noise::Person.may_answer());
}

#[test]
fn auto_replies_are_recognized_by_any_of_their_marks() {
    for headers in [
        vec![("Auto-Submitted", "auto-replied")],
        vec![("AUTO-SUBMITTED", "auto-generated")],
        vec![("X-Autoreply", "yes")],
        vec![("X-Autorespond", "Out of office")],
        vec![("Precedence", "auto_reply")],
        vec![("X-Auto-Response-Suppress", "All")],
    ] {
        assert_eq!(kind(&headers, "ana@acme.example"), Noise::AutoReply, "{headers:?}");
        assert!(!Noise::AutoReply.may_answer());
    }
    assert_eq!(kind(&[], "no-reply@shop.example"), Noise::AutoReply);
}

#[test]
fn bounces_and_lists() {
    assert_eq!(kind(&[("Return-Path", "<>")], "x@y.example"), Noise::Bounce);
    assert_eq!(
        kind(
            &[("Content-Type", "multipart/report; report-type=delivery-status")],
            "x@y.example"
        ),
        Noise::Bounce
    );
    assert_eq!(kind(&[], "MAILER-DAEMON@mx.example"), Noise::Bounce);
    assert_eq!(kind(&[("Precedence", "bulk")], "news@y.example"), Noise::List);
    assert_eq!(
        kind(&[("List-Id", "<users.lists.example>")], "x@y.example"),
        Noise::List
    );
}

#[test]
fn our_own_messages_coming_back_are_recognized() {
    let headers = [("Message-ID", "<atende.t5.m9.ab12@support.example>")];
    assert_eq!(kind(&headers, "support@support.example"), Noise::OurOwn);
    let theirs = [("Message-ID", "<CAF12@mail.gmail.com>")];
    assert_eq!(kind(&theirs, "ana@acme.example"), Noise::Person);
}
