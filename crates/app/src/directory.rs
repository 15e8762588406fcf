//! Organizations and users.

use atende_domain::{
    Email, Lang, ParseError, Role,
    entities::{Organization, User},
    text::bounded,
};
use atende_store::{
    Conn,
    directory::{self, NewUser},
    membership,
};

use crate::{Actor, App, AppError, Result, auth, auth::commit};

pub async fn create_organization(app: &App, actor: &Actor, name: &str) -> Result<Organization> {
    actor.require_staff()?;
    let name = bounded("name", name, 200)?;
    let mut tx = app.db.begin().await?;
    let org = directory::insert_organization(&mut tx, &name, app.clock.now()).await?;
    commit(tx).await?;
    Ok(org)
}

pub async fn rename_organization(app: &App, actor: &Actor, id: i64, name: &str) -> Result<Organization> {
    let name = bounded("name", name, 200)?;
    let mut tx = app.db.begin().await?;
    let org = visible_organization(&mut tx, actor, id).await?;
    actor.require_staff()?;
    directory::rename_organization(&mut tx, id, &name).await?;
    commit(tx).await?;
    Ok(Organization { name, ..org })
}

pub async fn list_organizations(app: &App, actor: &Actor) -> Result<Vec<Organization>> {
    let mut conn = app.db.read().await?;
    let only = if actor.is_staff() {
        None
    } else {
        match actor.user.organization_id {
            Some(id) => Some(id),
            None => return Ok(Vec::new()),
        }
    };
    Ok(directory::list_organizations(&mut conn, only).await?)
}

pub async fn get_organization(app: &App, actor: &Actor, id: i64) -> Result<Organization> {
    let mut conn = app.db.read().await?;
    visible_organization(&mut conn, actor, id).await
}

async fn visible_organization(conn: &mut atende_store::Conn, actor: &Actor, id: i64) -> Result<Organization> {
    if !actor.sees_organization(id) {
        return Err(AppError::NotFound("organization"));
    }
    directory::get_organization(conn, id)
        .await?
        .ok_or(AppError::NotFound("organization"))
}

/// A user created by an admin (any role) or an agent (customers only), with a password.
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub password: Option<String>,
    pub language: Option<Lang>,
    pub time_zone: Option<String>,
}

pub async fn create_user(app: &App, actor: Option<&Actor>, input: CreateUser) -> Result<User> {
    // `None` is the operator at the command line, who may create anyone (the first admin).
    if let Some(actor) = actor {
        actor.require_staff()?;
        if input.role.is_staff() && !actor.is_admin() {
            return Err(AppError::Forbidden("admin_only"));
        }
    }
    let email = Email::parse(&input.email)?;
    let name = bounded("name", &input.name, 200)?;
    let time_zone = parse_time_zone(input.time_zone.as_deref(), app)?;
    if input.role.is_customer() && input.organization_id.is_none() && input.role == Role::CustomerAdmin {
        return Err(AppError::Rejected("user.customer_admin_needs_organization"));
    }
    if input.role.is_staff() && input.organization_id.is_some() {
        return Err(AppError::Rejected("user.staff_without_organization"));
    }
    let password_hash = match &input.password {
        Some(p) => Some(auth::hash_password(p).await?),
        None => None,
    };
    let mut tx = app.db.begin().await?;
    if let Some(org) = input.organization_id
        && directory::get_organization(&mut tx, org).await?.is_none()
    {
        return Err(AppError::NotFound("organization"));
    }
    let user = directory::insert_user(
        &mut tx,
        &NewUser {
            email: email.as_str(),
            name: &name,
            role: input.role,
            organization_id: input.organization_id,
            password_hash: password_hash.as_deref(),
            language: input.language,
            time_zone: &time_zone,
            registered: password_hash.is_some(),
        },
        app.clock.now(),
    )
    .await?;
    commit(tx).await?;
    Ok(user)
}

pub(crate) fn parse_time_zone(raw: Option<&str>, app: &App) -> Result<String> {
    match raw {
        None => Ok(app.settings.time_zone.iana_name().unwrap_or("UTC").to_owned()),
        Some(name) => jiff::tz::TimeZone::get(name.trim())
            .map(|_| name.trim().to_owned())
            .map_err(|_| {
                ParseError::Invalid {
                    field: "time_zone",
                    reason: "time_zone_unknown",
                }
                .into()
            }),
    }
}

