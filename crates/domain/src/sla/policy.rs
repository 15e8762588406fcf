//! SLA policies: which targets apply to a ticket, chosen by plan tier, type and priority.

use std::{fmt, str::FromStr};

use crate::{Priority, SlaTier, TicketStatus, TicketType, text::ParseError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// Until the first public reply of the support team.
    FirstResponse,
    /// Until the support team answers each customer reply.
    NextResponse,
    /// Between public replies of the support team while an incident is open.
    PeriodicUpdate,
    /// Until the ticket is solved.
    Resolution,
}

impl Target {
    pub const ALL: [Target; 4] = [
        Target::FirstResponse,
        Target::NextResponse,
        Target::PeriodicUpdate,
        Target::Resolution,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Target::FirstResponse => "first_response",
            Target::NextResponse => "next_response",
            Target::PeriodicUpdate => "periodic_update",
            Target::Resolution => "resolution",
        }
    }
}

impl FromStr for Target {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.code() == s)
            .ok_or(ParseError::NotOneOf {
                field: "target",
                allowed: "first_response, next_response, periodic_update, resolution",
            })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Business minutes allowed for each target; `None` where the policy sets no target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    pub first_response: Option<i64>,
    pub next_response: Option<i64>,
    pub periodic_update: Option<i64>,
    pub resolution: Option<i64>,
}

impl Targets {
    pub fn get(&self, target: Target) -> Option<i64> {
        match target {
            Target::FirstResponse => self.first_response,
            Target::NextResponse => self.next_response,
            Target::PeriodicUpdate => self.periodic_update,
            Target::Resolution => self.resolution,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: i64,
    pub name: String,
    /// Policies are tried in this order; the first that matches applies.
    pub position: i64,
    /// `None` matches every tier.
    pub tier: Option<SlaTier>,
    /// `None` matches every type.
    pub ticket_type: Option<TicketType>,
    /// Empty matches every priority.
    pub priorities: Vec<Priority>,
    /// The code of the calendar the minutes count on.
    pub calendar: String,
    pub targets: Targets,
    /// Statuses during which every clock of the ticket stops.
    pub pause_statuses: Vec<TicketStatus>,
    /// Share of a target at which the assignee is warned, in percent.
    pub warn_percent: i64,
}

impl Policy {
    pub fn matches(&self, tier: SlaTier, ticket_type: TicketType, priority: Priority) -> bool {
        self.tier.is_none_or(|t| t == tier)
            && self.ticket_type.is_none_or(|t| t == ticket_type)
            && (self.priorities.is_empty() || self.priorities.contains(&priority))
    }
}

/// The first policy, by position, that matches.
pub fn select(policies: &[Policy], tier: SlaTier, ticket_type: TicketType, priority: Priority) -> Option<&Policy> {
    let mut sorted: Vec<&Policy> = policies.iter().collect();
    sorted.sort_by_key(|p| (p.position, p.id));
    sorted.into_iter().find(|p| p.matches(tier, ticket_type, priority))
}

/// Name, tier, type, priorities, calendar, and minutes for first response, next response,
/// periodic update and resolution.
type PolicyRow = (
    &'static str,
    SlaTier,
    TicketType,
    &'static [Priority],
    &'static str,
    [Option<i64>; 4],
);

/// The default profile's ten policies (the vendor's two SLA documents, made concrete).
pub fn default_policies() -> Vec<Policy> {
    use Priority::{High, Low, Normal, Urgent};
    use SlaTier::{Premium, Standard};
    use TicketType::{Incident, Question, Task};
    let rows: [PolicyRow; 10] = [
        (
            "Standard urgent incident",
            Standard,
            Incident,
            &[Urgent],
            "business",
            [Some(60), Some(240), None, Some(600)],
        ),
        (
            "Standard high incident",
            Standard,
            Incident,
            &[High],
            "business",
            [Some(240), Some(600), None, Some(6000)],
        ),
        (
            "Standard incident",
            Standard,
            Incident,
            &[Normal, Low],
            "business",
            [Some(600), Some(600), None, None],
        ),
        (
            "Standard question",
            Standard,
            Question,
            &[],
            "business",
            [Some(600), Some(600), None, None],
        ),
        (
            "Standard task",
            Standard,
            Task,
            &[],
            "business",
            [Some(600), Some(600), None, Some(3000)],
        ),
        (
            "Premium urgent incident",
            Premium,
            Incident,
            &[Urgent],
            "24x7",
            [Some(45), Some(60), Some(60), Some(240)],
        ),
        (
            "Premium high incident",
            Premium,
            Incident,
            &[High],
            "24x7",
            [Some(120), Some(240), Some(240), Some(1440)],
        ),
        (
            "Premium incident",
            Premium,
            Incident,
            &[Normal, Low],
            "business",
            [Some(240), Some(240), None, None],
        ),
        (
            "Premium question",
            Premium,
            Question,
            &[],
            "business",
            [Some(240), Some(240), None, None],
        ),
        (
            "Premium task",
            Premium,
            Task,
            &[],
            "business",
            [Some(240), Some(240), None, Some(1800)],
        ),
    ];
    rows.into_iter()
        .enumerate()
        .map(
            |(i, (name, tier, ticket_type, priorities, calendar, [first, next, periodic, resolution]))| Policy {
                id: 0,
                name: name.to_owned(),
                position: (i as i64 + 1) * 10,
                tier: Some(tier),
                ticket_type: Some(ticket_type),
                priorities: priorities.to_vec(),
                calendar: calendar.to_owned(),
                targets: Targets {
                    first_response: first,
                    next_response: next,
                    periodic_update: periodic,
                    resolution,
                },
                pause_statuses: vec![TicketStatus::Pending, TicketStatus::OnHold],
                warn_percent: 80,
            },
        )
        .collect()
}

/// How urgent a problem is, in the customer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// It can wait.
    Low,
    /// It slows us down.
    Medium,
    /// We are stopped.
    High,
}

/// How many it hurts, in the customer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impact {
    /// Me or a few users.
    Low,
    /// A team or many users.
    Medium,
    /// All our customers, the whole service.
    High,
}

macro_rules! level {
    ($t:ident, $field:literal) => {
        impl $t {
            pub fn code(self) -> &'static str {
                match self {
                    $t::Low => "low",
                    $t::Medium => "medium",
                    $t::High => "high",
                }
            }
        }

        impl FromStr for $t {
            type Err = ParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    "low" => Ok($t::Low),
                    "medium" => Ok($t::Medium),
                    "high" => Ok($t::High),
                    _ => Err(ParseError::NotOneOf {
                        field: $field,
                        allowed: "low, medium, high",
                    }),
                }
            }
        }
    };
}
level!(Urgency, "urgency");
level!(Impact, "impact");

/// The default profile's urgency x impact matrix.
pub fn priority_for(urgency: Urgency, impact: Impact) -> Priority {
    use Impact as I;
    use Urgency as U;
    match (urgency, impact) {
        (U::High, I::High) => Priority::Urgent,
        (U::High, I::Medium) | (U::Medium, I::High) => Priority::High,
        (U::High, I::Low) | (U::Medium, I::Medium) | (U::Low, I::High) => Priority::Normal,
        (U::Medium, I::Low) | (U::Low, I::Medium) | (U::Low, I::Low) => Priority::Low,
    }
}

#[cfg(test)]
#[path = "policy_test.rs"]
mod tests;
