//! The community's rules: ideas and their statuses, forum posts and their review, templates and
//! events. Plain values and decisions; the app layer stores them.

pub mod calendar;
pub mod events;
pub mod ical;

code_enum!(IdeaStatus, "status", "open, under_review, planned, in_progress, completed, declined", {
    Open => "open",
    UnderReview => "under_review",
    Planned => "planned",
    InProgress => "in_progress",
    Completed => "completed",
    Declined => "declined",
});

impl IdeaStatus {
    /// A decided idea takes no more votes: it shipped, or it will not.
    pub fn takes_votes(self) -> bool {
        !matches!(self, IdeaStatus::Completed | IdeaStatus::Declined)
    }
}

code_enum!(PostState, "state", "visible, held, hidden", {
    Visible => "visible",
    Held => "held",
    Hidden => "hidden",
});

code_enum!(TemplateState, "state", "review, published, rejected", {
    Review => "review",
    Published => "published",
    Rejected => "rejected",
});

code_enum!(EventKind, "kind", "ama, session", {
    Ama => "ama",
    Session => "session",
});

/// How many topics and posts one person may write in an hour: enough for a conversation, too few
/// for a spam run.
pub const TOPICS_PER_HOUR: i64 = 5;
pub const POSTS_PER_HOUR: i64 = 20;

/// The state a new post starts in. A customer's first contributions wait for a moderator until
/// one of them has been published; staff and people already trusted post directly.
pub fn initial_state(staff: bool, published_before: i64) -> PostState {
    if staff || published_before > 0 {
        PostState::Visible
    } else {
        PostState::Held
    }
}

/// Who may mark (or unmark) a topic's accepted answer: the person who asked, or staff.
pub fn may_accept(user_id: i64, staff: bool, asker: Option<i64>) -> bool {
    staff || asker == Some(user_id)
}

/// Whether a reader sees content in `state` written by `author`: everyone sees what is visible;
/// the author also sees what waits for review; staff see everything.
pub fn may_see(state: PostState, author: Option<i64>, reader: Option<i64>, staff: bool) -> bool {
    match state {
        PostState::Visible => true,
        PostState::Held => staff || (author.is_some() && author == reader),
        PostState::Hidden => staff,
    }
}

#[cfg(test)]
#[path = "mod_test.rs"]
mod tests;
