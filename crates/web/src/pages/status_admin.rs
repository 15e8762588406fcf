//! The status page for staff (`/agent/status`): open incidents and schedule maintenances, post
//! updates (to subscribers and, when asked, to the linked tickets), link customers' tickets, and
//! set components' states.

use askama::Template;
use atende_app::status::{self, Component, IncidentInput, IncidentView, MaintenanceInput, UpdateInput};
use atende_domain::{
    ParseError,
    status::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus},
};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Fields, form::Submitted, page};
use crate::{AppState, statuspage::component_name};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/status", get(show).post(create))
        .route("/agent/status/components/{id}", post(set_component))
        .route("/agent/status/incidents/{id}", post(update))
}

const BACK: &str = "/agent/status";

#[derive(Template)]
#[template(path = "agent_status.html")]
struct StatusAdminPage {
    c: Chrome,
    components: Vec<(Component, String)>,
    open: Vec<IncidentView>,
    maintenances: Vec<IncidentView>,
    statuses: Vec<ComponentStatus>,
    impacts: Vec<Impact>,
    incident_statuses: Vec<IncidentStatus>,
    maintenance_statuses: Vec<MaintenanceStatus>,
    /// (code, name) of the plans, for a maintenance's segment.
    plans: Vec<(String, String)>,
}

impl StatusAdminPage {
    fn component_status(&self, status: &ComponentStatus) -> String {
        self.c.t(&format!("cstatus-{}", status.code()))
    }

    fn impact_name(&self, impact: &Impact) -> String {
        self.c.t(&format!("simpact-{}", impact.code()))
    }

    fn incident_status(&self, status: &IncidentStatus) -> String {
        self.c.t(&format!("istatus-{}", status.code()))
    }

    fn maintenance_status(&self, status: &MaintenanceStatus) -> String {
        self.c.t(&format!("mstatus-{}", status.code()))
    }

    fn current(&self, view: &IncidentView) -> String {
        let prefix = if view.incident.kind == "maintenance" {
            "mstatus"
        } else {
            "istatus"
        };
        self.c.t(&format!("{prefix}-{}", view.incident.status))
    }
}

async fn show(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let data = status::page(&state.app).await?;
    let lang = signed.ctx.lang;
    page(&StatusAdminPage {
        c: signed.ctx.chrome(&state, "status-admin"),
        components: data
            .components
            .into_iter()
            .map(|c| {
                let name = component_name(&state, &c, lang);
                (c, name)
            })
            .collect(),
        open: data.incidents,
        maintenances: data.maintenances,
        statuses: ComponentStatus::ALL.to_vec(),
        impacts: Impact::ALL.to_vec(),
        incident_statuses: IncidentStatus::ALL.to_vec(),
        maintenance_statuses: MaintenanceStatus::ALL.to_vec(),
        plans: atende_app::profile::list_plans(&state.app)
            .await?
            .into_iter()
            .map(|p| (p.code, p.name))
            .collect(),
    })
}

/// The components ticked on the form, each set to the state chosen beside them.
fn affected(form: &Fields) -> Result<Vec<(i64, ComponentStatus)>, PageError> {
    let mut all = Vec::new();
    for id in form.all("component") {
        let id: i64 = id.parse().map_err(|_| PageError::invalid_field("component"))?;
        // Each ticked component's state is chosen beside it, in `state-<id>`.
        let status = match form.opt(&format!("state-{id}")) {
            Some(raw) => raw.parse().map_err(|_| PageError::invalid_field("component"))?,
            None => ComponentStatus::PartialOutage,
        };
        all.push((id, status));
    }
    Ok(all)
}

/// A moment typed in a `datetime-local` field, in the writer's time zone.
fn local_time(zone: &TimeZone, form: &Fields, field: &'static str) -> Result<Timestamp, PageError> {
    let civil: DateTime = form.parse(field)?;
    civil.to_zoned(zone.clone()).map(|z| z.timestamp()).map_err(|_| {
        ParseError::Invalid {
            field,
            reason: "instant",
        }
        .into()
    })
}

async fn create(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    if form.text("kind") == "maintenance" {
        let zone = TimeZone::get(&signed.actor.user.time_zone).unwrap_or_else(|_| state.app.settings.time_zone.clone());
        let input = MaintenanceInput {
            name: form.text("name").to_owned(),
            body: form.text("body").to_owned(),
            scheduled_for: local_time(&zone, &form, "scheduled_for").or_back(BACK)?,
            scheduled_until: local_time(&zone, &form, "scheduled_until").or_back(BACK)?,
            components: affected(&form).or_back(BACK)?.into_iter().map(|(id, _)| id).collect(),
            short_notice: form.opt("short_notice").map(str::to_owned),
            notify: form.checked("notify"),
            plans: form.all("plan").into_iter().map(str::to_owned).collect(),
            organizations: Vec::new(),
        };
        status::schedule_maintenance(&state.app, &signed.actor, input)
            .await
            .or_back(BACK)?;
    } else {
        let input = IncidentInput {
            name: form.text("name").to_owned(),
            impact: form.parse("impact").or_back(BACK)?,
            first: UpdateInput {
                status: form.text("status").to_owned(),
                body: form.text("body").to_owned(),
                impact: None,
                components: affected(&form).or_back(BACK)?,
                notify: form.checked("notify"),
                postmortem: None,
                post_to_tickets: false,
                solve_tickets: false,
            },
        };
        status::open_incident(&state.app, &signed.actor, input)
            .await
            .or_back(BACK)?;
    }
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn update(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    if form.text("action") == "link" {
        let tickets: Vec<i64> = form
            .text("tickets")
            .split([',', ' ', '#'])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().map_err(|_| PageError::invalid_field("tickets")))
            .collect::<Result<_, _>>()
            .or_back(BACK)?;
        // From a ticket's page, back to it; from here, here.
        let back = form
            .opt("back")
            .filter(|b| b.starts_with("/agent/tickets/") && !b.contains("//"))
            .unwrap_or(BACK)
            .to_owned();
        status::link_tickets(&state.app, &signed.actor, id, &tickets)
            .await
            .or_back(&back)?;
        return Ok(done(&signed.ctx, &state, &back, "status-linked"));
    }
    let incident = status::incident(&state.app, id).await.or_back(BACK)?;
    // The incident's components all take the state chosen, unless it is left as it is.
    let components = match form.parse_opt::<ComponentStatus>("component_state").or_back(BACK)? {
        Some(state) => incident.components.iter().map(|c| (*c, state)).collect(),
        None => Vec::new(),
    };
    let input = UpdateInput {
        status: form.text("status").to_owned(),
        body: form.text("body").to_owned(),
        impact: None,
        components,
        notify: form.checked("notify"),
        postmortem: form.opt("postmortem").map(str::to_owned),
        post_to_tickets: form.checked("post_to_tickets"),
        solve_tickets: form.checked("solve_tickets"),
    };
    status::post_update(&state.app, &signed.actor, id, input)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn set_component(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let status = form.parse("status").or_back(BACK)?;
    status::set_component_status(&state.app, &signed.actor, id, status)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}
