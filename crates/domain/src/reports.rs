//! Report figures from what the tickets' events recorded: created, solved and reopened over a
//! period, the backlog and its age, first response and resolution in business minutes (from the
//! SLA clocks), the channel and type mix, each agent's activity, ratings, and a day-by-day series.
//!
//! Pure: the store reads the rows, these functions count them. Everything but the backlog is a
//! [`Tally`]: counts and histograms that add up across days, so that the daily rollups stored for
//! the days that are over and rows read afresh for the rest of a period combine into exactly the
//! figures the rows alone would give.

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

/// A customer's rating of a solved ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub at: Timestamp,
    pub good: bool,
}

/// Durations under this many minutes (eight and a half hours) count to the minute.
pub const EXACT_MINUTES: i64 = 512;

/// The minutes a duration counts as in reports: whole minutes (rounded down) under
/// [`EXACT_MINUTES`], and beyond it the minutes rounded down to their seven leading binary
/// digits (within 1.6 %). A year of durations then falls in fewer than 1,200 distinct values,
/// which is what keeps the rollups' histograms small.
pub fn minutes_of(secs: i64) -> i64 {
    let minutes = secs.max(0) / 60;
    if minutes < EXACT_MINUTES {
        return minutes;
    }
    let shift = minutes.ilog2() - 6;
    (minutes >> shift) << shift
}

/// How many durations took each number of minutes.
pub type Histogram = BTreeMap<i64, i64>;

/// Median and 90th percentile of a set of durations, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    pub count: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// The value at position `rank` (from 0) of the durations sorted.
fn nth(histogram: &Histogram, rank: i64) -> f64 {
    let mut seen = 0;
    for (minutes, count) in histogram {
        seen += count;
        if rank < seen {
            return *minutes as f64;
        }
    }
    histogram.keys().next_back().copied().unwrap_or_default() as f64
}

/// Linear interpolation between the closest ranks (the SLA report's definition).
fn quantile(histogram: &Histogram, total: i64, q: f64) -> Option<f64> {
    if total <= 0 {
        return None;
    }
    let pos = q * (total - 1) as f64;
    let (lo, hi) = (pos.floor() as i64, pos.ceil() as i64);
    let frac = pos - lo as f64;
    Some(nth(histogram, lo) * (1.0 - frac) + nth(histogram, hi) * frac)
}

pub fn stats(histogram: &Histogram) -> Stats {
    let total: i64 = histogram.values().sum();
    Stats {
        count: usize::try_from(total).unwrap_or_default(),
        median: quantile(histogram, total, 0.5),
        p90: quantile(histogram, total, 0.9),
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

/// The additive part of a report (see the module's comment).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    pub created: i64,
    pub solved: i64,
    pub reopened: i64,
    /// Of the finished measurements, how many were in time and how many late.
    pub sla_achieved: i64,
    pub sla_breached: i64,
    pub csat_good: i64,
    pub csat_bad: i64,
    pub first_response: Histogram,
    pub resolution: Histogram,
    pub channels: BTreeMap<String, i64>,
    pub types: BTreeMap<String, i64>,
    pub agents: BTreeMap<i64, AgentActivity>,
    /// Created and solved per day, on the report's calendar.
    pub days: BTreeMap<Date, (i64, i64)>,
}

fn add_counts<K: Ord + Clone>(into: &mut BTreeMap<K, i64>, from: &BTreeMap<K, i64>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.created += other.created;
        self.solved += other.solved;
        self.reopened += other.reopened;
        self.sla_achieved += other.sla_achieved;
        self.sla_breached += other.sla_breached;
        self.csat_good += other.csat_good;
        self.csat_bad += other.csat_bad;
        add_counts(&mut self.first_response, &other.first_response);
        add_counts(&mut self.resolution, &other.resolution);
        add_counts(&mut self.channels, &other.channels);
        add_counts(&mut self.types, &other.types);
        for (agent, a) in &other.agents {
            let mine = self.agents.entry(*agent).or_default();
            mine.replies += a.replies;
            mine.solves += a.solves;
        }
        for (day, (created, solved)) in &other.days {
            let mine = self.days.entry(*day).or_default();
            mine.0 += created;
            mine.1 += solved;
        }
    }
}

fn is_closed(status: &str) -> bool {
    matches!(status, "solved" | "closed")
}

/// What a report counts: the tickets created in its period, the events in it, the SLA
/// measurements finished in it and the ratings given in it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rows<'a> {
    pub created: &'a [TicketRow],
    pub events: &'a [EventRow],
    pub clocks: &'a [ClockRow],
    pub ratings: &'a [RatingRow],
}

/// The period `[from, to)`, the moment the backlog is aged at, and the calendar of the days.
#[derive(Debug, Clone)]
pub struct Window {
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
    pub tz: TimeZone,
}

