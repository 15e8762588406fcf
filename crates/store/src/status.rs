//! The status page's records: components and their status history, incidents and maintenances
//! with their updates, and the tickets linked to them.

use std::collections::HashMap;

use atende_domain::status::{ComponentStatus, Impact, StatusChange};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result, StoreError,
    queue::DELIVERIES,
    rows::{get_i64, get_opt_i64, get_opt_str, get_opt_ts, get_parsed, get_str, get_ts, ms},
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

pub async fn incidents_of_ticket(conn: &mut Conn, ticket_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT incident_id FROM status_ticket_links WHERE ticket_id = $1 ORDER BY incident_id")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| get_i64(r, "incident_id")).collect()
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

// ---- subscribers

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub lang: String,
    /// JSON ids of the components followed; empty: all.
    pub components: String,
    pub token: String,
    pub confirmed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const SUBSCRIBER_COLUMNS: &str = "id, kind, target, lang, components, token, confirmed_at, created_at";

fn subscriber_from_row(row: &AnyRow) -> Result<Subscriber> {
    Ok(Subscriber {
        id: get_i64(row, "id")?,
        kind: get_str(row, "kind")?,
        target: get_str(row, "target")?,
        lang: get_str(row, "lang")?,
        components: get_str(row, "components")?,
        token: get_str(row, "token")?,
        confirmed_at: get_opt_ts(row, "confirmed_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// Adds an e-mail subscriber, or changes what an existing one follows (its token and its
/// confirmation stay).
pub async fn upsert_email_subscriber(
    conn: &mut Conn,
    email: &str,
    lang: &str,
    components: &str,
    token: &str,
    now: Timestamp,
) -> Result<Subscriber> {
    let sql = format!(
        "INSERT INTO status_subscribers (kind, target, lang, components, token, created_at) VALUES ('email', $1, $2, $3, $4, $5) \
         ON CONFLICT (kind, target) DO UPDATE SET lang = excluded.lang, components = excluded.components \
         RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(email)
        .bind(lang)
        .bind(components)
        .bind(token)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    subscriber_from_row(&row)
}

pub async fn confirm_subscriber(conn: &mut Conn, token: &str, now: Timestamp) -> Result<Option<Subscriber>> {
    let sql = format!(
        "UPDATE status_subscribers SET confirmed_at = COALESCE(confirmed_at, $1) WHERE token = $2 RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(ms(now))
        .bind(token)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(subscriber_from_row).transpose()
}

pub async fn delete_subscriber(conn: &mut Conn, token: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_subscribers WHERE token = $1")
        .bind(token)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn subscriber_by_token(conn: &mut Conn, token: &str) -> Result<Option<Subscriber>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers WHERE token = $1");
    let row = sqlx::query(&sql).bind(token).fetch_optional(&mut *conn).await?;
    row.as_ref().map(subscriber_from_row).transpose()
}

pub async fn confirmed_subscribers(conn: &mut Conn, kind: &str) -> Result<Vec<Subscriber>> {
    let sql = format!(
        "SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers WHERE kind = $1 AND confirmed_at IS NOT NULL ORDER BY id"
    );
    let rows = sqlx::query(&sql).bind(kind).fetch_all(&mut *conn).await?;
    rows.iter().map(subscriber_from_row).collect()
}

/// A webhook subscriber, confirmed at once (admins add them); its secret signs the payloads.
pub async fn insert_webhook_subscriber(
    conn: &mut Conn,
    url: &str,
    components: &str,
    token: &str,
    secret: &str,
    now: Timestamp,
) -> Result<Subscriber> {
    let sql = format!(
        "INSERT INTO status_subscribers (kind, target, lang, components, token, secret, confirmed_at, created_at) \
         VALUES ('webhook', $1, 'en', $2, $3, $4, $5, $5) RETURNING {SUBSCRIBER_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(url)
        .bind(components)
        .bind(token)
        .bind(secret)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::unique("subscriber")(e))?;
    subscriber_from_row(&row)
}

pub async fn list_subscribers(conn: &mut Conn, limit: i64) -> Result<Vec<Subscriber>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM status_subscribers ORDER BY id LIMIT $1");
    let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(subscriber_from_row).collect()
}

pub async fn delete_subscriber_by_id(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM status_subscribers WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

// ---- webhook deliveries: a durable queue with retries

/// Queues a payload for a subscriber; false when this key was queued before.
pub async fn enqueue_delivery(
    conn: &mut Conn,
    subscriber_id: i64,
    dedupe_key: &str,
    payload: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO status_deliveries (subscriber_id, dedupe_key, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(subscriber_id)
    .bind(dedupe_key)
    .bind(payload)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub payload: String,
    pub attempts: i64,
}

/// Claims what is due until `lease_until` (one process posts each), counting the attempt.
pub async fn claim_due_deliveries(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let sql = DELIVERIES.claim_sql("id, subscriber_id, payload, attempts");
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(ms(lease_until))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let subscriber_id = get_i64(row, "subscriber_id")?;
        let target = sqlx::query("SELECT target, secret FROM status_subscribers WHERE id = $1")
            .bind(subscriber_id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(target) = target else { continue };
        out.push(Delivery {
            id: get_i64(row, "id")?,
            url: get_str(&target, "target")?,
            secret: get_opt_str(&target, "secret")?.unwrap_or_default(),
            payload: get_str(row, "payload")?,
            attempts: get_i64(row, "attempts")?,
        });
    }
    out.sort_by_key(|d| d.id);
    Ok(out)
}

pub async fn mark_delivered(conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
    DELIVERIES.mark_done(conn, id, now).await
}

pub async fn mark_delivery_retry(conn: &mut Conn, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
    DELIVERIES.mark_retry(conn, id, next_attempt_at, error).await
}

pub async fn mark_delivery_failed(conn: &mut Conn, id: i64, now: Timestamp, error: &str) -> Result<()> {
    DELIVERIES.mark_failed(conn, id, now, error).await
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
