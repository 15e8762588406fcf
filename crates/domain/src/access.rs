//! The manual's access rules: who may open a ticket, on which contract, through which channel.
//!
//! One pure function decides for every channel. Each refusal names its remedy, so that the caller
//! can always tell the user what to do next (the manual's support e-mail address is the last resort).

use jiff::civil::Date;

use crate::{
    channel::{Channel, TicketChannel},
    lang::Lang,
    plan::{Availability, Plan},
};

/// What the rules need to know about the person the ticket would be opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequesterFacts {
    /// Has an account of their own (not only a contact known from an e-mail or a phone number).
    pub registered: bool,
    /// Is on the contract's team.
    pub member_of_contract: bool,
    /// Is on the team of one of the contract's bots.
    pub member_of_bot_team: bool,
    pub language: Option<Lang>,
}

/// What the rules need to know about the contract the ticket would belong to.
#[derive(Debug, Clone, Copy)]
pub struct ContractFacts<'a> {
    pub plan: &'a Plan,
    pub starts_on: Date,
    /// Last day in force; `None` for a contract without an end date.
    pub ends_on: Option<Date>,
    /// The contract's phone condition (the manual's `*`).
    pub phone_addon: bool,
}

/// Why a ticket may not be opened. Ordered as the manual lists its conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The plan has no support tickets (Trial).
    PlanNotPaid {
        plan: String,
    },
    NotRegistered,
    ContractNotStarted {
        starts_on: Date,
    },
    ContractEnded {
        ended_on: Date,
    },
    /// Neither on the contract's team nor on one of its bots' teams.
    NotInView,
    /// The plan does not include the channel at all.
    ChannelNotInPlan {
        channel: Channel,
        plan: String,
    },
    /// The plan offers the channel only under a contract condition this contract lacks.
    ChannelNotContracted {
        channel: Channel,
        plan: String,
    },
    LanguageNotChosen,
}

/// The way out of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// See the plans and upgrade to a paid one.
    UpgradePlan,
    /// Register an account (through an invitation).
    Register,
    /// Ask the organization's admin, or support, about the contract's dates.
    RenewContract,
    /// Ask to join the contract's or a bot's team (or accept an invitation).
    RequestToJoin,
    /// Use one of the channels the plan includes.
    UseAnotherChannel,
    /// Choose a language in the preferences.
    ChooseLanguage,
}

impl Refusal {
    /// Stable machine code, part of the public API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::PlanNotPaid { .. } => "not_entitled.plan_not_paid",
            Refusal::NotRegistered => "not_entitled.not_registered",
            Refusal::ContractNotStarted { .. } => "not_entitled.contract_not_started",
            Refusal::ContractEnded { .. } => "not_entitled.contract_ended",
            Refusal::NotInView => "not_entitled.not_a_member",
            Refusal::ChannelNotInPlan { .. } => "not_entitled.channel_not_in_plan",
            Refusal::ChannelNotContracted { .. } => "not_entitled.channel_not_contracted",
            Refusal::LanguageNotChosen => "not_entitled.language_not_chosen",
        }
    }

    pub fn remedy(&self) -> Remedy {
        match self {
            Refusal::PlanNotPaid { .. } => Remedy::UpgradePlan,
            Refusal::NotRegistered => Remedy::Register,
            Refusal::ContractNotStarted { .. } | Refusal::ContractEnded { .. } => Remedy::RenewContract,
            Refusal::NotInView => Remedy::RequestToJoin,
            Refusal::ChannelNotInPlan { .. } | Refusal::ChannelNotContracted { .. } => Remedy::UseAnotherChannel,
            Refusal::LanguageNotChosen => Remedy::ChooseLanguage,
        }
    }
}

