use proptest::prelude::*;

use super::*;

#[test]
fn a_customers_first_post_waits_for_review_and_later_ones_do_not() {
    assert_eq!(initial_state(false, 0), PostState::Held);
    assert_eq!(initial_state(false, 1), PostState::Visible);
    assert_eq!(initial_state(true, 0), PostState::Visible);
}

#[test]
fn only_the_asker_or_staff_accept_an_answer() {
    assert!(may_accept(7, false, Some(7)));
    assert!(!may_accept(8, false, Some(7)));
    assert!(may_accept(8, true, Some(7)));
    assert!(
        !may_accept(8, false, None),
        "an anonymous asker's topic is staff's to settle"
    );
}

#[test]
fn decided_ideas_take_no_votes() {
    let open: Vec<_> = IdeaStatus::ALL
        .iter()
        .filter(|s| s.takes_votes())
        .map(|s| s.code())
        .collect();
    assert_eq!(open, ["open", "under_review", "planned", "in_progress"]);
}

proptest! {
    #[test]
    fn held_and_hidden_posts_stay_with_their_author_and_staff(
        state in prop::sample::select(PostState::ALL.to_vec()),
        author in prop::option::of(1i64..5),
        reader in prop::option::of(1i64..5),
        staff: bool,
    ) {
        let seen = may_see(state, author, reader, staff);
        if staff || state == PostState::Visible {
            prop_assert!(seen);
        }
        if seen && !staff && state != PostState::Visible {
            prop_assert_eq!(state, PostState::Held);
            prop_assert!(author.is_some() && author == reader);
        }
        if reader.is_none() && !staff {
            prop_assert_eq!(seen, state == PostState::Visible);
        }
    }
}
