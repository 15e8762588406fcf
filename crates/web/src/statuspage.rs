//! The status page as Atlassian Statuspage's public API v2 gives it (`/status/api/v2/...`), field
//! for field, so that existing Statuspage clients and widgets work when given atende's status
//! address. Ids are strings there; names are the English ones (Statuspage has one language).

use atende_app::status::{self, Component, IncidentView, Page, Update};
use atende_domain::{Lang, status::Impact};
use axum::{
    Json, Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::{AppState, error::ApiError};

/// The one page this install serves.
pub const PAGE_ID: &str = "atende";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/status/api/v2/summary.json", get(summary))
        .route("/status/api/v2/status.json", get(status_only))
        .route("/status/api/v2/components.json", get(components))
        .route("/status/api/v2/incidents.json", get(incidents))
        .route("/status/api/v2/incidents/unresolved.json", get(unresolved))
        .route("/status/api/v2/scheduled-maintenances.json", get(maintenances))
        .route("/status/api/v2/scheduled-maintenances/upcoming.json", get(upcoming))
        .route("/status/api/v2/scheduled-maintenances/active.json", get(active))
}

fn time(t: Timestamp) -> Value {
    Value::String(t.to_string())
}

fn opt_time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, time)
}

/// A component's name: as the admin wrote it, else the page's English name for its code.
pub fn component_name(state: &AppState, component: &Component, lang: Lang) -> String {
    if component.name.is_empty() {
        state.i18n.text(lang, &format!("component-{}", component.code), &[])
    } else {
        component.name.clone()
    }
}

fn component_json(state: &AppState, c: &Component, all: &[Component]) -> Value {
    let members: Vec<Value> = all
        .iter()
        .filter(|m| m.group_id == Some(c.id))
        .map(|m| Value::String(m.id.to_string()))
        .collect();
    let mut value = json!({
        "id": c.id.to_string(),
        "name": component_name(state, c, Lang::En),
        "status": c.status.code(),
        "created_at": time(c.created_at),
        "updated_at": time(c.updated_at),
        "position": c.position,
        "description": if c.description.is_empty() { Value::Null } else { Value::String(c.description.clone()) },
        "showcase": true,
        "start_date": c.created_at.to_zoned(state.app.settings.time_zone.clone()).date().to_string(),
        "group_id": c.group_id.map(|g| g.to_string()),
        "page_id": PAGE_ID,
        "group": !members.is_empty(),
        "only_show_if_degraded": false,
    });
    if !members.is_empty()
        && let Some(object) = value.as_object_mut()
    {
        object.insert("components".into(), Value::Array(members));
    }
    value
}

fn update_json(state: &AppState, u: &Update, components: &[Component]) -> Value {
    let affected: Vec<Value> = serde_json::from_str::<Vec<Value>>(&u.affected)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            let id = a["id"].as_i64()?;
            let component = components.iter().find(|c| c.id == id)?;
            Some(json!({
                "code": id.to_string(),
                "name": component_name(state, component, Lang::En),
                "old_status": a["old_status"],
                "new_status": a["new_status"],
            }))
        })
        .collect();
    json!({
        "id": u.id.to_string(),
        "status": u.status,
        "body": u.body,
        "incident_id": u.incident_id.to_string(),
        "created_at": time(u.created_at),
        "updated_at": time(u.created_at),
        "display_at": time(u.created_at),
        "affected_components": if affected.is_empty() { Value::Null } else { Value::Array(affected) },
        "deliver_notifications": u.notify,
        "custom_tweet": null,
        "tweet_id": null,
    })
}

fn incident_json(state: &AppState, view: &IncidentView, components: &[Component]) -> Value {
    let i = &view.incident;
    let maintenance = i.kind == "maintenance";
    let mut value = json!({
        "id": i.id.to_string(),
        "name": i.name,
        "status": i.status,
        "created_at": time(i.created_at),
        "updated_at": time(i.updated_at),
        "monitoring_at": opt_time(i.monitoring_at),
        "resolved_at": opt_time(i.resolved_at),
        "impact": if maintenance { "maintenance" } else { i.impact.code() },
        "shortlink": status::incident_link(&state.app, i.id),
        "started_at": time(i.started_at),
        "page_id": PAGE_ID,
        "incident_updates": view.updates.iter().map(|u| update_json(state, u, components)).collect::<Vec<_>>(),
        "components": components
            .iter()
            .filter(|c| view.components.contains(&c.id))
            .map(|c| component_json(state, c, components))
            .collect::<Vec<_>>(),
    });
    if maintenance && let Some(object) = value.as_object_mut() {
        object.insert("scheduled_for".into(), opt_time(i.scheduled_for));
        object.insert("scheduled_until".into(), opt_time(i.scheduled_until));
    }
    value
}