/// Decides whether `requester` may open a ticket on `contract` through `channel` on `today`
/// (the date in the deployment's time zone). The first unmet condition is the answer.
pub fn may_open_ticket(
    requester: &RequesterFacts,
    contract: &ContractFacts<'_>,
    channel: TicketChannel,
    today: Date,
) -> Result<(), Refusal> {
    let plan = contract.plan;
    if !plan.paid {
        return Err(Refusal::PlanNotPaid {
            plan: plan.name.clone(),
        });
    }
    if !requester.registered {
        return Err(Refusal::NotRegistered);
    }
    if today < contract.starts_on {
        return Err(Refusal::ContractNotStarted {
            starts_on: contract.starts_on,
        });
    }
    if let Some(ends_on) = contract.ends_on
        && today > ends_on
    {
        return Err(Refusal::ContractEnded { ended_on: ends_on });
    }
    if !(requester.member_of_contract || requester.member_of_bot_team) {
        return Err(Refusal::NotInView);
    }
    let column = channel.matrix_column();
    match plan.availability(column) {
        None => {
            return Err(Refusal::ChannelNotInPlan {
                channel: column,
                plan: plan.name.clone(),
            });
        }
        Some(Availability::Conditional) if !contract.phone_addon => {
            return Err(Refusal::ChannelNotContracted {
                channel: column,
                plan: plan.name.clone(),
            });
        }
        Some(_) => {}
    }
    if requester.language.is_none() {
        return Err(Refusal::LanguageNotChosen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::plan::default_plans;

    /// The manual's matrix, restated independently of `default_plans`: which ticket channels each
    /// plan reaches, and whether phone needs the contract's condition.
    fn manual_allows(plan: &str, channel: TicketChannel, phone_addon: bool) -> bool {
        let paid = matches!(plan, "startup" | "lite" | "plus" | "super" | "enterprise");
        let phone = matches!(plan, "super" | "enterprise") && phone_addon;
        match channel {
            TicketChannel::Phone => phone,
            _ => paid,
        }
    }

    /// Walks every plan x channel x membership x language x registration x contract date x add-on,
    /// and checks the decision against the manual's rules stated as a plain boolean.
    #[test]
    fn exhaustive_walk_matches_the_manual() {
        let plans = default_plans();
        let today = date(2026, 11, 25);
        let windows = [
            (date(2026, 1, 1), None, true),
            (date(2026, 1, 1), Some(date(2026, 11, 25)), true), // last day still counts
            (date(2026, 11, 25), Some(date(2027, 1, 1)), true), // first day counts
            (date(2025, 1, 1), Some(date(2026, 11, 24)), false),
            (date(2026, 11, 26), None, false),
        ];
        let mut decisions = 0;
        for plan in &plans {
            for channel in TicketChannel::ALL {
                for (starts_on, ends_on, in_force) in windows {
                    for phone_addon in [false, true] {
                        for bits in 0..16u8 {
                            let requester = RequesterFacts {
                                registered: bits & 1 != 0,
                                member_of_contract: bits & 2 != 0,
                                member_of_bot_team: bits & 4 != 0,
                                language: (bits & 8 != 0).then_some(Lang::PtBr),
                            };
                            let contract = ContractFacts {
                                plan,
                                starts_on,
                                ends_on,
                                phone_addon,
                            };
                            let expected = manual_allows(&plan.code, channel, phone_addon)
                                && requester.registered
                                && (requester.member_of_contract || requester.member_of_bot_team)
                                && requester.language.is_some()
                                && in_force;
                            let got = may_open_ticket(&requester, &contract, channel, today);
                            assert_eq!(
                                got.is_ok(),
                                expected,
                                "{} {channel} {requester:?} {starts_on}..{ends_on:?} addon={phone_addon}: {got:?}",
                                plan.code
                            );
                            decisions += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(decisions, 6 * 6 * 5 * 2 * 16);
    }

    fn member() -> RequesterFacts {
        RequesterFacts {
            registered: true,
            member_of_contract: true,
            member_of_bot_team: false,
            language: Some(Lang::Es),
        }
    }

    fn contract(plan: &Plan) -> ContractFacts<'_> {
        ContractFacts {
            plan,
            starts_on: date(2026, 1, 1),
            ends_on: None,
            phone_addon: false,
        }
    }

    fn plan(code: &str) -> Plan {
        default_plans()
            .into_iter()
            .find(|p| p.code == code)
            .unwrap_or_else(|| panic!("no plan {code}"))
    }

    #[test]
    fn each_refusal_has_its_own_code_and_remedy() {
        let today = date(2026, 11, 25);
        let trial = plan("trial");
        let startup = plan("startup");
        let enterprise = plan("enterprise");
        let refusal = |r: &RequesterFacts, c: &ContractFacts<'_>, ch| may_open_ticket(r, c, ch, today).err();

        let cases = [
            (
                refusal(&member(), &contract(&trial), TicketChannel::Portal),
                "not_entitled.plan_not_paid",
                Remedy::UpgradePlan,
            ),
            (
                refusal(
                    &RequesterFacts {
                        registered: false,
                        ..member()
                    },
                    &contract(&startup),
                    TicketChannel::Email,
                ),
                "not_entitled.not_registered",
                Remedy::Register,
            ),
            (
                refusal(
                    &member(),
                    &ContractFacts {
                        ends_on: Some(date(2026, 6, 30)),
                        ..contract(&startup)
                    },
                    TicketChannel::Portal,
                ),
                "not_entitled.contract_ended",
                Remedy::RenewContract,
            ),
            (
                refusal(
                    &member(),
                    &ContractFacts {
                        starts_on: date(2027, 1, 1),
                        ..contract(&startup)
                    },
                    TicketChannel::Portal,
                ),
                "not_entitled.contract_not_started",
                Remedy::RenewContract,
            ),
            (
                refusal(
                    &RequesterFacts {
                        member_of_contract: false,
                        ..member()
                    },
                    &contract(&startup),
                    TicketChannel::Api,
                ),
                "not_entitled.not_a_member",
                Remedy::RequestToJoin,
            ),
            (
                refusal(&member(), &contract(&startup), TicketChannel::Phone),
                "not_entitled.channel_not_in_plan",
                Remedy::UseAnotherChannel,
            ),
            (
                refusal(&member(), &contract(&enterprise), TicketChannel::Phone),
                "not_entitled.channel_not_contracted",
                Remedy::UseAnotherChannel,
            ),
            (
                refusal(
                    &RequesterFacts {
                        language: None,
                        ..member()
                    },
                    &contract(&startup),
                    TicketChannel::Whatsapp,
                ),
                "not_entitled.language_not_chosen",
                Remedy::ChooseLanguage,
            ),
        ];
        let mut codes: Vec<_> = Vec::new();
        for (got, code, remedy) in cases {
            let got = got.unwrap_or_else(|| panic!("{code} was not refused"));
            assert_eq!(got.code(), code);
            assert_eq!(got.remedy(), remedy, "{code}");
            codes.push(code);
        }
        codes.dedup();
        assert_eq!(codes.len(), 8, "every refusal has a distinct code");
    }

    #[test]
    fn a_bot_team_member_is_in_view() {
        let startup = plan("startup");
        let bot_member = RequesterFacts {
            member_of_contract: false,
            member_of_bot_team: true,
            ..member()
        };
        assert_eq!(
            may_open_ticket(
                &bot_member,
                &contract(&startup),
                TicketChannel::Webchat,
                date(2026, 11, 25)
            ),
            Ok(())
        );
    }

    #[test]
    fn phone_with_the_condition_is_allowed_on_premium_plans() {
        for code in ["super", "enterprise"] {
            let p = plan(code);
            let c = ContractFacts {
                phone_addon: true,
                ..contract(&p)
            };
            assert_eq!(
                may_open_ticket(&member(), &c, TicketChannel::Phone, date(2026, 11, 25)),
                Ok(())
            );
        }
    }
}
