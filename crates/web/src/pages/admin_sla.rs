//! Service levels for admins: the policies (which tickets, which targets in business minutes, which
//! statuses pause the clocks) and the business-hours calendars with their holidays.

use askama::Template;
use atende_app::{
    CalendarRecord,
    sla::{self, CalendarView},
};
use atende_domain::{
    Priority, TicketStatus, TicketType,
    sla::{Policy, Targets, format_day_hours, parse_day_hours},
};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use jiff::civil::Date;

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Fields, form::Submitted, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/sla", get(show).post(create_policy))
        .route("/admin/sla/policies/{id}", post(change_policy))
        .route("/admin/sla/calendars/{code}", post(save_calendar))
        .route("/admin/sla/calendars/{code}/holidays", post(change_holiday))
}

const BACK: &str = "/admin/sla";
const WEEKDAYS: [&str; 7] = ["1", "2", "3", "4", "5", "6", "7"];

#[derive(Template)]
#[template(path = "admin_sla.html")]
struct SlaPage {
    c: Chrome,
    policies: Vec<Policy>,
    calendars: Vec<CalendarView>,
    priorities: Vec<Priority>,
    statuses: Vec<TicketStatus>,
    types: Vec<TicketType>,
    weekdays: [&'static str; 7],
}

impl SlaPage {
    fn hours(&self, calendar: &CalendarRecord, day: &str) -> String {
        let index = day.parse::<usize>().unwrap_or(1).saturating_sub(1);
        calendar
            .week
            .get(index)
            .map(|d| format_day_hours(d))
            .unwrap_or_default()
    }

    fn minutes(&self, value: &Option<i64>) -> String {
        value.map(|m| m.to_string()).unwrap_or_default()
    }

    fn has_priority(&self, policy: &Policy, p: &Priority) -> bool {
        policy.priorities.contains(p)
    }

    fn pauses(&self, policy: &Policy, s: &TicketStatus) -> bool {
        policy.pause_statuses.contains(s)
    }

    fn tier(&self, policy: &Policy) -> &'static str {
        policy.tier.map(|t| t.code()).unwrap_or("")
    }

    fn kind(&self, policy: &Policy) -> &'static str {
        policy.ticket_type.map(|t| t.code()).unwrap_or("")
    }
}

async fn show(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&SlaPage {
        c: signed.ctx.chrome(&state, "admin"),
        policies: sla::list_policies(&state.app, &signed.actor).await?,
        calendars: sla::list_calendars(&state.app, &signed.actor).await?,
        priorities: Priority::ALL.to_vec(),
        statuses: TicketStatus::ALL.to_vec(),
        types: TicketType::ALL.to_vec(),
        weekdays: WEEKDAYS,
    })
}

/// A policy as the form describes it.
fn policy_of(form: &Fields, id: i64) -> Result<Policy, PageError> {
    let parse_all = |name: &'static str| -> Result<Vec<String>, PageError> {
        Ok(form.all(name).into_iter().map(str::to_owned).collect())
    };
    Ok(Policy {
        id,
        name: form.text("name").trim().to_owned(),
        position: form.parse("position")?,
        tier: form.parse_opt("tier")?,
        ticket_type: form.parse_opt("type")?,
        priorities: parse_all("priorities")?
            .iter()
            .map(|p| p.parse().map_err(|_| PageError::invalid_field("priorities")))
            .collect::<Result<_, _>>()?,
        calendar: form.text("calendar").to_owned(),
        targets: Targets {
            first_response: form.parse_opt("first_response")?,
            next_response: form.parse_opt("next_response")?,
            periodic_update: form.parse_opt("periodic_update")?,
            resolution: form.parse_opt("resolution")?,
        },
        pause_statuses: parse_all("pause_statuses")?
            .iter()
            .map(|p| p.parse().map_err(|_| PageError::invalid_field("pause_statuses")))
            .collect::<Result<_, _>>()?,
        warn_percent: form.parse("warn_percent")?,
    })
}

async fn create_policy(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let policy = policy_of(&form, 0).or_back(BACK)?;
    sla::create_policy(&state.app, &signed.actor, policy)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn change_policy(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    if form.text("action") == "delete" {
        sla::delete_policy(&state.app, &signed.actor, id).await.or_back(BACK)?;
        return Ok(done(&signed.ctx, &state, BACK, "admin-deleted"));
    }
    let policy = policy_of(&form, id).or_back(BACK)?;
    sla::update_policy(&state.app, &signed.actor, policy)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn save_calendar(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(code): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let mut week = Vec::with_capacity(7);
    for day in WEEKDAYS {
        week.push(parse_day_hours(form.text(&format!("day{day}"))).or_back(BACK)?);
    }
    let record = CalendarRecord {
        code,
        name: form.text("name").to_owned(),
        time_zone: form.text("time_zone").to_owned(),
        week,
        holiday_rules: form.text("holiday_rules").to_owned(),
        extra_holidays: Vec::new(),
    };
    sla::save_calendar(&state.app, &signed.actor, record)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn change_holiday(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(code): Path<String>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let day: Date = form.parse("day").or_back(BACK)?;
    if form.text("action") == "remove" {
        sla::remove_holiday(&state.app, &signed.actor, &code, day)
            .await
            .or_back(BACK)?;
    } else {
        sla::add_holiday(&state.app, &signed.actor, &code, day, form.text("name"))
            .await
            .or_back(BACK)?;
    }
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}
