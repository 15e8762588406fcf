//! A customer admin's page: the organization's people, who is on which team, invitations and
//! requests to join. The use cases decide what a customer admin may do; staff use the admin API.

use std::collections::HashMap;

use askama::Template;
use atende_app::{
    Team, directory, entitlements,
    invitations::{self, InviteInput},
    teams,
};
use atende_domain::{
    Role,
    entities::{JoinRequest, JoinStatus, User},
};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};

use super::{OrBack, PageError, Signed, chrome::Chrome, done, form::Submitted, page, session::Flash};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/organization", get(show))
        .route("/portal/organization/invite", post(invite))
        .route("/portal/organization/teams", post(change_team))
        .route("/portal/join-requests/{id}", post(decide))
}

const BACK: &str = "/portal/organization";

/// A team (a contract's or a bot's) and its members.
struct TeamView {
    /// `c<contract>` or `b<contract>-<bot>`, as the forms send it.
    key: String,
    label: String,
    members: Vec<User>,
}

#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationPage {
    c: Chrome,
    people: Vec<User>,
    teams: Vec<TeamView>,
    requests: Vec<JoinRequest>,
    names: HashMap<i64, String>,
    team_names: HashMap<String, String>,
}

impl OrganizationPage {
    fn name(&self, id: impl super::chrome::By<i64>) -> &str {
        self.names.get(&id.get()).map(String::as_str).unwrap_or_default()
    }

    fn team_of(&self, request: &JoinRequest) -> &str {
        let key = match request.bot_id {
            Some(bot) => format!("b{}-{bot}", request.contract_id),
            None => format!("c{}", request.contract_id),
        };
        self.team_names.get(&key).map(String::as_str).unwrap_or_default()
    }
}

fn team_of_key(key: &str) -> Option<Team> {
    if let Some(contract) = key.strip_prefix('c') {
        return contract.parse().ok().map(Team::Contract);
    }
    let (_, bot) = key.strip_prefix('b')?.split_once('-')?;
    bot.parse().ok().map(Team::Bot)
}

async fn show(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    let actor = &signed.actor;
    let organization = actor
        .administered_organization()
        .ok_or(atende_app::AppError::Forbidden("customer_admin_only"))?;
    let people = directory::list_users(&state.app, actor, Some(organization)).await?;
    let mut teams_view = Vec::new();
    for offer in entitlements::offers(&state.app, actor).await? {
        let contract = &offer.contract;
        teams_view.push(TeamView {
            key: format!("c{}", contract.id),
            label: format!("{} ({})", contract.name, offer.plan.name),
            members: teams::members(&state.app, actor, Team::Contract(contract.id)).await?,
        });
        for bot in &offer.bots {
            teams_view.push(TeamView {
                key: format!("b{}-{}", contract.id, bot.id),
                label: format!("{} › {}", contract.name, bot.name),
                members: teams::members(&state.app, actor, Team::Bot(bot.id)).await?,
            });
        }
    }
    let requests = invitations::list_join_requests(&state.app, actor, Some(JoinStatus::Pending)).await?;
    let ids: Vec<i64> = requests.iter().map(|r| r.user_id).collect();
    let names = directory::display_names(&state.app, &ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    let team_names = teams_view.iter().map(|t| (t.key.clone(), t.label.clone())).collect();
    page(&OrganizationPage {
        c: signed.ctx.chrome(&state, "organization"),
        people,
        teams: teams_view,
        requests,
        names,
        team_names,
    })
}

async fn invite(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let team = form.opt("team").and_then(team_of_key);
    let (contract_id, bot_id) = match (team, form.opt("team")) {
        (Some(Team::Contract(c)), _) => (Some(c), None),
        (Some(Team::Bot(b)), Some(key)) => (
            key.strip_prefix('b')
                .and_then(|k| k.split_once('-'))
                .and_then(|(c, _)| c.parse().ok()),
            Some(b),
        ),
        _ => (None, None),
    };
    let role = if form.text("role") == "customer_admin" {
        Role::CustomerAdmin
    } else {
        Role::Customer
    };
    let input = InviteInput {
        email: form.text("email").to_owned(),
        organization_id: signed.actor.administered_organization(),
        contract_id,
        bot_id,
        role,
    };
    let created = invitations::invite(&state.app, &signed.actor, input)
        .await
        .or_back(BACK)?;
    // Until the e-mail channel sends it, the inviter passes the link on (when they may see it).
    let text = match created.accept_url {
        Some(url) => state.i18n.text(
            signed.ctx.lang,
            "invitation-created",
            &[("url", crate::i18n::Arg::Text(url))],
        ),
        None => state.i18n.text(signed.ctx.lang, "invitation-created-for-address", &[]),
    };
    Ok(super::session::redirect_with(
        BACK,
        Some(Flash { error: false, text }),
        signed.ctx.secure,
    ))
}

async fn change_team(
    State(state): State<AppState>,
    signed: Signed,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let team = team_of_key(form.text("team")).ok_or_else(|| PageError::invalid_field("team").back(BACK))?;
    let user: i64 = form.parse("user").or_back(BACK)?;
    if form.text("action") == "remove" {
        teams::remove_member(&state.app, &signed.actor, team, user)
            .await
            .or_back(BACK)?;
        Ok(done(&signed.ctx, &state, BACK, "team-member-removed"))
    } else {
        teams::add_member(&state.app, &signed.actor, team, user)
            .await
            .or_back(BACK)?;
        Ok(done(&signed.ctx, &state, BACK, "team-member-added"))
    }
}

async fn decide(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let approve = form.text("decision") == "approve";
    invitations::decide_join_request(&state.app, &signed.actor, id, approve)
        .await
        .or_back(BACK)?;
    let key = if approve { "join-approved" } else { "join-rejected" };
    Ok(done(&signed.ctx, &state, BACK, key))
}
