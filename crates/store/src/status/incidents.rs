//! Incidents and maintenances, their updates, the components they affect, the customers they
//! concern, and the tickets that follow them.

use std::collections::HashMap;

use atende_domain::status::Impact;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result,
    rows::{get_i64, get_opt_i64, get_opt_str, get_opt_ts, get_parsed, get_str, get_ts, ms},
};

// ---- incidents and maintenances

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: i64,
    /// `incident` or `maintenance`.
    pub kind: String,
    pub name: String,
    /// An `IncidentStatus` or a `MaintenanceStatus` code, by kind.
    pub status: String,
    pub impact: Impact,
    pub postmortem: Option<String>,
    pub scheduled_for: Option<Timestamp>,
    pub scheduled_until: Option<Timestamp>,
    pub short_notice: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub started_at: Timestamp,
    pub monitoring_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
}

const INCIDENT_COLUMNS: &str = "id, kind, name, status, impact, postmortem, scheduled_for, scheduled_until, short_notice, \
     created_by, created_at, updated_at, started_at, monitoring_at, resolved_at";

fn incident_from_row(row: &AnyRow) -> Result<Incident> {
    Ok(Incident {
        id: get_i64(row, "id")?,
        kind: get_str(row, "kind")?,
        name: get_str(row, "name")?,
        status: get_str(row, "status")?,
        impact: get_parsed(row, "impact")?,
        postmortem: get_opt_str(row, "postmortem")?,
        scheduled_for: get_opt_ts(row, "scheduled_for")?,
        scheduled_until: get_opt_ts(row, "scheduled_until")?,
        short_notice: get_opt_str(row, "short_notice")?,
        created_by: get_opt_i64(row, "created_by")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
        started_at: get_ts(row, "started_at")?,
        monitoring_at: get_opt_ts(row, "monitoring_at")?,
        resolved_at: get_opt_ts(row, "resolved_at")?,
    })
}

pub struct NewIncident<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub status: &'a str,
    pub impact: Impact,
    pub scheduled_for: Option<Timestamp>,
    pub scheduled_until: Option<Timestamp>,
    pub short_notice: Option<&'a str>,
    pub created_by: i64,
    pub started_at: Timestamp,
}

pub async fn insert_incident(conn: &mut Conn, new: &NewIncident<'_>, now: Timestamp) -> Result<Incident> {
    let sql = format!(
        "INSERT INTO status_incidents (kind, name, status, impact, scheduled_for, scheduled_until, short_notice, created_by, \
         created_at, updated_at, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING {INCIDENT_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.kind)
        .bind(new.name)
        .bind(new.status)
        .bind(new.impact.code())
        .bind(new.scheduled_for.map(ms))
        .bind(new.scheduled_until.map(ms))
        .bind(new.short_notice)
        .bind(new.created_by)
        .bind(ms(now))
        .bind(ms(new.started_at))
        .fetch_one(&mut *conn)
        .await?;
    incident_from_row(&row)
}

/// What an update changes on its incident.
pub struct IncidentChange<'a> {
    pub name: &'a str,
    pub status: &'a str,
    pub impact: Impact,
    pub postmortem: Option<&'a str>,
    pub monitoring_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
}

