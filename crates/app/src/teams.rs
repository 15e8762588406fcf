//! Contracts and bots, and who is on their teams.

use atende_domain::{
    ParseError,
    entities::{Bot, Contract, User},
    text::bounded,
};
use atende_store::{
    Conn, directory,
    membership::{self, ContractFields, Team},
    profile,
};
use jiff::civil::Date;

use crate::{Actor, App, AppError, Result, auth::commit};

pub struct ContractInput {
    pub organization_id: i64,
    pub plan_code: String,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub phone_addon: bool,
}

fn check_dates(starts_on: Date, ends_on: Option<Date>) -> Result<()> {
    if ends_on.is_some_and(|end| end < starts_on) {
        return Err(ParseError::Invalid {
            field: "ends_on",
            reason: "date_order",
        }
        .into());
    }
    Ok(())
}

async fn check_plan(conn: &mut Conn, code: &str) -> Result<()> {
    match profile::get_plan(conn, code).await? {
        Some(_) => Ok(()),
        None => Err(ParseError::Invalid {
            field: "plan",
            reason: "plan_unknown",
        }
        .into()),
    }
}

pub async fn create_contract(app: &App, actor: &Actor, input: ContractInput) -> Result<Contract> {
    actor.require_staff()?;
    let name = bounded("name", &input.name, 200)?;
    check_dates(input.starts_on, input.ends_on)?;
    let mut tx = app.db.begin().await?;
    directory::get_organization(&mut tx, input.organization_id)
        .await?
        .ok_or(AppError::NotFound("organization"))?;
    check_plan(&mut tx, &input.plan_code).await?;
    let contract = membership::insert_contract(
        &mut tx,
        &ContractFields {
            organization_id: input.organization_id,
            plan_code: &input.plan_code,
            name: &name,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            phone_addon: input.phone_addon,
        },
        app.clock.now(),
    )
    .await?;
    commit(tx).await?;
    Ok(contract)
}

#[derive(Debug, Default)]
pub struct ContractChanges {
    pub plan_code: Option<String>,
    pub name: Option<String>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Option<Date>>,
    pub phone_addon: Option<bool>,
}

pub async fn update_contract(app: &App, actor: &Actor, id: i64, changes: ContractChanges) -> Result<Contract> {
    let mut tx = app.db.begin().await?;
    let mut contract = visible_contract(&mut tx, actor, id).await?;
    actor.require_staff()?;
    if let Some(plan) = changes.plan_code {
        check_plan(&mut tx, &plan).await?;
        contract.plan_code = plan;
    }
    if let Some(name) = changes.name {
        contract.name = bounded("name", &name, 200)?;
    }
    if let Some(starts_on) = changes.starts_on {
        contract.starts_on = starts_on;
    }
    if let Some(ends_on) = changes.ends_on {
        contract.ends_on = ends_on;
    }
    if let Some(phone) = changes.phone_addon {
        contract.phone_addon = phone;
    }
    check_dates(contract.starts_on, contract.ends_on)?;
    membership::update_contract(&mut tx, &contract).await?;
    commit(tx).await?;
    Ok(contract)
}

/// A contract, and whether the actor is in view of it.
pub struct ContractView {
    pub contract: Contract,
    pub in_view: bool,
}

pub async fn list_contracts(app: &App, actor: &Actor, organization_id: Option<i64>) -> Result<Vec<ContractView>> {
    let mut conn = app.db.read().await?;
    let org = if actor.is_staff() {
        organization_id
    } else {
        match actor.user.organization_id {
            Some(own) if organization_id.is_none_or(|o| o == own) => Some(own),
            _ => return Ok(Vec::new()),
        }
    };
    let contracts = membership::list_contracts(&mut conn, org).await?;
    let in_view = membership::contracts_in_view(&mut conn, actor.id()).await?;
    Ok(contracts
        .into_iter()
        .map(|contract| {
            let visible = actor.is_staff() || in_view.contains(&contract.id);
            ContractView {
                in_view: visible || actor.administered_organization() == Some(contract.organization_id),
                contract,
            }
        })
        .collect())
}

pub async fn get_contract(app: &App, actor: &Actor, id: i64) -> Result<ContractView> {
    let mut conn = app.db.read().await?;
    let contract = visible_contract(&mut conn, actor, id).await?;
    let in_view = actor.manages_organization(contract.organization_id)
        || membership::contracts_in_view(&mut conn, actor.id())
            .await?
            .contains(&id);
    Ok(ContractView { contract, in_view })
}

