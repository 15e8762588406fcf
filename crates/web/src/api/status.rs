//! Managing the status page: components (admins arrange them, staff set their states),
//! incidents and scheduled maintenances with their timelines (staff).

use atende_app::status::{
    self, Component, ComponentInput, IncidentInput, IncidentView, MaintenanceInput, Update, UpdateInput,
};
use atende_domain::status::{ComponentStatus, Impact};
use axum::{Json, extract::State, http::StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_components, create_component))
        .routes(routes!(update_component, delete_component, set_component_status))
        .routes(routes!(list_incidents, open_incident))
        .routes(routes!(get_incident))
        .routes(routes!(post_update))
        .routes(routes!(list_linked, link_tickets))
        .routes(routes!(unlink_ticket))
        .routes(routes!(list_subscribers, add_webhook))
        .routes(routes!(remove_subscriber))
        .routes(routes!(schedule_maintenance))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentOut {
    id: i64,
    code: String,
    /// As the admin wrote it; empty for a default component (its name is translated).
    name: String,
    description: String,
    group_id: Option<i64>,
    position: i64,
    #[schema(schema_with = schemas::component_status)]
    status: ComponentStatus,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<Component> for ComponentOut {
    fn from(c: Component) -> Self {
        ComponentOut {
            id: c.id,
            code: c.code,
            name: c.name,
            description: c.description,
            group_id: c.group_id,
            position: c.position,
            status: c.status,
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentIn {
    /// Lower-case letters, digits, `-` and `_`.
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    /// The group it belongs to (a component without a group); groups do not nest.
    group_id: Option<i64>,
    #[serde(default)]
    position: i64,
}

impl From<ComponentIn> for ComponentInput {
    fn from(c: ComponentIn) -> Self {
        ComponentInput {
            code: c.code,
            name: c.name,
            description: c.description,
            group_id: c.group_id,
            position: c.position,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentStatusIn {
    #[schema(schema_with = schemas::component_status)]
    status: ComponentStatus,
}

/// The status page's components, in their order (public: the page shows them to anyone).
#[utoipa::path(get, path = "/status/components", tag = "status",
    responses((status = 200, body = Vec<ComponentOut>)))]
async fn list_components(State(state): State<AppState>) -> Result<Json<Vec<ComponentOut>>, ApiError> {
    let components = status::components(&state.app).await?;
    Ok(Json(components.into_iter().map(Into::into).collect()))
}

/// Add a component or a group (admins).
#[utoipa::path(post, path = "/status/components", tag = "status", request_body = ComponentIn, security(("bearer" = [])),
    responses((status = 201, body = ComponentOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_component(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ComponentIn>,
) -> Result<(StatusCode, Json<ComponentOut>), ApiError> {
    let component = status::create_component(&state.app, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(component.into())))
}

#[utoipa::path(put, path = "/status/components/{id}", tag = "status", params(("id" = i64, Path)), request_body = ComponentIn,
    security(("bearer" = [])),
    responses((status = 200, body = ComponentOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_component(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ComponentIn>,
) -> Result<Json<ComponentOut>, ApiError> {
    Ok(Json(
        status::update_component(&state.app, &caller, id, body.into())
            .await?
            .into(),
    ))
}

/// Remove a component (admins); its history goes with it.
#[utoipa::path(delete, path = "/status/components/{id}", tag = "status", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_component(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    status::delete_component(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a component's state outside an incident (staff); the change is kept for uptime.
#[utoipa::path(patch, path = "/status/components/{id}", tag = "status", params(("id" = i64, Path)), request_body = ComponentStatusIn,
    security(("bearer" = [])),
    responses((status = 200, body = ComponentOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_component_status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ComponentStatusIn>,
) -> Result<Json<ComponentOut>, ApiError> {
    Ok(Json(
        status::set_component_status(&state.app, &caller, id, body.status)
            .await?
            .into(),
    ))
}

// ---- incidents and maintenances

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateOut {
    id: i64,
    status: String,
    body: String,
    notify: bool,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Update> for UpdateOut {
    fn from(u: Update) -> Self {
        UpdateOut {
            id: u.id,
            status: u.status,
            body: u.body,
            notify: u.notify,
            created_at: rfc3339(u.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentOut {
    id: i64,
    /// `incident` or `maintenance`.
    kind: String,
    name: String,
    /// Incidents: investigating, identified, monitoring, resolved, postmortem. Maintenances:
    /// scheduled, in_progress, verifying, completed.
    status: String,
    #[schema(schema_with = schemas::impact)]
    impact: Impact,
    components: Vec<i64>,
    postmortem: Option<String>,
    #[schema(format = DateTime)]
    scheduled_for: Option<String>,
    #[schema(format = DateTime)]
    scheduled_until: Option<String>,
    /// Why a maintenance was announced with less than 48 hours' notice.
    short_notice: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    resolved_at: Option<String>,
    /// Newest first.
    updates: Vec<UpdateOut>,
}

impl From<IncidentView> for IncidentOut {
    fn from(v: IncidentView) -> Self {
        let i = v.incident;
        IncidentOut {
            id: i.id,
            kind: i.kind,
            name: i.name,
            status: i.status,
            impact: i.impact,
            components: v.components,
            postmortem: i.postmortem,
            scheduled_for: i.scheduled_for.map(rfc3339),
            scheduled_until: i.scheduled_until.map(rfc3339),
            short_notice: i.short_notice,
            created_at: rfc3339(i.created_at),
            resolved_at: i.resolved_at.map(rfc3339),
            updates: v.updates.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedIn {
    id: i64,
    #[schema(schema_with = schemas::component_status)]
    status: ComponentStatus,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    status: String,
    body: String,
    /// A new impact; unchanged when left out.
    #[schema(schema_with = schemas::impact_nullable)]
    impact: Option<Impact>,
    /// The components' states from this update on.
    #[serde(default)]
    components: Vec<AffectedIn>,
    /// Tell subscribers and the customers of linked tickets (default yes).
    notify: Option<bool>,
    postmortem: Option<String>,
    /// Post the update as a public reply on every linked ticket still open (default no).
    #[serde(default)]
    post_to_tickets: bool,
    /// Solve the linked tickets when this update resolves the incident (default no).
    #[serde(default)]
    solve_tickets: bool,
}

impl From<UpdateIn> for UpdateInput {
    fn from(u: UpdateIn) -> Self {
        UpdateInput {
            status: u.status,
            body: u.body,
            impact: u.impact,
            components: u.components.into_iter().map(|a| (a.id, a.status)).collect(),
            notify: u.notify.unwrap_or(true),
            postmortem: u.postmortem,
            post_to_tickets: u.post_to_tickets,
            solve_tickets: u.solve_tickets,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentIn {
    name: String,
    #[schema(schema_with = schemas::impact)]
    impact: Impact,
    /// `investigating` by default.
    status: Option<String>,
    body: String,
    #[serde(default)]
    components: Vec<AffectedIn>,
    notify: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceIn {
    name: String,
    body: String,
    #[schema(format = DateTime)]
    scheduled_for: String,
    #[schema(format = DateTime)]
    scheduled_until: String,
    #[serde(default)]
    components: Vec<i64>,
    /// Required when it starts within 48 hours: why customers get less notice.
    short_notice: Option<String>,
    notify: Option<bool>,
    /// The customers it concerns, mailed when it is scheduled: those with a contract on these plans...
    #[serde(default)]
    plans: Vec<String>,
    /// ...and those of these organizations. Neither: subscribers only.
    #[serde(default)]
    organizations: Vec<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentListParams {
    /// `incident` (default) or `maintenance`.
    kind: Option<String>,
    /// At most this many, newest first (1 to 500, default 50).
    limit: Option<i64>,
}

/// Incidents or maintenances, newest first, resolved ones included (public).
#[utoipa::path(get, path = "/status/incidents", tag = "status", params(IncidentListParams),
    responses((status = 200, body = Vec<IncidentOut>), (status = 400, body = ErrorBody)))]
async fn list_incidents(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<IncidentListParams>,
) -> Result<Json<Vec<IncidentOut>>, ApiError> {
    let kind = match params.kind.as_deref() {
        None | Some("incident") => "incident",
        Some("maintenance") => "maintenance",
        Some(_) => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "kind",
                allowed: "incident, maintenance",
            }
            .into());
        }
    };
    let all = status::history(&state.app, kind, params.limit.unwrap_or(50)).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Open an incident (staff): its first update and the components' states.
#[utoipa::path(post, path = "/status/incidents", tag = "status", request_body = IncidentIn, security(("bearer" = [])),
    responses((status = 201, body = IncidentOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_incident(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IncidentIn>,
) -> Result<(StatusCode, Json<IncidentOut>), ApiError> {
    let input = IncidentInput {
        name: body.name,
        impact: body.impact,
        first: UpdateInput {
            status: body.status.unwrap_or_else(|| "investigating".into()),
            body: body.body,
            impact: None,
            components: body.components.into_iter().map(|a| (a.id, a.status)).collect(),
            notify: body.notify.unwrap_or(true),
            postmortem: None,
            post_to_tickets: false,
            solve_tickets: false,
        },
    };
    let view = status::open_incident(&state.app, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One incident or maintenance with its whole timeline (public).
#[utoipa::path(get, path = "/status/incidents/{id}", tag = "status", params(("id" = i64, Path)),
    responses((status = 200, body = IncidentOut), (status = 404, body = ErrorBody)))]
async fn get_incident(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<IncidentOut>, ApiError> {
    Ok(Json(status::incident(&state.app, id).await?.into()))
}

/// Add a step to an incident's or maintenance's timeline (staff).
#[utoipa::path(post, path = "/status/incidents/{id}/updates", tag = "status", params(("id" = i64, Path)), request_body = UpdateIn,
    security(("bearer" = [])),
    responses((status = 201, body = IncidentOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateIn>,
) -> Result<(StatusCode, Json<IncidentOut>), ApiError> {
    let view = status::post_update(&state.app, &caller, id, body.into()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

fn instant(field: &'static str, raw: &str) -> Result<Timestamp, atende_domain::ParseError> {
    raw.parse::<Timestamp>()
        .map_err(|_| atende_domain::ParseError::Invalid {
            field,
            reason: "instant",
        })
}

/// Schedule a maintenance (staff), announced at least 48 hours ahead unless a reason is given.
#[utoipa::path(post, path = "/status/maintenances", tag = "status", request_body = MaintenanceIn, security(("bearer" = [])),
    responses((status = 201, body = IncidentOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn schedule_maintenance(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<MaintenanceIn>,
) -> Result<(StatusCode, Json<IncidentOut>), ApiError> {
    let input = MaintenanceInput {
        name: body.name,
        body: body.body,
        scheduled_for: instant("scheduled_for", &body.scheduled_for)?,
        scheduled_until: instant("scheduled_until", &body.scheduled_until)?,
        components: body.components,
        short_notice: body.short_notice,
        notify: body.notify.unwrap_or(true),
        plans: body.plans,
        organizations: body.organizations,
    };
    let view = status::schedule_maintenance(&state.app, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    ticket_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedOut {
    /// The tickets linked now (those already linked are counted once).
    ticket_ids: Vec<i64>,
    /// How many of the given tickets were new links.
    added: usize,
}

/// The customers' tickets that follow an incident (staff).
#[utoipa::path(get, path = "/status/incidents/{id}/tickets", tag = "status", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<i64>), (status = 403, body = ErrorBody)))]
async fn list_linked(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<i64>>, ApiError> {
    Ok(Json(status::linked_tickets(&state.app, &caller, id).await?))
}

/// Link customers' tickets to an incident (staff): its updates can then be posted on them.
#[utoipa::path(post, path = "/status/incidents/{id}/tickets", tag = "status", params(("id" = i64, Path)), request_body = LinkIn,
    security(("bearer" = [])),
    responses((status = 200, body = LinkedOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_tickets(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> Result<Json<LinkedOut>, ApiError> {
    let added = status::link_tickets(&state.app, &caller, id, &body.ticket_ids).await?;
    Ok(Json(LinkedOut {
        ticket_ids: status::linked_tickets(&state.app, &caller, id).await?,
        added,
    }))
}

#[utoipa::path(delete, path = "/status/incidents/{id}/tickets/{ticket_id}", tag = "status",
    params(("id" = i64, Path), ("ticket_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unlink_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, ticket_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    status::unlink_ticket(&state.app, &caller, id, ticket_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriberOut {
    id: i64,
    /// `email` or `webhook`.
    kind: String,
    /// The address or URL.
    target: String,
    /// The components followed; empty: all.
    components: Vec<i64>,
    confirmed: bool,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<atende_app::status::Subscriber> for SubscriberOut {
    fn from(s: atende_app::status::Subscriber) -> Self {
        SubscriberOut {
            id: s.id,
            components: serde_json::from_str(&s.components).unwrap_or_default(),
            confirmed: s.confirmed_at.is_some(),
            created_at: rfc3339(s.created_at),
            kind: s.kind,
            target: s.target,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    url: String,
    /// The components followed; leave out for all.
    #[serde(default)]
    components: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreatedOut {
    #[serde(flatten)]
    subscriber: SubscriberOut,
    /// Shown once: the key of the `X-Atende-Signature: sha256=<HMAC-SHA256 of the body>` header.
    secret: String,
}

/// The status page's subscribers (admins).
#[utoipa::path(get, path = "/status/subscribers", tag = "status", security(("bearer" = [])),
    responses((status = 200, body = Vec<SubscriberOut>), (status = 403, body = ErrorBody)))]
async fn list_subscribers(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<SubscriberOut>>, ApiError> {
    let all = status::subscribers(&state.app, &caller).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Add a webhook (admins): every update it follows is posted to the URL as JSON, signed, and
/// retried with growing pauses until it is answered with a 2xx.
#[utoipa::path(post, path = "/status/subscribers", tag = "status", request_body = WebhookIn, security(("bearer" = [])),
    responses((status = 201, body = WebhookCreatedOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_webhook(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<WebhookIn>,
) -> Result<(StatusCode, Json<WebhookCreatedOut>), ApiError> {
    let (subscriber, secret) = status::add_webhook(&state.app, &caller, &body.url, &body.components).await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreatedOut {
            subscriber: subscriber.into(),
            secret,
        }),
    ))
}

#[utoipa::path(delete, path = "/status/subscribers/{id}", tag = "status", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_subscriber(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    status::remove_subscriber(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
