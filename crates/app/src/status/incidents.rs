//! Incidents and scheduled maintenances: their timelines, the components' states they set, the
//! customers' tickets linked to them, and the announcements to the customers a maintenance concerns.

use atende_domain::{
    Body, ParseError, TicketChannel, TicketStatus, Visibility,
    status::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, notice_is_enough},
    text::bounded,
};
use atende_store::{
    Conn,
    status::{self as store, Incident, IncidentChange, NewIncident, NewUpdate},
    tickets::{self, TicketScope},
};
use jiff::Timestamp;
use serde_json::json;

use super::{IncidentView, Update, incident, incident_link, subscribers::tell_subscribers};
use crate::{
    Actor, App, AppError, Result,
    auth::commit,
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

/// An incident or maintenance step: the message and the components' states it sets.
pub struct UpdateInput {
    /// An incident status, or a maintenance status, by kind.
    pub status: String,
    pub body: String,
    /// The impact from now on; unchanged when `None`.
    pub impact: Option<Impact>,
    pub components: Vec<(i64, ComponentStatus)>,
    /// Whether subscribers and linked tickets' customers are told.
    pub notify: bool,
    pub postmortem: Option<String>,
    /// Post the update as a public reply on every linked ticket that is not closed.
    pub post_to_tickets: bool,
    /// Solve the linked tickets (when the update closes the incident).
    pub solve_tickets: bool,
}

pub struct IncidentInput {
    pub name: String,
    pub impact: Impact,
    pub first: UpdateInput,
}

pub struct MaintenanceInput {
    pub name: String,
    pub body: String,
    pub scheduled_for: Timestamp,
    pub scheduled_until: Timestamp,
    pub components: Vec<i64>,
    /// Required when it starts in less than 48 hours: why customers get less notice.
    pub short_notice: Option<String>,
    pub notify: bool,
    /// The customers it concerns, told by mail when it is scheduled: those of these plans...
    pub plans: Vec<String>,
    /// ...and of these organizations.
    pub organizations: Vec<i64>,
}

fn check_status(kind: &str, status: &str) -> Result<()> {
    if kind == "incident" {
        status.parse::<IncidentStatus>()?;
    } else {
        status.parse::<MaintenanceStatus>()?;
    }
    Ok(())
}

fn is_closing(kind: &str, status: &str) -> bool {
    match kind {
        "incident" => status.parse::<IncidentStatus>().is_ok_and(IncidentStatus::is_closed),
        _ => status == MaintenanceStatus::Completed.code(),
    }
}

/// Sets the components' states and writes the update, in the caller's transaction.
async fn write_update(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    incident: &Incident,
    input: &UpdateInput,
) -> Result<Update> {
    let now = app.clock.now();
    let body = bounded("body", &input.body, 10_000)?;
    let mut affected = Vec::new();
    for (component, status) in &input.components {
        let old = store::set_component_status(tx, *component, *status, now)
            .await?
            .ok_or(AppError::NotFound("component"))?;
        affected.push(json!({"id": component, "old_status": old.code(), "new_status": status.code()}));
    }
    let affected = serde_json::Value::Array(affected).to_string();
    let update = store::insert_update(
        tx,
        &NewUpdate {
            incident_id: incident.id,
            status: &input.status,
            body: &body,
            affected: &affected,
            notify: input.notify,
            created_by: actor.id(),
        },
        now,
    )
    .await?;
    if input.notify {
        tell_subscribers(app, tx, incident, &update).await?;
    }
    Ok(update)
}

pub async fn open_incident(app: &App, actor: &Actor, input: IncidentInput) -> Result<IncidentView> {
    actor.require_staff()?;
    let name = bounded("name", &input.name, 200)?;
    check_status("incident", &input.first.status)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let incident = store::insert_incident(
        &mut tx,
        &NewIncident {
            kind: "incident",
            name: &name,
            status: &input.first.status,
            impact: input.impact,
            scheduled_for: None,
            scheduled_until: None,
            short_notice: None,
            created_by: actor.id(),
            started_at: now,
        },
        now,
    )
    .await?;
    let components: Vec<i64> = input.first.components.iter().map(|(id, _)| *id).collect();
    check_components(&mut tx, &components).await?;
    store::set_incident_components(&mut tx, incident.id, &components).await?;
    write_update(app, &mut tx, actor, &incident, &input.first).await?;
    let incident = close_if_done(&mut tx, incident, &input.first, now).await?;
    commit(tx).await?;
    self::incident(app, incident.id).await
}

/// Sets the times and status that an update brings.
async fn close_if_done(tx: &mut Conn, incident: Incident, input: &UpdateInput, now: Timestamp) -> Result<Incident> {
    let monitoring = input.status == IncidentStatus::Monitoring.code();
    let change = IncidentChange {
        name: &incident.name,
        status: &input.status,
        impact: input.impact.unwrap_or(incident.impact),
        postmortem: input.postmortem.as_deref().or(incident.postmortem.as_deref()),
        monitoring_at: incident.monitoring_at.or(monitoring.then_some(now)),
        resolved_at: incident
            .resolved_at
            .or(is_closing(&incident.kind, &input.status).then_some(now)),
    };
    Ok(store::update_incident(tx, incident.id, &change, now).await?)
}

/// Every component named exists (else a 404 naming it, before anything is written).
async fn check_components(tx: &mut Conn, components: &[i64]) -> Result<()> {
    for component in components {
        store::get_component(tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
    Ok(())
}

/// A new step in an incident's or maintenance's timeline.
pub async fn post_update(app: &App, actor: &Actor, id: i64, input: UpdateInput) -> Result<IncidentView> {
    actor.require_staff()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let incident = store::get_incident(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("incident"))?;
    check_status(&incident.kind, &input.status)?;
    if let Some(text) = &input.postmortem {
        bounded("postmortem", text, 50_000)?;
    }
    // Components named by the update join the incident's list.
    let mut components = store::incident_components(&mut tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    for (component, _) in &input.components {
        if !components.contains(component) {
            components.push(*component);
        }
    }
    check_components(&mut tx, &components).await?;
    store::set_incident_components(&mut tx, id, &components).await?;
    write_update(app, &mut tx, actor, &incident, &input).await?;
    let linked = store::linked_tickets(&mut tx, id).await?;
    if input.post_to_tickets {
        post_to_linked(app, &mut tx, actor, &incident, &input, &linked).await?;
    }
    let incident = close_if_done(&mut tx, incident, &input, now).await?;
    commit(tx).await?;
    if input.solve_tickets && incident.resolved_at.is_some() {
        solve_linked(app, actor, &linked).await?;
    }
    self::incident(app, id).await
}

/// The update, as a public reply on each linked ticket still open, in the update's transaction:
/// every customer hears of it once, on their ticket's channel.
async fn post_to_linked(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    incident: &Incident,
    input: &UpdateInput,
    linked: &[i64],
) -> Result<()> {
    let texts = I18n::shared();
    let lang = app.settings.default_language;
    let prefix = if incident.kind == "maintenance" {
        "mstatus"
    } else {
        "istatus"
    };
    let link = incident_link(app, incident.id);
    let text = format!(
        "{} — {}\n\n{}\n\n{}",
        incident.name,
        texts.text(lang, &format!("{prefix}-{}", input.status), &[]),
        input.body.trim(),
        texts.text(lang, "status-follow", &[("link", Arg::Text(link))]),
    );
    let body = Body::parse("body", &text)?;
    let open = tickets::by_ids(tx, linked, TicketScope::All)
        .await?
        .into_iter()
        .filter(|t| t.status != TicketStatus::Closed);
    for ticket in open {
        crate::tickets::append_message(
            app,
            tx,
            actor,
            ticket.id,
            body.clone(),
            Visibility::Public,
            TicketChannel::Api,
            &[],
        )
        .await?;
    }
    Ok(())
}

/// Solves the linked tickets that are not solved or closed yet, one by one, after the update is
/// committed: a ticket that cannot be solved (closed meanwhile, say) is logged and skipped, so the
/// agent is not told the update failed when it was saved.
async fn solve_linked(app: &App, actor: &Actor, linked: &[i64]) -> Result<()> {
    let mut conn = app.db.read().await?;
    let open: Vec<i64> = tickets::by_ids(&mut conn, linked, TicketScope::All)
        .await?
        .into_iter()
        .filter(|t| !matches!(t.status, TicketStatus::Solved | TicketStatus::Closed))
        .map(|t| t.id)
        .collect();
    drop(conn);
    for ticket_id in open {
        if let Err(err) =
            crate::tickets::set_status(app, actor, ticket_id, TicketStatus::Solved, TicketChannel::Api).await
        {
            tracing::warn!(ticket_id, %err, "a linked ticket could not be solved");
        }
    }
    Ok(())
}

/// Links customers' tickets to an incident, so that its updates can reach them (staff).
pub async fn link_tickets(app: &App, actor: &Actor, incident_id: i64, ticket_ids: &[i64]) -> Result<usize> {
    actor.require_staff()?;
    if ticket_ids.len() > 10_000 {
        return Err(ParseError::TooLong {
            field: "ticket_ids",
            max: 10_000,
        }
        .into());
    }
    let mut tx = app.db.begin().await?;
    store::get_incident(&mut tx, incident_id)
        .await?
        .ok_or(AppError::NotFound("incident"))?;
    let mut wanted = ticket_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if tickets::by_ids(&mut tx, &wanted, TicketScope::All).await?.len() != wanted.len() {
        return Err(AppError::NotFound("ticket"));
    }
    let linked = store::link_tickets(&mut tx, incident_id, ticket_ids, actor.id(), app.clock.now()).await?;
    commit(tx).await?;
    Ok(linked)
}

pub async fn unlink_ticket(app: &App, actor: &Actor, incident_id: i64, ticket_id: i64) -> Result<()> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    if !store::unlink_ticket(&mut tx, incident_id, ticket_id).await? {
        return Err(AppError::NotFound("ticket"));
    }
    commit(tx).await
}

/// The incidents a ticket follows (staff).
pub async fn incidents_of_ticket(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<i64>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::incidents_of_ticket(&mut conn, ticket_id).await?)
}

pub async fn linked_tickets(app: &App, actor: &Actor, incident_id: i64) -> Result<Vec<i64>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::linked_tickets(&mut conn, incident_id).await?)
}

