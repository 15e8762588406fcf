//! The reports scenario: a database with many tickets spread over 90 days, each with its
//! `created` event, most solved (a `status_changed` event and a finished resolution clock, from
//! minutes to weeks; a third of the last week's tickets and one in fifty older ones still open) and half with a finished first response clock; then the 90-day
//! summary as staff counted from the rows, the daily rollups rebuilt, the same summary from them,
//! and the export of every ticket as CSV, through the same use cases the pages and the API call.

use std::time::{Duration, Instant};

use atende::Config;
use atende_app::{
    Actor, Clock,
    reports::{self, ReportFilter, ReportQuery},
};
use sqlx::Connection;

pub struct ReportFigures {
    pub tickets: i64,
    pub seed_time: Duration,
    /// The 90-day summary (figures of the period and of the one before), counted from the rows.
    pub summary_from_rows: Duration,
    /// `atende reports rebuild`: the days rolled up and how long it took.
    pub rollup_days: usize,
    pub rollup: Duration,
    /// The same summary with the rollups: the first time, and the median of ten more.
    pub summary_first: Duration,
    pub summary_median: Duration,
    pub created: i64,
    /// Whether the rollups gave the rows' figures.
    pub same_figures: bool,
    /// Every ticket of the 90 days read page by page and written as CSV.
    pub export: Duration,
    pub exported: usize,
    pub export_bytes: usize,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Fills `database_url` (fresh) with the demo data plus `tickets` tickets over 90 days, then
/// measures the summary and the export.
pub async fn run(database_url: &str, tickets: i64) -> Result<ReportFigures, String> {
    let config = Config {
        database_url: Some(database_url.to_owned()),
        ..Config::default()
    };
    let app = atende::open(&config, Clock::system()).await.map_err(err)?;
    atende::demo::load(&app).await.map_err(err)?;
    let started = Instant::now();
    let mut conn = sqlx::AnyConnection::connect(database_url).await.map_err(err)?;
    let now = jiff::Timestamp::now().as_millisecond();
    let span = 90 * 86_400_000i64;
    let (contract, requester, agent): (i64, i64, i64) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT c.id AS contract_id, u.id AS user_id, a.id AS agent_id FROM contracts c, users u, users a \
             WHERE c.name = 'Acme Startup' AND u.email = 'ana@acme.example' AND a.email = 'agent@atende.example'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(err)?;
        (row.get("contract_id"), row.get("user_id"), row.get("agent_id"))
    };
    let chunk = 100_000i64;
    let mut from = 1_000_000i64;
    let end = from + tickets;
    let channels = "CASE i % 4 WHEN 0 THEN 'portal' WHEN 1 THEN 'email' WHEN 2 THEN 'whatsapp' ELSE 'api' END";
    let at = format!("{now} - (i * 7919) % {span}");
    // A realistic backlog: a third of the last week's tickets still open, one in fifty of the older ones.
    let open = format!(
        "((i % 3 = 0 AND (i * 7919) % {span} < {}) OR i % 50 = 0)",
        7 * 86_400_000i64
    );
    while from < end {
        let to = (from + chunk).min(end);
        let series = format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST({from} AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {to})"
        );
        let statements = [
            format!(
                "INSERT INTO tickets (id, type, subject, description, priority, status, channel, contract_id, requester_id, \
                 assignee_id, created_at, updated_at) {series} SELECT i, \
                 CASE i % 5 WHEN 0 THEN 'incident' WHEN 1 THEN 'task' ELSE 'question' END, 'Generated ticket', \
                 'For the reports benchmark.', CASE i % 7 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END, \
                 CASE WHEN {open} THEN 'open' ELSE 'solved' END, {channels}, {contract}, {requester}, {agent}, {at}, {at} FROM n"
            ),
            format!(
                "INSERT INTO ticket_events (ticket_id, actor_id, channel, kind, data, created_at) {series} \
                 SELECT i, {requester}, 'api', 'created', '{{}}', {at} FROM n"
            ),
            format!(
                "INSERT INTO ticket_events (ticket_id, actor_id, channel, kind, data, created_at) {series} \
                 SELECT i, {agent}, 'portal', 'status_changed', '{{\"from\":\"open\",\"to\":\"solved\"}}', {at} + 3600000 FROM n WHERE NOT {open}"
            ),
            format!(
                "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, \
                 warn_at, elapsed_secs, paused_secs) {series} SELECT i, 'first_response', 1, 1, \
                 CASE WHEN i % 10 = 0 THEN 'breached' ELSE 'achieved' END, 45, {at}, {at} + 600000 + (i % 50) * 60000, {at} + 2700000, \
                 {at} + 2000000, 600 + (i % 50) * 60, 0 FROM n WHERE i % 2 = 0"
            ),
            // Resolutions from minutes to about three weeks of business time.
            format!(
                "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, \
                 warn_at, elapsed_secs, paused_secs) {series} SELECT i, 'resolution', 1, 1, \
                 CASE WHEN i % 7 = 0 THEN 'breached' ELSE 'achieved' END, 2400, {at}, {at} + 3600000, {at} + 144000000, \
                 {at} + 100000000, (i * 7) % 10000 * 60 + i % 60, 0 FROM n WHERE NOT {open}"
            ),
        ];
        let mut tx = conn.begin().await.map_err(err)?;
        for sql in &statements {
            sqlx::query(sql).execute(&mut *tx).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        from = to;
    }
    // As autovacuum would have by then on PostgreSQL: statistics, and the visibility map that
    // lets the backlog be counted from the open tickets' index alone.
    let settle = if database_url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(settle).execute(&mut conn).await.map_err(err)?;
    let seed_time = started.elapsed();

