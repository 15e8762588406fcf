//! A ticket's SLA clocks, computed from its history alone: the same history, policy, calendar and
//! `now` always give the same due times, so every figure can be recomputed and explained.

use jiff::Timestamp;

use super::{
    calendar::Calendar,
    policy::{Policy, Target},
};
use crate::TicketStatus;

/// Something in a ticket's life that moves its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happening {
    Status {
        at: Timestamp,
        to: TicketStatus,
    },
    /// A public reply; internal notes do not count.
    Reply {
        at: Timestamp,
        by_staff: bool,
    },
}

impl Happening {
    pub fn at(&self) -> Timestamp {
        match self {
            Happening::Status { at, .. } | Happening::Reply { at, .. } => *at,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TicketTimeline {
    pub created_at: Timestamp,
    /// In the order they happened.
    pub happenings: Vec<Happening>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Running,
    Paused,
    Achieved,
    Breached,
}

impl ClockState {
    pub fn code(self) -> &'static str {
        match self {
            ClockState::Running => "running",
            ClockState::Paused => "paused",
            ClockState::Achieved => "achieved",
            ClockState::Breached => "breached",
        }
    }
}

/// One measurement of one target: a cycle (first response has one; next response one per
/// unanswered customer reply; periodic update one per interval between staff replies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub target: Target,
    pub cycle: i64,
    pub target_minutes: i64,
    pub started_at: Timestamp,
    /// When the cycle ended (the reply came, or the ticket was solved); `None` while open.
    pub stopped_at: Option<Timestamp>,
    /// When the target is (or was) reached; `None` while the clock is paused.
    pub due_at: Option<Timestamp>,
    pub warn_at: Option<Timestamp>,
    pub state: ClockState,
    /// Business seconds counted while the clock ran.
    pub elapsed_secs: i64,
    /// Business seconds that passed while the clock was paused.
    pub paused_secs: i64,
}

/// The current clocks of a ticket, for display: the last measurement of each target.
pub type Clock = Measurement;

/// Status over time: `(from, status)` steps starting at creation.
fn status_steps(timeline: &TicketTimeline) -> Vec<(Timestamp, TicketStatus)> {
    let mut steps = vec![(timeline.created_at, TicketStatus::New)];
    for h in &timeline.happenings {
        if let Happening::Status { at, to } = h {
            steps.push((*at, *to));
        }
    }
    steps
}

fn status_at(steps: &[(Timestamp, TicketStatus)], t: Timestamp) -> TicketStatus {
    steps
        .iter()
        .take_while(|(at, _)| *at <= t)
        .last()
        .map_or(TicketStatus::New, |(_, s)| *s)
}

struct Context<'a> {
    calendar: &'a Calendar,
    steps: Vec<(Timestamp, TicketStatus)>,
    paused: &'a [TicketStatus],
    warn_percent: i64,
    now: Timestamp,
}

impl Context<'_> {
    fn counts(&self, status: TicketStatus) -> bool {
        status.is_active() && !self.paused.contains(&status)
    }

    /// Segments of `[from, to)` with whether the clock runs in each.
    fn segments(&self, from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Timestamp, bool)> {
        let mut out = Vec::new();
        let mut cursor = from;
        let mut running = self.counts(status_at(&self.steps, from));
        for &(at, status) in &self.steps {
            if at <= from {
                continue;
            }
            if at >= to {
                break;
            }
            let next = self.counts(status);
            if next != running {
                out.push((cursor, at, running));
                cursor = at;
                running = next;
            }
        }
        if to > cursor {
            out.push((cursor, to, running));
        }
        out
    }

    /// The last time the ticket became solved or closed, if it is so at `t`.
    fn solved_since(&self, t: Timestamp) -> Option<Timestamp> {
        let mut since = None;
        for &(at, status) in self.steps.iter().take_while(|(at, _)| *at <= t) {
            since = match (status.is_active(), since) {
                (false, None) => Some(at),
                (false, kept) => kept,
                (true, _) => None,
            };
        }
        since
    }

    fn measure(
        &self,
        target: Target,
        cycle: i64,
        minutes: i64,
        start: Timestamp,
        stop: Option<Timestamp>,
    ) -> Measurement {
        let stop = stop.or_else(|| self.solved_since(self.now)).filter(|s| *s >= start);
        let end = stop.unwrap_or(self.now).max(start);
        let segments = self.segments(start, end);
        let goal = minutes * 60;
        let warn_goal = goal * self.warn_percent.clamp(1, 100) / 100;
        let (mut elapsed, mut paused) = (0, 0);
        let (mut due_at, mut warn_at) = (None, None);
        for &(a, b, running) in &segments {
            let len = self.calendar.seconds_between(a, b);
            if running {
                if warn_at.is_none() && elapsed + len >= warn_goal {
                    warn_at = self.calendar.add_seconds(a, warn_goal - elapsed);
                }
                if due_at.is_none() && elapsed + len >= goal {
                    due_at = self.calendar.add_seconds(a, goal - elapsed);
                }
                elapsed += len;
            } else {
                paused += len;
            }
        }
        // Answering exactly at the due time meets the target; only time past it breaches.
        let reached = due_at.is_some_and(|d| d < end) && elapsed >= goal;
        let running_now = stop.is_none() && self.counts(status_at(&self.steps, end));
        // Not reached yet: project from the end when the clock still runs (or for a stopped cycle,
        // to show what the deadline was); a paused clock has no due time until it runs again.
        if due_at.is_none() && (running_now || stop.is_some()) {
            due_at = self.calendar.add_seconds(end, goal - elapsed);
        }
        if warn_at.is_none() && (running_now || stop.is_some()) {
            warn_at = self.calendar.add_seconds(end, (warn_goal - elapsed).max(0));
        }
        let state = match (stop.is_some(), reached) {
            (_, true) => ClockState::Breached,
            (true, false) => ClockState::Achieved,
            (false, false) if running_now => ClockState::Running,
            (false, false) => ClockState::Paused,
        };
        Measurement {
            target,
            cycle,
            target_minutes: minutes,
            started_at: start,
            stopped_at: stop,
            due_at,
            warn_at,
            state,
            elapsed_secs: elapsed,
            paused_secs: paused,
        }
    }
}

