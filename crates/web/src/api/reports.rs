//! Reports over HTTP: a period's figures with trends against the period before, and the tickets
//! behind them as CSV or JSON lines, streamed a page at a time. Everyone gets only what they may
//! see: staff everything, a customer admin their organization, a customer their contracts.

use std::collections::BTreeMap;

use atende_app::{
    App,
    reports::{self, ExportRow, Report, ReportFilter, ReportQuery},
};
use atende_domain::reports::{Stats, trend};
use axum::{
    Json,
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::ApiQuery,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(tickets))
        .routes(routes!(weekly, subscribe, unsubscribe))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyOut {
    /// Whether the report of the past week is mailed to the caller every Monday.
    subscribed: bool,
}

/// Whether the caller gets the weekly report by e-mail.
#[utoipa::path(get, path = "/reports/subscription", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = WeeklyOut), (status = 401, body = ErrorBody)))]
async fn weekly(State(state): State<AppState>, caller: Caller) -> Result<Json<WeeklyOut>, ApiError> {
    Ok(Json(WeeklyOut {
        subscribed: reports::subscribed(&state.app, &caller).await?,
    }))
}

/// Get the past week's report by e-mail every Monday (the support team; customer admins for their
/// organization).
#[utoipa::path(put, path = "/reports/subscription", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = WeeklyOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn subscribe(State(state): State<AppState>, caller: Caller) -> Result<Json<WeeklyOut>, ApiError> {
    reports::subscribe(&state.app, &caller, true).await?;
    Ok(Json(WeeklyOut { subscribed: true }))
}

/// Stop the weekly report.
#[utoipa::path(delete, path = "/reports/subscription", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = WeeklyOut), (status = 401, body = ErrorBody)))]
async fn unsubscribe(State(state): State<AppState>, caller: Caller) -> Result<Json<WeeklyOut>, ApiError> {
    reports::subscribe(&state.app, &caller, false).await?;
    Ok(Json(WeeklyOut { subscribed: false }))
}

#[derive(Debug, Deserialize, IntoParams, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// First day (`2026-11-01`, on the support operation's calendar); a week before `to` by default.
    from: Option<String>,
    /// Last day, included; today by default.
    to: Option<String>,
    plan: Option<String>,
    organization_id: Option<i64>,
    contract_id: Option<i64>,
    bot_id: Option<i64>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    ticket_type: Option<String>,
    priority: Option<String>,
    channel: Option<String>,
    group_id: Option<i64>,
    assignee_id: Option<i64>,
    /// For `/reports/tickets`: `csv` (the default) or `json` (one object a line).
    format: Option<String>,
}

impl ReportParams {
    pub(crate) fn bot_id(&self) -> Option<i64> {
        self.bot_id
    }

    pub(crate) fn channel(&self) -> Option<&str> {
        self.channel.as_deref().filter(|c| !c.is_empty())
    }

    /// The first (or last) day of a query's period, as a form shows it.
    pub(crate) fn day_text(&self, q: &ReportQuery, tz: &jiff::tz::TimeZone, first: bool) -> String {
        let at = if first {
            q.from
        } else {
            q.to.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap_or(q.to)
        };
        at.to_zoned(tz.clone()).date().to_string()
    }
}

fn day(field: &'static str, raw: Option<&str>) -> Result<Option<Date>, atende_domain::ParseError> {
    raw.filter(|r| !r.is_empty())
        .map(|r| {
            r.parse::<Date>()
                .map_err(|_| atende_domain::ParseError::Invalid { field, reason: "date" })
        })
        .transpose()
}

