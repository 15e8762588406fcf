//! The status page: what the public reads (components, open incidents, maintenances, uptime) and
//! what staff write (component states, incidents and maintenances with their timelines). Every
//! change of a component's state is kept, because uptime is computed from that history.

mod components;
mod incidents;
mod subscribers;

pub use components::*;
pub use incidents::*;
pub use subscribers::*;

use std::collections::HashMap;

use atende_domain::{
    TicketChannel,
    status::{ComponentStatus, DayUptime, Impact, daily_uptime, indicator},
};
use atende_store::{
    Conn,
    status::{self as store, Incident, NewComponent},
};
use jiff::Timestamp;

use crate::{App, AppError, Result, auth::commit};

/// What the HTTP edge shows of the page's records.
pub use atende_store::status::{Component, Incident as StatusIncident, Subscriber, Update};

/// The components a fresh install shows: the platform's own parts.
pub const DEFAULT_COMPONENTS: &[&str] = &["portal", "web_chat", "whatsapp", "api", "help_center", "email"];

/// Days on the uptime bars.
pub const UPTIME_DAYS: i64 = 90;

/// An incident or maintenance with what the page shows of it.
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub incident: Incident,
    pub components: Vec<i64>,
    /// Newest first.
    pub updates: Vec<Update>,
}

/// Everything the public page shows.
pub struct Page {
    pub components: Vec<Component>,
    pub indicator: Impact,
    pub incidents: Vec<IncidentView>,
    /// Scheduled or in progress, soonest first.
    pub maintenances: Vec<IncidentView>,
    pub updated_at: Timestamp,
}

/// Writes the default components once (a fresh install, or an upgrade that had none).
pub async fn ensure_defaults(app: &App) -> Result<()> {
    let mut tx = app.db.begin().await?;
    atende_store::one_at_a_time(&mut tx, "status_defaults").await?;
    if store::list_components(&mut tx).await?.is_empty() {
        for (position, code) in DEFAULT_COMPONENTS.iter().enumerate() {
            let new = NewComponent {
                code,
                name: "",
                description: "",
                group_id: None,
                position: position as i64,
            };
            store::insert_component(&mut tx, &new, app.clock.now()).await?;
        }
    }
    commit(tx).await
}

async fn views(conn: &mut Conn, incidents: Vec<Incident>) -> Result<Vec<IncidentView>> {
    let ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
    let mut components = store::incident_components(conn, &ids).await?;
    let mut updates = store::updates_of(conn, &ids).await?;
    Ok(incidents
        .into_iter()
        .map(|incident| IncidentView {
            components: components.remove(&incident.id).unwrap_or_default(),
            updates: updates.remove(&incident.id).unwrap_or_default(),
            incident,
        })
        .collect())
}

pub async fn page(app: &App) -> Result<Page> {
    let mut conn = app.db.read().await?;
    let components = store::list_components(&mut conn).await?;
    let incidents = store::list_incidents(&mut conn, "incident", true, 50).await?;
    let mut maintenances = store::list_incidents(&mut conn, "maintenance", true, 50).await?;
    maintenances.sort_by_key(|m| m.scheduled_for);
    let statuses: Vec<ComponentStatus> = components.iter().map(|c| c.status).collect();
    let impacts: Vec<Impact> = incidents.iter().map(|i| i.impact).collect();
    let updated_at = components
        .iter()
        .map(|c| c.updated_at)
        .chain(incidents.iter().map(|i| i.updated_at))
        .chain(maintenances.iter().map(|m| m.updated_at))
        .max()
        .unwrap_or_else(|| app.clock.now());
    Ok(Page {
        indicator: indicator(&statuses, &impacts),
        incidents: views(&mut conn, incidents).await?,
        maintenances: views(&mut conn, maintenances).await?,
        components,
        updated_at,
    })
}

/// The components, in their order.
pub async fn components(app: &App) -> Result<Vec<Component>> {
    let mut conn = app.db.read().await?;
    Ok(store::list_components(&mut conn).await?)
}

/// The incidents not resolved yet, newest first.
pub async fn open_incidents(app: &App) -> Result<Vec<IncidentView>> {
    let mut conn = app.db.read().await?;
    let incidents = store::list_incidents(&mut conn, "incident", true, 50).await?;
    views(&mut conn, incidents).await
}

/// Incidents or maintenances, newest first, resolved ones included (the history pages, feeds).
pub async fn history(app: &App, kind: &str, limit: i64) -> Result<Vec<IncidentView>> {
    let mut conn = app.db.read().await?;
    let incidents = store::list_incidents(&mut conn, kind, false, limit.clamp(1, 500)).await?;
    views(&mut conn, incidents).await
}

pub async fn incident(app: &App, id: i64) -> Result<IncidentView> {
    let mut conn = app.db.read().await?;
    let incident = store::get_incident(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound("incident"))?;
    let mut all = views(&mut conn, vec![incident]).await?;
    all.pop().ok_or(AppError::NotFound("incident"))
}

/// Each component's last `UPTIME_DAYS` days, in the install's time zone, oldest first.
pub async fn uptime(app: &App) -> Result<HashMap<i64, Vec<DayUptime>>> {
    let now = app.clock.now();
    let zone = app.settings.time_zone.clone();
    let today = now.to_zoned(zone.clone()).date();
    let first = today
        .checked_sub(jiff::Span::new().days(UPTIME_DAYS - 1))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let since = first
        .to_zoned(zone.clone())
        .map_err(|e| AppError::Internal(e.to_string()))?
        .timestamp();
    let mut conn = app.db.read().await?;
    let components = store::list_components(&mut conn).await?;
    let mut changes = store::changes_since(&mut conn, since).await?;
    Ok(components
        .iter()
        .map(|c| {
            let history = changes.remove(&c.id).unwrap_or_default();
            (c.id, daily_uptime(&history, c.created_at, first, today, &zone, now))
        })
        .collect())
}

/// The default component a ticket's channel depends on, by code (phone has none).
pub fn component_of_channel(channel: TicketChannel) -> Option<&'static str> {
    match channel {
        TicketChannel::Portal => Some("portal"),
        TicketChannel::Email => Some("email"),
        TicketChannel::Whatsapp => Some("whatsapp"),
        TicketChannel::Webchat => Some("web_chat"),
        TicketChannel::Api => Some("api"),
        TicketChannel::Phone => None,
    }
}

/// The public address of an incident's page.
pub fn incident_link(app: &App, id: i64) -> String {
    format!(
        "{}/status/incidents/{id}",
        app.settings.public_url.trim_end_matches('/')
    )
}