pub async fn schedule_maintenance(app: &App, actor: &Actor, input: MaintenanceInput) -> Result<IncidentView> {
    actor.require_staff()?;
    let name = bounded("name", &input.name, 200)?;
    let now = app.clock.now();
    if input.scheduled_until <= input.scheduled_for {
        return Err(ParseError::Invalid {
            field: "scheduled_until",
            reason: "date_order",
        }
        .into());
    }
    let short_notice = match input.short_notice.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => Some(bounded("short_notice", reason, 500)?),
        None if notice_is_enough(now, input.scheduled_for) => None,
        None => return Err(AppError::Rejected("maintenance.short_notice")),
    };
    let mut tx = app.db.begin().await?;
    let maintenance = store::insert_incident(
        &mut tx,
        &NewIncident {
            kind: "maintenance",
            name: &name,
            status: MaintenanceStatus::Scheduled.code(),
            // Shown as `maintenance` in the Statuspage JSON; it weighs nothing on the indicator.
            impact: Impact::None,
            scheduled_for: Some(input.scheduled_for),
            scheduled_until: Some(input.scheduled_until),
            short_notice: short_notice.as_deref(),
            created_by: actor.id(),
            started_at: input.scheduled_for,
        },
        now,
    )
    .await?;
    check_components(&mut tx, &input.components).await?;
    store::set_incident_components(&mut tx, maintenance.id, &input.components).await?;
    let first = UpdateInput {
        status: MaintenanceStatus::Scheduled.code().to_owned(),
        body: input.body,
        impact: None,
        components: Vec::new(),
        notify: input.notify,
        postmortem: None,
        post_to_tickets: false,
        solve_tickets: false,
    };
    write_update(app, &mut tx, actor, &maintenance, &first).await?;
    if !input.plans.is_empty() || !input.organizations.is_empty() {
        let segment = json!({"plans": input.plans, "organizations": input.organizations}).to_string();
        store::set_segment(&mut tx, maintenance.id, &segment).await?;
        if input.notify {
            announce_to_customers(
                app,
                &mut tx,
                &maintenance,
                &first.body,
                &input.plans,
                &input.organizations,
            )
            .await?;
        }
    }
    commit(tx).await?;
    self::incident(app, maintenance.id).await
}

