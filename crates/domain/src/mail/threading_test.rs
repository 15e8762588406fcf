use proptest::prelude::*;

use super::*;

#[test]
fn the_default_tag_is_found_anywhere_in_the_subject() {
    let tag = SubjectTag::default();
    assert_eq!(tag.format(42), "[#42]");
    assert_eq!(tag.find("Re: [#42] The bot is down"), Some(42));
    assert_eq!(tag.find("RE: RES: Fwd: the bot [#7]"), Some(7));
    assert_eq!(tag.find("[ext] [#9] two brackets"), Some(9));
}

#[test]
fn near_misses_are_not_tags() {
    let tag = SubjectTag::default();
    for subject in [
        "[#] empty",
        "[#12a] letters",
        "#12 no brackets",
        "[# 99999999999999999999] too long",
        "[#12",
    ] {
        assert_eq!(tag.find(subject), None, "{subject}");
    }
}

#[test]
fn a_custom_prefix_is_matched_without_case() {
    let tag = SubjectTag::new("Acme #").unwrap();
    assert_eq!(tag.format(5), "[Acme #5]");
    assert_eq!(tag.find("Re: [ACME #5] hello"), Some(5));
    assert_eq!(tag.find("Re: [#5] hello"), None);
    assert!(SubjectTag::new("").is_none());
    assert!(SubjectTag::new("a]b").is_none());
}

#[test]
fn tagging_twice_keeps_one_tag() {
    let tag = SubjectTag::default();
    let once = tag.tagged(3, "Printer on fire");
    assert_eq!(once, "[#3] Printer on fire");
    assert_eq!(tag.tagged(3, &once), once);
}

#[test]
fn a_reference_wins_over_the_tag() {
    let clues = Clues {
        referenced: Some(1),
        tagged: Some(2),
        sender_takes_part: false,
    };
    assert_eq!(place(clues), Placement::Join(1));
}

#[test]
fn a_tag_lets_in_only_who_takes_part() {
    let member = Clues {
        referenced: None,
        tagged: Some(2),
        sender_takes_part: true,
    };
    assert_eq!(place(member), Placement::Join(2));
    let stranger = Clues {
        sender_takes_part: false,
        ..member
    };
    assert_eq!(place(stranger), Placement::NewLinked(2));
    let nothing = Clues {
        referenced: None,
        tagged: None,
        sender_takes_part: true,
    };
    assert_eq!(place(nothing), Placement::New);
}

#[test]
fn referenced_ids_are_newest_first_and_unbracketed() {
    let ids = referenced_ids(&["<c@x>".into()], &["<a@x>".into(), "<b@x>".into(), " <c@x> ".into()]);
    assert_eq!(ids, vec!["c@x", "b@x", "a@x"]);
}

proptest! {
    #[test]
    fn a_formatted_tag_is_always_found(id in 0i64..=999_999_999_999, before in "[^\\[]{0,20}", after in ".{0,20}") {
        let tag = SubjectTag::default();
        let subject = format!("{before}{}{after}", tag.format(id));
        prop_assert_eq!(tag.find(&subject), Some(id));
    }

    #[test]
    fn finding_never_panics(subject in ".{0,80}") {
        let _ = SubjectTag::default().find(&subject);
        let _ = SubjectTag::new("Ñandú #").map(|t| t.find(&subject));
    }
}