    let admin = {
        let mut c = app.db.read().await.map_err(err)?;
        atende_store::directory::find_user_by_email(&mut c, "admin@atende.example")
            .await
            .map_err(err)?
            .ok_or("the demo's admin is missing")?
    };
    let actor = Actor { user: admin };
    // The dashboard's 90 days: from midnight 89 days ago to midnight tonight, on the operation's calendar.
    let tz = app.settings.time_zone.clone();
    let today = app.today();
    let midnight = |d: jiff::civil::Date| d.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(err);
    let q = ReportQuery {
        from: midnight(today.saturating_sub(jiff::Span::new().days(89)))?,
        to: midnight(today.tomorrow().map_err(err)?)?,
        filter: ReportFilter::default(),
    };
    // The export: every ticket generated.
    let everything = ReportQuery {
        from: jiff::Timestamp::from_millisecond(now - span).map_err(err)?,
        to: jiff::Timestamp::from_millisecond(now + 1).map_err(err)?,
        filter: ReportFilter::default(),
    };
    let t = Instant::now();
    let from_rows = reports::report(&app, &actor, &q).await.map_err(err)?;
    let summary_from_rows = t.elapsed();

    let t = Instant::now();
    let rolled = atende_app::report_rollups::rebuild(&app, |_, _| {})
        .await
        .map_err(err)?;
    let rollup = t.elapsed();
    let t = Instant::now();
    let report = reports::report(&app, &actor, &q).await.map_err(err)?;
    let summary_first = t.elapsed();
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        reports::report(&app, &actor, &q).await.map_err(err)?;
        times.push(t.elapsed());
    }
    times.sort();
    // The backlog is aged at each call's own moment; everything else must be equal.
    let aged_alike = |f: &atende_domain::reports::Figures| atende_domain::reports::Figures {
        backlog_age: report.figures.backlog_age,
        ..f.clone()
    };
    let same_figures =
        aged_alike(&from_rows.figures) == report.figures && aged_alike(&from_rows.previous) == report.previous;

    let t = Instant::now();
    let (mut after, mut exported, mut export_bytes) = (0i64, 0usize, 0usize);
    loop {
        let page = reports::export_page(&app, &actor, &everything, after, 1_000)
            .await
            .map_err(err)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        exported += page.len();
        // What the CSV writer does with each row, roughly: its fields joined.
        export_bytes += page
            .iter()
            .map(|r| {
                format!(
                    "{},{},{},{},{},{}\r\n",
                    r.id, r.created_at, r.subject, r.status, r.channel, r.contract
                )
                .len()
            })
            .sum::<usize>();
        if page.len() < 1_000 {
            break;
        }
    }
    let export = t.elapsed();
    app.db.close().await;
    Ok(ReportFigures {
        tickets,
        seed_time,
        summary_from_rows,
        rollup_days: rolled.days,
        rollup,
        summary_first,
        summary_median: times[times.len() / 2],
        created: report.figures.created,
        same_figures,
        export,
        exported,
        export_bytes,
    })
}
