//! The status page's records: components and their status history, incidents and maintenances
//! with their updates, and the tickets linked to them.
//! Subscribers and their webhook deliveries are in `subscribers`.

mod incidents;
mod subscribers;

pub use incidents::*;
pub use subscribers::*;

use std::collections::HashMap;

use atende_domain::status::{ComponentStatus, StatusChange};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Result, StoreError,
    rows::{get_i64, get_opt_i64, get_parsed, get_str, get_ts, ms},
};

// ---- components

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub group_id: Option<i64>,
    pub position: i64,
    pub status: ComponentStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COMPONENT_COLUMNS: &str = "id, code, name, description, group_id, position, status, created_at, updated_at";

fn component_from_row(row: &AnyRow) -> Result<Component> {
    Ok(Component {
        id: get_i64(row, "id")?,
        code: get_str(row, "code")?,
        name: get_str(row, "name")?,
        description: get_str(row, "description")?,
        group_id: get_opt_i64(row, "group_id")?,
        position: get_i64(row, "position")?,
        status: get_parsed(row, "status")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub struct NewComponent<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub group_id: Option<i64>,
    pub position: i64,
}

/// Adds an operational component; its history starts with that state.
pub async fn insert_component(conn: &mut Conn, new: &NewComponent<'_>, now: Timestamp) -> Result<Component> {
    let sql = format!(
        "INSERT INTO status_components (code, name, description, group_id, position, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'operational', $6, $6) RETURNING {COMPONENT_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.code)
        .bind(new.name)
        .bind(new.description)
        .bind(new.group_id)
        .bind(new.position)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("component")(e))?;
    let component = component_from_row(&row)?;
    record_change(conn, component.id, ComponentStatus::Operational, now).await?;
    Ok(component)
}

pub async fn update_component(
    conn: &mut Conn,
    id: i64,
    new: &NewComponent<'_>,
    now: Timestamp,
) -> Result<Option<Component>> {
    let sql = format!(
        "UPDATE status_components SET code = $1, name = $2, description = $3, group_id = $4, position = $5, updated_at = $6 \
         WHERE id = $7 RETURNING {COMPONENT_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.code)
        .bind(new.name)
        .bind(new.description)
        .bind(new.group_id)
        .bind(new.position)
        .bind(ms(now))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("component")(e))?;
    row.as_ref().map(component_from_row).transpose()
}

pub async fn delete_component(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_components WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Groups first by position, each followed by its members.
pub async fn list_components(conn: &mut Conn) -> Result<Vec<Component>> {
    let sql = format!("SELECT {COMPONENT_COLUMNS} FROM status_components ORDER BY position, id");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(component_from_row).collect()
}

pub async fn get_component(conn: &mut Conn, id: i64) -> Result<Option<Component>> {
    let sql = format!("SELECT {COMPONENT_COLUMNS} FROM status_components WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(component_from_row).transpose()
}

async fn record_change(conn: &mut Conn, id: i64, status: ComponentStatus, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO status_changes (component_id, status, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(status.code())
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sets a component's state and keeps it in the history; returns the state it had, or `None`
/// when there is no such component. Setting the same state again records nothing.
pub async fn set_component_status(
    conn: &mut Conn,
    id: i64,
    status: ComponentStatus,
    now: Timestamp,
) -> Result<Option<ComponentStatus>> {
    let Some(current) = get_component(conn, id).await? else {
        return Ok(None);
    };
    if current.status != status {
        sqlx::query("UPDATE status_components SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(ms(now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        record_change(conn, id, status, now).await?;
    }
    Ok(Some(current.status))
}

/// Every component's changes from `since` on, plus the one in force at `since`, in time order.
pub async fn changes_since(conn: &mut Conn, since: Timestamp) -> Result<HashMap<i64, Vec<StatusChange>>> {
    let rows = sqlx::query(
        "SELECT c.component_id, c.status, c.at FROM status_changes c \
         WHERE c.at >= $1 OR c.id = (SELECT MAX(p.id) FROM status_changes p WHERE p.component_id = c.component_id AND p.at < $1) \
         ORDER BY c.component_id, c.at, c.id",
    )
    .bind(ms(since))
    .fetch_all(&mut *conn)
    .await?;
    let mut all: HashMap<i64, Vec<StatusChange>> = HashMap::new();
    for row in &rows {
        all.entry(get_i64(row, "component_id")?)
            .or_default()
            .push(StatusChange {
                at: get_ts(row, "at")?,
                status: get_parsed(row, "status")?,
            });
    }
    Ok(all)
}
