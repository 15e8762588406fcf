//! Administration pages: plans and their channel matrix, organizations and contracts with their
//! teams and bots, users and roles, groups, and one's API tokens. Service levels are in
//! `admin_sla.rs`. The use cases decide who may change what (plans and roles are admins' only).

use std::collections::BTreeMap;

use askama::Template;
use atende_app::{
    Team, auth,
    directory::{self, CreateUser, UserChanges},
    groups, profile,
    profile::PlanChanges,
    teams::{self, ContractChanges, ContractInput},
};
use atende_domain::{
    Availability, Channel, Lang, Plan, Role, SlaTier,
    entities::{Bot, Contract, Group, Organization, User},
};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use jiff::civil::Date;

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Submitted, page, session::Flash};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/plans", get(plans).post(save_plan))
        .route("/admin/contracts", get(contracts).post(create_contract))
        .route("/admin/contracts/{id}", get(contract).post(update_contract))
        .route("/admin/contracts/{id}/bots", post(create_bot))
        .route("/admin/teams", post(change_team))
        .route("/admin/organizations", post(create_organization))
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{id}", post(update_user))
        .route("/admin/groups", get(groups_page).post(create_group))
        .route("/admin/groups/{id}", post(change_group))
        .route("/admin/tokens", get(tokens).post(create_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    c: Chrome,
}

async fn index(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&IndexPage {
        c: signed.ctx.chrome(&state, "admin"),
    })
}

// ---- plans and the channel matrix

#[derive(Template)]
#[template(path = "admin_plans.html")]
struct PlansPage {
    c: Chrome,
    plans: Vec<Plan>,
    channels: Vec<&'static str>,
}

impl PlansPage {
    fn availability(&self, plan: &Plan, channel: &str) -> &'static str {
        Channel::ALL
            .iter()
            .find(|c| c.code() == channel)
            .and_then(|c| plan.availability(*c))
            .map(Availability::code)
            .unwrap_or("none")
    }

    fn tier(&self, plan: &Plan) -> &'static str {
        plan.tier.map(SlaTier::code).unwrap_or("")
    }
}

async fn plans(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&PlansPage {
        c: signed.ctx.chrome(&state, "admin"),
        plans: profile::list_plans(&state.app).await?,
        channels: Channel::ALL.iter().map(|c| c.code()).collect(),
    })
}

/// Saves one row of the matrix, or creates a plan when the code is new.
async fn save_plan(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/plans";
    let mut channels = BTreeMap::new();
    for channel in Channel::ALL {
        match form.text(&format!("channel_{}", channel.code())) {
            "" | "none" => {}
            value => {
                channels.insert(channel, value.parse::<Availability>().or_back(back)?);
            }
        }
    }
    let changes = PlanChanges {
        name: form.opt("name").map(str::to_owned),
        paid: Some(form.checked("paid")),
        tier: Some(form.parse_opt::<SlaTier>("tier").or_back(back)?),
        position: form.parse_opt("position").or_back(back)?,
        channels: Some(channels),
    };
    let code = form.text("code");
    if form.checked("new") {
        profile::create_plan(&state.app, &signed.actor, code, changes)
            .await
            .or_back(back)?;
    } else {
        profile::update_plan(&state.app, &signed.actor, code, changes)
            .await
            .or_back(back)?;
    }
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

// ---- organizations, contracts, bots and teams

#[derive(Template)]
#[template(path = "admin_contracts.html")]
struct ContractsPage {
    c: Chrome,
    organizations: Vec<Organization>,
    contracts: Vec<Contract>,
    plans: Vec<Plan>,
}

impl ContractsPage {
    fn organization(&self, id: impl super::chrome::By<i64>) -> &str {
        let id = id.get();
        self.organizations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.as_str())
            .unwrap_or_default()
    }
}

async fn contracts(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let contracts = teams::list_contracts(&state.app, &signed.actor, None)
        .await?
        .into_iter()
        .map(|v| v.contract)
        .collect();
    page(&ContractsPage {
        c: signed.ctx.chrome(&state, "admin"),
        organizations: directory::list_organizations(&state.app, &signed.actor).await?,
        contracts,
        plans: profile::list_plans(&state.app).await?,
    })
}