/// Users the actor may list: everyone for staff, their organization for a customer admin.
pub async fn list_users(app: &App, actor: &Actor, organization_id: Option<i64>) -> Result<Vec<User>> {
    let org = if actor.is_staff() {
        organization_id
    } else {
        let own = actor
            .administered_organization()
            .ok_or(AppError::Forbidden("customer_admin_only"))?;
        if organization_id.is_some_and(|o| o != own) {
            return Err(AppError::NotFound("organization"));
        }
        Some(own)
    };
    let mut conn = app.db.read().await?;
    Ok(directory::list_users(&mut conn, org, 1000).await?)
}

pub async fn get_user(app: &App, actor: &Actor, id: i64) -> Result<User> {
    let mut conn = app.db.read().await?;
    let user = directory::get_user(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let visible = actor.is_staff()
        || actor.id() == id
        || (actor.administered_organization().is_some() && actor.administered_organization() == user.organization_id);
    if visible {
        Ok(user)
    } else {
        Err(AppError::NotFound("user"))
    }
}

/// Changes to a user; `None` leaves a field alone. `language: Some(None)` clears the choice.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub language: Option<Option<Lang>>,
    pub time_zone: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<Option<i64>>,
}

/// Users change their own name, language and time zone; admins may change anyone's role and
/// organization too; agents may move customers between organizations.
pub async fn update_user(app: &App, actor: &Actor, id: i64, changes: UserChanges) -> Result<User> {
    let mut tx = app.db.begin().await?;
    let mut user = directory::get_user(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let before = user.clone();
    let own = actor.id() == id;
    if !own && !actor.is_staff() {
        return Err(AppError::NotFound("user"));
    }
    if let Some(name) = changes.name {
        user.name = bounded("name", &name, 200)?;
    }
    if let Some(language) = changes.language {
        user.language = language;
    }
    if let Some(tz) = changes.time_zone {
        user.time_zone = parse_time_zone(Some(&tz), app)?;
    }
    if let Some(role) = changes.role {
        actor.require_admin()?;
        user.role = role;
    }
    if let Some(org) = changes.organization_id {
        actor.require_staff()?;
        if user.role.is_staff() && !actor.is_admin() {
            return Err(AppError::Forbidden("admin_only"));
        }
        if let Some(org) = org
            && directory::get_organization(&mut tx, org).await?.is_none()
        {
            return Err(AppError::NotFound("organization"));
        }
        user.organization_id = org;
    }
    if user.role.is_staff() && user.organization_id.is_some() {
        return Err(AppError::Rejected("user.staff_without_organization"));
    }
    if user.role == Role::CustomerAdmin && user.organization_id.is_none() {
        return Err(AppError::Rejected("user.customer_admin_needs_organization"));
    }
    if user.organization_id != before.organization_id || (user.role.is_staff() && !before.role.is_staff()) {
        membership::drop_memberships_outside(&mut tx, user.id, user.organization_id).await?;
    }
    if before.role.is_staff() && !user.role.is_staff() {
        membership::drop_staff_duties(&mut tx, user.id).await?;
    }
    directory::update_user(&mut tx, &user).await?;
    commit(tx).await?;
    Ok(user)
}

/// Someone shown beside what they wrote.
pub struct Person {
    pub name: String,
    pub staff: bool,
}

/// The people of a conversation the actor can read (the caller passes the authors of what it
/// shows, so no one learns names they would not see anyway).
pub async fn display_names(app: &App, ids: &[i64]) -> Result<std::collections::HashMap<i64, Person>> {
    let mut conn = app.db.read().await?;
    people_on(&mut conn, ids).await
}

/// `display_names` on the caller's connection.
pub(crate) async fn people_on(conn: &mut Conn, ids: &[i64]) -> Result<std::collections::HashMap<i64, Person>> {
    Ok(directory::users_by_ids(conn, ids)
        .await?
        .into_iter()
        .map(|u| {
            let person = Person {
                staff: u.role.is_staff(),
                name: u.name,
            };
            (u.id, person)
        })
        .collect())
}

/// The support staff, for assigning tickets (staff only).
pub async fn list_staff(app: &App, actor: &Actor) -> Result<Vec<User>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(directory::list_staff(&mut conn).await?)
}

/// The user with this e-mail address (staff looking up a caller).
pub async fn find_by_email(app: &App, actor: &Actor, email: &str) -> Result<User> {
    actor.require_staff()?;
    let email = atende_domain::Email::parse(email)?;
    let mut conn = app.db.read().await?;
    directory::find_user_by_email(&mut conn, email.as_str())
        .await?
        .ok_or(AppError::NotFound("user"))
}
