//! Tickets: the manual's three types, priorities, statuses and what may follow what.

use crate::text::{ParseError, bounded};

code_enum!(TicketType, "type", "question, task, incident", {
    // A doubt about using the platform, or a fault caused by the customer's own configuration.
    Question => "question",
    // A formal request for a change, configuration or extraction only the vendor can do.
    Task => "task",
    // An unexpected event that interrupts, destabilizes or degrades the contracted service.
    Incident => "incident",
});

code_enum!(Priority, "priority", "low, normal, high, urgent", {
    Low => "low",
    Normal => "normal",
    High => "high",
    Urgent => "urgent",
});

code_enum!(TicketStatus, "status", "new, open, pending, on_hold, solved, closed", {
    New => "new",
    Open => "open",
    // Waiting for the customer.
    Pending => "pending",
    // Waiting for a third party.
    OnHold => "on_hold",
    Solved => "solved",
    Closed => "closed",
});

code_enum!(Visibility, "visibility", "public, internal", {
    // A reply the customer sees.
    Public => "public",
    // A note only support staff see.
    Internal => "internal",
});

impl TicketStatus {
    /// Closed is final: a closed ticket is history, and a new conversation needs a new ticket.
    /// Anything else may move to any other status, except back to `new`.
    pub fn may_become(self, next: TicketStatus) -> bool {
        self == next || (self != TicketStatus::Closed && next != TicketStatus::New)
    }

    pub fn is_active(self) -> bool {
        !matches!(self, TicketStatus::Solved | TicketStatus::Closed)
    }
}

/// A ticket's subject: trimmed, one line, 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    pub const MAX_LEN: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let one_line = raw.replace(['\r', '\n', '\t'], " ");
        bounded("subject", &one_line, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The text of a ticket description or message: trimmed, 1 to 50,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

impl Body {
    pub const MAX_LEN: usize = 50_000;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, ParseError> {
        bounded(field, raw, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in TicketType::ALL {
            assert_eq!(t.code().parse(), Ok(*t));
        }
        for s in TicketStatus::ALL {
            assert_eq!(s.code().parse(), Ok(*s));
        }
        assert_eq!(
            "Urgent".parse::<Priority>(),
            Err(ParseError::NotOneOf {
                field: "priority",
                allowed: "low, normal, high, urgent"
            })
        );
    }

    #[test]
    fn closed_is_final_and_nothing_returns_to_new() {
        use TicketStatus::*;
        for s in TicketStatus::ALL {
            assert!(!Closed.may_become(*s) || *s == Closed);
            assert!(!s.may_become(New) || *s == New);
        }
        assert!(Solved.may_become(Open));
        assert!(Pending.may_become(OnHold));
    }

    #[test]
    fn subject_is_one_trimmed_line() {
        assert_eq!(Subject::parse("  Bot\nstopped ").map(|s| s.0), Ok("Bot stopped".into()));
        assert!(Subject::parse(&"x".repeat(201)).is_err());
        assert!(Subject::parse(" \n ").is_err());
    }
}