fn page_json(state: &AppState, updated_at: Timestamp) -> Value {
    let settings = &state.app.settings;
    json!({
        "id": PAGE_ID,
        "name": settings.status_name,
        "url": format!("{}/status", settings.public_url.trim_end_matches('/')),
        "time_zone": settings.time_zone.iana_name().unwrap_or("Etc/UTC"),
        "updated_at": time(updated_at),
    })
}

fn status_json(page: &Page) -> Value {
    let in_maintenance = page.maintenances.iter().any(|m| m.incident.status == "in_progress");
    let (indicator, description) = match page.indicator {
        Impact::None if in_maintenance => ("maintenance", "Service Under Maintenance"),
        Impact::None => ("none", "All Systems Operational"),
        Impact::Minor => ("minor", "Minor Service Outage"),
        Impact::Major => ("major", "Partial System Outage"),
        Impact::Critical => ("critical", "Major Service Outage"),
    };
    json!({"indicator": indicator, "description": description})
}

fn respond(body: Value) -> Response {
    // Widgets on other sites read it: any origin may.
    ([(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(body)).into_response()
}

async fn summary(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    let components = &page.components;
    Ok(respond(json!({
        "page": page_json(&state, page.updated_at),
        "components": components.iter().map(|c| component_json(&state, c, components)).collect::<Vec<_>>(),
        "incidents": page.incidents.iter().map(|i| incident_json(&state, i, components)).collect::<Vec<_>>(),
        "scheduled_maintenances": page.maintenances.iter().map(|m| incident_json(&state, m, components)).collect::<Vec<_>>(),
        "status": status_json(&page),
    })))
}

async fn status_only(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    Ok(respond(json!({
        "page": page_json(&state, page.updated_at),
        "status": status_json(&page),
    })))
}

async fn components(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    let components = &page.components;
    Ok(respond(json!({
        "page": page_json(&state, page.updated_at),
        "components": components.iter().map(|c| component_json(&state, c, components)).collect::<Vec<_>>(),
    })))
}

/// The incidents Statuspage lists: the 50 most recent, resolved or not.
async fn incidents(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    let all = status::history(&state.app, "incident", 50).await?;
    Ok(respond(json!({
        "page": page_json(&state, page.updated_at),
        "incidents": all.iter().map(|i| incident_json(&state, i, &page.components)).collect::<Vec<_>>(),
    })))
}

async fn unresolved(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    Ok(respond(json!({
        "page": page_json(&state, page.updated_at),
        "incidents": page.incidents.iter().map(|i| incident_json(&state, i, &page.components)).collect::<Vec<_>>(),
    })))
}

async fn maintenance_list(state: &AppState, keep: impl Fn(&IncidentView) -> bool) -> Result<Response, ApiError> {
    let page = status::page(&state.app).await?;
    let all = status::history(&state.app, "maintenance", 50).await?;
    Ok(respond(json!({
        "page": page_json(state, page.updated_at),
        "scheduled_maintenances": all
            .iter()
            .filter(|m| keep(m))
            .map(|m| incident_json(state, m, &page.components))
            .collect::<Vec<_>>(),
    })))
}

async fn maintenances(State(state): State<AppState>) -> Result<Response, ApiError> {
    maintenance_list(&state, |_| true).await
}

async fn upcoming(State(state): State<AppState>) -> Result<Response, ApiError> {
    maintenance_list(&state, |m| m.incident.status == "scheduled").await
}

async fn active(State(state): State<AppState>) -> Result<Response, ApiError> {
    maintenance_list(&state, |m| {
        matches!(m.incident.status.as_str(), "in_progress" | "verifying")
    })
    .await
}