/// The period the parameters name, as instants on the operation's calendar.
pub(crate) fn query_of(app: &App, p: &ReportParams) -> Result<ReportQuery, atende_domain::ParseError> {
    let last = day("to", p.to.as_deref())?.unwrap_or_else(|| app.today());
    let first = day("from", p.from.as_deref())?.unwrap_or_else(|| last.saturating_sub(jiff::Span::new().days(6)));
    let start = |d: Date| {
        d.to_zoned(app.settings.time_zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| atende_domain::ParseError::Invalid {
                field: "from",
                reason: "date",
            })
    };
    let end_day = last.tomorrow().map_err(|_| atende_domain::ParseError::Invalid {
        field: "to",
        reason: "date",
    })?;
    Ok(ReportQuery {
        from: start(first)?,
        to: start(end_day)?,
        filter: ReportFilter {
            plan: p.plan.clone(),
            organization_id: p.organization_id,
            contract_id: p.contract_id,
            bot_id: p.bot_id,
            ticket_type: p.ticket_type.clone(),
            priority: p.priority.clone(),
            channel: p.channel.clone(),
            group_id: p.group_id,
            assignee_id: p.assignee_id,
        },
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsOut {
    count: usize,
    /// Business minutes.
    median: Option<f64>,
    p90: Option<f64>,
}

impl From<Stats> for StatsOut {
    fn from(s: Stats) -> Self {
        StatsOut {
            count: s.count,
            median: s.median.map(|m| (m * 10.0).round() / 10.0),
            p90: s.p90.map(|m| (m * 10.0).round() / 10.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentOut {
    id: i64,
    name: String,
    replies: i64,
    solves: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayOut {
    #[schema(format = Date)]
    date: String,
    created: i64,
    solved: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendsOut {
    /// Percent change against the period before; null when it had none.
    created: Option<i64>,
    solved: Option<i64>,
    reopened: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryOut {
    #[schema(format = DateTime)]
    from: String,
    #[schema(format = DateTime)]
    to: String,
    created: i64,
    solved: i64,
    reopened: i64,
    /// Tickets still being worked now, and their age: [< 1 day, 1–7 days, 7–30 days, > 30 days].
    backlog: i64,
    backlog_age: [i64; 4],
    first_response: StatsOut,
    resolution: StatsOut,
    sla_achieved: i64,
    sla_breached: i64,
    /// Tickets created per channel and per type.
    channels: BTreeMap<String, i64>,
    types: BTreeMap<String, i64>,
    agents: Vec<AgentOut>,
    days: Vec<DayOut>,
    previous_created: i64,
    previous_solved: i64,
    trends: TrendsOut,
    /// Staff: tickets due within the hour or late.
    breaching: Vec<i64>,
    /// Ratings given in the period.
    csat: CsatOut,
    /// Customers about to write a ticket who opened a suggested article or incident, and how
    /// many filed no ticket within a day (people only: the ticket filters do not apply).
    deflection: DeflectionOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CsatOut {
    good: i64,
    bad: i64,
    /// Good ratings among all, in percent; null without ratings.
    share_good: Option<i64>,
    comments: Vec<RatingCommentOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingCommentOut {
    ticket_id: i64,
    comment: String,
    good: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeflectionOut {
    opened: i64,
    deflected: i64,
}

pub(crate) fn summary_out(q: &ReportQuery, r: Report) -> SummaryOut {
    let f = r.figures;
    SummaryOut {
        from: q.from.to_string(),
        to: q.to.to_string(),
        trends: TrendsOut {
            created: trend(r.previous.created, f.created),
            solved: trend(r.previous.solved, f.solved),
            reopened: trend(r.previous.reopened, f.reopened),
        },
        previous_created: r.previous.created,
        previous_solved: r.previous.solved,
        created: f.created,
        solved: f.solved,
        reopened: f.reopened,
        backlog: f.backlog,
        backlog_age: f.backlog_age,
        first_response: f.first_response.into(),
        resolution: f.resolution.into(),
        sla_achieved: f.sla_achieved,
        sla_breached: f.sla_breached,
        channels: f.channels,
        types: f.types,
        agents: f
            .agents
            .iter()
            .map(|(id, a)| AgentOut {
                id: *id,
                name: r.agent_names.get(id).cloned().unwrap_or_default(),
                replies: a.replies,
                solves: a.solves,
            })
            .collect(),
        days: f
            .days
            .iter()
            .map(|d| DayOut {
                date: d.date.to_string(),
                created: d.created,
                solved: d.solved,
            })
            .collect(),
        breaching: r.breaching.iter().map(|t| t.id).collect(),
        csat: CsatOut {
            good: f.csat_good,
            bad: f.csat_bad,
            share_good: (f.csat_good + f.csat_bad > 0).then(|| f.csat_good * 100 / (f.csat_good + f.csat_bad)),
            comments: r
                .csat_comments
                .into_iter()
                .map(|(ticket_id, comment, good)| RatingCommentOut {
                    ticket_id,
                    comment,
                    good,
                })
                .collect(),
        },
        deflection: DeflectionOut {
            opened: r.deflection_opened,
            deflected: r.deflected,
        },
    }
}

/// A period's figures, with trends against the period of the same length before it.
#[utoipa::path(get, path = "/reports/summary", tag = "reports", params(ReportParams), security(("bearer" = [])),
    responses((status = 200, body = SummaryOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn summary(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<Json<SummaryOut>, ApiError> {
    let q = query_of(&state.app, &p)?;
    let report = reports::report(&state.app, &caller, &q).await?;
    Ok(Json(summary_out(&q, report)))
}

/// One CSV field, quoted when it must be (RFC 4180); a leading `=`, `+`, `-` or `@` is defused so
/// that a spreadsheet does not run it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

const CSV_HEADER: &str =
    "id,created_at,subject,type,priority,status,channel,contract,bot,requester,assignee,sla_due_at\r\n";

fn csv_line(r: &ExportRow) -> String {
    let fields = [
        r.id.to_string(),
        r.created_at.to_string(),
        r.subject.clone(),
        r.ticket_type.clone(),
        r.priority.clone(),
        r.status.clone(),
        r.channel.clone(),
        r.contract.clone(),
        r.bot.clone().unwrap_or_default(),
        r.requester.clone(),
        r.assignee.clone().unwrap_or_default(),
        r.sla_due_at.map(|t| t.to_string()).unwrap_or_default(),
    ];
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

fn json_line(r: &ExportRow) -> String {
    let mut line = serde_json::json!({
        "id": r.id, "created_at": r.created_at.to_string(), "subject": r.subject, "type": r.ticket_type,
        "priority": r.priority, "status": r.status, "channel": r.channel, "contract": r.contract, "bot": r.bot,
        "requester": r.requester, "assignee": r.assignee, "sla_due_at": r.sla_due_at.map(|t: Timestamp| t.to_string()),
    })
    .to_string();
    line.push('\n');
    line
}

/// Rows read per page of an export.
const PAGE: i64 = 1_000;

/// The tickets created in the period, as CSV (the default) or JSON lines, streamed a thousand at a
/// time so that any number of rows fits in little memory.
#[utoipa::path(get, path = "/reports/tickets", tag = "reports", params(ReportParams), security(("bearer" = [])),
    responses((status = 200, description = "CSV (RFC 4180) or JSON lines", content_type = "text/csv"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tickets(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<Response, ApiError> {
    Ok(export(&state.app, caller.0.clone(), &p)?)
}

/// The export as a streamed download (the API's and the pages' alike).
pub(crate) fn export(
    app: &App,
    actor: std::sync::Arc<atende_app::Actor>,
    p: &ReportParams,
) -> Result<Response, atende_app::AppError> {
    let q = query_of(app, p)?;
    q.check()?;
    let json = match p.format.as_deref() {
        None | Some("csv") => false,
        Some("json") => true,
        Some(_) => {
            return Err(atende_domain::ParseError::NotOneOf {
                field: "format",
                allowed: "csv, json",
            }
            .into());
        }
    };
    let app = app.clone();
    let first = if json { String::new() } else { CSV_HEADER.to_owned() };
    // (the text before the next page, the last id sent, whether the end was reached)
    let stream = futures_util::stream::unfold((first, 0i64, false), move |(pending, after, done)| {
        let (app, actor, q) = (app.clone(), actor.clone(), q.clone());
        async move {
            if done {
                return None;
            }
            match reports::export_page(&app, &actor, &q, after, PAGE).await {
                Ok(rows) => {
                    let last = rows.last().map(|r| r.id).unwrap_or(after);
                    let end = (rows.len() as i64) < PAGE;
                    let mut chunk = pending;
                    for r in &rows {
                        chunk.push_str(&if json { json_line(r) } else { csv_line(r) });
                    }
                    Some((Ok::<_, std::io::Error>(chunk), (String::new(), last, end)))
                }
                // Mid-stream, the status is sent already: the export stops short, and the log says why.
                Err(err) => {
                    tracing::warn!(%err, "an export stopped short");
                    Some((
                        Err(std::io::Error::other(err.to_string())),
                        (String::new(), after, true),
                    ))
                }
            }
        }
    });
    let mut response = Body::from_stream(stream).into_response();
    let (content_type, name) = if json {
        ("application/x-ndjson", "tickets.jsonl")
    } else {
        ("text/csv; charset=utf-8", "tickets.csv")
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
