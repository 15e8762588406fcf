//! What the engine must know about the person: their language and the contracts they can see,
//! each with the access rules' verdict for this channel (WhatsApp has its own column in the
//! plan's matrix; the web chat follows the portal's).

use atende_domain::{
    Refusal,
    bot::{ContractOption, Facts},
};
use atende_store::membership;

use super::Channel;
use crate::{Actor, App, AppError, Result, entitlements::refusal_given};

pub(super) async fn facts(app: &App, actor: &Actor, channel: Channel) -> Result<Facts> {
    let Some(organization_id) = actor.user.organization_id else {
        return Ok(Facts {
            lang: actor.user.language,
            contracts: Vec::new(),
        });
    };
    let mut conn = app.db.read().await?;
    let profile = app.profile.get(&mut conn).await?;
    let contracts = membership::contracts_with_membership(&mut conn, organization_id, actor.id()).await?;
    let bots = membership::list_bots(&mut conn, Some(organization_id)).await?;
    let today = app.today();
    let mut options = Vec::with_capacity(contracts.len());
    for (contract, membership) in contracts {
        let plan = profile
            .plan(&contract.plan_code)
            .ok_or_else(|| AppError::Internal(format!("contract {} without plan", contract.id)))?;
        let refusal = refusal_given(
            &actor.user,
            membership,
            &contract,
            plan,
            channel.ticket_channel(),
            today,
        );
        // Only contracts without a refusal are offered (by name); the others only say why.
        options.push(ContractOption {
            id: contract.id,
            bots: bots
                .iter()
                .filter(|b| b.contract_id == contract.id)
                .map(|b| (b.id, b.name.clone()))
                .collect(),
            name: contract.name,
            refusal,
        });
    }
    Ok(Facts {
        lang: actor.user.language,
        contracts: options,
    })
}

/// The first contract the person may open tickets on through this channel.
pub(super) async fn first_open_contract(app: &App, actor: &Actor, channel: Channel) -> Result<Option<i64>> {
    Ok(facts(app, actor, channel)
        .await?
        .contracts
        .iter()
        .find(|c| c.refusal.is_none())
        .map(|c| c.id))
}

/// Why the person may not open tickets through this channel, when no contract allows it.
pub(super) async fn first_refusal(app: &App, actor: &Actor, channel: Channel) -> Result<Option<Refusal>> {
    let refusals: Vec<Refusal> = facts(app, actor, channel)
        .await?
        .contracts
        .into_iter()
        .filter_map(|c| c.refusal)
        .collect();
    let telling = refusals.iter().find(|r| **r != Refusal::NotInView).or(refusals.first());
    Ok(telling.cloned())
}