/// When `date` begins on `tz`'s calendar (midnight, or the first moment after it where a change
/// of offset skips midnight).
pub fn day_start(date: Date, tz: &TimeZone) -> Option<Timestamp> {
    date.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

impl Window {
    fn holds(&self, at: Timestamp) -> bool {
        at >= self.from && at < self.to
    }

    pub fn day_of(&self, at: Timestamp) -> Date {
        at.to_zoned(self.tz.clone()).date()
    }
}

/// The rows of the period counted.
pub fn tally(rows: &Rows<'_>, window: &Window) -> Tally {
    let mut tally = Tally::default();
    for t in rows.created.iter().filter(|t| window.holds(t.created_at)) {
        tally.created += 1;
        *tally.channels.entry(t.channel.clone()).or_default() += 1;
        *tally.types.entry(t.ticket_type.clone()).or_default() += 1;
        tally.days.entry(window.day_of(t.created_at)).or_default().0 += 1;
    }
    for e in rows.events.iter().filter(|e| window.holds(e.at)) {
        match &e.what {
            Happening::Status { from: was, to: now } => {
                if now == "solved" && !is_closed(was) {
                    tally.solved += 1;
                    tally.days.entry(window.day_of(e.at)).or_default().1 += 1;
                    if let Some(agent) = e.actor_id {
                        tally.agents.entry(agent).or_default().solves += 1;
                    }
                }
                if is_closed(was) && !is_closed(now) {
                    tally.reopened += 1;
                }
            }
            Happening::StaffReply => {
                if let Some(agent) = e.actor_id {
                    tally.agents.entry(agent).or_default().replies += 1;
                }
            }
            // Customers' replies never count as agents' work, even when an agent's id logged them.
            Happening::CustomerReply => {}
        }
    }
    for c in rows.clocks {
        let histogram = match c.target.as_str() {
            "first_response" => Some(&mut tally.first_response),
            "resolution" => Some(&mut tally.resolution),
            _ => None,
        };
        if let Some(h) = histogram {
            *h.entry(minutes_of(c.elapsed_secs)).or_default() += 1;
        }
        if c.breached {
            tally.sla_breached += 1;
        } else {
            tally.sla_achieved += 1;
        }
    }
    for r in rows.ratings.iter().filter(|r| window.holds(r.at)) {
        if r.good {
            tally.csat_good += 1;
        } else {
            tally.csat_bad += 1;
        }
    }
    tally
}

/// The tickets still being worked, and how many have waited under a day, up to a week, up to
/// 30 days, and longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backlog {
    pub total: i64,
    pub age: [i64; 4],
}

/// The limits of the backlog's age groups: tickets created after the first waited under a day, and so on.
pub fn backlog_limits(now: Timestamp) -> [Timestamp; 3] {
    [24, 168, 720].map(|hours| {
        now.checked_sub(jiff::SignedDuration::from_hours(hours))
            .unwrap_or(Timestamp::MIN)
    })
}

/// The backlog from when each open ticket was created.
pub fn backlog_of(open: &[Timestamp], now: Timestamp) -> Backlog {
    let limits = backlog_limits(now);
    let mut b = Backlog::default();
    for opened in open {
        b.total += 1;
        let group = limits.iter().position(|limit| opened > limit).unwrap_or(3);
        b.age[group] += 1;
    }
    b
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
    pub csat_good: i64,
    pub csat_bad: i64,
    pub channels: BTreeMap<String, i64>,
    pub types: BTreeMap<String, i64>,
    pub agents: BTreeMap<i64, AgentActivity>,
    pub days: Vec<Day>,
}

/// The figures of a period from its tally and the backlog now.
pub fn figures(tally: &Tally, backlog: Backlog, window: &Window) -> Figures {
    let first = window.day_of(window.from);
    let last = window.day_of(
        window
            .to
            .checked_sub(jiff::SignedDuration::from_millis(1))
            .unwrap_or(window.to),
    );
    let mut days = Vec::new();
    let mut date = first;
    // At most a year and a bit of days in the series.
    while date <= last && days.len() < 400 {
        let (created, solved) = tally.days.get(&date).copied().unwrap_or_default();
        days.push(Day { date, created, solved });
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    Figures {
        created: tally.created,
        solved: tally.solved,
        reopened: tally.reopened,
        backlog: backlog.total,
        backlog_age: backlog.age,
        first_response: stats(&tally.first_response),
        resolution: stats(&tally.resolution),
        sla_achieved: tally.sla_achieved,
        sla_breached: tally.sla_breached,
        csat_good: tally.csat_good,
        csat_bad: tally.csat_bad,
        channels: tally.channels.clone(),
        types: tally.types.clone(),
        agents: tally.agents.clone(),
        days,
    }
}

/// The change from `before` to `now`, in percent (`None` when there was nothing before).
pub fn trend(before: i64, now: i64) -> Option<i64> {
    (before != 0).then(|| ((now - before) as f64 * 100.0 / before as f64).round() as i64)
}

#[cfg(test)]
#[path = "reports_test.rs"]
mod tests;