/// Mails the maintenance to the customers it concerns, each once, in their language.
async fn announce_to_customers(
    app: &App,
    tx: &mut Conn,
    maintenance: &Incident,
    body: &str,
    plans: &[String],
    organizations: &[i64],
) -> Result<()> {
    let people = store::customers_of_segment(tx, plans, organizations).await?;
    let texts = I18n::shared();
    for person in atende_store::directory::users_by_ids(tx, &people).await? {
        let lang = person.language.unwrap_or(app.settings.default_language);
        let zone = jiff::tz::TimeZone::get(&person.time_zone).unwrap_or_else(|_| app.settings.time_zone.clone());
        let when = |t: Option<Timestamp>| {
            t.map(|t| t.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string())
                .unwrap_or_default()
        };
        let letter = Letter::notice(
            "maintenance",
            format!("maintenance:{}:{}", maintenance.id, person.id),
            person.email.clone(),
            lang,
            texts.text(
                lang,
                "mail-maintenance-subject",
                &[("name", Arg::Text(maintenance.name.clone()))],
            ),
            vec![
                texts.text(
                    lang,
                    "mail-maintenance-body",
                    &[
                        ("name", Arg::Text(person.name.clone())),
                        ("from", Arg::Text(when(maintenance.scheduled_for))),
                        ("until", Arg::Text(when(maintenance.scheduled_until))),
                    ],
                ),
                body.to_owned(),
                incident_link(app, maintenance.id),
            ],
        );
        queue(app, tx, letter).await?;
    }
    Ok(())
}

/// An incident page opened; from the ticket form by a signed-in customer, it is recorded for the
/// deflection report.
pub async fn opened_from_ticket_form(app: &App, actor: Option<&Actor>, incident_id: i64) -> Result<()> {
    let Some(actor) = actor.filter(|a| !a.is_staff()) else {
        return Ok(());
    };
    let mut tx = app.db.begin().await?;
    store::record_deflection(&mut tx, actor.id(), incident_id, app.clock.now()).await?;
    commit(tx).await
}