pub async fn update_incident(
    conn: &mut Conn,
    id: i64,
    change: &IncidentChange<'_>,
    now: Timestamp,
) -> Result<Incident> {
    let sql = format!(
        "UPDATE status_incidents SET name = $1, status = $2, impact = $3, postmortem = $4, monitoring_at = $5, \
         resolved_at = $6, updated_at = $7 WHERE id = $8 RETURNING {INCIDENT_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(change.name)
        .bind(change.status)
        .bind(change.impact.code())
        .bind(change.postmortem)
        .bind(change.monitoring_at.map(ms))
        .bind(change.resolved_at.map(ms))
        .bind(ms(now))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    incident_from_row(&row)
}

pub async fn get_incident(conn: &mut Conn, id: i64) -> Result<Option<Incident>> {
    let sql = format!("SELECT {INCIDENT_COLUMNS} FROM status_incidents WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(incident_from_row).transpose()
}

/// Newest first. `open_only` keeps those not resolved (incidents) or not completed (maintenances).
pub async fn list_incidents(conn: &mut Conn, kind: &str, open_only: bool, limit: i64) -> Result<Vec<Incident>> {
    let open = if open_only {
        "AND status NOT IN ('resolved', 'postmortem', 'completed')"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {INCIDENT_COLUMNS} FROM status_incidents WHERE kind = $1 {open} ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql).bind(kind).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(incident_from_row).collect()
}

pub async fn set_incident_components(conn: &mut Conn, incident_id: i64, components: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM status_incident_components WHERE incident_id = $1")
        .bind(incident_id)
        .execute(&mut *conn)
        .await?;
    for component in components {
        sqlx::query(
            "INSERT INTO status_incident_components (incident_id, component_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(incident_id)
        .bind(component)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The components each incident affects.
pub async fn incident_components(conn: &mut Conn, incident_ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut all: HashMap<i64, Vec<i64>> = HashMap::new();
    if incident_ids.is_empty() {
        return Ok(all);
    }
    let filter = Filter::new().int_in("incident_id", incident_ids);
    let sql = format!(
        "SELECT incident_id, component_id FROM status_incident_components {} ORDER BY component_id",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        all.entry(get_i64(&row, "incident_id")?)
            .or_default()
            .push(get_i64(&row, "component_id")?);
    }
    Ok(all)
}

// ---- updates

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub id: i64,
    pub incident_id: i64,
    pub status: String,
    pub body: String,
    /// JSON: the components' states this update set.
    pub affected: String,
    pub notify: bool,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
}

const UPDATE_COLUMNS: &str = "id, incident_id, status, body, affected, notify, created_by, created_at";

fn update_from_row(row: &AnyRow) -> Result<Update> {
    Ok(Update {
        id: get_i64(row, "id")?,
        incident_id: get_i64(row, "incident_id")?,
        status: get_str(row, "status")?,
        body: get_str(row, "body")?,
        affected: get_str(row, "affected")?,
        notify: crate::rows::get_bool(row, "notify")?,
        created_by: get_opt_i64(row, "created_by")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub struct NewUpdate<'a> {
    pub incident_id: i64,
    pub status: &'a str,
    pub body: &'a str,
    pub affected: &'a str,
    pub notify: bool,
    pub created_by: i64,
}

pub async fn insert_update(conn: &mut Conn, new: &NewUpdate<'_>, now: Timestamp) -> Result<Update> {
    let sql = format!(
        "INSERT INTO status_updates (incident_id, status, body, affected, notify, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {UPDATE_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.incident_id)
        .bind(new.status)
        .bind(new.body)
        .bind(new.affected)
        .bind(new.notify)
        .bind(new.created_by)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    update_from_row(&row)
}

/// Each incident's updates, newest first.
pub async fn updates_of(conn: &mut Conn, incident_ids: &[i64]) -> Result<HashMap<i64, Vec<Update>>> {
    let mut all: HashMap<i64, Vec<Update>> = HashMap::new();
    if incident_ids.is_empty() {
        return Ok(all);
    }
    let filter = Filter::new().int_in("incident_id", incident_ids);
    let sql = format!(
        "SELECT {UPDATE_COLUMNS} FROM status_updates {} ORDER BY id DESC",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        let update = update_from_row(&row)?;
        all.entry(update.incident_id).or_default().push(update);
    }
    Ok(all)
}

// ---- customers' tickets that follow an incident

/// Links tickets to an incident; returns how many were not linked before.
pub async fn link_tickets(
    conn: &mut Conn,
    incident_id: i64,
    ticket_ids: &[i64],
    by: i64,
    now: Timestamp,
) -> Result<usize> {
    let mut linked = 0;
    for ticket in ticket_ids {
        let done = sqlx::query(
            "INSERT INTO status_ticket_links (incident_id, ticket_id, linked_by, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(incident_id)
        .bind(ticket)
        .bind(by)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
        linked += done.rows_affected() as usize;
    }
    Ok(linked)
}

pub async fn unlink_ticket(conn: &mut Conn, incident_id: i64, ticket_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_ticket_links WHERE incident_id = $1 AND ticket_id = $2")
        .bind(incident_id)
        .bind(ticket_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn linked_tickets(conn: &mut Conn, incident_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT ticket_id FROM status_ticket_links WHERE incident_id = $1 ORDER BY ticket_id")
        .bind(incident_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "ticket_id")).collect()
}

/// A customer followed an incident from the ticket form instead of opening a ticket.
pub async fn record_deflection(conn: &mut Conn, user_id: i64, incident_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO status_deflections (user_id, incident_id, at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(incident_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Keeps which customers a maintenance concerns (JSON).
pub async fn set_segment(conn: &mut Conn, incident_id: i64, segment: &str) -> Result<()> {
    sqlx::query("UPDATE status_incidents SET segment = $1 WHERE id = $2")
        .bind(segment)
        .bind(incident_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Registered customers of these organizations, or of organizations with a contract on these plans.
pub async fn customers_of_segment(conn: &mut Conn, plans: &[String], organizations: &[i64]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    let customers = "role IN ('customer', 'customer_admin') AND registered_at IS NOT NULL";
    for plan in plans {
        let sql = format!(
            "SELECT id FROM users WHERE {customers} AND organization_id IN (SELECT organization_id FROM contracts WHERE plan_code = $1)"
        );
        for row in sqlx::query(&sql).bind(plan).fetch_all(&mut *conn).await? {
            ids.push(get_i64(&row, "id")?);
        }
    }
    for organization in organizations {
        let sql = format!("SELECT id FROM users WHERE {customers} AND organization_id = $1");
        for row in sqlx::query(&sql).bind(organization).fetch_all(&mut *conn).await? {
            ids.push(get_i64(&row, "id")?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The incidents a ticket follows.
pub async fn incidents_of_ticket(conn: &mut Conn, ticket_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT incident_id FROM status_ticket_links WHERE ticket_id = $1 ORDER BY incident_id")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "incident_id")).collect()
}