async fn create_organization(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/contracts";
    directory::create_organization(&state.app, &signed.actor, form.text("name"))
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

fn date_field(form: &super::form::Fields, name: &'static str) -> Result<Option<Date>, PageError> {
    form.parse_opt::<Date>(name)
}

async fn create_contract(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/contracts";
    let input = ContractInput {
        organization_id: form.parse("organization").or_back(back)?,
        plan_code: form.text("plan").to_owned(),
        name: form.text("name").to_owned(),
        starts_on: form.parse("starts_on").or_back(back)?,
        ends_on: date_field(&form, "ends_on").or_back(back)?,
        phone_addon: form.checked("phone_addon"),
    };
    let contract = teams::create_contract(&state.app, &signed.actor, input)
        .await
        .or_back(back)?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/admin/contracts/{}", contract.id),
        "admin-saved",
    ))
}

struct TeamView {
    team: String,
    label: String,
    members: Vec<User>,
}

#[derive(Template)]
#[template(path = "admin_contract.html")]
struct ContractPage {
    c: Chrome,
    contract: Contract,
    plans: Vec<Plan>,
    bots: Vec<Bot>,
    teams: Vec<TeamView>,
    people: Vec<User>,
}

async fn contract(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let actor = &signed.actor;
    let contract = teams::get_contract(&state.app, actor, id).await?.contract;
    let bots: Vec<Bot> = teams::list_bots(&state.app, actor)
        .await?
        .into_iter()
        .filter(|b| b.contract_id == id)
        .collect();
    let mut team_views = vec![TeamView {
        team: format!("c{id}"),
        label: contract.name.clone(),
        members: teams::members(&state.app, actor, Team::Contract(id)).await?,
    }];
    for bot in &bots {
        team_views.push(TeamView {
            team: format!("b{}", bot.id),
            label: bot.name.clone(),
            members: teams::members(&state.app, actor, Team::Bot(bot.id)).await?,
        });
    }
    let people = directory::list_users(&state.app, actor, Some(contract.organization_id)).await?;
    page(&ContractPage {
        c: signed.ctx.chrome(&state, "admin"),
        plans: profile::list_plans(&state.app).await?,
        contract,
        bots,
        teams: team_views,
        people,
    })
}

async fn update_contract(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/admin/contracts/{id}");
    let changes = ContractChanges {
        plan_code: form.opt("plan").map(str::to_owned),
        name: form.opt("name").map(str::to_owned),
        starts_on: date_field(&form, "starts_on").or_back(&back)?,
        ends_on: Some(date_field(&form, "ends_on").or_back(&back)?),
        phone_addon: Some(form.checked("phone_addon")),
    };
    teams::update_contract(&state.app, &signed.actor, id, changes)
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "admin-saved"))
}

async fn create_bot(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/admin/contracts/{id}");
    teams::create_bot(&state.app, &signed.actor, id, form.text("name"))
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "admin-saved"))
}

/// Adds or removes someone on a contract's (`c<id>`) or a bot's (`b<id>`) team.
async fn change_team(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/admin/contracts/{}", form.text("contract"));
    let key = form.text("team");
    let team = match (key.get(..1), key.get(1..).and_then(|n| n.parse::<i64>().ok())) {
        (Some("c"), Some(id)) => Team::Contract(id),
        (Some("b"), Some(id)) => Team::Bot(id),
        _ => return Err(PageError::invalid_field("team").back(back)),
    };
    let user: i64 = form.parse("user").or_back(&back)?;
    if form.text("action") == "remove" {
        teams::remove_member(&state.app, &signed.actor, team, user)
            .await
            .or_back(&back)?;
    } else {
        teams::add_member(&state.app, &signed.actor, team, user)
            .await
            .or_back(&back)?;
    }
    Ok(done(&signed.ctx, &state, &back, "admin-saved"))
}

