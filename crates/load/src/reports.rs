//! The reports scenario: a database with many tickets spread over 90 days, each with its
//! `created` event, most solved (a `status_changed` event and a finished resolution clock, from
//! minutes to weeks; a third of the last week's tickets and one in fifty older ones still open) and half with a finished first response clock; then the 90-day
//! summary as staff counted from the rows, the daily rollups rebuilt, the same summary from them,
//! and the export of every ticket as CSV, through the same use cases the pages and the API call.

use std::time::{Duration, Instant};

use atende_app::{
    Actor,
    reports::{self, ReportFilter, ReportQuery},
};

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
    let app = crate::open_with_demo(database_url).await?;
    let started = Instant::now();
    let now = jiff::Timestamp::now().as_millisecond();
    let span = crate::history::SPAN_MS;
    crate::history::seed(database_url, tickets, now).await?;
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
