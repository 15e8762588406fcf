//! Business-time arithmetic on a calendar: a time zone, weekly opening hours and holidays.
//! Times are counted in seconds internally so that adding and measuring round-trip exactly.

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

use super::holidays::Holidays;

/// Minutes of the day a calendar is open on each weekday, Monday first: `[start, end)` pairs with
/// `end <= 1440`, sorted and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week(pub [Vec<(u16, u16)>; 7]);

/// How far ahead business-time arithmetic looks before deciding a calendar never opens.
const MAX_DAYS: usize = 3 * 366;

impl Week {
    /// Open all day, every day.
    pub fn always() -> Week {
        Week(std::array::from_fn(|_| vec![(0, 1440)]))
    }

    /// The same hours Monday to Friday, closed at weekends.
    pub fn weekdays(from_minute: u16, to_minute: u16) -> Week {
        Week(std::array::from_fn(|day| {
            if day < 5 {
                vec![(from_minute, to_minute)]
            } else {
                Vec::new()
            }
        }))
    }

    /// Checks the intervals; the error names the first problem.
    pub fn validate(&self) -> Result<(), &'static str> {
        for day in &self.0 {
            let mut last_end = 0;
            for &(start, end) in day {
                if end > 1440 || start >= end {
                    return Err("each interval needs start < end <= 24:00");
                }
                if start < last_end {
                    return Err("intervals of a day must be sorted and must not overlap");
                }
                last_end = end;
            }
        }
        if self.0.iter().all(Vec::is_empty) {
            return Err("a calendar must be open at some time of the week");
        }
        Ok(())
    }

    pub fn is_always(&self) -> bool {
        self.0.iter().all(|d| d.as_slice() == [(0, 1440)])
    }
}

#[derive(Debug, Clone)]
pub struct Calendar {
    pub time_zone: TimeZone,
    pub week: Week,
    pub holidays: Holidays,
}

impl Calendar {
    /// Open around the clock in UTC, no holidays.
    pub fn always() -> Calendar {
        Calendar {
            time_zone: TimeZone::UTC,
            week: Week::always(),
            holidays: Holidays::default(),
        }
    }

    pub fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.time_zone.clone()).date()
    }

    /// The instant a local wall-clock minute of `date` means; a minute inside a DST gap moves
    /// forward, an ambiguous one takes the earlier instant.
    fn instant(&self, date: Date, minute: u16) -> Option<Timestamp> {
        let (date, minute) = if minute >= 1440 {
            (date.tomorrow().ok()?, 0)
        } else {
            (date, minute)
        };
        let hour = i8::try_from(minute / 60).ok()?;
        let min = i8::try_from(minute % 60).ok()?;
        date.at(hour, min, 0, 0)
            .to_zoned(self.time_zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// The open intervals of a local date, as instants.
    pub fn open_intervals(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        if self.holidays.contains(date) {
            return Vec::new();
        }
        let day = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        self.week.0[day]
            .iter()
            .filter_map(|&(start, end)| {
                let (a, b) = (self.instant(date, start)?, self.instant(date, end)?);
                (b > a).then_some((a, b))
            })
            .collect()
    }

    /// Whether the calendar is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        self.open_intervals(self.local_date(t))
            .iter()
            .any(|&(a, b)| a <= t && t < b)
    }

    /// Whether `t` is the exact end of an open interval.
    pub fn is_closing(&self, t: Timestamp) -> bool {
        let date = self.local_date(t);
        let yesterday = date.yesterday().unwrap_or(date);
        [yesterday, date]
            .into_iter()
            .any(|d| self.open_intervals(d).iter().any(|&(_, b)| b == t))
    }

    /// The instant at which `seconds` of open time have passed since `start`. `None` when the
    /// calendar does not open within three years.
    pub fn add_seconds(&self, start: Timestamp, seconds: i64) -> Option<Timestamp> {
        if seconds <= 0 {
            return Some(start);
        }
        let mut remaining = seconds;
        let mut date = self.local_date(start).yesterday().ok()?;
        for _ in 0..MAX_DAYS {
            for (a, b) in self.open_intervals(date) {
                if b <= start {
                    continue;
                }
                let a = a.max(start);
                let len = b.duration_since(a).as_secs();
                if remaining <= len {
                    return a.checked_add(SignedDuration::from_secs(remaining)).ok();
                }
                remaining -= len;
            }
            date = date.tomorrow().ok()?;
        }
        None
    }

    pub fn add_minutes(&self, start: Timestamp, minutes: i64) -> Option<Timestamp> {
        self.add_seconds(start, minutes.saturating_mul(60))
    }

    /// Open seconds in `[from, to)`.
    pub fn seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let Ok(mut date) = self.local_date(from).yesterday() else {
            return 0;
        };
        let last = self.local_date(to);
        while date <= last {
            for (a, b) in self.open_intervals(date) {
                let (a, b) = (a.max(from), b.min(to));
                if b > a {
                    total += b.duration_since(a).as_secs();
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        total
    }
}

/// One day's opening hours as people write them: `09:00-12:00, 13:00-18:00`; blank is closed.
/// Minutes from midnight, `24:00` for the end of the day.
pub fn parse_day_hours(text: &str) -> Result<Vec<(u16, u16)>, crate::ParseError> {
    let invalid = crate::ParseError::Invalid {
        field: "week",
        reason: "hours_format",
    };
    let minute = |t: &str| -> Option<u16> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
    };
    let mut ranges = Vec::new();
    for piece in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = piece.split_once('-').ok_or(invalid.clone())?;
        let (from, to) = (minute(from).ok_or(invalid.clone())?, minute(to).ok_or(invalid.clone())?);
        if from >= to || ranges.last().is_some_and(|&(_, end)| from < end) {
            return Err(invalid);
        }
        ranges.push((from, to));
    }
    Ok(ranges)
}

/// The inverse of `parse_day_hours`.
pub fn format_day_hours(ranges: &[(u16, u16)]) -> String {
    ranges
        .iter()
        .map(|(from, to)| format!("{:02}:{:02}-{:02}:{:02}", from / 60, from % 60, to / 60, to % 60))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "calendar_test.rs"]
mod tests;