// ---- users and roles

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<User>,
    organizations: Vec<Organization>,
    roles: Vec<&'static str>,
}

async fn users(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&UsersPage {
        c: signed.ctx.chrome(&state, "admin"),
        users: directory::list_users(&state.app, &signed.actor, None).await?,
        organizations: directory::list_organizations(&state.app, &signed.actor).await?,
        roles: Role::ALL.iter().map(|r| r.code()).collect(),
    })
}

async fn create_user(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/users";
    let input = CreateUser {
        email: form.text("email").to_owned(),
        name: form.text("name").to_owned(),
        role: form.parse("role").or_back(back)?,
        organization_id: form.parse_opt("organization").or_back(back)?,
        password: form.opt("password").map(str::to_owned),
        language: form.parse_opt::<Lang>("language").or_back(back)?,
        time_zone: None,
    };
    directory::create_user(&state.app, Some(&signed.actor), input)
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

async fn update_user(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/users";
    let changes = UserChanges {
        name: None,
        language: None,
        time_zone: None,
        // Only admins change roles; agents moving a customer send the role as it was.
        role: if form.text("role") == form.text("was_role") {
            None
        } else {
            form.parse_opt("role").or_back(back)?
        },
        organization_id: Some(form.parse_opt("organization").or_back(back)?),
    };
    directory::update_user(&state.app, &signed.actor, id, changes)
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

// ---- groups

#[derive(Template)]
#[template(path = "admin_groups.html")]
struct GroupsPage {
    c: Chrome,
    groups: Vec<(Group, Vec<User>)>,
    staff: Vec<User>,
}

async fn groups_page(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let mut all = Vec::new();
    for group in groups::list(&state.app, &signed.actor).await? {
        let members = groups::members(&state.app, &signed.actor, group.id).await?;
        all.push((group, members));
    }
    let mut staff = directory::list_users(&state.app, &signed.actor, None).await?;
    staff.retain(|u| u.role.is_staff());
    page(&GroupsPage {
        c: signed.ctx.chrome(&state, "admin"),
        groups: all,
        staff,
    })
}

async fn create_group(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/groups";
    groups::create(&state.app, &signed.actor, form.text("name"))
        .await
        .or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

async fn change_group(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/groups";
    match form.text("action") {
        "rename" => {
            groups::rename(&state.app, &signed.actor, id, form.text("name"))
                .await
                .or_back(back)?;
        }
        "add" => {
            let user = form.parse("user").or_back(back)?;
            groups::add_member(&state.app, &signed.actor, id, user)
                .await
                .or_back(back)?;
        }
        "remove" => {
            let user = form.parse("user").or_back(back)?;
            groups::remove_member(&state.app, &signed.actor, id, user)
                .await
                .or_back(back)?;
        }
        _ => return Err(PageError::invalid_field("action").back(back)),
    }
    Ok(done(&signed.ctx, &state, back, "admin-saved"))
}

// ---- API tokens

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    c: Chrome,
    tokens: Vec<atende_app::TokenRecord>,
}

async fn tokens(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let tokens = auth::list_tokens(&state.app, &signed.actor)
        .await?
        .into_iter()
        .filter(|t| t.kind == "api")
        .collect();
    page(&TokensPage {
        c: signed.ctx.chrome(&state, "admin"),
        tokens,
    })
}

/// The new token is shown once, in the message of the next page.
async fn create_token(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/tokens";
    let (_, token) = auth::create_api_token(&state.app, signed.actor.id(), form.text("name"))
        .await
        .or_back(back)?;
    let text = state.i18n.text(
        signed.ctx.lang,
        "token-created",
        &[("token", crate::i18n::Arg::Text(token))],
    );
    Ok(super::session::redirect_with(
        back,
        Some(Flash { error: false, text }),
        signed.ctx.secure,
    ))
}

async fn revoke_token(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(_): Submitted,
) -> Result<Response, PageError> {
    let back = "/admin/tokens";
    auth::revoke_token(&state.app, &signed.actor, id).await.or_back(back)?;
    Ok(done(&signed.ctx, &state, back, "token-revoked"))
}
