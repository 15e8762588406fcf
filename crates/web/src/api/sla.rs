use atende_app::sla::{self as usecase, CalendarView, SlaView};
use atende_app::{CalendarRecord, Notification};
use atende_domain::{
    ParseError, Priority, SlaTier, TicketStatus, TicketType,
    sla::{ClockState, Policy, Targets},
};
use axum::{Json, extract::State, http::StatusCode};
use jiff::{Timestamp, civil::Date, tz::TimeZone};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{rfc3339, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    i18n::{Arg, I18n},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ticket_sla))
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(update_policy, delete_policy))
        .routes(routes!(list_calendars))
        .routes(routes!(put_calendar))
        .routes(routes!(add_holiday))
        .routes(routes!(remove_holiday))
        .routes(routes!(list_notifications))
        .routes(routes!(read_notification))
        .routes(routes!(sla_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TargetOut {
    /// `first_response`, `next_response`, `periodic_update` or `resolution`.
    pub(crate) target: &'static str,
    pub(crate) cycle: i64,
    /// `running`, `paused`, `achieved` or `breached`.
    pub(crate) state: &'static str,
    pub(crate) target_minutes: i64,
    #[schema(format = DateTime)]
    pub(crate) started_at: String,
    #[schema(format = DateTime)]
    pub(crate) stopped_at: Option<String>,
    /// `null` while the clock is paused.
    #[schema(format = DateTime)]
    pub(crate) due_at: Option<String>,
    #[schema(format = DateTime)]
    pub(crate) warn_at: Option<String>,
    pub(crate) business_minutes_elapsed: i64,
    pub(crate) business_minutes_paused: i64,
    #[schema(format = DateTime)]
    pub(crate) warned_at: Option<String>,
    #[schema(format = DateTime)]
    pub(crate) breach_recorded_at: Option<String>,
    /// Why the due time is what it is, in the caller's language.
    pub(crate) explanation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketSlaOut {
    /// `null` when no policy applies (a plan without an SLA tier).
    pub(crate) policy: Option<PolicyOut>,
    pub(crate) calendar: Option<String>,
    pub(crate) time_zone: Option<String>,
    pub(crate) targets: Vec<TargetOut>,
}

fn local(t: Timestamp, tz: &TimeZone, lang: atende_domain::Lang, i18n: &I18n) -> String {
    let z = t.to_zoned(tz.clone());
    let weekday = i18n.text(lang, &format!("weekday-{}", z.weekday().to_monday_one_offset()), &[]);
    format!("{weekday} {}", z.strftime("%Y-%m-%d %H:%M"))
}

pub(crate) fn sla_out(view: SlaView, lang: atende_domain::Lang, i18n: &I18n) -> TicketSlaOut {
    let tz = view
        .calendar
        .as_ref()
        .and_then(|c| TimeZone::get(&c.time_zone).ok())
        .unwrap_or(TimeZone::UTC);
    let zone = view.calendar.as_ref().map(|c| c.time_zone.clone()).unwrap_or_default();
    let targets = view
        .targets
        .into_iter()
        .map(|t| {
            let m = &t.measurement;
            let key = format!("sla-explain-{}", m.state.code());
            let mut args = vec![
                ("target", Arg::Term(format!("target-{}", m.target.code()))),
                ("minutes", Arg::Number(m.target_minutes)),
                ("start", Arg::Text(local(m.started_at, &tz, lang, i18n))),
                ("zone", Arg::Text(zone.clone())),
                ("elapsed", Arg::Number(m.elapsed_secs / 60)),
            ];
            if let Some(due) = m.due_at {
                args.push(("due", Arg::Text(local(due, &tz, lang, i18n))));
            }
            let mut explanation = i18n.text(lang, &key, &args);
            if m.state != ClockState::Paused {
                if t.closed_hours_skipped {
                    explanation.push(' ');
                    explanation.push_str(&i18n.text(lang, "sla-closed-hours", &[]));
                }
                if !t.holidays_skipped.is_empty() {
                    let names: Vec<String> = t
                        .holidays_skipped
                        .iter()
                        .map(|(d, n)| {
                            if n.is_empty() {
                                d.to_string()
                            } else {
                                format!("{n} ({d})")
                            }
                        })
                        .collect();
                    explanation.push(' ');
                    explanation.push_str(&i18n.text(
                        lang,
                        "sla-holidays",
                        &[("holidays", Arg::Text(names.join(", ")))],
                    ));
                }
                if m.paused_secs > 0 {
                    explanation.push(' ');
                    explanation.push_str(&i18n.text(
                        lang,
                        "sla-paused-time",
                        &[("minutes", Arg::Number(m.paused_secs / 60))],
                    ));
                }
            }
            TargetOut {
                target: m.target.code(),
                cycle: m.cycle,
                state: m.state.code(),
                target_minutes: m.target_minutes,
                started_at: rfc3339(m.started_at),
                stopped_at: m.stopped_at.map(rfc3339),
                due_at: m.due_at.map(rfc3339),
                warn_at: m.warn_at.map(rfc3339),
                business_minutes_elapsed: m.elapsed_secs / 60,
                business_minutes_paused: m.paused_secs / 60,
                warned_at: t.warned_at.map(rfc3339),
                breach_recorded_at: t.breach_recorded_at.map(rfc3339),
                explanation,
            }
        })
        .collect();
    TicketSlaOut {
        policy: view.policy.map(PolicyOut::from),
        calendar: view.calendar.as_ref().map(|c| c.code.clone()),
        time_zone: view.calendar.map(|c| c.time_zone),
        targets,
    }
}

/// The ticket's SLA: its policy and calendar, and for each target its state, due time, business
/// minutes elapsed and paused, and a sentence that explains the due time.
#[utoipa::path(get, path = "/tickets/{id}/sla", tag = "sla", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = TicketSlaOut), (status = 404, body = ErrorBody)))]
async fn ticket_sla(
    State(state): State<AppState>,
    caller: Caller,
    ctx: RequestContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TicketSlaOut>, ApiError> {
    let view = usecase::explain(&state.app, &caller, id).await?;
    Ok(Json(sla_out(view, ctx.lang, &state.i18n)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TargetsIo {
    /// Business minutes; `null` for no target.
    first_response: Option<i64>,
    next_response: Option<i64>,
    periodic_update: Option<i64>,
    resolution: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyOut {
    id: i64,
    pub(crate) name: String,
    position: i64,
    #[schema(schema_with = schemas::tier_nullable)]
    tier: Option<SlaTier>,
    #[schema(schema_with = schemas::ticket_type_nullable)]
    ticket_type: Option<TicketType>,
    /// Empty matches every priority.
    #[schema(value_type = Vec<String>)]
    priorities: Vec<Priority>,
    calendar: String,
    targets: TargetsIo,
    #[schema(value_type = Vec<String>)]
    pause_statuses: Vec<TicketStatus>,
    warn_percent: i64,
}

impl From<Policy> for PolicyOut {
    fn from(p: Policy) -> Self {
        PolicyOut {
            id: p.id,
            name: p.name,
            position: p.position,
            tier: p.tier,
            ticket_type: p.ticket_type,
            priorities: p.priorities,
            calendar: p.calendar,
            targets: TargetsIo {
                first_response: p.targets.first_response,
                next_response: p.targets.next_response,
                periodic_update: p.targets.periodic_update,
                resolution: p.targets.resolution,
            },
            pause_statuses: p.pause_statuses,
            warn_percent: p.warn_percent,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyIn {
    pub(crate) name: String,
    position: i64,
    #[schema(schema_with = schemas::tier_nullable)]
    tier: Option<SlaTier>,
    #[schema(schema_with = schemas::ticket_type_nullable)]
    ticket_type: Option<TicketType>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    priorities: Vec<Priority>,
    calendar: String,
    targets: TargetsIo,
    /// Default: `pending` and `on_hold`.
    #[schema(value_type = Option<Vec<String>>)]
    pause_statuses: Option<Vec<TicketStatus>>,
    /// Default 80.
    warn_percent: Option<i64>,
}

impl PolicyIn {
    fn into_policy(self, id: i64) -> Policy {
        Policy {
            id,
            name: self.name,
            position: self.position,
            tier: self.tier,
            ticket_type: self.ticket_type,
            priorities: self.priorities,
            calendar: self.calendar,
            targets: Targets {
                first_response: self.targets.first_response,
                next_response: self.targets.next_response,
                periodic_update: self.targets.periodic_update,
                resolution: self.targets.resolution,
            },
            pause_statuses: self
                .pause_statuses
                .unwrap_or_else(|| vec![TicketStatus::Pending, TicketStatus::OnHold]),
            warn_percent: self.warn_percent.unwrap_or(80),
        }
    }
}

/// SLA policies in the order they are tried (staff).
#[utoipa::path(get, path = "/sla/policies", tag = "sla", security(("bearer" = [])),
    responses((status = 200, body = Vec<PolicyOut>), (status = 403, body = ErrorBody)))]
async fn list_policies(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<PolicyOut>>, ApiError> {
    Ok(Json(
        usecase::list_policies(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Add a policy (admins).
#[utoipa::path(post, path = "/sla/policies", tag = "sla", request_body = PolicyIn, security(("bearer" = [])),
    responses((status = 201, body = PolicyOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PolicyIn>,
) -> Result<(StatusCode, Json<PolicyOut>), ApiError> {
    let policy = usecase::create_policy(&state.app, &caller, body.into_policy(0)).await?;
    Ok((StatusCode::CREATED, Json(policy.into())))
}

/// Replace a policy (admins). Tickets pick up the change at their next update.
#[utoipa::path(put, path = "/sla/policies/{id}", tag = "sla", params(("id" = i64, Path)), request_body = PolicyIn, security(("bearer" = [])),
    responses((status = 200, body = PolicyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PolicyIn>,
) -> Result<Json<PolicyOut>, ApiError> {
    Ok(Json(
        usecase::update_policy(&state.app, &caller, body.into_policy(id))
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/sla/policies/{id}", tag = "sla", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    usecase::delete_policy(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayOut {
    #[schema(value_type = String, format = Date)]
    date: Date,
    pub(crate) name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarOut {
    code: String,
    pub(crate) name: String,
    time_zone: String,
    /// Seven lists, Monday first, of `[start_minute, end_minute]` opening intervals.
    week: Vec<Vec<(u16, u16)>>,
    /// `brazil` (national holidays by rule) or `none`.
    holiday_rules: String,
    added_holidays: Vec<HolidayOut>,
    upcoming_holidays: Vec<HolidayOut>,
    /// `no_holidays_ahead` when the next twelve months have no holiday at all.
    warning: Option<String>,
}

impl From<CalendarView> for CalendarOut {
    fn from(v: CalendarView) -> Self {
        let r = v.record;
        CalendarOut {
            code: r.code,
            name: r.name,
            time_zone: r.time_zone,
            week: r.week,
            holiday_rules: r.holiday_rules,
            added_holidays: r
                .extra_holidays
                .into_iter()
                .map(|(date, name)| HolidayOut { date, name })
                .collect(),
            upcoming_holidays: v
                .upcoming_holidays
                .into_iter()
                .map(|(date, name)| HolidayOut { date, name })
                .collect(),
            warning: v.warning.map(str::to_owned),
        }
    }
}

/// Calendars with their upcoming holidays, and a warning when a calendar has none ahead (staff).
#[utoipa::path(get, path = "/sla/calendars", tag = "sla", security(("bearer" = [])),
    responses((status = 200, body = Vec<CalendarOut>), (status = 403, body = ErrorBody)))]
async fn list_calendars(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<CalendarOut>>, ApiError> {
    Ok(Json(
        usecase::list_calendars(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarIn {
    pub(crate) name: String,
    time_zone: String,
    week: Vec<Vec<(u16, u16)>>,
    holiday_rules: String,
}

/// Create or replace a calendar (admins).
#[utoipa::path(put, path = "/sla/calendars/{code}", tag = "sla", params(("code" = String, Path)), request_body = CalendarIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_calendar(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<CalendarIn>,
) -> Result<StatusCode, ApiError> {
    let record = CalendarRecord {
        code,
        name: body.name,
        time_zone: body.time_zone,
        week: body.week,
        holiday_rules: body.holiday_rules,
        extra_holidays: Vec::new(),
    };
    usecase::save_calendar(&state.app, &caller, record).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayIn {
    #[schema(value_type = String, format = Date)]
    date: Date,
    pub(crate) name: String,
}

/// Add a holiday to a calendar (admins).
#[utoipa::path(post, path = "/sla/calendars/{code}/holidays", tag = "sla", params(("code" = String, Path)), request_body = HolidayIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_holiday(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<HolidayIn>,
) -> Result<StatusCode, ApiError> {
    usecase::add_holiday(&state.app, &caller, &code, body.date, &body.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/sla/calendars/{code}/holidays/{date}", tag = "sla", params(("code" = String, Path), ("date" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_holiday(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((code, date)): ApiPath<(String, Date)>,
) -> Result<StatusCode, ApiError> {
    usecase::remove_holiday(&state.app, &caller, &code, date).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    id: i64,
    ticket_id: Option<i64>,
    /// `sla_warning`, `sla_breached`, `escalation`.
    kind: String,
    data: serde_json::Value,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    read_at: Option<String>,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id,
            ticket_id: n.ticket_id,
            kind: n.kind,
            data: serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null),
            created_at: rfc3339(n.created_at),
            read_at: n.read_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    unread: Option<bool>,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "sla", params(NotificationParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<NotificationOut>), (status = 401, body = ErrorBody)))]
async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<NotificationParams>,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    Ok(Json(
        usecase::notifications(&state.app, &caller, p.unread.unwrap_or(false))
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/notifications/{id}/read", tag = "sla", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn read_notification(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    usecase::mark_read(&state.app, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Tickets created from this instant (RFC 3339) or day (`YYYY-MM-DD`, UTC midnight).
    from: String,
    /// ...until before this one.
    to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRowOut {
    tier: String,
    #[serde(rename = "type")]
    ticket_type: String,
    priority: String,
    target: &'static str,
    tickets: usize,
    achieved: usize,
    breached: usize,
    median_business_minutes: Option<f64>,
    p90_business_minutes: Option<f64>,
}

fn instant(field: &'static str, raw: &str) -> Result<Timestamp, ParseError> {
    raw.parse::<Timestamp>()
        .or_else(|_| {
            raw.parse::<Date>()
                .and_then(|d| d.to_zoned(TimeZone::UTC))
                .map(|z| z.timestamp())
        })
        .map_err(|_| ParseError::Invalid {
            field,
            reason: "instant",
        })
}

/// SLA results per tier, type, priority and target for tickets created in the period (staff).
#[utoipa::path(get, path = "/reports/sla", tag = "sla", params(ReportParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<ReportRowOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sla_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<Json<Vec<ReportRowOut>>, ApiError> {
    let (from, to) = (instant("from", &p.from)?, instant("to", &p.to)?);
    let rows = usecase::report(&state.app, &caller, from, to).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ReportRowOut {
                tier: r.tier,
                ticket_type: r.ticket_type,
                priority: r.priority,
                target: r.target.code(),
                tickets: r.tickets,
                achieved: r.achieved,
                breached: r.breached,
                median_business_minutes: r.median_minutes,
                p90_business_minutes: r.p90_minutes,
            })
            .collect(),
    ))
}