/// Every measurement of every target the policy sets, oldest cycle first.
pub fn compute(timeline: &TicketTimeline, policy: &Policy, calendar: &Calendar, now: Timestamp) -> Vec<Measurement> {
    let ctx = Context {
        calendar,
        steps: status_steps(timeline),
        paused: &policy.pause_statuses,
        warn_percent: policy.warn_percent,
        now,
    };
    let staff_replies: Vec<Timestamp> = timeline
        .happenings
        .iter()
        .filter_map(|h| match h {
            Happening::Reply { at, by_staff: true } => Some(*at),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    if let Some(minutes) = policy.targets.first_response {
        out.push(ctx.measure(
            Target::FirstResponse,
            1,
            minutes,
            timeline.created_at,
            staff_replies.first().copied(),
        ));
    }
    if let Some(minutes) = policy.targets.next_response {
        // A cycle opens at the first customer reply after a staff reply, and closes at the next staff reply.
        let mut cycle = 0;
        let mut open: Option<Timestamp> = None;
        let mut answered_once = false;
        for h in &timeline.happenings {
            match h {
                Happening::Reply { at, by_staff: true } => {
                    if let Some(start) = open.take() {
                        cycle += 1;
                        out.push(ctx.measure(Target::NextResponse, cycle, minutes, start, Some(*at)));
                    }
                    answered_once = true;
                }
                Happening::Reply { at, by_staff: false } if answered_once && open.is_none() => open = Some(*at),
                // Solving ends the wait; a customer reply after that starts a cycle of its own.
                Happening::Status { at, to } if !to.is_active() => {
                    if let Some(start) = open.take() {
                        cycle += 1;
                        out.push(ctx.measure(Target::NextResponse, cycle, minutes, start, Some(*at)));
                    }
                }
                _ => {}
            }
        }
        if let Some(start) = open {
            out.push(ctx.measure(Target::NextResponse, cycle + 1, minutes, start, None));
        }
    }
    if let Some(minutes) = policy.targets.periodic_update {
        let mut start = timeline.created_at;
        for (i, reply) in staff_replies.iter().enumerate() {
            out.push(ctx.measure(Target::PeriodicUpdate, i as i64 + 1, minutes, start, Some(*reply)));
            start = *reply;
        }
        let cycle = staff_replies.len() as i64 + 1;
        let last = ctx.measure(Target::PeriodicUpdate, cycle, minutes, start, None);
        // Once solved, no further update is owed: drop the open cycle that a solve closed at once.
        if !(last.stopped_at == Some(start) && staff_replies.last() == Some(&start)) {
            out.push(last);
        }
    }
    if let Some(minutes) = policy.targets.resolution {
        out.push(ctx.measure(Target::Resolution, 1, minutes, timeline.created_at, None));
    }
    out
}

/// The last measurement of each target: what a ticket shows now.
pub fn current(measurements: &[Measurement]) -> Vec<&Measurement> {
    Target::ALL
        .iter()
        .filter_map(|t| measurements.iter().rev().find(|m| m.target == *t))
        .collect()
}

#[cfg(test)]
#[path = "clocks_test.rs"]
mod tests;
