//! Plans and the channel matrix. The manual's six plans are the default profile; an admin may
//! edit them or add others, so a plan is data, not an enum.

use std::{collections::BTreeMap, fmt, str::FromStr};

use crate::{channel::Channel, text::ParseError};

/// How a plan includes a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Included,
    /// Included only when the contract says so (the manual's `*` on phone for Super and Enterprise).
    Conditional,
}

impl Availability {
    pub fn code(self) -> &'static str {
        match self {
            Availability::Included => "included",
            Availability::Conditional => "conditional",
        }
    }
}

impl FromStr for Availability {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "included" => Ok(Availability::Included),
            "conditional" => Ok(Availability::Conditional),
            _ => Err(ParseError::NotOneOf {
                field: "availability",
                allowed: "included, conditional",
            }),
        }
    }
}

/// The SLA tier a paid plan belongs to: the manual publishes one SLA document per tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlaTier {
    Standard,
    Premium,
}

impl SlaTier {
    pub fn code(self) -> &'static str {
        match self {
            SlaTier::Standard => "standard",
            SlaTier::Premium => "premium",
        }
    }
}

impl FromStr for SlaTier {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(SlaTier::Standard),
            "premium" => Ok(SlaTier::Premium),
            _ => Err(ParseError::NotOneOf {
                field: "tier",
                allowed: "standard, premium",
            }),
        }
    }
}

impl fmt::Display for SlaTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Stable identifier (`startup`); the display name may change, the code does not.
    pub code: String,
    pub name: String,
    /// Only paid plans reach the ticket channels (the manual's first access rule).
    pub paid: bool,
    /// The SLA tier; `None` for plans without support tickets.
    pub tier: Option<SlaTier>,
    /// Display order in the matrix.
    pub position: i64,
    pub channels: BTreeMap<Channel, Availability>,
}

impl Plan {
    pub fn availability(&self, channel: Channel) -> Option<Availability> {
        self.channels.get(&channel).copied()
    }

    /// The cheapest-first paid plans, by position, that include `channel` unconditionally or at all.
    pub fn first_including(plans: &[Plan], channel: Channel) -> Option<&Plan> {
        plans
            .iter()
            .filter(|p| p.paid && p.availability(channel).is_some())
            .min_by_key(|p| p.position)
    }
}

/// The manual's plan catalogue and channel matrix, exactly as its table gives them.
pub fn default_plans() -> Vec<Plan> {
    use Availability::{Conditional, Included};
    use Channel::*;
    let self_service = [(Documentation, Included), (Forum, Included)];
    let tickets = [(Portal, Included), (Email, Included), (Whatsapp, Included)];
    let plan = |code: &str, name: &str, position, tier: Option<SlaTier>, extra: &[(Channel, Availability)]| Plan {
        code: code.to_owned(),
        name: name.to_owned(),
        paid: tier.is_some(),
        tier,
        position,
        channels: self_service.iter().chain(extra).copied().collect(),
    };
    let with_phone: Vec<_> = tickets.iter().copied().chain([(Phone, Conditional)]).collect();
    vec![
        plan("trial", "Trial", 1, None, &[]),
        plan("startup", "Startup", 2, Some(SlaTier::Standard), &tickets),
        plan("lite", "Lite", 3, Some(SlaTier::Standard), &tickets),
        plan("plus", "Plus", 4, Some(SlaTier::Standard), &tickets),
        plan("super", "Super", 5, Some(SlaTier::Premium), &with_phone),
        plan("enterprise", "Enterprise", 6, Some(SlaTier::Premium), &with_phone),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manual's table, row by row: `✓` included, `*` conditional, `.` absent.
    #[test]
    fn default_matrix_is_the_manuals() {
        let expected = [
            ("trial", "✓✓...."),
            ("startup", "✓✓✓✓✓."),
            ("lite", "✓✓✓✓✓."),
            ("plus", "✓✓✓✓✓."),
            ("super", "✓✓✓✓✓*"),
            ("enterprise", "✓✓✓✓✓*"),
        ];
        let plans = default_plans();
        assert_eq!(plans.len(), expected.len());
        for (plan, (code, row)) in plans.iter().zip(expected) {
            assert_eq!(plan.code, code);
            let shown: String = Channel::ALL
                .iter()
                .map(|c| match plan.availability(*c) {
                    Some(Availability::Included) => '✓',
                    Some(Availability::Conditional) => '*',
                    None => '.',
                })
                .collect();
            assert_eq!(shown, row, "plan {code}");
        }
    }

    #[test]
    fn tiers_follow_the_manuals_two_sla_documents() {
        let plans = default_plans();
        let tier = |code: &str| plans.iter().find(|p| p.code == code).and_then(|p| p.tier);
        assert_eq!(tier("trial"), None);
        for code in ["startup", "lite", "plus"] {
            assert_eq!(tier(code), Some(SlaTier::Standard));
        }
        for code in ["super", "enterprise"] {
            assert_eq!(tier(code), Some(SlaTier::Premium));
        }
    }

    #[test]
    fn cheapest_plan_with_a_channel() {
        let plans = default_plans();
        assert_eq!(
            Plan::first_including(&plans, Channel::Portal).map(|p| p.code.as_str()),
            Some("startup")
        );
        assert_eq!(
            Plan::first_including(&plans, Channel::Phone).map(|p| p.code.as_str()),
            Some("super")
        );
    }
}
