//! Report figures from what the tickets' events recorded: created, solved and reopened over a
//! period, the backlog and its age, first response and resolution in business minutes (from the
//! SLA clocks), the channel and type mix, each agent's activity, and a day-by-day series. Pure:
//! the store reads the rows, these functions count them, so every figure can be recounted.

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// A ticket as reports see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub created_at: Timestamp,
    pub channel: String,
    pub ticket_type: String,
}

/// What an event did, as far as reports care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// A public reply by the support team.
    StaffReply,
    CustomerReply,
    Status {
        from: String,
        to: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub ticket_id: i64,
    pub actor_id: Option<i64>,
    pub at: Timestamp,
    pub what: Happening,
}

/// A finished SLA measurement: which target, how many business seconds it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRow {
    pub ticket_id: i64,
    /// `first_response`, `next_response`, `periodic_update`, `resolution`.
    pub target: String,
    pub elapsed_secs: i64,
    pub breached: bool,
}

/// Median and 90th percentile of a set of durations, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    pub count: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// Linear interpolation between the closest ranks (the SLA report's definition).
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let frac = pos - lo as f64;
    Some(sorted[lo] * (1.0 - frac) + sorted[hi] * frac)
}

pub fn stats(mut minutes: Vec<f64>) -> Stats {
    minutes.sort_by(f64::total_cmp);
    Stats {
        count: minutes.len(),
        median: quantile(&minutes, 0.5),
        p90: quantile(&minutes, 0.9),
    }
}

/// An agent's work in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgentActivity {
    pub replies: i64,
    pub solves: i64,
}

/// One day of the series, on the report's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: Date,
    pub created: i64,
    pub solved: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub created: i64,
    pub solved: i64,
    pub reopened: i64,
    /// Tickets not solved nor closed, and their age: under a day, up to a week, up to 30 days, older.
    pub backlog: i64,
    pub backlog_age: [i64; 4],
    pub first_response: Stats,
    pub resolution: Stats,
    /// Of the finished measurements, how many were in time and how many late.
    pub sla_achieved: i64,
    pub sla_breached: i64,
    pub channels: BTreeMap<String, i64>,
    pub types: BTreeMap<String, i64>,
    pub agents: BTreeMap<i64, AgentActivity>,
    pub days: Vec<Day>,
}

fn is_closed(status: &str) -> bool {
    matches!(status, "solved" | "closed")
}

/// What a report counts: the tickets created in its period, the events in it, the SLA
/// measurements finished in it, and the creation times of the tickets not solved now (the backlog).
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub created: &'a [TicketRow],
    pub events: &'a [EventRow],
    pub clocks: &'a [ClockRow],
    pub open: &'a [Timestamp],
}

/// The period `[from, to)`, the moment the backlog is aged at, and the calendar of the days.
#[derive(Debug, Clone)]
pub struct Window {
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
    pub tz: TimeZone,
}

/// The figures of a period.
pub fn figures(rows: &Rows<'_>, window: &Window) -> Figures {
    let Rows {
        created,
        events,
        clocks,
        open,
    } = *rows;
    let (from, to, now, tz) = (window.from, window.to, window.now, &window.tz);
    let mut f = Figures::default();
    let first = from.to_zoned(tz.clone()).date();
    let last = to
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .unwrap_or(to)
        .to_zoned(tz.clone())
        .date();
    let mut days: BTreeMap<Date, Day> = BTreeMap::new();
    let mut date = first;
    // At most a year and a bit of days in the series.
    while date <= last && days.len() < 400 {
        days.insert(
            date,
            Day {
                date,
                created: 0,
                solved: 0,
            },
        );
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    let day_of = |at: Timestamp| at.to_zoned(tz.clone()).date();
    for t in created.iter().filter(|t| t.created_at >= from && t.created_at < to) {
        f.created += 1;
        *f.channels.entry(t.channel.clone()).or_default() += 1;
        *f.types.entry(t.ticket_type.clone()).or_default() += 1;
        if let Some(d) = days.get_mut(&day_of(t.created_at)) {
            d.created += 1;
        }
    }
    for e in events.iter().filter(|e| e.at >= from && e.at < to) {
        match &e.what {
            Happening::Status {
                from: was,
                to: now_status,
            } => {
                if now_status == "solved" && !is_closed(was) {
                    f.solved += 1;
                    if let Some(d) = days.get_mut(&day_of(e.at)) {
                        d.solved += 1;
                    }
                    if let Some(agent) = e.actor_id {
                        f.agents.entry(agent).or_default().solves += 1;
                    }
                }
                if is_closed(was) && !is_closed(now_status) {
                    f.reopened += 1;
                }
            }
            Happening::StaffReply => {
                if let Some(agent) = e.actor_id {
                    f.agents.entry(agent).or_default().replies += 1;
                }
            }
            Happening::CustomerReply => {}
        }
    }
    // Customers' replies never count as agents' work, even when an agent's id logged them.
    let minutes = |target: &str| -> Vec<f64> {
        clocks
            .iter()
            .filter(|c| c.target == target)
            .map(|c| c.elapsed_secs as f64 / 60.0)
            .collect()
    };
    f.first_response = stats(minutes("first_response"));
    f.resolution = stats(minutes("resolution"));
    f.sla_breached = clocks.iter().filter(|c| c.breached).count() as i64;
    f.sla_achieved = clocks.len() as i64 - f.sla_breached;
    for opened in open {
        f.backlog += 1;
        let age = now.duration_since(*opened).as_hours();
        let bucket = match age {
            ..24 => 0,
            24..168 => 1,
            168..720 => 2,
            _ => 3,
        };
        f.backlog_age[bucket] += 1;
    }
    f.days = days.into_values().collect();
    f
}

/// The change from `before` to `now`, in percent (`None` when there was nothing before).
pub fn trend(before: i64, now: i64) -> Option<i64> {
    (before != 0).then(|| ((now - before) as f64 * 100.0 / before as f64).round() as i64)
}

#[cfg(test)]
#[path = "reports_test.rs"]
mod tests;
