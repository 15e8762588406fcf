//! Groups (queues) of support staff: tickets are routed to a group, and the group's agents hear
//! about its unassigned tickets' service levels.

use atende_domain::{
    entities::{Group, User},
    text::bounded,
};
use atende_store::{
    directory,
    membership::{self, Team},
};

use crate::{Actor, App, AppError, Result, auth::commit};

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Group>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(membership::list_groups(&mut conn).await?)
}

pub async fn create(app: &App, actor: &Actor, name: &str) -> Result<Group> {
    actor.require_admin()?;
    let name = bounded("name", name, 100)?;
    let mut tx = app.db.begin().await?;
    let group = membership::insert_group(&mut tx, &name, app.clock.now()).await?;
    commit(tx).await?;
    Ok(group)
}

pub async fn rename(app: &App, actor: &Actor, id: i64, name: &str) -> Result<Group> {
    actor.require_admin()?;
    let name = bounded("name", name, 100)?;
    let mut tx = app.db.begin().await?;
    let group = membership::get_group(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("group"))?;
    membership::rename_group(&mut tx, id, &name).await?;
    commit(tx).await?;
    Ok(Group { name, ..group })
}

pub async fn members(app: &App, actor: &Actor, id: i64) -> Result<Vec<User>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    membership::get_group(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("group"))?;
    Ok(membership::members(&mut conn, Team::Group(id)).await?)
}

/// Adds a member of the support staff to the group (admins).
pub async fn add_member(app: &App, actor: &Actor, id: i64, user_id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    membership::get_group(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("group"))?;
    let user = directory::get_user(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if !user.role.is_staff() {
        return Err(AppError::Rejected("group.member_not_staff"));
    }
    membership::add_member(&mut tx, Team::Group(id), user_id, app.clock.now()).await?;
    commit(tx).await
}

pub async fn remove_member(app: &App, actor: &Actor, id: i64, user_id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !membership::remove_member(&mut tx, Team::Group(id), user_id).await? {
        return Err(AppError::NotFound("member"));
    }
    commit(tx).await
}
