//! The remedies that keep a refusal from being a dead end: invitations to a team (the way to
//! register) and requests to join a contract's or bot's team.

use atende_domain::{
    Email, Lang, Role,
    entities::{Invitation, JoinRequest, JoinStatus, User},
    text::bounded,
};
use atende_store::{
    Filter, directory,
    membership::{self, NewInvitation, Team},
};
use jiff::{SignedDuration, Timestamp};

use crate::{
    Actor, App, AppError, Result,
    auth::{self, Session, commit, token_hash},
    directory::parse_time_zone,
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
    teams::{visible_bot, visible_contract},
};

pub struct InviteInput {
    pub email: String,
    pub organization_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub bot_id: Option<i64>,
    pub role: Role,
}

pub struct CreatedInvitation {
    pub invitation: Invitation,
    /// Shown once; the invitee uses it to accept. `None` when the link may go only to the
    /// invitee's own address (see `invite`).
    pub token: Option<String>,
    pub accept_url: Option<String>,
}

/// Invites an e-mail address to an organization, and to a contract's or a bot's team.
pub async fn invite(app: &App, actor: &Actor, input: InviteInput) -> Result<CreatedInvitation> {
    let email = Email::parse(&input.email)?;
    if input.role.is_staff() {
        return Err(AppError::Rejected("invitation.customers_only"));
    }
    let mut tx = app.db.begin().await?;
    let (organization_id, contract_id) = match (input.contract_id, input.bot_id) {
        (_, Some(bot)) => {
            let (bot, contract) = visible_bot(&mut tx, actor, bot).await?;
            if input.contract_id.is_some_and(|c| c != bot.contract_id) {
                return Err(AppError::Rejected("invitation.bot_not_in_contract"));
            }
            (contract.organization_id, None)
        }
        (Some(contract), None) => (
            visible_contract(&mut tx, actor, contract).await?.organization_id,
            Some(contract),
        ),
        (None, None) => {
            let org = input
                .organization_id
                .ok_or(AppError::Rejected("invitation.needs_target"))?;
            if !actor.sees_organization(org) {
                return Err(AppError::NotFound("organization"));
            }
            directory::get_organization(&mut tx, org)
                .await?
                .ok_or(AppError::NotFound("organization"))?;
            (org, None)
        }
    };
    if input.organization_id.is_some_and(|o| o != organization_id) {
        return Err(AppError::Rejected("invitation.other_organization"));
    }
    if !actor.manages_organization(organization_id) {
        return Err(AppError::Forbidden("manager_only"));
    }
    let existing = directory::find_user_by_email(&mut tx, email.as_str()).await?;
    let lang = existing
        .as_ref()
        .and_then(|u| u.language)
        .unwrap_or(app.settings.default_language);
    if let Some(existing) = &existing
        && (existing.role.is_staff() || existing.organization_id.is_some_and(|o| o != organization_id))
    {
        return Err(AppError::Rejected("invitation.user_in_other_organization"));
    }
    // Accepting sets the password of a contact who already has tickets here; a customer admin who
    // held the link could become that person. Such a link goes only to the address itself.
    let to_the_address_only = !actor.is_staff() && existing.is_some_and(|u| u.registered_at.is_none());
    let token = auth::new_token()?;
    let now = app.clock.now();
    let invitation = membership::insert_invitation(
        &mut tx,
        &NewInvitation {
            token_hash: &token_hash(&token),
            email: email.as_str(),
            organization_id,
            contract_id,
            bot_id: input.bot_id,
            role: input.role,
            invited_by: actor.id(),
            expires_at: now + SignedDuration::from_hours(24 * app.settings.invitation_days),
        },
        now,
    )
    .await?;
    let accept_url = format!("{}/invitations/{token}", app.settings.public_url.trim_end_matches('/'));
    let organization = directory::get_organization(&mut tx, organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let texts = I18n::shared();
    let letter = Letter::notice(
        "invitation",
        format!("invitation:{}", invitation.id),
        email.as_str().to_owned(),
        lang,
        texts.text(
            lang,
            "mail-invite-subject",
            &[("organization", Arg::Text(organization.clone()))],
        ),
        vec![
            texts.text(
                lang,
                "mail-invite-body",
                &[
                    ("inviter", Arg::Text(actor.user.name.clone())),
                    ("organization", Arg::Text(organization)),
                    ("days", Arg::Number(app.settings.invitation_days)),
                ],
            ),
            accept_url.clone(),
        ],
    );
    queue(app, &mut tx, letter).await?;
    commit(tx).await?;
    tracing::info!(invitation = invitation.id, email = %email, "invitation created");
    if to_the_address_only {
        if !app.settings.mail.outbound {
            // Without a mail server the letter waits in the outbox; the operator passes the link on.
            tracing::info!(target: "atende::mail", to = %email, url = %accept_url, "invitation link (no mail server configured)");
        }
        return Ok(CreatedInvitation {
            invitation,
            token: None,
            accept_url: None,
        });
    }
    Ok(CreatedInvitation {
        invitation,
        token: Some(token),
        accept_url: Some(accept_url),
    })
}

/// What an invitation offers, for the page the invitee lands on.
pub struct InvitationView {
    pub invitation: Invitation,
    pub organization_name: String,
    pub contract_name: Option<String>,
    pub bot_name: Option<String>,
    pub existing_account: bool,
}

async fn usable_invitation(conn: &mut atende_store::Conn, token: &str, now: Timestamp) -> Result<Invitation> {
    let invitation = membership::invitation_by_token(conn, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound("invitation"))?;
    if invitation.accepted_at.is_some() {
        return Err(AppError::Rejected("invitation.used"));
    }
    if invitation.expires_at <= now {
        return Err(AppError::Rejected("invitation.expired"));
    }
    Ok(invitation)
}

pub async fn show_invitation(app: &App, token: &str) -> Result<InvitationView> {
    let mut conn = app.db.read().await?;
    let invitation = usable_invitation(&mut conn, token, app.clock.now()).await?;
    let organization_name = directory::get_organization(&mut conn, invitation.organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let contract_name = match invitation.contract_id {
        Some(id) => membership::get_contract(&mut conn, id).await?.map(|c| c.name),
        None => None,
    };
    let bot_name = match invitation.bot_id {
        Some(id) => membership::get_bot(&mut conn, id).await?.map(|b| b.name),
        None => None,
    };
    let existing_account = directory::find_user_by_email(&mut conn, &invitation.email)
        .await?
        .is_some_and(|u| u.registered_at.is_some());
    Ok(InvitationView {
        invitation,
        organization_name,
        contract_name,
        bot_name,
        existing_account,
    })
}

pub struct AcceptInput {
    pub name: Option<String>,
    pub password: Option<String>,
    pub language: Option<Lang>,
    pub time_zone: Option<String>,
}

/// Accepts an invitation: registers the invitee (or, for someone who already has an account,
/// requires them to be signed in as that account) and puts them on the team. Returns a session.
pub async fn accept_invitation(app: &App, actor: Option<&Actor>, token: &str, input: AcceptInput) -> Result<Session> {
    let now = app.clock.now();
    // The token first: nothing costly (password hashing) for a request that cannot succeed.
    {
        let mut conn = app.db.read().await?;
        usable_invitation(&mut conn, token, now).await?;
    }
    let password_hash = match &input.password {
        Some(p) => Some(auth::hash_password(p).await?),
        None => None,
    };
    let mut tx = app.db.begin().await?;
    let invitation = usable_invitation(&mut tx, token, now).await?;
    let existing = directory::find_user_by_email(&mut tx, &invitation.email).await?;
    // Only a customer of no organization or of the inviting one may be brought in: never staff,
    // never someone of another organization.
    if let Some(user) = &existing
        && (user.role.is_staff() || user.organization_id.is_some_and(|o| o != invitation.organization_id))
    {
        return Err(AppError::Rejected("invitation.user_in_other_organization"));
    }
    let mut user = match existing {
        Some(user) if user.registered_at.is_some() => {
            if actor.map(Actor::id) != Some(user.id) {
                return Err(AppError::Unauthenticated("invitation.sign_in_first"));
            }
            user
        }
        Some(mut contact) => {
            // Known from a channel but never registered: this completes the registration.
            let hash = password_hash.ok_or(atende_domain::ParseError::Empty { field: "password" })?;
            directory::set_password(&mut tx, contact.id, &hash, now).await?;
            contact.language = input.language.or(contact.language);
            if let Some(name) = &input.name {
                contact.name = bounded("name", name, 200)?;
            }
            contact
        }
        None => {
            let hash = password_hash.ok_or(atende_domain::ParseError::Empty { field: "password" })?;
            let name = bounded("name", input.name.as_deref().unwrap_or_default(), 200)?;
            let time_zone = parse_time_zone(input.time_zone.as_deref(), app)?;
            directory::insert_user(
                &mut tx,
                &directory::NewUser {
                    email: &invitation.email,
                    name: &name,
                    role: invitation.role,
                    organization_id: Some(invitation.organization_id),
                    password_hash: Some(&hash),
                    language: input.language,
                    time_zone: &time_zone,
                    registered: true,
                },
                now,
            )
            .await?
        }
    };
    // Joining the organization, and taking the invitation's role when it is the higher one.
    user.organization_id = Some(invitation.organization_id);
    if invitation.role == Role::CustomerAdmin {
        user.role = Role::CustomerAdmin;
    }
    directory::update_user(&mut tx, &user).await?;
    if let Some(contract) = invitation.contract_id {
        membership::add_member(&mut tx, Team::Contract(contract), user.id, now).await?;
    }
    if let Some(bot) = invitation.bot_id {
        membership::add_member(&mut tx, Team::Bot(bot), user.id, now).await?;
    }
    if !membership::accept_invitation(&mut tx, invitation.id, user.id, now).await? {
        return Err(AppError::Rejected("invitation.used"));
    }
    let session_token = auth::new_token()?;
    let expires_at = now + SignedDuration::from_hours(24 * app.settings.session_days);
    directory::insert_token(
        &mut tx,
        user.id,
        "session",
        &token_hash(&session_token),
        "session",
        now,
        Some(expires_at),
    )
    .await?;
    let user = directory::get_user(&mut tx, user.id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    commit(tx).await?;
    Ok(Session {
        token: session_token,
        expires_at,
        user,
    })
}

// ---- join requests

/// Asks to join a contract's team, or one of its bots' teams.
pub async fn request_to_join(
    app: &App,
    actor: &Actor,
    contract_id: i64,
    bot_id: Option<i64>,
    message: &str,
) -> Result<JoinRequest> {
    let message = message.trim();
    if message.chars().count() > 2000 {
        return Err(atende_domain::ParseError::TooLong {
            field: "message",
            max: 2000,
        }
        .into());
    }
    let mut tx = app.db.begin().await?;
    visible_contract(&mut tx, actor, contract_id).await?;
    if let Some(bot) = bot_id {
        let (bot, _) = visible_bot(&mut tx, actor, bot).await?;
        if bot.contract_id != contract_id {
            return Err(AppError::Rejected("join_request.bot_not_in_contract"));
        }
    }
    let (in_contract, in_bot) = membership::membership(&mut tx, actor.id(), contract_id, bot_id).await?;
    if (bot_id.is_none() && in_contract) || (bot_id.is_some() && in_bot) {
        return Err(AppError::Conflict("join_request.already_member"));
    }
    if membership::pending_join_request(&mut tx, actor.id(), contract_id, bot_id)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict("join_request.pending"));
    }
    let request =
        membership::insert_join_request(&mut tx, actor.id(), contract_id, bot_id, message, app.clock.now()).await?;
    commit(tx).await?;
    Ok(request)
}

/// Staff see every request; a customer admin their organization's; a customer their own.
pub async fn list_join_requests(app: &App, actor: &Actor, status: Option<JoinStatus>) -> Result<Vec<JoinRequest>> {
    let mut filter = Filter::new();
    if let Some(status) = status {
        filter = filter.text_eq("status", status.code());
    }
    if !actor.is_staff() {
        filter = match actor.administered_organization() {
            Some(org) => filter.int(
                "(user_id = ? OR contract_id IN (SELECT id FROM contracts WHERE organization_id = ?))",
                &[actor.id(), org],
            ),
            None => filter.int_eq("user_id", actor.id()),
        };
    }
    let mut conn = app.db.read().await?;
    Ok(membership::list_join_requests(&mut conn, filter).await?)
}

/// Approves (adding the requester to the team) or rejects a pending request.
pub async fn decide_join_request(app: &App, actor: &Actor, id: i64, approve: bool) -> Result<(JoinRequest, User)> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let request = membership::get_join_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("join_request"))?;
    let contract = visible_contract(&mut tx, actor, request.contract_id)
        .await
        .map_err(|_| AppError::NotFound("join_request"))?;
    if !actor.manages_organization(contract.organization_id) {
        return Err(if request.user_id == actor.id() {
            AppError::Forbidden("manager_only")
        } else {
            AppError::NotFound("join_request")
        });
    }
    let status = if approve {
        JoinStatus::Approved
    } else {
        JoinStatus::Rejected
    };
    if !membership::decide_join_request(&mut tx, id, status, actor.id(), now).await? {
        return Err(AppError::Rejected("join_request.already_decided"));
    }
    let user = directory::get_user(&mut tx, request.user_id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if approve {
        // The requester may have changed organization since asking.
        if user.organization_id != Some(contract.organization_id) {
            return Err(AppError::Rejected("membership.other_organization"));
        }
        let team = request.bot_id.map_or(Team::Contract(request.contract_id), Team::Bot);
        membership::add_member(&mut tx, team, request.user_id, now).await?;
    }
    commit(tx).await?;
    Ok((
        JoinRequest {
            status,
            decided_by: Some(actor.id()),
            decided_at: Some(now),
            ..request
        },
        user,
    ))
}
