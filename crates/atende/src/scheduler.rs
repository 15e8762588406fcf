//! Background work inside `atende serve`: the SLA sweep and the reports' daily rollups. Each run
//! claims its work through the database, so any number of processes can run it; `run_once` is
//! what the tests call.

use std::time::Duration;

use atende_app::{App, sla};

use crate::periodic::Periodic;

/// Most clocks handled per kind (warning, breach) in one transaction. A burst of breaches is
/// recorded in several short transactions rather than one long one, so the writer is never held
/// for long: at a million open tickets, 1,000 breaches take about a tenth of a second on SQLite
/// where 5,000 took over half a second (BENCHMARKS.md).
pub const BATCH: i64 = 1_000;

/// Most days rolled up in one run, so that a first start on a long history spreads the work.
pub const ROLLUP_DAYS: usize = 31;

pub async fn run_once(app: &App) -> Result<sla::SweepReport, atende_app::AppError> {
    Ok(run_timed(app).await?.report)
}

/// A sweep and how it went: how many transactions, and the longest of them.
pub struct TimedSweep {
    pub report: sla::SweepReport,
    pub batches: usize,
    pub longest: Duration,
}

pub async fn run_timed(app: &App) -> Result<TimedSweep, atende_app::AppError> {
    let mut run = TimedSweep {
        report: sla::SweepReport::default(),
        batches: 0,
        longest: Duration::ZERO,
    };
    loop {
        let started = std::time::Instant::now();
        let report = sla::sweep(app, BATCH).await?;
        run.batches += 1;
        run.longest = run.longest.max(started.elapsed());
        run.report.warned += report.warned;
        run.report.breached += report.breached;
        run.report.escalated += report.escalated;
        if report.warned < BATCH as usize && report.breached < BATCH as usize {
            return Ok(run);
        }
    }
}

/// Sweeps and rolls up every `every`.
pub fn start(app: App, every: Duration) -> Periodic {
    Periodic::start(every, move || {
        let app = app.clone();
        async move { round(&app).await }
    })
}

async fn round(app: &App) {
    match run_once(app).await {
        Ok(r) if r.warned + r.breached > 0 => {
            tracing::info!(
                warned = r.warned,
                breached = r.breached,
                escalated = r.escalated,
                "SLA sweep"
            );
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "SLA sweep failed; retrying at the next tick"),
    }
    match atende_app::report_rollups::run(app, ROLLUP_DAYS, |_, _| {}).await {
        Ok(r) if r.days > 0 => tracing::info!(days = r.days, more = r.more, "reports rolled up"),
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "rolling up the reports failed; retrying at the next tick"),
    }
}
