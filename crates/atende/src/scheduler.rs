//! Background work inside `atende serve`: the SLA sweep and the reports' daily rollups. Each run
//! claims its work through the database, so any number of processes can run it; `run_once` is
//! what the tests call.

use std::time::Duration;

use atende_app::{App, sla};
use tokio::{sync::watch, task::JoinHandle};

/// Most clocks handled per kind (warning, breach) in one run; the next run takes the rest.
pub const BATCH: i64 = 5_000;

/// Most days rolled up in one run, so that a first start on a long history spreads the work.
pub const ROLLUP_DAYS: usize = 31;

pub async fn run_once(app: &App) -> Result<sla::SweepReport, atende_app::AppError> {
    let mut total = sla::SweepReport::default();
    loop {
        let report = sla::sweep(app, BATCH).await?;
        total.warned += report.warned;
        total.breached += report.breached;
        total.escalated += report.escalated;
        if report.warned < BATCH as usize && report.breached < BATCH as usize {
            return Ok(total);
        }
    }
}

pub struct Scheduler {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Scheduler {
    pub fn start(app: App, every: Duration) -> Scheduler {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => return,
                }
                match run_once(&app).await {
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
                match atende_app::report_rollups::run(&app, ROLLUP_DAYS, |_, _| {}).await {
                    Ok(r) if r.days > 0 => tracing::info!(days = r.days, more = r.more, "reports rolled up"),
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "rolling up the reports failed; retrying at the next tick"),
                }
            }
        });
        Scheduler { stop, task }
    }

    /// Stops after the run in progress, if any.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
