//! The status page's rules: component and incident states, the page's overall indicator, and
//! uptime per day from a component's recorded status history (outage minutes weighted as
//! Atlassian Statuspage weighs them, so that figures compare with other status pages).

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

code_enum!(ComponentStatus, "status", "operational, degraded_performance, partial_outage, major_outage, under_maintenance", {
    Operational => "operational",
    DegradedPerformance => "degraded_performance",
    PartialOutage => "partial_outage",
    MajorOutage => "major_outage",
    UnderMaintenance => "under_maintenance",
});

impl ComponentStatus {
    /// How bad it is, for "the worst of the day" and the page's overall state.
    pub fn severity(self) -> u8 {
        match self {
            ComponentStatus::Operational => 0,
            ComponentStatus::UnderMaintenance => 1,
            ComponentStatus::DegradedPerformance => 2,
            ComponentStatus::PartialOutage => 3,
            ComponentStatus::MajorOutage => 4,
        }
    }

    /// The share of a minute in this state that counts as down: a major outage counts whole, a
    /// partial outage 30 %, anything else nothing.
    pub fn downtime_weight(self) -> f64 {
        match self {
            ComponentStatus::MajorOutage => 1.0,
            ComponentStatus::PartialOutage => 0.3,
            _ => 0.0,
        }
    }
}

code_enum!(Impact, "impact", "none, minor, major, critical", {
    None => "none",
    Minor => "minor",
    Major => "major",
    Critical => "critical",
});

code_enum!(IncidentStatus, "status", "investigating, identified, monitoring, resolved, postmortem", {
    Investigating => "investigating",
    Identified => "identified",
    Monitoring => "monitoring",
    Resolved => "resolved",
    Postmortem => "postmortem",
});

impl IncidentStatus {
    /// Whether the incident is over (resolved, or over with a postmortem written).
    pub fn is_closed(self) -> bool {
        matches!(self, IncidentStatus::Resolved | IncidentStatus::Postmortem)
    }
}

code_enum!(MaintenanceStatus, "status", "scheduled, in_progress, verifying, completed", {
    Scheduled => "scheduled",
    InProgress => "in_progress",
    Verifying => "verifying",
    Completed => "completed",
});

/// How far ahead a maintenance is announced unless an admin says why not.
pub const MAINTENANCE_NOTICE: SignedDuration = SignedDuration::from_hours(48);

/// Whether a maintenance scheduled now for `starts_at` gives the notice customers are owed.
pub fn notice_is_enough(now: Timestamp, starts_at: Timestamp) -> bool {
    starts_at.duration_since(now) >= MAINTENANCE_NOTICE
}

/// The page's overall indicator, as Statuspage's `status.indicator`: the worst of the unresolved
/// incidents' impacts and of the components' states.
pub fn indicator(components: &[ComponentStatus], open_incidents: &[Impact]) -> Impact {
    let from_components = components
        .iter()
        .map(|c| match c {
            ComponentStatus::MajorOutage => Impact::Major,
            ComponentStatus::PartialOutage | ComponentStatus::DegradedPerformance => Impact::Minor,
            _ => Impact::None,
        })
        .max()
        .unwrap_or(Impact::None);
    let from_incidents = open_incidents.iter().copied().max().unwrap_or(Impact::None);
    from_components.max(from_incidents)
}

/// A component's status from `at` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: Timestamp,
    pub status: ComponentStatus,
}

/// One day of a component on the uptime bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayUptime {
    pub date: Date,
    /// The worst status the component had that day (its colour on the bar).
    pub worst: ComponentStatus,
    pub major_minutes: f64,
    pub partial_minutes: f64,
    /// Minutes of the day observed: all of it, except today (until now) and days before the
    /// component existed.
    pub observed_minutes: f64,
    /// 100 × (1 − weighted down minutes / observed minutes); 100 when nothing was observed.
    pub uptime_percent: f64,
}

/// Uptime for each day from `first` to `last` (inclusive) in `zone`, from the changes (in time
/// order) of a component that began `operational` at `since`. Days after `now` are not given.
pub fn daily_uptime(
    changes: &[StatusChange],
    since: Timestamp,
    first: Date,
    last: Date,
    zone: &TimeZone,
    now: Timestamp,
) -> Vec<DayUptime> {
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        let Ok(start) = day.to_zoned(zone.clone()).map(|z| z.timestamp()) else {
            break;
        };
        let Ok(end) = day
            .tomorrow()
            .and_then(|d| d.to_zoned(zone.clone()))
            .map(|z| z.timestamp())
        else {
            break;
        };
        if start > now {
            break;
        }
        days.push(one_day(changes, since, day, start.max(since), end.min(now)));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    days
}

fn one_day(changes: &[StatusChange], since: Timestamp, date: Date, start: Timestamp, end: Timestamp) -> DayUptime {
    let mut day = DayUptime {
        date,
        worst: ComponentStatus::Operational,
        major_minutes: 0.0,
        partial_minutes: 0.0,
        observed_minutes: 0.0,
        uptime_percent: 100.0,
    };
    if end <= start {
        return day;
    }
    // The status in force at the start of the day, then each change within it.
    let mut status = changes
        .iter()
        .take_while(|c| c.at <= start)
        .last()
        .map_or(ComponentStatus::Operational, |c| c.status);
    let mut from = start.max(since);
    let within = changes.iter().filter(|c| c.at > start && c.at < end);
    for change in within.chain(std::iter::once(&StatusChange {
        at: end,
        status: ComponentStatus::Operational,
    })) {
        let minutes = change.at.duration_since(from).as_secs_f64() / 60.0;
        if minutes > 0.0 {
            if status.severity() > day.worst.severity() {
                day.worst = status;
            }
            match status {
                ComponentStatus::MajorOutage => day.major_minutes += minutes,
                ComponentStatus::PartialOutage => day.partial_minutes += minutes,
                _ => {}
            }
        }
        from = change.at;
        status = change.status;
    }
    day.observed_minutes = end.duration_since(start).as_secs_f64() / 60.0;
    let down = day.major_minutes * ComponentStatus::MajorOutage.downtime_weight()
        + day.partial_minutes * ComponentStatus::PartialOutage.downtime_weight();
    day.uptime_percent = 100.0 * (1.0 - down / day.observed_minutes);
    day
}

/// Uptime over several days, weighted by the minutes observed in each.
pub fn overall_uptime(days: &[DayUptime]) -> f64 {
    let observed: f64 = days.iter().map(|d| d.observed_minutes).sum();
    if observed <= 0.0 {
        return 100.0;
    }
    let down: f64 = days
        .iter()
        .map(|d| {
            d.major_minutes * ComponentStatus::MajorOutage.downtime_weight()
                + d.partial_minutes * ComponentStatus::PartialOutage.downtime_weight()
        })
        .sum();
    100.0 * (1.0 - down / observed)
}

#[cfg(test)]
#[path = "status_test.rs"]
mod tests;