/// The contract if the actor may know it exists: staff, or a user of its organization.
pub(crate) async fn visible_contract(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Contract> {
    let contract = membership::get_contract(conn, id)
        .await?
        .ok_or(AppError::NotFound("contract"))?;
    if actor.sees_organization(contract.organization_id) {
        Ok(contract)
    } else {
        Err(AppError::NotFound("contract"))
    }
}

pub async fn create_bot(app: &App, actor: &Actor, contract_id: i64, name: &str) -> Result<Bot> {
    let name = bounded("name", name, 200)?;
    let mut tx = app.db.begin().await?;
    let contract = visible_contract(&mut tx, actor, contract_id).await?;
    if !actor.manages_organization(contract.organization_id) {
        return Err(AppError::Forbidden("manager_only"));
    }
    let bot = membership::insert_bot(&mut tx, contract_id, &name, app.clock.now()).await?;
    commit(tx).await?;
    Ok(bot)
}

pub async fn rename_bot(app: &App, actor: &Actor, id: i64, name: &str) -> Result<Bot> {
    let name = bounded("name", name, 200)?;
    let mut tx = app.db.begin().await?;
    let (bot, contract) = visible_bot(&mut tx, actor, id).await?;
    if !actor.manages_organization(contract.organization_id) {
        return Err(AppError::Forbidden("manager_only"));
    }
    membership::rename_bot(&mut tx, id, &name).await?;
    commit(tx).await?;
    Ok(Bot { name, ..bot })
}

pub async fn list_bots(app: &App, actor: &Actor) -> Result<Vec<Bot>> {
    let mut conn = app.db.read().await?;
    let org = if actor.is_staff() {
        None
    } else {
        match actor.user.organization_id {
            Some(own) => Some(own),
            None => return Ok(Vec::new()),
        }
    };
    Ok(membership::list_bots(&mut conn, org).await?)
}

pub async fn get_bot(app: &App, actor: &Actor, id: i64) -> Result<Bot> {
    let mut conn = app.db.read().await?;
    Ok(visible_bot(&mut conn, actor, id).await?.0)
}

pub(crate) async fn visible_bot(conn: &mut Conn, actor: &Actor, id: i64) -> Result<(Bot, Contract)> {
    let bot = membership::get_bot(conn, id).await?.ok_or(AppError::NotFound("bot"))?;
    let contract = visible_contract(conn, actor, bot.contract_id)
        .await
        .map_err(|_| AppError::NotFound("bot"))?;
    Ok((bot, contract))
}

/// The team's organization, checking that the actor may see the team.
async fn team_organization(conn: &mut Conn, actor: &Actor, team: Team) -> Result<i64> {
    Ok(match team {
        Team::Contract(id) => visible_contract(conn, actor, id).await?.organization_id,
        Team::Bot(id) => visible_bot(conn, actor, id).await?.1.organization_id,
        // Groups are support staff, managed through the groups use cases, never as a customer team.
        Team::Group(_) => return Err(AppError::NotFound("team")),
    })
}

pub async fn members(app: &App, actor: &Actor, team: Team) -> Result<Vec<User>> {
    let mut conn = app.db.read().await?;
    team_organization(&mut conn, actor, team).await?;
    Ok(membership::members(&mut conn, team).await?)
}

/// Adds a user of the team's organization to the team (staff, or that organization's admin).
pub async fn add_member(app: &App, actor: &Actor, team: Team, user_id: i64) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let org = team_organization(&mut tx, actor, team).await?;
    if !actor.manages_organization(org) {
        return Err(AppError::Forbidden("manager_only"));
    }
    let user = directory::get_user(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if user.organization_id != Some(org) {
        if !actor.is_staff() {
            return Err(AppError::NotFound("user"));
        }
        return Err(AppError::Rejected("membership.other_organization"));
    }
    membership::add_member(&mut tx, team, user_id, app.clock.now()).await?;
    commit(tx).await
}

pub async fn remove_member(app: &App, actor: &Actor, team: Team, user_id: i64) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let org = team_organization(&mut tx, actor, team).await?;
    if !actor.manages_organization(org) {
        return Err(AppError::Forbidden("manager_only"));
    }
    if !membership::remove_member(&mut tx, team, user_id).await? {
        return Err(AppError::NotFound("member"));
    }
    commit(tx).await
}
