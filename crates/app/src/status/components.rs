//! Components: admins arrange them (groups one level deep); staff set their states, each change
//! kept for uptime.

use atende_domain::{ParseError, status::ComponentStatus, text::bounded};
use atende_store::{
    Conn,
    status::{self as store, NewComponent},
};

use super::Component;
use crate::{Actor, App, AppError, Result, auth::commit};

pub struct ComponentInput {
    pub code: String,
    pub name: String,
    pub description: String,
    pub group_id: Option<i64>,
    pub position: i64,
}

fn check_component(input: &ComponentInput) -> Result<()> {
    let code = bounded("code", &input.code, 50)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(ParseError::Invalid {
            field: "code",
            reason: "code_chars",
        }
        .into());
    }
    if input.name.chars().count() > 100 {
        return Err(ParseError::TooLong {
            field: "name",
            max: 100,
        }
        .into());
    }
    if input.description.chars().count() > 500 {
        return Err(ParseError::TooLong {
            field: "description",
            max: 500,
        }
        .into());
    }
    Ok(())
}

/// A group is a component without a group; groups do not nest.
async fn check_group(conn: &mut Conn, group_id: Option<i64>, id: Option<i64>) -> Result<()> {
    let Some(group_id) = group_id else {
        return Ok(());
    };
    let group = store::get_component(conn, group_id)
        .await?
        .ok_or(AppError::NotFound("component"))?;
    if group.group_id.is_some() || Some(group_id) == id {
        return Err(AppError::Rejected("component.group_nesting"));
    }
    if let Some(id) = id
        && store::list_components(conn)
            .await?
            .iter()
            .any(|c| c.group_id == Some(id))
    {
        return Err(AppError::Rejected("component.group_nesting"));
    }
    Ok(())
}

pub async fn create_component(app: &App, actor: &Actor, input: ComponentInput) -> Result<Component> {
    actor.require_admin()?;
    check_component(&input)?;
    let mut tx = app.db.begin().await?;
    check_group(&mut tx, input.group_id, None).await?;
    let new = NewComponent {
        code: input.code.trim(),
        name: input.name.trim(),
        description: input.description.trim(),
        group_id: input.group_id,
        position: input.position,
    };
    let component = store::insert_component(&mut tx, &new, app.clock.now()).await?;
    commit(tx).await?;
    Ok(component)
}

pub async fn update_component(app: &App, actor: &Actor, id: i64, input: ComponentInput) -> Result<Component> {
    actor.require_admin()?;
    check_component(&input)?;
    let mut tx = app.db.begin().await?;
    check_group(&mut tx, input.group_id, Some(id)).await?;
    let new = NewComponent {
        code: input.code.trim(),
        name: input.name.trim(),
        description: input.description.trim(),
        group_id: input.group_id,
        position: input.position,
    };
    let component = store::update_component(&mut tx, id, &new, app.clock.now())
        .await?
        .ok_or(AppError::NotFound("component"))?;
    commit(tx).await?;
    Ok(component)
}

pub async fn delete_component(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !store::delete_component(&mut tx, id).await? {
        return Err(AppError::NotFound("component"));
    }
    commit(tx).await
}

/// Sets one component's state outside any incident (a quick correction).
pub async fn set_component_status(app: &App, actor: &Actor, id: i64, status: ComponentStatus) -> Result<Component> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    store::set_component_status(&mut tx, id, status, app.clock.now())
        .await?
        .ok_or(AppError::NotFound("component"))?;
    let component = store::get_component(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("component"))?;
    commit(tx).await?;
    Ok(component)
}
