//! The reports pages: the supervisors' dashboard (`/agent/reports`) and a customer's own figures
//! (`/portal/reports`), one page drawn for each reader's scope: the period's figures with
//! trends, server-drawn charts, agents' activity and the tickets breaching now for staff, and
//! the exports of what is shown.

use askama::Template;
use atende_app::{
    entitlements,
    reports::{self, Report, ReportQuery},
};
use atende_domain::{TicketChannel, reports::trend};
use axum::{
    Router,
    extract::{Query, State},
    response::Response,
    routing::get,
};

use super::{PageError, Signed, charts, chrome::Chrome, page};
use crate::{
    AppState,
    api::reports::{ReportParams, query_of},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/reports", get(show))
        .route("/portal/reports", get(show))
        .route("/agent/reports/export", get(export))
        .route("/portal/reports/export", get(export))
        .route("/agent/reports/weekly", axum::routing::post(weekly))
        .route("/portal/reports/weekly", axum::routing::post(weekly))
}

/// The weekly report by e-mail, on or off.
async fn weekly(
    State(state): State<AppState>,
    signed: Signed,
    super::form::Submitted(form): super::form::Submitted,
) -> Result<Response, PageError> {
    let back = if signed.actor.is_staff() {
        "/agent/reports"
    } else {
        "/portal/reports"
    };
    let on = form.checked("weekly");
    super::OrBack::or_back(reports::subscribe(&state.app, &signed.actor, on).await, back)?;
    Ok(super::done(
        &signed.ctx,
        &state,
        back,
        if on { "reports-weekly-on" } else { "reports-weekly-off" },
    ))
}

/// The tickets behind the figures, downloaded from the page (the session's reader).
async fn export(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<ReportParams>,
) -> Result<Response, PageError> {
    Ok(crate::api::reports::export(&state.app, signed.actor.clone(), &params)?)
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    c: Chrome,
    report: Report,
    query: String,
    /// Where the page's exports are downloaded.
    export: &'static str,
    /// Whether the reader gets the weekly report by e-mail, and may.
    weekly: bool,
    may_subscribe: bool,
    from: String,
    to: String,
    /// For customers: (bot id, name) to look at one bot of theirs.
    bots: Vec<(i64, String)>,
    bot: Option<i64>,
    channel: String,
    channels: Vec<&'static str>,
    daily_chart: String,
    channel_chart: String,
    backlog_chart: String,
}

impl ReportsPage {
    fn trend_text(&self, before: &i64, now: &i64) -> String {
        match trend(*before, *now) {
            Some(p) if p > 0 => format!("+{p} %"),
            Some(p) => format!("{p} %"),
            None => "—".to_owned(),
        }
    }

    fn minutes(&self, value: &Option<f64>) -> String {
        value.map(|m| format!("{m:.0} min")).unwrap_or_else(|| "—".to_owned())
    }

    fn sla_share(&self) -> String {
        let f = &self.report.figures;
        let all = f.sla_achieved + f.sla_breached;
        if all == 0 {
            "—".to_owned()
        } else {
            format!("{} %", f.sla_achieved * 100 / all)
        }
    }

    fn csat_share(&self) -> String {
        let all = self.report.figures.csat_good + self.report.figures.csat_bad;
        if all == 0 {
            "—".to_owned()
        } else {
            format!("{} %", self.report.figures.csat_good * 100 / all)
        }
    }

    fn agent_name(&self, id: &i64) -> String {
        self.report.agent_names.get(id).cloned().unwrap_or_default()
    }

    fn is_bot(&self, id: &i64) -> bool {
        self.bot == Some(*id)
    }
}

async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<ReportParams>,
) -> Result<Response, PageError> {
    let q: ReportQuery = query_of(&state.app, &params)?;
    let actor = &signed.actor;
    let report = reports::report(&state.app, actor, &q).await?;
    let c = signed
        .ctx
        .chrome(&state, if actor.is_staff() { "reports" } else { "my-reports" });
    let base = if actor.is_staff() {
        "/agent/reports/export"
    } else {
        "/portal/reports/export"
    };
    let f = &report.figures;
    let labels: Vec<String> = f.days.iter().map(|d| d.date.strftime("%d/%m").to_string()).collect();
    let daily_chart = charts::grouped_bars(
        &c.t("reports-daily"),
        &labels,
        &[
            f.days.iter().map(|d| d.created).collect(),
            f.days.iter().map(|d| d.solved).collect(),
        ],
        &[c.t("reports-created"), c.t("reports-solved")],
    );
    let channel_rows: Vec<(String, i64)> = f.channels.iter().map(|(k, v)| (c.channel(k), *v)).collect();
    let channel_chart = charts::bars(&c.t("reports-channels"), &channel_rows);
    let ages = [
        "reports-age-day",
        "reports-age-week",
        "reports-age-month",
        "reports-age-older",
    ];
    let backlog_rows: Vec<(String, i64)> = ages.iter().zip(f.backlog_age).map(|(k, v)| (c.t(k), v)).collect();
    let backlog_chart = charts::bars(&c.t("reports-backlog-age"), &backlog_rows);
    let bots = if actor.is_staff() {
        Vec::new()
    } else {
        entitlements::offers(&state.app, actor)
            .await?
            .into_iter()
            .filter(|o| o.in_view)
            .flat_map(|o| o.bots)
            .map(|b| (b.id, b.name))
            .collect()
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("from", params.day_text(&q, &state.app.settings.time_zone, true)),
            ("to", params.day_text(&q, &state.app.settings.time_zone, false)),
        ])
        .extend_pairs(params.bot_id().map(|b| ("bot_id", b.to_string())))
        .extend_pairs(params.channel().map(|ch| ("channel", ch.to_owned())))
        .finish();
    let weekly = reports::subscribed(&state.app, actor).await?;
    let may_subscribe = actor.is_staff() || actor.user.role == atende_domain::Role::CustomerAdmin;
    page(&ReportsPage {
        weekly,
        may_subscribe,
        export: base,
        from: params.day_text(&q, &state.app.settings.time_zone, true),
        to: params.day_text(&q, &state.app.settings.time_zone, false),
        bot: params.bot_id(),
        channel: params.channel().unwrap_or_default().to_owned(),
        channels: TicketChannel::ALL.iter().map(|c| c.code()).collect(),
        c,
        report,
        query,
        bots,
        daily_chart,
        channel_chart,
        backlog_chart,
    })
}
