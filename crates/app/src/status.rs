//! The status page: what the public reads (components, open incidents, maintenances, uptime) and
//! what staff write (component states, incidents and maintenances with their timelines). Every
//! change of a component's state is kept, because uptime is computed from that history.

use std::collections::HashMap;

use atende_channels::webhook::WebhookClient;
use atende_domain::{
    Body, Email, Lang, ParseError, TicketChannel, TicketStatus, Visibility,
    status::{
        ComponentStatus, DayUptime, Impact, IncidentStatus, MaintenanceStatus, daily_uptime, indicator,
        notice_is_enough,
    },
    text::bounded,
};
use atende_store::{
    Conn,
    status::{self as store, Incident, IncidentChange, NewComponent, NewIncident, NewUpdate},
    tickets::{self, TicketScope},
};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::{
    Actor, App, AppError, Result,
    auth::commit,
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

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

// ---- components (admins arrange them; staff set their states)

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

// ---- incidents and maintenances

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
    let link = format!(
        "{}/status/incidents/{}",
        app.settings.public_url.trim_end_matches('/'),
        incident.id
    );
    let text = format!(
        "{} — {}\n\n{}\n\n{}",
        incident.name,
        texts.text(lang, &format!("{prefix}-{}", input.status), &[]),
        input.body.trim(),
        texts.text(lang, "status-follow", &[("link", Arg::Text(link))]),
    );
    let body = Body::parse("body", &text)?;
    for ticket_id in linked {
        let open = tickets::get_ticket(tx, *ticket_id, TicketScope::All)
            .await?
            .is_some_and(|t| t.status != TicketStatus::Closed);
        if open {
            crate::tickets::append_message(
                app,
                tx,
                actor,
                *ticket_id,
                body.clone(),
                Visibility::Public,
                TicketChannel::Api,
                &[],
            )
            .await?;
        }
    }
    Ok(())
}

