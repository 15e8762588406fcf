//! When events happen: a first session in the event's own zone, repeated weekly (the AMA) or not,
//! with sessions cancelled or moved. Sessions are named by the local date they were planned for,
//! so a moved session keeps its questions and its place in a calendar client.

use jiff::{
    Timestamp, ToSpan, Zoned,
    civil::{Date, DateTime},
    tz::TimeZone,
};

use crate::ParseError;

#[derive(Debug, Clone)]
pub struct Schedule {
    /// The first session's start, on the clock of `tz`.
    pub first_start: DateTime,
    pub tz: TimeZone,
    pub duration_minutes: i64,
    pub weekly: bool,
    /// The last local date a weekly session may fall on.
    pub until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The local date the session was planned for.
    pub occurs_on: Date,
    pub cancelled: bool,
    /// Its new local start, when moved.
    pub moved_to: Option<DateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The local date the session was planned for: its name.
    pub occurs_on: Date,
    /// The start as planned (the iCalendar RECURRENCE-ID of a moved session).
    pub planned_start: Zoned,
    pub start: Zoned,
    pub end: Zoned,
    pub moved: bool,
}

pub const MAX_DURATION_MINUTES: i64 = 24 * 60;

impl Schedule {
    pub fn check(&self) -> Result<(), ParseError> {
        if !(5..=MAX_DURATION_MINUTES).contains(&self.duration_minutes) {
            return Err(ParseError::Invalid {
                field: "duration_minutes",
                reason: "duration_range",
            });
        }
        if let Some(until) = self.until
            && until < self.first_start.date()
        {
            return Err(ParseError::Invalid {
                field: "until",
                reason: "date_order",
            });
        }
        self.first_start
            .to_zoned(self.tz.clone())
            .map_err(|_| ParseError::Invalid {
                field: "starts_at",
                reason: "instant",
            })?;
        Ok(())
    }

    /// Whether `date` is a planned session's date.
    pub fn plans(&self, date: Date) -> bool {
        let first = self.first_start.date();
        if date == first {
            return true;
        }
        let days = (date - first).get_days();
        self.weekly && date > first && days % 7 == 0 && self.until.is_none_or(|u| date <= u)
    }

    fn at(&self, local: DateTime) -> Option<Zoned> {
        // A start inside a spring-forward gap moves forward, as calendar clients do.
        local.to_zoned(self.tz.clone()).ok()
    }

    fn planned(&self, date: Date) -> Option<(Zoned, Zoned)> {
        let start = self.at(date.to_datetime(self.first_start.time()))?;
        let end = start.checked_add(self.duration_minutes.minutes()).ok()?;
        Some((start, end))
    }

    /// The sessions that have not ended by `from` and start before `to`, in order, at most `max`.
    pub fn sessions(&self, exceptions: &[Exception], from: Timestamp, to: Timestamp, max: usize) -> Vec<Session> {
        let first = self.first_start.date();
        // Planned dates from two weeks before the window, so sessions moved into it are found.
        let window_start = from.to_zoned(self.tz.clone()).date();
        let mut date = if self.weekly && window_start > first {
            let weeks = (window_start - first).get_days() / 7;
            first.checked_add((7 * (weeks - 2).max(0)).days()).unwrap_or(first)
        } else {
            first
        };
        let mut found = Vec::new();
        loop {
            if !self.plans(date) {
                break;
            }
            let Some((planned_start, planned_end)) = self.planned(date) else {
                break;
            };
            if planned_start.timestamp() >= to && date > window_start.checked_add(14.days()).unwrap_or(window_start) {
                break;
            }
            let exception = exceptions.iter().find(|e| e.occurs_on == date);
            let session = match exception {
                Some(e) if e.cancelled => None,
                Some(Exception {
                    moved_to: Some(new_start),
                    ..
                }) => self.at(*new_start).and_then(|start| {
                    let end = start.checked_add(self.duration_minutes.minutes()).ok()?;
                    Some(Session {
                        occurs_on: date,
                        planned_start: planned_start.clone(),
                        start,
                        end,
                        moved: true,
                    })
                }),
                _ => Some(Session {
                    occurs_on: date,
                    planned_start: planned_start.clone(),
                    start: planned_start,
                    end: planned_end,
                    moved: false,
                }),
            };
            if let Some(s) = session
                && s.end.timestamp() > from
                && s.start.timestamp() < to
            {
                found.push(s);
            }
            if !self.weekly {
                break;
            }
            let Ok(next) = date.checked_add(7.days()) else { break };
            date = next;
        }
        found.sort_by_key(|s| s.start.timestamp());
        found.truncate(max);
        found
    }
}

#[cfg(test)]
#[path = "events_test.rs"]
mod tests;
