//! What a user may do with each contract they can see: the manual's access rules, asked ahead of
//! time so that the portal offers only what will be accepted and explains the rest.

use atende_domain::{
    ContractFacts, Plan, Refusal, RequesterFacts, TicketChannel,
    entities::{Bot, Contract, User},
    may_open_ticket,
};
use atende_store::{Conn, membership};
use jiff::civil::Date;

use crate::{Actor, App, AppError, Result};

/// Why `requester` may not open a ticket on `contract` through `channel` on `today`, if they may not.
pub(crate) async fn refusal_for(
    conn: &mut Conn,
    requester: &User,
    contract: &Contract,
    plan: &Plan,
    channel: TicketChannel,
    today: Date,
) -> Result<Option<Refusal>> {
    let membership = membership::membership(conn, requester.id, contract.id, None).await?;
    Ok(refusal_given(requester, membership, contract, plan, channel, today))
}

/// The same, with the requester's membership `(of the contract's team, of a bot's team)` known.
pub(crate) fn refusal_given(
    requester: &User,
    (member_of_contract, member_of_bot_team): (bool, bool),
    contract: &Contract,
    plan: &Plan,
    channel: TicketChannel,
    today: Date,
) -> Option<Refusal> {
    let facts = RequesterFacts {
        registered: requester.registered_at.is_some(),
        member_of_contract,
        member_of_bot_team,
        language: requester.language,
    };
    let contract_facts = ContractFacts {
        plan,
        starts_on: contract.starts_on,
        ends_on: contract.ends_on,
        phone_addon: contract.phone_addon,
    };
    may_open_ticket(&facts, &contract_facts, channel, today).err()
}

/// A contract as its customer sees it: the plan, the bots, and the verdicts of the rules.
pub struct Offer {
    pub contract: Contract,
    pub plan: Plan,
    pub bots: Vec<Bot>,
    /// Whether the user is on the contract's team or on one of its bots' teams.
    pub in_view: bool,
    /// `None` when tickets may be opened in the portal; else why not.
    pub portal: Option<Refusal>,
    /// `None` when the user may ask for a call back; else why not.
    pub phone: Option<Refusal>,
}

/// Every contract of the user's organization, with what the user may do on it.
pub async fn offers(app: &App, actor: &Actor) -> Result<Vec<Offer>> {
    offers_for(app, &actor.user).await
}

/// The same for a customer an agent is helping (logging their phone call, say).
pub async fn offers_for(app: &App, user: &User) -> Result<Vec<Offer>> {
    let Some(organization_id) = user.organization_id else {
        return Ok(Vec::new());
    };
    let mut conn = app.db.read().await?;
    let profile = app.profile.get(&mut conn).await?;
    let contracts = membership::contracts_with_membership(&mut conn, organization_id, user.id).await?;
    let bots = membership::list_bots(&mut conn, Some(organization_id)).await?;
    let today = app.today();
    let mut offers = Vec::with_capacity(contracts.len());
    for (contract, membership) in contracts {
        let plan = profile
            .plan(&contract.plan_code)
            .ok_or_else(|| AppError::Internal(format!("contract {} without plan", contract.id)))?
            .clone();
        let portal = refusal_given(user, membership, &contract, &plan, TicketChannel::Portal, today);
        let phone = refusal_given(user, membership, &contract, &plan, TicketChannel::Phone, today);
        offers.push(Offer {
            in_view: membership.0 || membership.1 || user.role == atende_domain::Role::CustomerAdmin,
            bots: bots.iter().filter(|b| b.contract_id == contract.id).cloned().collect(),
            contract,
            plan,
            portal,
            phone,
        });
    }
    Ok(offers)
}