/// Solves the linked tickets that are not solved or closed yet, one by one.
async fn solve_linked(app: &App, actor: &Actor, linked: &[i64]) -> Result<()> {
    for ticket_id in linked {
        let current = crate::tickets::get(app, actor, *ticket_id).await?;
        if !matches!(current.status, TicketStatus::Solved | TicketStatus::Closed) {
            crate::tickets::set_status(app, actor, *ticket_id, TicketStatus::Solved, TicketChannel::Api).await?;
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
    for ticket_id in ticket_ids {
        tickets::get_ticket(&mut tx, *ticket_id, TicketScope::All)
            .await?
            .ok_or(AppError::NotFound("ticket"))?;
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
    for component in &input.components {
        store::get_component(&mut tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
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
    let base = app.settings.public_url.trim_end_matches('/');
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
                format!("{base}/status/incidents/{}", maintenance.id),
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

// ---- subscribers by e-mail

/// Subscribes an address (to every component, or to the ones given). Nothing is sent until the
/// address confirms through the link mailed to it; asking again re-sends it at most once a day.
/// The answer is the same whatever the address, so it reveals nothing.
pub async fn subscribe(app: &App, email: &str, lang: Lang, components: &[i64]) -> Result<()> {
    let email = Email::parse(email)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    for component in components {
        store::get_component(&mut tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
    let token = crate::auth::new_token()?;
    let followed = serde_json::to_string(components).map_err(|e| AppError::Internal(e.to_string()))?;
    let subscriber =
        store::upsert_email_subscriber(&mut tx, email.as_str(), lang.code(), &followed, &token, now).await?;
    if subscriber.confirmed_at.is_none() {
        let texts = I18n::shared();
        let base = app.settings.public_url.trim_end_matches('/');
        let day = now.to_zoned(app.settings.time_zone.clone()).date();
        let letter = Letter::notice(
            "status_confirm",
            format!("status-confirm:{}:{day}", subscriber.id),
            subscriber.target.clone(),
            lang,
            texts.text(
                lang,
                "mail-status-confirm-subject",
                &[("page", Arg::Text(app.settings.status_name.clone()))],
            ),
            vec![
                texts.text(lang, "mail-status-confirm-body", &[]),
                format!("{base}/status/subscriptions/confirm/{}", subscriber.token),
                texts.text(lang, "mail-status-confirm-ignore", &[]),
            ],
        );
        queue(app, &mut tx, letter).await?;
    }
    commit(tx).await
}

pub async fn confirm_subscription(app: &App, token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    store::confirm_subscriber(&mut tx, token, app.clock.now())
        .await?
        .ok_or(AppError::NotFound("subscription"))?;
    commit(tx).await
}

/// Whether the token names a subscription (the unsubscribe page asks before it acts).
pub async fn subscription_exists(app: &App, token: &str) -> Result<bool> {
    let mut conn = app.db.read().await?;
    Ok(store::subscriber_by_token(&mut conn, token).await?.is_some())
}

pub async fn unsubscribe(app: &App, token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    if !store::delete_subscriber(&mut tx, token).await? {
        return Err(AppError::NotFound("subscription"));
    }
    commit(tx).await
}

/// Tells the confirmed subscribers who follow any of the incident's components (or all) of an
/// update, in the update's transaction: each once, in their language.
async fn tell_subscribers(app: &App, tx: &mut Conn, incident: &Incident, update: &Update) -> Result<()> {
    let components = store::incident_components(tx, &[incident.id])
        .await?
        .remove(&incident.id)
        .unwrap_or_default();
    let texts = I18n::shared();
    let base = app.settings.public_url.trim_end_matches('/');
    let prefix = if incident.kind == "maintenance" {
        "mstatus"
    } else {
        "istatus"
    };
    let payload = webhook_payload(app, incident, &components, update);
    for subscriber in store::confirmed_subscribers(tx, "webhook").await? {
        let followed: Vec<i64> = serde_json::from_str(&subscriber.components).unwrap_or_default();
        if followed.is_empty() || followed.iter().any(|c| components.contains(c)) {
            let key = format!("update:{}:{}", update.id, subscriber.id);
            store::enqueue_delivery(tx, subscriber.id, &key, &payload, app.clock.now()).await?;
        }
    }
    for subscriber in store::confirmed_subscribers(tx, "email").await? {
        let followed: Vec<i64> = serde_json::from_str(&subscriber.components).unwrap_or_default();
        if !followed.is_empty() && !followed.iter().any(|c| components.contains(c)) {
            continue;
        }
        let lang: Lang = subscriber.lang.parse().unwrap_or(app.settings.default_language);
        let status = texts.text(lang, &format!("{prefix}-{}", update.status), &[]);
        let mut paragraphs = vec![format!("{status} — {}", update.body)];
        if let (Some(from), Some(until)) = (incident.scheduled_for, incident.scheduled_until) {
            let zone = app.settings.time_zone.clone();
            paragraphs.push(format!(
                "{} – {}",
                from.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M %Z"),
                until.to_zoned(zone).strftime("%Y-%m-%d %H:%M %Z")
            ));
        }
        paragraphs.push(format!("{base}/status/incidents/{}", incident.id));
        let unsubscribe = format!("{base}/status/subscriptions/unsubscribe/{}", subscriber.token);
        paragraphs.push(texts.text(
            lang,
            "mail-status-unsubscribe",
            &[("link", Arg::Text(unsubscribe.clone()))],
        ));
        let letter = Letter {
            unsubscribe: Some(unsubscribe),
            ..Letter::notice(
                "status",
                format!("status:{}:{}", update.id, subscriber.id),
                subscriber.target.clone(),
                lang,
                format!("[{}] {} — {status}", app.settings.status_name, incident.name),
                paragraphs,
            )
        };
        queue(app, tx, letter).await?;
    }
    Ok(())
}

// ---- subscribers by webhook (admins add them: the server posts to their URLs)

/// What a webhook receives for each update, signed with the subscriber's secret.
fn webhook_payload(app: &App, incident: &Incident, components: &[i64], update: &Update) -> String {
    let base = app.settings.public_url.trim_end_matches('/');
    json!({
        "page": {"name": app.settings.status_name, "url": format!("{base}/status")},
        "incident": {
            "id": incident.id,
            "kind": incident.kind,
            "name": incident.name,
            "status": update.status,
            "impact": if incident.kind == "maintenance" { "maintenance" } else { incident.impact.code() },
            "components": components,
            "scheduled_for": incident.scheduled_for.map(|t| t.to_string()),
            "scheduled_until": incident.scheduled_until.map(|t| t.to_string()),
            "shortlink": format!("{base}/status/incidents/{}", incident.id),
        },
        "update": {
            "id": update.id,
            "status": update.status,
            "body": update.body,
            "created_at": update.created_at.to_string(),
        },
    })
    .to_string()
}

pub async fn add_webhook(
    app: &App,
    actor: &Actor,
    url: &str,
    components: &[i64],
) -> Result<(store::Subscriber, String)> {
    actor.require_admin()?;
    let url = bounded("url", url, 2000)?;
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.contains(char::is_whitespace) {
        return Err(ParseError::Invalid {
            field: "url",
            reason: "url",
        }
        .into());
    }
    let mut tx = app.db.begin().await?;
    for component in components {
        store::get_component(&mut tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
    let followed = serde_json::to_string(components).map_err(|e| AppError::Internal(e.to_string()))?;
    let token = crate::auth::new_token()?;
    let secret = crate::auth::new_token()?;
    let subscriber =
        store::insert_webhook_subscriber(&mut tx, &url, &followed, &token, &secret, app.clock.now()).await?;
    commit(tx).await?;
    Ok((subscriber, secret))
}

pub async fn subscribers(app: &App, actor: &Actor) -> Result<Vec<store::Subscriber>> {
    actor.require_admin()?;
    let mut conn = app.db.read().await?;
    Ok(store::list_subscribers(&mut conn, 10_000).await?)
}

pub async fn remove_subscriber(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !store::delete_subscriber_by_id(&mut tx, id).await? {
        return Err(AppError::NotFound("subscription"));
    }
    commit(tx).await
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Posts the webhook payloads that are due; a failure is retried with the outbox's pauses, and
/// given up after as many attempts.
pub async fn deliver_due(app: &App, client: &WebhookClient, limit: i64) -> Result<DeliveryReport> {
    use crate::mail::outbox::{MAX_ATTEMPTS, backoff};
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let due = store::claim_due_deliveries(&mut tx, now, now + SignedDuration::from_secs(300), limit).await?;
    commit(tx).await?;
    let mut report = DeliveryReport::default();
    for delivery in due {
        let outcome = client.post(&delivery.url, &delivery.secret, &delivery.payload).await;
        let now = app.clock.now();
        let mut tx = app.db.begin().await?;
        match outcome {
            Ok(()) => {
                store::mark_delivered(&mut tx, delivery.id, now).await?;
                report.delivered += 1;
            }
            Err(error) if delivery.attempts >= MAX_ATTEMPTS => {
                tracing::warn!(id = delivery.id, %error, "webhook delivery given up");
                store::mark_delivery_failed(&mut tx, delivery.id, now, &error.to_string()).await?;
                report.failed += 1;
            }
            Err(error) => {
                let pause =
                    SignedDuration::try_from(backoff(delivery.attempts)).unwrap_or(SignedDuration::from_secs(60));
                store::mark_delivery_retry(&mut tx, delivery.id, now + pause, &error.to_string()).await?;
                report.retried += 1;
            }
        }
        commit(tx).await?;
    }
    Ok(report)
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
